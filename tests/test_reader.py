"""The reader pages rendered server-side (no JavaScript): front page, article, author, outlet."""
from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dateline.api.testing import shared_fixture_store
from dateline.store import schema

FIXTURES = Path(__file__).parent / "fixtures" / "web"
STORY_A = ["a1-fisheries-talks-open.html", "a2-fisheries-talks-stall.html", "a3-fisheries-deal.html",
           "a4-fisheries-unions.html", "d1-coded-arica.json"]
STORY_B = ["b1-maritime-ruling.html", "b2-maritime-accusation.html", "b3-maritime-talks.html"]


@pytest.fixture(scope="module")
def setup():
    app, answers = shared_fixture_store(FIXTURES)
    with TestClient(app) as client:
        yield client, {name: a["id"] for name, a in answers.items()}, app


@pytest.fixture(scope="module")
def client(setup):
    return setup[0]


@pytest.fixture(scope="module")
def ids(setup):
    return setup[1]


@pytest.fixture(scope="module")
def engine(setup):
    return setup[2].state.engine


def section(page: str, section_id: str) -> str:
    match = re.search(rf'<section class="panel" id="{section_id}">(.*?)</section>', page, re.DOTALL)
    assert match, section_id
    return match.group(1)


def visible(page: str) -> str:
    """The page's text as a reader sees it (highlight spans cut the text into pieces)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def linked_ids(fragment: str) -> list[str]:
    return re.findall(r'href="/read/([0-9a-f]+)"', fragment)


def test_front_page_has_latest_and_trending(client, ids):
    page = client.get("/read").text
    assert "Latest News" in page and "Trending Now" in page
    newest = ids["d1-coded-arica.json"]
    assert f'href="/read/{newest}"' in page.split('id="front-latest"')[0]  # the lead story is the newest
    trending = section(page, "trending-now")
    assert "<polyline" in trending and "Chile" in trending


def test_search_covers_titles_and_bodies(client, ids):
    page = client.get("/read", params={"q": "anchovy"}).text
    total = int(re.search(r'id="search-total">(\d+)', page).group(1))
    assert total >= 5
    body_only = client.get("/read", params={"q": "escorted every trawler"}).text
    assert "Peru accuses Chile of breaking anchovy deal" in visible(body_only)
    injected = client.get("/read", params={"q": "' OR 1=1 --"})
    assert injected.status_code == 200
    found = int(re.search(r'id="search-total">(\d+)', injected.text).group(1))
    assert found < len(ids)  # words searched for, never a condition that matches everything
    for syntax in ('"unbalanced', "title:anchovy OR", "NEAR(a b)", "*", "-"):
        assert client.get("/read", params={"q": syntax}).status_code == 200


def test_article_page_shows_the_article_fields(client, ids):
    page = client.get(f"/read/{ids['a2-fisheries-talks-stall.html']}").text
    assert "Anchovy talks stall as Peru rejects Chilean quota offer" in page
    assert f'href="/authors/{quote("Tomás Reyes", safe="")}"' in page
    assert 'href="/outlets/Harbor%20Gazette"' in page
    assert "October 2, 2025" in page
    assert "Peru on Thursday rejected a Chilean proposal" in visible(page)


def test_read_more_links_to_the_stored_article_when_the_title_matches(client, ids):
    page = client.get(f"/read/{ids['a2-fisheries-talks-stall.html']}").text
    read_more = re.search(r'id="read-more">(.*?)</section>', page, re.DOTALL).group(1)
    assert f'<a href="/read/{ids["a1-fisheries-talks-open.html"]}">Chile and Peru open talks on shared anchovy stocks</a>' in read_more
    assert "Fishing unions warn of strikes in northern ports" in read_more  # not stored: listed, not linked
    assert len(linked_ids(read_more)) == 1


def test_related_news_comes_from_the_same_story(client, ids):
    page = client.get(f"/read/{ids['a3-fisheries-deal.html']}").text
    related = linked_ids(section(page, "related-news"))
    assert related, "Related News is empty"
    story_a = {ids[name] for name in STORY_A}
    story_b = {ids[name] for name in STORY_B}
    assert related[0] in story_a
    assert not set(related) & story_b
    # each says why it is there, in words, not only "same story"
    whys = re.findall(r'<div class="why">([^<]*)</div>', section(page, "related-news"))
    assert whys and whys[0].startswith(("same story: ", "near-duplicate: ", "re-post: "))


def test_latest_panel_excludes_the_open_article(client, ids):
    doc = ids["d1-coded-arica.json"]
    page = client.get(f"/read/{doc}").text
    latest = linked_ids(section(page, "latest-news"))
    assert latest and doc not in latest


def test_article_text_is_escaped_never_markup(client, ids):
    for name in ("c2-xss.html", "c3-market-capture.txt"):
        page = client.get(f"/read/{ids[name]}").text
        assert "<script>alert(1)</script>" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "&lt;img src=x onerror=alert(1)&gt;" in page
    coded = client.get(f"/read/{ids['d1-coded-arica.json']}").text
    assert "<b>bold</b>" not in coded and "&lt;b&gt;bold&lt;/b&gt;" in coded


def test_highlights_carry_the_coding_without_javascript(client, ids):
    page = client.get(f"/read/{ids['d1-coded-arica.json']}").text
    span = re.search(r'<span class="hl[^"]*hl-event[^"]*" data-keys="([^"]*)" title="([^"]*)"', page)
    assert span and "e0" in span.group(1)
    title = html.unescape(span.group(2))
    assert "ACCUSE: Peru (PER-GOV) \u2192 Chile (CHL-GOV)" in title and "2025-10-07" in title
    assert "asserted" in title and "confidence 0.88" in title
    assert 'id="hl-toggle"' in page and "checked" in page
    off = client.get(f"/read/{ids['d1-coded-arica.json']}", params={"highlights": "false"}).text
    assert re.search(r'id="hl-toggle" class="hl-toggle" >', off)


def test_author_page_counts_the_authors_stored_articles(client, engine):
    with engine.connect() as conn:
        name, stored = conn.execute(
            select(schema.document_authors.c.name, func.count()).group_by(schema.document_authors.c.name)
            .order_by(func.count().desc())).first()
    page = client.get(f"/authors/{quote(name, safe='')}").text
    assert f'<span id="post-count">{stored}</span>' in page
    assert len(linked_ids(page.split('id="profile-articles"')[1].split("</ul>")[0])) == stored
    assert "Covers most" in page


def test_author_bio_is_shown(client):
    page = client.get(f"/authors/{quote('Jonah Whitfield', safe='')}").text
    assert "writes about trade and regional security" in page


def test_outlet_page_lists_its_articles_and_authors(client, engine):
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(schema.documents)
                              .where(schema.documents.c.outlet == "Metro Wire")).scalar_one()
    page = client.get("/outlets/Metro%20Wire").text
    assert f'<span id="post-count">{stored}</span>' in page
    assert "Priya Natarajan" in page


def test_unknown_pages_are_404_pages(client):
    for path in ("/read/0000000000000000", "/authors/Nobody%20Here", "/outlets/Nowhere"):
        response = client.get(path, headers={"accept": "text/html"})
        assert response.status_code == 404 and "Not found" in response.text


def test_pages_forbid_inline_scripts(client):
    response = client.get("/read")
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_trending_is_served_from_cache_and_refreshed_in_the_background(tmp_path):
    import time

    from dateline.api import create_app
    from dateline.model import Actor, Article, Document, Mention

    def article(name: str, day: str) -> Document:
        body = [f"{name} spoke in the capital on Monday."]
        return Document(doc=f"{name}.txt", article=Article(title=f"{name} speaks", published=day, body=body),
                        entities=[Mention(name, 0, len(name), "a")], actors={"a": Actor("a", name, "country")})

    app = create_app(f"sqlite:///{tmp_path / 'trend.db'}")
    cache, store = app.state.trending, app.state.store
    store.save(article("Norway", "2025-10-01"))
    with app.state.engine.connect() as conn:
        assert [t.label for t in cache.get(conn)["actors"]] == ["Norway"]
        store.save(article("Ghana", "2025-10-02"))
        assert [t.label for t in cache.get(conn)["actors"]] == ["Norway"]  # the last value, at once
        deadline = time.monotonic() + 10
        while "Ghana" not in [t.label for t in cache.get(conn)["actors"]]:
            assert time.monotonic() < deadline, "Trending Now was never refreshed"
            time.sleep(0.05)
