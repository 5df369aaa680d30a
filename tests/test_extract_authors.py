"""Author strings and outlet names are cleaned by their shape (invented names and pages)."""
from __future__ import annotations

import pytest

from dateline.extract import extract_article
from dateline.extract.authors import clean_authors
from dateline.model import Record


@pytest.mark.parametrize("names, outlet, expected", [
    (["Analysis by Ana Ruiz", "VNN Editor-at-large"], "VNN", (["Ana Ruiz"], None)),
    (["ANA RUIZ Associated Press"], None, (["Ana Ruiz"], "Associated Press")),
    (["Ana Ruiz and Tom Lee, Associated Press"], None, (["Ana Ruiz", "Tom Lee"], "Associated Press")),
    (["Tom Lee", "Ap Sports Writer"], None, (["Tom Lee"], None)),
    (["Ana Ruiz, Staff Writer"], None, (["Ana Ruiz"], None)),
    (["Ana Ruiz Valley Times"], "Valley Times", (["Ana Ruiz"], None)),
    (["Ana Ruiz VALLEY TODAY"], None, (["Ana Ruiz"], None)),
    (["The Russian"], None, ([], None)),
    (["anaruiz-v"], None, ([], None)),
    (["Reuters"], None, (["Reuters"], None)),
])
def test_author_strings(names, outlet, expected):
    assert clean_authors(names, outlet) == expected


PAGE = """<html><head><title>Water budget passes - Valley Times</title>
<meta property="og:site_name" content="{site}"><meta name="twitter:site" content="@ValleyTimes">
<meta name="author" content="Analysis by Ana Ruiz"></head>
<body><article><h1>Water budget passes</h1>
<p>The regional assembly approved the new water budget on Monday after a long debate among its members, who had argued over it for weeks.</p>
<p>The budget sets aside money for three reservoirs and a pipeline to the dry southern valleys, according to the finance office.</p>
</article></body></html>"""


def _html(site: str):
    return extract_article(Record(source="p.html", content=PAGE.format(site=site), kind="html"))


def test_outlet_is_the_name_the_page_agrees_on_not_a_section_label():
    assert _html("Politics").outlet == "Valley Times"


def test_outlet_spelled_with_spaces_wins_over_a_handle():
    article = _html("ValleyTimes")
    assert article.outlet == "Valley Times"
    assert article.authors == ["Ana Ruiz"]


@pytest.mark.parametrize("line, authors, date", [
    ("By ANA RUIZ MAR. 3, 2024", ["Ana Ruiz"], "2024-03-03"),
    ("by Ana Ruiz @anaruiz March 3, 2024: 12:41 PM ET", ["Ana Ruiz"], "2024-03-03"),
    ("by Ana Ruiz (reporting) and Tom Hale (photography)", ["Ana Ruiz", "Tom Hale"], None),
    ("By Ana Ruiz, a deputy editor who has covered the harbour and its shipping for the Gazette for over a decade.",
     ["Ana Ruiz"], None),
])
def test_a_by_line_with_more_after_the_names(line, authors, date):
    from dateline.extract.lines import parse_byline

    byline = parse_byline(line, loose=True)
    assert byline is not None and (byline.authors, byline.date) == (authors, date)


@pytest.mark.parametrize("line", ["By Monday, ministers had agreed to the plan after a long night of talks in the capital.",
                                  "By the end of the year the harbour will have a new bridge."])
def test_a_sentence_opening_with_by_names_no_one(line):
    from dateline.extract.lines import parse_byline

    assert parse_byline(line, loose=True) is None
