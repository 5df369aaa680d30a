"""The analyst page and the reader in Debian's chromium, driven by Playwright.

The app runs with uvicorn on 127.0.0.1 (a free port, in a thread) over a store filled by
the pipeline from the fixture pages. Screenshots go to tests/artifacts/.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from dateline.api.testing import serve_in_thread, shared_fixture_store
from dateline.store import schema

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent / "fixtures" / "web"
ARTIFACTS = Path(__file__).parent / "artifacts"
STORY_A = ["a1-fisheries-talks-open.html", "a2-fisheries-talks-stall.html", "a3-fisheries-deal.html",
           "a4-fisheries-unions.html", "d1-coded-arica.json"]



@pytest.fixture(scope="module")
def site():
    app, answers = shared_fixture_store(FIXTURES)
    with serve_in_thread(app) as base:
        yield base, {name: a["id"] for name, a in answers.items()}, app


@pytest.fixture
def page(browser):
    """A fresh page that fails the test on any dialog (alert/confirm) or page error."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.dialogs = []
    tab.errors = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()
    assert tab.dialogs == [], f"a dialog fired: {tab.dialogs}"
    assert tab.errors == [], f"script errors: {tab.errors}"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# -- the analyst page ------------------------------------------------------------------


def test_analyst_page_loads_filters_and_highlights_evidence(page, site):
    base, ids, _ = site
    page.goto(base + "/")
    rows = page.locator("#events-table tbody tr[data-doc]")
    rows.first.wait_for()
    assert rows.count() >= 4
    # Filter the table to one type: every row left is of that type.
    page.select_option("#f-type", "ACCUSE")
    page.click("#filters button[type=submit]")
    page.wait_for_function("() => [...document.querySelectorAll('#events-table tbody tr[data-doc]')]"
                           ".every(r => r.dataset.type === 'ACCUSE')")
    types = page.eval_on_selector_all("#events-table tbody tr[data-doc]", "rows => rows.map(r => r.dataset.type)")
    assert types and set(types) == {"ACCUSE"}
    # Click the coded event: its evidence is highlighted in the article.
    page.locator(f"#events-table tbody tr[data-doc='{ids['d1-coded-arica.json']}']").first.click()
    evidence = page.locator("#article-view .hl.evidence")
    evidence.first.wait_for()
    text = "".join(evidence.all_text_contents())
    assert text.startswith("Peru accused Chile on Tuesday of breaking the anchovy quota agreement")
    assert page.locator("#article-view .headline").text_content() == (
        "Peru accuses Chile of breaking anchovy deal days after signing")
    shot(page, "analyst-filtered")


def test_timeline_and_network_render(page, site):
    base, _, _ = site
    page.goto(base + "/")
    page.locator("#timeline rect.bar").first.wait_for()
    page.locator("#network circle").first.wait_for()
    assert page.locator("#timeline rect.bar").count() >= 1
    assert page.locator("#network circle").count() >= 2
    assert page.locator("#network path.edge").count() >= 1
    colours = set(page.eval_on_selector_all("#network path.edge", "edges => edges.map(e => e.getAttribute('stroke'))"))
    assert len(colours) >= 2  # edges coloured by type
    page.locator("#negotiations .negotiation").first.wait_for()
    page.wait_for_timeout(300)
    shot(page, "analyst")


def test_script_article_is_shown_literally_and_runs_nothing(page, site):
    base, ids, _ = site
    for name in ("c2-xss.html", "c3-market-capture.txt"):
        page.goto(f"{base}/read/{ids[name]}")
        body = page.locator("#article-body").text_content()
        assert "<script>alert(1)</script>" in body or "<img src=x onerror=alert(1)>" in body
        assert page.locator("#article-body script, #article-body img").count() == 0
        # The analyst article view shows it literally too.
        page.goto(f"{base}/?doc={ids[name]}")
        page.locator("#article-view .headline").wait_for()
        assert page.locator("#article-view script, #article-view img").count() == 0
        view = page.locator("#article-view").text_content()
        assert "alert(1)" in view
    page.goto(f"{base}/read/{ids['c2-xss.html']}")
    assert "<script>alert(1)</script>" in page.locator("h1.headline").text_content()
    page.wait_for_timeout(300)
    shot(page, "reader-script-article")


# -- the reader ------------------------------------------------------------------------


def test_reader_home_article_related_and_author(page, site):
    base, ids, app = site
    page.goto(base + "/read")
    assert page.locator("#trending-now .trend").count() >= 1
    shot(page, "reader-home")
    # Follow a story-A article from the front page.
    target = ids["a3-fisheries-deal.html"]
    page.click(f"main a[href='/read/{target}']")
    page.wait_for_url(f"**/read/{target}")
    related = page.eval_on_selector_all("#related-news a.headline-link", "links => links.map(a => a.getAttribute('href'))")
    story_a = {f"/read/{ids[name]}" for name in STORY_A}
    assert related and related[0] in story_a
    assert page.locator("#latest-news li").count() >= 3
    assert page.locator("#trending-now .trend").count() >= 1
    assert page.locator("#trending-now svg.sparkline polyline").count() >= 1
    shot(page, "reader-article")
    # The author page counts the author's stored articles.
    author = page.locator("a.author").first
    name = author.text_content()
    author.click()
    page.wait_for_url(f"**/authors/{quote(name, safe='')}")
    with app.state.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(schema.document_authors)
                              .where(schema.document_authors.c.name == name)).scalar_one()
    assert int(page.locator("#post-count").text_content()) == stored
    assert page.locator("#profile-articles li").count() == stored
    shot(page, "reader-author")


def test_reader_highlight_click_shows_the_coding(page, site):
    base, ids, _ = site
    page.goto(f"{base}/read/{ids['d1-coded-arica.json']}")
    page.locator("#article-body .hl-event").first.click()
    panel = page.locator("#coding-panel")
    panel.wait_for(state="visible")
    text = panel.text_content()
    assert "ACCUSE" in text and "Peru" in text and "Chile" in text and "asserted" in text
    page.wait_for_timeout(200)
    shot(page, "reader-coding")
    # Highlights toggle off without JavaScript state: a checkbox.
    page.locator("label[for=hl-toggle]").click()
    colour = page.eval_on_selector("#article-body .hl-event", "el => getComputedStyle(el).backgroundColor")
    assert colour in ("rgba(0, 0, 0, 0)", "transparent")


def test_reader_works_without_javascript(browser, site):
    base, ids, _ = site
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(f"{base}/read/{ids['a2-fisheries-talks-stall.html']}")
        assert "Peru on Thursday rejected" in tab.locator("#article-body").text_content()
        assert tab.locator("#read-more a").count() == 1
        assert tab.locator("#latest-news li").count() >= 3
    finally:
        context.close()
