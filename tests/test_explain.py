"""``dateline explain`` and its API routes: why each event was coded, and why triggers were dropped."""
from __future__ import annotations

import json

import pytest

from dateline.store import Store
from dateline.stories import on_documents_stored
from dateline.stories.explain import explain_document, explain_text

ARTICLE = """Talks Resume in Valletta

VALLETTA, March 4, 2025 — Serbia and Kosovo held talks in Valletta on Tuesday, officials said.
The weather in the harbour was mild and the cafes were full.
Protesters demanded the resignation of the mayor.
"""


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    from dateline.pipeline import process

    folder = tmp_path_factory.mktemp("explain")
    page = folder / "valletta.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    store = Store(f"sqlite:///{folder / 'x.db'}")
    [doc] = list(process([str(page)]))
    store.save(doc)
    on_documents_stored(store, [doc])
    return store, doc


def test_text_explains_the_event_and_every_sentence_without_one():
    answer = explain_text("Serbia and Kosovo held talks in Valletta on Tuesday. The cafes were full.", "2025-03-05")
    [event] = answer["events"]
    assert event["type"] == "CONSULT" and event["pattern"].startswith("consult.")
    assert event["argument_rule"]["via"] and event["argument_rule"]["source"]
    assert {a["country"] for a in event["source"] + event["target"]} == {"SRB", "XKX"}
    assert "Tuesday" in event["date"]
    parts = event["confidence"]["parts"]
    assert parts and abs(sum(p["weight"] for p in parts) - event["confidence"]["raw"]) < 1e-6
    quiet = [s for s in answer["sentences"] if s["note"]]
    assert [s["sentence"] for s in quiet] == ["The cafes were full."]


def test_text_says_why_a_trigger_was_dropped():
    answer = explain_text("Protesters demanded the resignation of the mayor.", "2025-03-05")
    assert answer["events"] == []
    [drop] = answer["dropped"]
    assert drop["trigger"] == "demanded" and drop["type"] == "REQUEST" and "political" in drop["reason"]


def test_stored_document_explains_events_story_and_merged_event(stored):
    store, doc = stored
    answer = explain_document(store, doc.id)
    assert answer["story"]["why"].startswith("a story of its own")
    consult = next(e for e in answer["events"] if e["type"] == "CONSULT")
    assert consult["merged"]["mentions"] == 1 and "no other article" in consult["merged"]["why"]
    assert "Valletta" in consult["place"]
    assert any(d["trigger"] == "demanded" for d in answer["dropped"])
    with pytest.raises(LookupError):
        explain_document(store, doc.id, event=99)


def test_cli_and_api(stored, cli):
    from fastapi.testclient import TestClient

    from dateline.api import create_app

    store, doc = stored
    shown = cli(["explain", doc.id, "--db", store.url])
    assert shown.exit_code == 0 and "pattern consult." in shown.output and "confidence" in shown.output
    one = cli(["explain", doc.id, "--event", "0", "--db", store.url, "--format", "json"])
    assert json.loads(one.output)["events"][0]["event"] == 0
    assert cli(["explain", "nosuchdoc", "--db", store.url]).exit_code == 1
    assert cli(["explain", "--db", store.url]).exit_code == 2
    client = TestClient(create_app(store.url))
    answer = client.get(f"/api/documents/{doc.id}/explain", params={"event": 0})
    assert answer.status_code == 200 and answer.json()["events"][0]["pattern"]
    assert client.get("/api/documents/nope/explain").status_code == 404
    typed = client.get("/api/explain", params={"text": "Protesters demanded the resignation of the mayor."})
    assert typed.status_code == 200 and typed.json()["dropped"][0]["trigger"] == "demanded"
