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
