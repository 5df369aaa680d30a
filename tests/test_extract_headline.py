"""The headline of a text capture is read from the page's head by structure (invented captures)."""
from dateline.extract import extract_article
from dateline.model import Record


def _article(text: str):
    return extract_article(Record(source="t.txt", content=text, kind="text"))


LEAD = ("The council voted on Tuesday to close the old harbour bridge for repairs, officials said, "
        "after engineers found cracks in two of its supports.")
SECOND = ("Traffic will be sent over the northern crossing for at least six weeks while the work goes on, "
          "the council's transport office said in a statement.")


def test_reading_time_and_date_line_is_never_the_title():
    text = "\n".join(["Home", "News", "Sport", "Harbour bridge to close for six weeks of repairs",
                      "by Ana Ruiz", "@anaruiz", "Mar 3, 2024 at 9:24 pm ET • 2 min read", "", LEAD, "", SECOND])
    article = _article(text)
    assert article.title == "Harbour bridge to close for six weeks of repairs"
    assert article.body[0] == LEAD


def test_caption_between_headline_and_lead_is_not_the_title():
    text = "\n".join(["Menu", "Harbour bridge to close for six weeks of repairs", "Reuters March 3, 2024 11:03 PM", "",
                      "Above: The old harbour bridge at dusk.", "", "Image Credit: City Council", "", LEAD, "", SECOND])
    assert _article(text).title == "Harbour bridge to close for six weeks of repairs"


def test_menu_items_and_share_rows_lose_to_the_headline():
    text = "\n".join(["World", "Politics", "Life & Style", "Weather", "Harbour bridge to close for six weeks of repairs",
                      "By Ana Ruiz", "PUBLISHED: 10:48, Tue, Mar 3, 2024", "Share Tweet Submit", "", LEAD, "", SECOND])
    article = _article(text)
    assert article.title == "Harbour bridge to close for six weeks of repairs"
    assert article.authors == ["Ana Ruiz"]


def test_headline_with_byline_under_it_is_not_taken_for_the_lead():
    headline = "Council says the harbour bridge will close for six weeks while engineers repair it?"
    text = "\n".join(["News", headline, "By Ana Ruiz", "March 3, 2024", "", LEAD, "", SECOND])
    article = _article(text)
    assert article.title == headline
    assert article.body[0] == LEAD


def test_breadcrumb_ending_in_the_headline_loses_to_the_headline():
    text = "\n".join(["Home News Local Harbour bridge to close for six weeks", "Harbour bridge to close for six weeks",
                      "Ana Ruiz", "3 March 2024", "", LEAD, "", SECOND])
    assert _article(text).title == "Harbour bridge to close for six weeks"


def test_stated_dates_are_read_from_the_head_whatever_shares_their_line():
    text = "\n".join(["Menu", "Harbour bridge to close for six weeks", "Published: 12 March 2024 | 4 min read", "", LEAD, "", SECOND])
    assert _article(text).published == "2024-03-12"
    text = "\n".join(["Menu", "Harbour bridge to close for six weeks", "by Ana Ruiz", "Nov 18, 2019 at 9:24 pm ET • 2 min read",
                      "", LEAD, "", SECOND])
    article = _article(text)
    assert (article.published, article.authors) == ("2019-11-18", ["Ana Ruiz"])
    text = "\n".join(["Menu", "Harbour bridge to close for six weeks", "By Ana Ruiz", "12.03.2024 | 14:05", "", LEAD, "", SECOND])
    assert _article(text).published == "2024-03-12"


def test_wire_credit_is_an_author_and_an_agency():
    text = "\n".join(["Menu", "Harbour bridge to close for six weeks", "ANA RUIZ Associated Press", "", LEAD, "", SECOND])
    article = _article(text)
    assert (article.authors, article.agency, article.outlet) == (["Ana Ruiz"], "Associated Press", None)
    text = "\n".join(["Menu", "Harbour bridge to close for six weeks", "Ana Ruiz and Tom Lee, AP Sports Writer", "", LEAD, "", SECOND])
    assert _article(text).authors == ["Ana Ruiz", "Tom Lee"]


def test_a_bare_name_under_the_headline_is_the_author():
    text = "\n".join(["Menu", "Harbour bridge to close for six weeks", "Ana Ruiz", "March 3, 2024", "", LEAD, "", SECOND])
    assert _article(text).authors == ["Ana Ruiz"]


def test_city_and_date_dateline_before_a_full_stop():
    text = "\n".join(["Menu", "Harbour bridge to close for six weeks", "By Ana Ruiz", "", "SEVILLE, March 12. " + LEAD, "", SECOND])
    assert _article(text).dateline == "Seville"


def test_breadcrumb_label_and_handle_byline_around_a_question_headline():
    headline = "Water budget passes; is it enough for the dry valleys?"
    text = "\n".join(["Live TV", "Feedback", "you are here: HomeNewsPolitics", "Last Updated : Mar 3, 2024 01:41 PM",
                      headline, "A standfirst sentence about the budget and the farmers who wait for the water to come.",
                      "Ana Ruiz @anaruiz", "", LEAD, "", SECOND])
    article = _article(text)
    assert article.title == headline
    assert article.body[0] == LEAD


def test_menu_the_page_prints_twice_loses_to_a_headline_ending_in_a_full_stop():
    papers = ["The Harbour Gazette", "The Valley Evening Post", "North Shore Weekly Herald"]
    headline = "Bridge closes for repairs. Drivers are told to plan ahead."
    text = "\n".join(["Menu", *papers, "All sections", *papers, "All sections", "Local", headline,
                      "Updated Mar 3, 9:41 AM", "", LEAD, "", SECOND])
    assert _article(text).title == headline


def test_quotation_over_its_attribution_is_not_the_headline():
    text = "\n".join(["Fact checks", '"The bridge has not been inspected for thirty years."',
                      "— A council member on Monday, March 2nd, 2024 in a radio interview",
                      "Was the harbour bridge left uninspected for thirty years?",
                      "By Ana Ruiz on Tuesday, March 3rd, 2024 at 9:00 a.m.", "", LEAD, "", SECOND])
    assert _article(text).title == "Was the harbour bridge left uninspected for thirty years?"


def test_figures_and_dotted_numbers_in_a_headline_are_not_clock_times():
    for headline in ("Harbour fees rise 4.25 percent as the bridge closes", "Harbour Bulletin 03.03.24"):
        text = "\n".join(["Home", "Harbour", headline, "Mar 3, 2024 9:24 pm", "", LEAD, "", SECOND])
        assert _article(text).title == headline


def test_day_first_slashed_date_makes_a_byline_line_metadata():
    text = "\n".join(["Home", "Harbour bridge to close for six weeks of repairs",
                      "Ana Ruiz 27/09/2024 Comment! Harbour, Bridges, City Council, Roads and Traffic", "", LEAD, "", SECOND])
    article = _article(text)
    assert article.title == "Harbour bridge to close for six weeks of repairs"


def test_headline_far_above_the_lead_past_a_long_share_row():
    share = ["Share This Article", "Reddit", "LinkedIn", "WhatsApp", "Email", "Print", "Talk", "Pinterest",
             "Flipboard", "Pocket", "Telegram", "Messenger", "Copy Link", "Comments", "Save", "Mix"]
    text = "\n".join(["Home", "Harbour bridge to close for six weeks of repairs", "Ana Ruiz", "Mar 3, 2024 4:26 pm",
                      *share, "", LEAD, "", SECOND])
    assert _article(text).title == "Harbour bridge to close for six weeks of repairs"


def test_item_of_a_long_menu_loses_to_the_headline_over_its_date():
    menu = ["Results", "Standings", "Regional League Tables", "Fixtures", "Podcast - Harbour Talk", "Player of the Week",
            "Club Reports", "Technical Notes", "Forum"]
    text = "\n".join(["Home", *menu, "", "Final standings of the harbour league", "Friday, 22 October 2010 20:13", "", LEAD, "", SECOND])
    assert _article(text).title == "Final standings of the harbour league"


def test_title_of_an_embedded_video_is_not_the_headline():
    text = "\n".join(["Home", "Harbour", "Harbour bridge to close for six weeks of repairs", "By Ana Ruiz | Courier",
                      "Facebook", "Twitter", "Email", "Video", "Bridge Week: the crossing at dusk and other views", "", LEAD, "", SECOND])
    assert _article(text).title == "Harbour bridge to close for six weeks of repairs"


def test_bare_bylines_with_an_outlet_a_role_or_a_handle_give_the_author():
    for line, outlet in (("Ana Ruiz, Tidewater Courier", "Tidewater Courier"), ("Ana Ruiz | Staff Writer", None),
                         ("Ana Ruiz @anaruiz", None)):
        text = "\n".join(["Home", "Harbour bridge to close for six weeks of repairs", line, "Published: 12.03.2024 | 14:32",
                          "", LEAD, "", SECOND])
        article = _article(text)
        assert article.authors == ["Ana Ruiz"] and article.published == "2024-03-12"
        assert outlet is None or article.outlet == outlet


def test_a_quoted_standfirst_with_a_byline_under_it_loses_to_the_headline_above_it():
    text = "\n".join(["Instagram", "Linkedin", "Harbour bridge to close for six weeks",
                      "“We have to make some hard choices about the crossing,” the council's chair told staff on Monday",
                      "CITY DESK /", "March 3, 2024 12:02 PM", "By Ana Ruiz", "", LEAD, "", SECOND])
    assert _article(text).title == "Harbour bridge to close for six weeks"


def test_a_site_name_and_menu_above_the_head_are_a_page_not_a_plain_file():
    """A first line that could be a headline, with menus (not short paragraphs) under it:
    the text starts at the lead, not at the menu under the first line."""
    text = "\n\n".join(["Harbour Gazette Weekly Review Gazette Radio Gazette Jobs Gazette Travel",
                        "Subscribe from 1 € a month\nServices\nWeather\nPuzzles\nCulture\nSport",
                        "Harbour bridge to close for six weeks of repairs", LEAD, SECOND])
    assert _article(text).body == [LEAD, SECOND]


def test_captions_credits_file_names_and_sponsor_labels_are_never_the_title():
    for clutter in ("Harbour pilot Jo Marsh. Photograph: Ana Ruiz for the Gazette", "HARBOUR-bridge-1160x768.jpg",
                    "Harbour & Coast is sponsored by", "Skip to contentSkip to site index", "// Press enter to search",
                    "The harbour master (centre) with two pilots at the quay"):
        text = "\n".join(["Menu", clutter, "Harbour bridge to close for six weeks of repairs",
                          "March 3, 2024 | 4 min read", "", LEAD, "", SECOND])
        assert _article(text).title == "Harbour bridge to close for six weeks of repairs", clutter
    text = "\n".join(["Menu", "Facebook is building a data centre by the harbour", "March 3, 2024", "", LEAD, "", SECOND])
    assert _article(text).title == "Facebook is building a data centre by the harbour"


def test_a_long_headline_ending_with_an_abbreviation_is_not_the_lead():
    text = "\n".join(["Menu", "Subscribe", "Supported by",
                      "Floods and Fallen Trees: How the Storm Left Its Mark on the Harbour Towns of N.S.W.",
                      "", LEAD, "", SECOND])
    article = _article(text)
    assert article.title == "Floods and Fallen Trees: How the Storm Left Its Mark on the Harbour Towns of N.S.W."
    assert article.body == [LEAD, SECOND]


def test_a_list_of_links_with_one_opening_is_not_the_headline():
    text = "\n".join(["Follow the Gazette", "Outside link, opens the Gazette page on Mastodon",
                      "Outside link, opens the Gazette page on Bluesky", "Outside link, opens the Gazette news feed",
                      "Harbour bridge to close for six weeks of repairs",
                      "Engineers found cracks in two supports of the old crossing during an inspection",
                      "Copy link", "", LEAD, "", SECOND])
    assert _article(text).title == "Harbour bridge to close for six weeks of repairs"


def test_the_headline_over_its_standfirst_past_a_caption_and_under_a_row_of_figures():
    with_caption = "\n".join(["Menu", "Harbour bridge to close for six weeks of repairs",
                              "Harbour pilot Jo Marsh. Photograph: Ana Ruiz for the Gazette",
                              "Engineers found cracks in two supports of the old crossing, and repairs cannot wait",
                              "Ana Ruiz", "Tue 3 Mar 2024 02.00 EST", "", LEAD, "", SECOND])
    assert _article(with_caption).title == "Harbour bridge to close for six weeks of repairs"
    under_figures = "\n".join(["Index", "18,037.10", "-35.56 (-0.69%)", "Harbour bridge to close for six weeks of repairs",
                               "Ana Ruiz", "Harbour Gazette March 3, 2024", "Share", "", LEAD, "", SECOND])
    assert _article(under_figures).title == "Harbour bridge to close for six weeks of repairs"


def test_a_label_in_the_byline_zone_is_no_author_and_by_is_read_in_other_languages():
    third = "Members will read the full text of the budget and its options again next week, the office said."
    text = "\n".join(["Menu", "Harbour bridge to close for six weeks of repairs", "More Options", "Resize Text",
                      "Ana Ruiz", "March 3, 2024", "", LEAD, "", SECOND, "", third])
    assert _article(text).authors == ["Ana Ruiz"]
    text = "\n".join(["Menu", "Harbour bridge to close for six weeks of repairs", "Par Ana Ruiz", "March 3, 2024",
                      "", LEAD, "", SECOND])
    assert _article(text).authors == ["Ana Ruiz"]


def test_a_date_bar_with_published_and_last_modified_stamps_gives_both():
    text = "\n".join(["Menu", "Harbour bridge to close for six weeks of repairs", "Ana Ruiz",
                      "Tue 3 Mar 2024 02.00 EST Last modified on Wed 11 Mar 2024 06.00 EST", "", LEAD, "", SECOND])
    article = _article(text)
    assert article.published == "2024-03-03" and article.page_date == "2024-03-11"
