"""Analysts' corrections of stories: kept apart, re-applied after re-ingest and rebuild, undoable."""
from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

import dateline.cli.correct  # noqa: F401  (registers the command group)
from dateline.cli import app
from dateline.model import Actor, Article, Document, Place
from dateline.store import Store
from dateline.stories import corrections, on_documents_stored, rebuild
from dateline.stories.schema import story_documents


def _doc(title: str, body: str, person: tuple[str, str, str], place: Place, date: str = "2025-03-04") -> Document:
    key, name, country = person
    article = Article(title=title, outlet=title.split()[0], published=date, body=[body])
    return Document(doc=title, article=article, places=[place],
                    actors={key: Actor(id=key, name=name, kind="person", country=country, sector="GOV")})


def _stories(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return {r.doc_id: r.story_id for r in conn.execute(select(story_documents))}


def _two_unrelated(store: Store) -> tuple[Document, Document]:
    a = _doc("Northwind ferry strike", "Dockers in Kandara stopped the ferries, Amir Sadiq said.",
             ("amir-sadiq", "Amir Sadiq", "AFG"), Place("Kandara", "AFG"))
    b = _doc("Eastport bicycle duties", "Lena Vos announced duties on bicycles in Velmont.",
             ("lena-vos", "Lena Vos", "NLD"), Place("Velmont", "FRA"))
    for doc in (a, b):
        store.save(doc)
        on_documents_stored(store, [doc])
    return a, b


def test_merge_survives_reingest_and_rebuild_and_undo_restores(db_url):
    store = Store(db_url)
    a, b = _two_unrelated(store)
    before = _stories(store)
    assert before[a.id] != before[b.id]
    row = corrections.add(store, "merge-stories", {"docs": [a.id, b.id]}, author="analyst")
    assert len(set(_stories(store).values())) == 1
    on_documents_stored(store, [b])            # re-ingest of one named document
    assert len(set(_stories(store).values())) == 1
    rebuild(store)
    assert len(set(_stories(store).values())) == 1
    with store.engine.connect() as conn:
        reason = conn.execute(select(story_documents.c.link_reason).where(story_documents.c.doc_id == b.id)).scalar()
    assert reason == "corrected"
    assert corrections.undo(store, row["id"])
    after = _stories(store)
    assert after[a.id] != after[b.id]
    assert corrections.list_all(store) == []


def test_split_story_gives_the_document_its_own_story(db_url):
    store = Store(db_url)
    a, b = _two_unrelated(store)
    corrections.add(store, "merge-stories", {"docs": [a.id, b.id]})
    corrections.add(store, "split-story", {"docs": [b.id]})
    rebuild(store)
    rows = _stories(store)
    assert rows[b.id] == b.id and rows[a.id] != b.id


def test_cli_lists_and_undoes_with_one_line_errors(db_url):
    store = Store(db_url)
    a, b = _two_unrelated(store)
    stories = _stories(store)
    runner = CliRunner()
    result = runner.invoke(app, ["correct", "merge-stories", stories[a.id], stories[b.id], "--db", db_url,
                                 "--by", "kim", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["correct", "list", "--db", db_url, "--format", "jsonl"])
    assert '"merge-stories"' in listed.output and '"kim"' in listed.output
    missing = runner.invoke(app, ["correct", "undo", "999", "--db", db_url])
    assert missing.exit_code == 1
    assert runner.invoke(app, ["correct", "split-story", "nope", "--db", db_url]).exit_code == 1


def test_move_position_gives_the_stance_to_the_other_party(db_url):
    from sqlalchemy import insert

    from dateline.stories.schema import negotiation_positions as table

    store = Store(db_url)
    a, _ = _two_unrelated(store)
    with store.engine.begin() as conn:
        position_id = conn.execute(insert(table).values(doc_id=a.id, origin="quote", idx=0, party="UKR",
                                                        issue="territory", stance="demand")).inserted_primary_key[0]
    key = corrections.position_key(store, position_id)
    corrections.add(store, "move-position", {**key, "to": "RUS"})
    with store.engine.connect() as conn:
        assert conn.execute(select(table.c.party).where(table.c.id == position_id)).scalar() == "RUS"


# -- merged events -----------------------------------------------------------------------

def _talks_doc(name: str, date: str, evidence: str, outlet: str):
    from dateline.model import ActorRef, Event

    article = Article(title=name, outlet=outlet, published="2025-07-30", body=[evidence + "."])
    event = Event(type="CONSULT", source=[ActorRef("Russia", "RUS")], target=[ActorRef("Ukraine", "UKR")],
                  date=date, evidence=evidence, start=0, end=len(evidence), confidence=0.8)
    return Document(doc=name, article=article, events=[event])


def _merged_ids(store: Store) -> dict[str, str]:
    from dateline.stories.schema import event_mentions as em

    with store.engine.connect() as conn:
        return {f"{r.doc_id}-{r.idx}": r.merged_id for r in conn.execute(select(em.c.doc_id, em.c.idx, em.c.merged_id))}


def _two_reports(store: Store) -> tuple[str, str]:
    a = _talks_doc("Talks open", "2025-07-23", "Russia and Ukraine held talks in Istanbul on Wednesday", "One")
    b = _talks_doc("Closed doors", "2025-07-24", "Delegations sat behind closed doors near the Bosphorus", "Two")
    for doc in (a, b):
        store.save(doc)
        on_documents_stored(store, [doc])
    return f"{a.id}-0", f"{b.id}-0"


def test_merge_and_split_merged_events_survive_reingest_and_rebuild(db_url):
    store = Store(db_url)
    a, b = _two_reports(store)
    assert len(set(_merged_ids(store).values())) == 2
    merged = corrections.add(store, "merge-events", corrections.resolve(store, "merge-events", event=a, other_event=b))
    assert len(set(_merged_ids(store).values())) == 1
    doc_b = store.get(b.rsplit("-", 1)[0])
    on_documents_stored(store, [doc_b])          # re-ingest of the joined report
    assert len(set(_merged_ids(store).values())) == 1
    rebuild(store)
    assert len(set(_merged_ids(store).values())) == 1
    from dateline.stories import queries

    assert [r["mentions"] for r in queries.timeline(store)] == [2]
    corrections.add(store, "split-event", corrections.resolve(store, "split-event", event=b))
    rebuild(store)
    assert len(set(_merged_ids(store).values())) == 2
    assert corrections.undo(store, merged["id"])  # the split stays; undoing the merge changes nothing more
    assert len(set(_merged_ids(store).values())) == 2


def test_export_flags_corrected_events(db_url, tmp_path):
    import csv

    from dateline.export import export

    store = Store(db_url)
    a, b = _two_reports(store)
    corrections.add(store, "merge-events", corrections.resolve(store, "merge-events", event=a, other_event=b))
    out = tmp_path / "events.csv"
    with out.open("wb") as handle:
        export(store, "events", "csv", handle)
    rows = {r["event_id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows[a]["corrected"] == "merge-events" and rows[b]["corrected"] == "merge-events"


def test_cli_merges_and_splits_events(db_url):
    store = Store(db_url)
    a, b = _two_reports(store)
    runner = CliRunner()
    assert runner.invoke(app, ["correct", "merge-events", a, b, "--db", db_url]).exit_code == 0
    assert len(set(_merged_ids(store).values())) == 1
    assert runner.invoke(app, ["correct", "split-event", b, "--db", db_url]).exit_code == 0
    assert len(set(_merged_ids(store).values())) == 2
    bad = runner.invoke(app, ["correct", "split-event", "nope-3", "--db", db_url])
    assert bad.exit_code == 1 and "Traceback" not in bad.output


def test_api_corrections_need_the_token_and_apply(db_url):
    from fastapi.testclient import TestClient

    from dateline.api import create_app
    from dateline.api.auth import AuthSettings

    store = Store(db_url)
    a, b = _two_reports(store)
    client = TestClient(create_app(db_url, auth=AuthSettings(token="s3cret")))
    body = {"kind": "merge-events", "event": a, "other_event": b, "by": "kim"}
    assert client.post("/api/corrections", json=body).status_code == 401
    auth = {"Authorization": "Bearer s3cret"}
    answer = client.post("/api/corrections", json=body, headers=auth)
    assert answer.status_code == 200 and answer.json()["author"] == "kim"
    assert len(set(_merged_ids(store).values())) == 1
    assert client.post("/api/corrections", json={"kind": "split-event", "event": "nope-1"}, headers=auth).status_code == 404
    assert client.post("/api/corrections", json={"kind": "split-event"}, headers=auth).status_code == 422
    assert client.post("/api/corrections", json={"kind": "bogus"}, headers=auth).status_code == 422
    listed = client.get("/api/corrections", headers=auth).json()["items"]
    assert [c["kind"] for c in listed] == ["merge-events"]
    assert client.delete(f"/api/corrections/{listed[0]['id']}", headers=auth).status_code == 200
    assert len(set(_merged_ids(store).values())) == 2
    assert client.delete("/api/corrections/999", headers=auth).status_code == 404


def test_tracker_positions_carry_their_id_and_move_through_the_api(db_url):
    import sys
    from pathlib import Path

    from fastapi.testclient import TestClient

    from dateline.api import create_app

    sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "stories"))
    import articles as fixture

    store = Store(db_url)
    for doc in fixture.build_documents():
        store.save(doc)
        on_documents_stored(store, [doc])
    client = TestClient(create_app(db_url))
    tracks = client.get("/api/negotiations", params={"dyad": "RUS-UKR"}).json()["items"]
    position = next(p for t in tracks for p in t["positions"] if p["party"] == "UKR" and p.get("position_id"))
    moved = client.post("/api/corrections", json={"kind": "move-position", "position": position["position_id"],
                                                  "to": "RUS"})
    assert moved.status_code == 200 and moved.json()["detail"]["to"] == "RUS"
    assert client.post("/api/corrections", json={"kind": "move-position", "position": 99999, "to": "RUS"}).status_code == 404
