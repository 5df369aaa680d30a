"""HTML pages -> Article through trafilatura, htmldate and the post-filter."""
from __future__ import annotations

import importlib

import pytest
from conftest import FIXTURES

from dateline.extract import extract_article
from dateline.ingest import iter_records
from dateline.model import DatelineError, Record

PAGES = FIXTURES / "extract"


def _article(name: str):
    record = next(iter_records([PAGES / name]))
    assert isinstance(record, Record), record
    return extract_article(record)


def test_wordpress_page_without_charset():
    article = _article("wordpress_cp1252.html")  # windows-1252 bytes, no charset declared
    assert article.title == "Swiss voters back new rail tunnel under the Alps"
    assert article.authors == ["Ursula Brunner"]
    assert article.outlet == "Alpenpost"
    assert article.published == "2024-09-22"
    assert (article.dateline, article.agency) == ("Zürich", "SDA")
    assert article.body[0].startswith("ZÜRICH (SDA) – Swiss voters")
    assert len(article.body) == 5
    assert "Parliament approves plan for faster regional trains" in article.related
    assert "Austria and Italy agree timetable for Brenner base tunnel" in article.related
    assert article.author_bios == {"Ursula Brunner": "Ursula Brunner is the political editor of Alpenpost, based in Bern."}
    text = article.text
    for clutter in ("cookies", "Photo:", "Read more", "Share this", "Politik", "Meistgelesen", "political editor"):
        assert clutter not in text


def test_gzipped_newsroom_page():
    article = _article("newsroom.html.gz")
    assert article.title == "Pacific leaders pledge joint fund for storm recovery"
    assert article.authors == ["Mere Tuilagi", "Josh Kami"]
    assert article.outlet == "Island Times"
    assert article.published == "2025-02-11"
    assert (article.dateline, article.agency) == ("Suva", "PINA")
    assert article.related == ["Cyclone season forecast to be more intense", "Fiji opens new evacuation centres"]
    assert len(article.body) == 5 and not any("newsletter" in p for p in article.body)


def test_html_page_without_article_raises():
    page = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    with pytest.raises(DatelineError) as caught:
        extract_article(Record(source="menu.html", content=page, kind="html"))
    assert caught.value.source == "menu.html" and "no article" in caught.value.reason


def test_wordpress_page_without_meta_tags():
    """No og:site_name, author or date meta: outlet from the <title> suffix, author from the
    byline element, date from the page, related from the inline "Read more" and the box."""
    article = _article("wordpress_no_meta.html")
    assert article.title == "Ethiopia and Eritrea reopen border crossing at Zalambessa"
    assert article.authors == ["Selam Tesfaye"]
    assert article.outlet == "The Horn Chronicle"
    assert article.published == "2025-09-09"
    assert article.dateline == "Addis Ababa"
    assert article.related == ["Djibouti expands rail link to the capital", "Port of Assab talks stall over fees"]
    assert len(article.body) == 4 and article.body[0].startswith("ADDIS ABABA – Ethiopia and Eritrea")
    assert not any(word in article.text for word in ("Horn of Africa", "Share:", "19°C", "Trending", "correspondent for"))


def test_library_failure_is_a_dateline_error(monkeypatch):
    html = importlib.import_module("dateline.extract.html")

    def broken(*args, **kwargs):
        raise ValueError("odd markup")

    monkeypatch.setattr(html, "bare_extraction", broken)
    page = (PAGES / "wordpress_no_meta.html").read_text(encoding="utf-8")
    with pytest.raises(DatelineError) as caught:
        extract_article(Record(source="odd.html", content=page, kind="html"))
    assert caught.value.source == "odd.html" and "ValueError: odd markup" in caught.value.reason


def test_author_box_with_a_name_heading_keeps_the_bio_once():
    from dateline.extract import extract_article
    from dateline.model import Record

    page = ("<html><head><title>Invented headline about a harbour vote</title></head><body><article>"
            "<h1>Invented headline about a harbour vote</h1>"
            + "".join(f"<p>Paragraph {i} of an invented report on the harbour council vote and its aftermath.</p>"
                      for i in range(6))
            + '<div class="author-box"><h4>Nora Quist</h4><p>Nora Quist follows port politics for the Bay Courier.</p>'
              "</div></article></body></html>")
    article = extract_article(Record(source="bio.html", content=page, kind="html"))
    assert article.author_bios.get("Nora Quist") == "Nora Quist follows port politics for the Bay Courier."


_P = ("<p>Paragraph {} says the assembly debated the water budget for many hours and members of every "
      "party spoke about the reservoirs.</p>")


def _page(body: str, title: str = "Water budget passes") -> str:
    return f"<html><head><title>{title}</title></head><body><article>{body}</article></body></html>"


def test_a_lede_printed_before_a_repeated_headline_is_kept():
    lede = ("<p><cite>(VNN)</cite>President Ana Ruiz signed the new water budget on Monday after a long debate "
            "in the regional assembly, her office said.</p>")
    html = _page(lede + "<h2>Water budget passes</h2>" + "".join(_P.format(i) for i in range(1, 6)))
    article = extract_article(Record(source="p.html", content=html, kind="html"))
    assert article.body[0].startswith("(VNN)")
    assert article.agency == "VNN"
    assert "Water budget passes" not in article.body


def test_a_dont_miss_promo_box_leaves_the_body_for_related():
    promo = "<p><strong>DON'T MISS</strong></p><p>Assembly members clash over reservoirs plan</p><p>Farmers ask for drought relief</p>"
    html = _page("<h1>Water budget passes</h1>" + "".join(_P.format(i) for i in range(1, 4)) + promo
                 + "".join(_P.format(i) for i in range(4, 7)))
    article = extract_article(Record(source="p.html", content=html, kind="html"))
    assert not any("MISS" in p or "clash" in p for p in article.body) and len(article.body) == 6
    assert "Assembly members clash over reservoirs plan" in article.related
