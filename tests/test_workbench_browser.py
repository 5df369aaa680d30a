"""The workbench on the analyst page in Debian's chromium: map, aggregates chart, review
flow and CSV download, over invented documents. Screenshots go to tests/artifacts/."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dateline.api.testing import serve_in_thread
from dateline.store import Store
from test_workbench_support import fill, sample_documents

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts"



@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from dateline.api import create_app

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('wb') / 'wb.db'}")
    fill(store)
    app = create_app(store.url)
    with serve_in_thread(app) as base:
        yield base, store


def open_page(browser, base, width=1400, height=1000):
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.goto(base + "/")
    tab.wait_for_selector("#map circle.place")
    tab.wait_for_selector("#aggregates rect.bar")
    return context, tab


def test_map_aggregates_and_screenshots(browser, site):
    base, _ = site
    ARTIFACTS.mkdir(exist_ok=True)
    context, tab = open_page(browser, base)
    assert tab.locator("#map path.land").count() > 100          # the world, offline
    assert tab.locator("#map circle.place").count() == 3         # Lima, Arica, La Paz
    tab.locator('#map circle[data-place="Arica"]').click()
    tab.wait_for_selector("#map-events li")
    assert tab.locator("#map-events li").count() == 2
    assert tab.locator("#aggregates rect.bar").count() >= 3
    assert tab.locator("#aggregates polyline.volume").count() == 1
    tab.screenshot(path=str(ARTIFACTS / "workbench-1400.png"), full_page=True)
    assert tab.errors == []
    context.close()
    context, phone = open_page(browser, base, 390, 844)
    phone.screenshot(path=str(ARTIFACTS / "workbench-phone.png"), full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways on a phone ({width}px)"
    context.close()


def test_review_flow_and_csv_download(browser, site):
    base, store = site
    context, tab = open_page(browser, base)
    tab.wait_for_selector("#events-table tbody tr[data-doc]")
    tab.locator('#events-table tr[data-doc="a1"][data-idx="1"]').click()
    tab.wait_for_selector("#review-panel:not([hidden])")
    tab.select_option("#review-type", "THREATEN")
    tab.click("#review-edit")
    tab.wait_for_selector("#review-status:has-text('edited by')")

    tab.reload()
    tab.wait_for_selector("#events-table tbody tr[data-doc]")
    tab.locator('#events-table tr[data-doc="a1"][data-idx="1"]').click()
    tab.wait_for_selector("#review-status:has-text('edited by')")
    assert "THREATEN" in tab.text_content("#review-status")

    # Re-ingest keeps the review; the download of the current filter shows it.
    for doc in sample_documents():
        store.save(doc)
    with tab.expect_download() as info:
        tab.click("#download-csv")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    rows = {r["event_id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["a1-1"]["type"] == "THREATEN" and rows["a1-1"]["review_status"] == "edited"
    tab.screenshot(path=str(ARTIFACTS / "workbench-review-1400.png"), full_page=True)
    assert tab.errors == []
    context.close()


def test_timeline_is_not_stretched_by_one_outlying_date(browser, tmp_path):
    from dateline.api import create_app
    from dateline.stories import on_documents_stored
    from test_workbench_support import document, event

    store = Store(f"sqlite:///{tmp_path / 'outlier.db'}")
    docs = [document(f"o{n}", f"2025-07-{n + 1:02d}", [event("CONSULT", "PER", "CHL", f"2025-07-{n + 1:02d}")])
            for n in range(25)]
    docs.append(document("old", "2025-07-26", [event("ACCUSE", "BOL", "CHL", "2015-12-01")]))
    for doc in docs:
        store.save(doc)
        on_documents_stored(store, [doc])
    with serve_in_thread(create_app(store.url)) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        tab = context.new_page()
        tab.goto(base + "/")
        tab.wait_for_selector("#timeline rect.bar")
        note = tab.text_content("#timeline-note")
        assert "2015" not in note and "1 outlying event not shown" in note, note
        tab.fill("#f-from", "2015-01-01")
        tab.click("#filters button[type=submit]")
        tab.wait_for_selector("#timeline-note:has-text('2015')")
        context.close()


def test_corrections_dyad_chart_and_network_labels(browser, site):
    base, store = site
    context, tab = open_page(browser, base)
    # The series is per dyad: pick one of the busiest.
    options = tab.eval_on_selector_all("#aggregates-dyad option", "os => os.map(o => o.value)")
    assert "CHL-PER" in options
    tab.select_option("#aggregates-dyad", "CHL-PER")
    tab.wait_for_selector("#aggregates-note:has-text('CHL – PER')")
    # One node per canonical actor, each label drawn once.
    tab.wait_for_selector("#network circle")
    labels = tab.eval_on_selector_all("#network g.node text", "ts => ts.map(t => t.textContent)")
    assert labels and len(labels) == len(set(labels)) and "Peru" in labels
    # Split a report from its merged event, see the correction, undo it.
    tab.wait_for_selector("#events-table tbody tr[data-doc]")
    tab.locator('#events-table tr[data-doc="a2"][data-idx="0"]').click()
    tab.wait_for_selector("#review-panel:not([hidden])")
    tab.click("#correct-split-event")
    tab.wait_for_selector("#correct-status:has-text('split-event')")
    tab.wait_for_selector("#corrections-list li:has-text('split-event')")
    tab.screenshot(path=str(ARTIFACTS / "workbench-corrections-1400.png"), full_page=True)
    tab.locator("#corrections-list li button").first.click()
    tab.wait_for_selector("#correct-status:has-text('undid')")
    tab.wait_for_selector("#corrections-list li.empty")
    assert tab.errors == []
    context.close()
