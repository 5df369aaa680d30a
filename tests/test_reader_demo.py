"""The seed-like capture of the demo data, rebuilt by the reader without the page's clutter."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dateline.api import create_app
from dateline.api.testing import ingest_pages

SEED_LIKE = Path(__file__).resolve().parents[1] / "examples" / "01_capital_wire_istanbul_talks.txt"


@pytest.fixture(scope="module")
def article_page(tmp_path_factory):
    if not SEED_LIKE.exists():
        pytest.skip("examples/01_capital_wire_istanbul_talks.txt is not there")
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    with TestClient(create_app(f"sqlite:///{db}")) as client:
        doc_id = ingest_pages(client, [SEED_LIKE])[SEED_LIKE.name]["id"]
        yield client.get(f"/read/{doc_id}").text


def part(page: str, pattern: str) -> str:
    match = re.search(pattern, page, re.DOTALL)
    assert match, pattern
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_headline_byline_and_body(article_page):
    assert part(article_page, r'<h1 class="headline">(.*?)</h1>') == (
        "Moscow, Kyiv Negotiators Meet Again in Istanbul; Prisoner Swap Agreed")
    assert "Lena Adeyemi" in part(article_page, r'<p class="byline">(.*?)</p>')
    body = part(article_page, r'id="article-body">(.*?)</div>')
    assert "Russian and Ukrainian negotiators met again in Istanbul" in body
    assert "Russian officials insisted" in body


def test_both_cross_linked_headlines_are_listed(article_page):
    read_more = part(article_page, r'id="read-more">(.*?)</section>')
    assert "Kremlin Says Sanctions Talk Will Not Change Its Course" in read_more
    assert "Families of Captured Sailors Appeal for Help" in read_more


def test_none_of_the_clutter_is_in_the_body(article_page):
    body = part(article_page, r'id="article-body">(.*?)</div>')
    for clutter in ("19.4 C", "Thursday, September 11, 2025", "Website |", "+ posts", "Senior Correspondent",
                    "Trending Now", "Latest News", "Related News", "Read More", "Harvest Festival"):
        assert clutter not in body, clutter
