"""Text captures -> Article: invented captures with many clutter styles, each field checked."""
from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from dateline.extract import extract_article, parse_dateline
from dateline.extract.dates import date_line, find_date
from dateline.ingest import record_from_text
from dateline.model import DatelineError, Record

CAPTURES = FIXTURES / "extract"
EXPECTED = json.loads((CAPTURES / "expected.json").read_text(encoding="utf-8"))


def _article(name: str):
    return extract_article(Record(source=name, content=(CAPTURES / name).read_text(encoding="utf-8"), kind="text"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_capture_fields(name):
    article, want = _article(name), EXPECTED[name]
    for field in ("title", "authors", "outlet", "published", "page_date", "dateline", "agency", "body", "related"):
        assert getattr(article, field) == want[field], field
    assert sorted(article.author_bios) == want["author_bios"]


def test_at_least_eight_invented_captures():
    assert len(EXPECTED) >= 8


@pytest.mark.parametrize("clutter", [
    "We use cookies", "Accept all cookies", "Share:", "Facebook | Twitter", "Sign up for our morning newsletter",
    "Enter your email", "(Photo:", "Image:", "Photo credit", "ADVERTISEMENT", "Story continues below",
    "Listen to this article", "min read", "Website | + posts", "Trending Now", "Most read", "Tags:", "©",
    "About the author", "Leave a comment", "Comments (12)", "31°C", "READ ALSO", "Also read", "You may also like",
])
def test_no_clutter_in_any_body(clutter):
    for name in EXPECTED:
        assert not any(clutter.lower() in paragraph.lower() for paragraph in _article(name).body), name


def test_bios_and_related_leave_the_body():
    article = _article("weather_datebar.txt")
    assert article.author_bios["Otieno Wafula"].startswith("Otieno Wafula is a Senior Correspondent")
    assert "Drought relief reaches northern counties" in article.related
    assert not any("Senior Correspondent" in p or "Drought relief" in p for p in article.body)


def test_date_bar_is_page_date_not_published():
    article = _article("weather_datebar.txt")
    assert article.published is None and article.page_date == "2024-02-12"
    assert article.anchor_date == "2024-02-12"


def test_plain_article_keeps_every_paragraph():
    article = _article("plain_article.txt")
    assert article.title == "Council votes to keep the night buses running."
    assert "She was cheered." in article.body and article.body[-1] == "Read the full report here."


def test_dateline_stays_in_first_paragraph():
    article = _article("cookie_banner.txt")
    assert article.body[0].startswith("VALPARAISO, Chile (Reuters) — Delegates")


def test_record_from_text_and_no_article():
    assert record_from_text("<html><body><p>x</p></body></html>").kind == "html"
    with pytest.raises(DatelineError) as caught:
        extract_article(record_from_text("Menu\nHome\nSearch\n", "menu.txt"))
    assert caught.value.source == "menu.txt" and "no article" in caught.value.reason


def test_plain_jsonl_text_is_kept_whole():
    text = "WASHINGTON (AP) — First paragraph here.\n\nAdvertisement\n\nShort one."
    article = extract_article(Record(source="r1", content=text, kind="plain", title="T", date="2025-04-02T10:00:00Z"))
    assert article.body == ["WASHINGTON (AP) — First paragraph here.", "Advertisement", "Short one."]
    assert (article.title, article.published, article.dateline, article.agency) == ("T", "2025-04-02", "Washington", "AP")


@pytest.mark.parametrize("lead, place, agency", [
    ("Istanbul (TDI): Delegations met.", "Istanbul", "TDI"),
    ("SHARM EL-SHEIKH, Egypt — Leaders signed.", "Sharm el-Sheikh", None),
    ("WASHINGTON – The ministers signed.", "Washington", None),
    ("HEMPSTEAD, N.Y., Sept. 26 (UPI) — A candidate spoke.", "Hempstead", "UPI"),
    ("KYIV, Ukraine, July 3 (Reuters) - Russia fired.", "Kyiv", "Reuters"),
    ("(Reuters) — The inquiry began.", None, "Reuters"),
    ("NEW DELHI: The government said.", "New Delhi", None),
    ("The deal – signed Friday – ends the war.", None, None),
    ("Updated: the council met.", None, None),
])
def test_parse_dateline(lead, place, agency):
    assert parse_dateline(lead) == (place, agency)


@pytest.mark.parametrize("line, iso", [
    ("Saturday, July 26, 2025", "2025-07-26"),
    ("Updated 3:42 PM EDT, Tue October 14, 2025", "2025-10-14"),
    ("28 June 2025", "2025-06-28"),
    ("Published: 2025-06-28 10:00", "2025-06-28"),
    ("Nov. 18, 2019", "2019-11-18"),
    ("Updated: 14/05/2024 10:32 IST", "2024-05-14"),
    ("Posted on March 3rd, 2024 at 10:15 am", "2024-03-03"),
    ("The council met on 3 March 2024 and voted", None),
])
def test_date_lines(line, iso):
    assert date_line(line) == iso


def test_find_date_skips_impossible_dates():
    assert find_date("February 30, 2024") is None


def test_two_bios_in_one_author_box_line():
    article = _article("us_portal_two_authors.txt")
    assert article.author_bios == {"Rachel Mendes": "Rachel Mendes is City Wire's Middle East correspondent.",
                                   "Omar Haddad": "Omar Haddad reports on diplomacy for City Wire."}
    assert (article.published, article.page_date) == ("2025-08-20", "2025-08-20")


def test_hard_wrapped_paragraphs_are_joined():
    import textwrap

    paragraphs = [
        "Harbour board approves new ferry terminal.",
        ("The harbour board approved plans on Monday for a new ferry terminal on the east quay, ending a dispute "
         "with residents who had objected to the noise of late-night sailings and the traffic on the coast road."),
        ("Work will begin in the spring and is expected to take two years, the board said, and the old terminal "
         "will stay open until the new one is ready to take passengers and freight."),
    ]
    text = "\n\n".join(textwrap.fill(p, 64) for p in paragraphs)
    article = extract_article(Record(source="wrapped.txt", content=text, kind="text"))
    assert article.title == paragraphs[0]
    assert article.body == paragraphs[1:]


def test_headline_lists_are_not_joined_as_wrapped_text():
    article = _article("us_portal_two_authors.txt")
    assert article.related == ["Aid convoys wait at crossing as talks drag on", "Families of detainees protest outside parliament"]


def test_short_dateline_lead_is_text_not_headline():
    capture = ("Business News\n\nUK economy returns to growth in May\n\nBy Tom Hale\n\n"
               "LONDON (Reuters) - Britain's economy grew 0.3% in May.\n\n"
               "The rebound followed a contraction in April, when output was hit by strikes and a public holiday, "
               "the statistics office said on Friday.\n\n"
               "Economists polled by Reuters had expected growth of 0.2 percent for the month.\n")
    article = extract_article(Record(source="short-lead.txt", content=capture, kind="text"))
    assert article.title == "UK economy returns to growth in May"
    assert article.body[0] == "LONDON (Reuters) - Britain's economy grew 0.3% in May."
    assert (article.dateline, article.agency, article.authors) == ("London", "Reuters", ["Tom Hale"])


def _capture_body(text: str) -> list[str]:
    from dateline.extract import extract_article
    from dateline.model import Record

    return extract_article(Record(source="t.txt", content=text, kind="text")).body


_P1 = ("The regional assembly approved the new water budget on Monday after a debate that lasted "
       "most of the night, members said.")
_P2 = ("The budget sets aside money for three reservoirs and a pipeline to the dry southern valleys, "
       "according to the finance office.")
_P3 = ("Opposition members said the plan came too late for farmers who lost their harvest in the summer "
       "drought, and asked for an inquiry.")


def test_a_run_of_menu_or_tag_lines_ends_the_text():
    text = "\n\n".join(["Assembly passes water budget", _P1, _P2, "Politics\nWater\nFarming\nDrought\nBudget",
                        "Other teaser story", "A teaser paragraph about something else entirely that is long enough to read as prose."])
    assert _capture_body(text) == [_P1, _P2]


def test_a_link_box_inside_the_text_is_cut_and_the_text_goes_on():
    text = "\n\n".join(["Assembly passes water budget", _P1, "Gallery\nReservoirs\nPipelines\nValleys\nBack to Gallery",
                        _P2, _P3, _P1.replace("Monday", "Friday")])
    body = _capture_body(text)
    assert body[:3] == [_P1, _P2, _P3] and "Gallery" not in body


def test_a_list_with_figures_stays_in_the_text():
    items = ["6 tbsp sugar", "1 tsp cinnamon", "2 cups water", "Spain (Group F): 11th appearance", "Peru, Lima"]
    text = "\n\n".join(["Assembly passes water budget", _P1, _P2, "\n".join(items), _P3])
    assert _capture_body(text) == [_P1, _P2, *items, _P3]


def test_a_most_read_header_in_another_language_ends_the_text():
    text = "\n\n".join(["Assembly passes water budget", _P1, _P2, "Leia também", _P3])
    assert _capture_body(text) == [_P1, _P2]


def test_prose_without_spaces_is_text():
    lead = "市議会は月曜日、古い港の橋を修理のために六週間閉鎖することを決めた。技術者が二本の支柱にひびを見つけたためだという。"
    second = "交通は工事の間、北側の橋に回される。市の交通局は声明で、工事は春までに終わる見込みだと述べた。"
    body = _capture_body("\n\n".join(["ホーム", "港の橋、修理で六週間閉鎖へ", lead, second]))
    assert body == [lead, second]


def test_the_authors_name_alone_after_the_text_opens_the_author_box():
    text = "\n\n".join(["Assembly passes water budget\nBy Ana Ruiz", _P1, _P2, "Ana Ruiz\nStaff Writer\nfollow",
                        "Check out the schedule for every match of the season and more, on our site."])
    assert _capture_body(text) == [_P1, _P2]


def test_a_most_read_box_inside_the_text_is_cut_and_the_text_goes_on():
    box = "Most read in world news\nSTRANGE SIGHT\nA teaser headline about a celebrity\nEYE POPPING\nAnother teaser headline"
    text = "\n\n".join(["Assembly passes water budget", _P1, _P2, box, _P3, _P1.replace("Monday", "Friday"), _P2.replace("three", "four")])
    body = _capture_body(text)
    assert body[:3] == [_P1, _P2, _P3] and not any("teaser" in line for line in body)


def test_about_the_author_box_and_newsletter_box_end_or_leave_the_text():
    text = "\n\n".join(["Assembly passes water budget\nBy Ana Ruiz", _P1, _P2,
                        "Stay up to date with Valley Times. Subscribe to our newsletter.", "Sobre Ana Ruiz",
                        "Ana Ruiz writes about water and farming and has lived in the southern valleys for twenty years now."])
    assert _capture_body(text) == [_P1, _P2]


def test_glued_caption_credits_and_citation_notices_leave_the_body():
    lead = ("Engineers tested a sleeping pod for long flights on Monday, the agency said, and found that crews "
            "would need far less food and water on board.")
    second = ("The pod would let a crew of six rest for weeks at a time, the study's authors wrote in a report "
              "published in a space medicine journal.")
    text = "\n".join(["Sleeping pods could shrink crewed spacecraft, study finds", "By Ana Ruiz", "March 3, 2024", "",
                      lead, "", "A model of the pod shown at the space fair in MarchCredit: Example Agency", "",
                      second, "", "Citation: Sleeping pods could shrink spacecraft (2024, March 3) retrieved 4 March 2024 "
                      "from https://example.org/news/pods.html", "",
                      "This document is subject to copyright. No part may be reproduced without written permission."])
    body = extract_article(Record(source="t.txt", content=text, kind="text")).body
    assert body == [lead, second]


def test_consent_dialogs_script_notices_and_a_dashed_masthead_are_not_the_lead():
    consent = ("Harbour Media would like to process and share personal data about your use of our site with our "
               "third party partners using cookies and similar technologies, in order to personalise content.")
    text = "\n\n".join(["For full functionality, it is necessary to enable JavaScript. Here is how to enable it.",
                        consent, "By clicking “accept” below, you grant your consent for these activities.",
                        "Search Go\nLog in", "Discover in-depth articles on every topic written by our in-house team.",
                        "Newsletter", "HGZ - Hourly Harbour News Since 2003", "Sign in\nRegister",
                        "Assembly passes water budget", "By Ana Ruiz", _P1, _P2, _P3])
    assert _capture_body(text) == [_P1, _P2, _P3]


def test_a_small_promo_run_above_the_article_is_not_its_lead():
    promo = ["See what your symptoms could mean, and learn about the conditions that may cause them.",
             "Check them now", "Bothered by a cough that will not go away? Find out what the causes may be."]
    text = "\n\n".join(["Health Portal", "\n".join(promo), "Topics\nSleep\nSkin\nDiet\nHeart\nLungs\nBones\nEyes\nEars\nTeeth\n"
                        "Feet\nBack\nMind\nKids\nAge\nWomen\nMen",
                        "Assembly passes water budget", "By Ana Ruiz", *[_P1, _P2, _P3] * 3])
    assert _capture_body(text)[0] == _P1


def test_share_buttons_with_counters_are_not_text():
    last = _P1.replace("Monday", "Friday")
    text = "\n\n".join(["Assembly passes water budget", "By Ana Ruiz", _P1, _P2, "teilen17\ntweet0\n+12\nShare 4", _P3, last])
    assert _capture_body(text) == [_P1, _P2, _P3, last]
