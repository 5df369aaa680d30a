"""The store on SQLite and PostgreSQL alike: idempotent upserts, resume bookkeeping,
hostile values, parity between the two, and concurrent writers."""
from __future__ import annotations

import subprocess
import threading

from sqlalchemy import func, select
from test_store_support import (  # noqa: F401
    DATELINE,
    ROOT,
    make_document,
    make_documents,
    pg_url,
    store_url,
    write_articles,
)

from dateline.store import Store, schema
from dateline.store.repository import InputKey


def child_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (schema.documents, schema.entities, schema.quotes, schema.events, schema.document_authors)}


def test_save_twice_stores_once_and_replaces_children(store_url):
    store = Store(store_url)
    docs = make_documents(6)
    assert store.save_many(docs) == [True] * 6
    first = child_counts(store)
    assert store.save_many(docs + docs[:2]) == [False] * 8
    assert child_counts(store) == first
    assert first["documents"] == 6 and first["events"] == 9 and first["quotes"] == 6


def test_round_trip_and_lookup(store_url):
    store = Store(store_url)
    doc = make_document(3)
    store.save(doc)
    assert store.get(doc.id) == doc
    assert store.get(doc.id[:8]) == doc
    assert store.get("doc-3.txt") == doc
    assert [d.id for d in store.iter_documents(batch=1)] == [doc.id]
    store.delete(doc.id)
    assert store.count() == 0 and child_counts(store)["events"] == 0


def test_resave_keeps_first_ingest_time(store_url):
    store = Store(store_url)
    doc = make_document(1)
    store.save(doc)
    with store.engine.connect() as conn:
        before = conn.execute(select(schema.documents.c.ingested_at)).scalar_one()
    doc.article.title = "Changed title"
    store.save(doc)
    assert store.get(doc.id).article.title == "Changed title"
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.documents.c.ingested_at)).scalar_one() == before


def test_inputs_are_marked_done_with_their_batch(store_url):
    store = Store(store_url)
    keys = [InputKey(f"k{i}", f"/data/{i}.txt", 100 + i, 10**18 + i) for i in range(3)]
    store.save_many(make_documents(2), keys[:2])
    assert store.done_inputs(k.key for k in keys) == {"k0", "k1"}
    store.mark_inputs_done(keys)  # again, plus one: no conflict
    assert store.done_inputs(k.key for k in keys) == {"k0", "k1", "k2"}


def test_hostile_values_fit_every_database(store_url):
    """Over-long outlet names, NUL characters, right-to-left text and emoji never fail a batch."""
    store = Store(store_url)
    doc = make_document(5)
    doc.article.outlet = "O" * 5000
    doc.article.title = "nul\x00inside \u202eRTL\u202c and emoji \U0001F600"
    doc.article.authors = ["x" * 400]
    doc.events[0].source[0].country = "TOO-LONG-CODE"
    assert store.save_many([doc, make_document(6)]) == [True, True]
    stored = store.get(doc.id)
    assert stored.article.title.startswith("nul")  # the JSON keeps the text; columns are cleaned
    assert store.count() == 2


def test_sqlite_and_postgresql_hold_the_same_documents(tmp_path, pg_url):
    docs = make_documents(10)
    sqlite = Store(f"sqlite:///{tmp_path / 'a.db'}")
    postgres = Store(pg_url)
    for store in (sqlite, postgres):
        store.save_many(docs[:6])
        store.save_many(docs[4:])
    assert [d.to_dict() for d in sqlite.iter_documents()] == [d.to_dict() for d in postgres.iter_documents()]
    assert child_counts(sqlite) == child_counts(postgres)
    assert sqlite.events().to_pandas().drop(columns=[]).equals(postgres.events().to_pandas())


def test_concurrent_threads_writing_overlapping_batches(store_url):
    """Batches sharing documents, written at once: no duplicate, no deadlock."""
    store = Store(store_url)
    docs = make_documents(30)
    errors: list[BaseException] = []

    def write(offset: int) -> None:
        try:
            for start in range(0, 30, 5):
                chunk = docs[(start + offset) % 30:(start + offset) % 30 + 5] + docs[:2]
                store.save_many(list(reversed(chunk)) if offset % 2 else chunk)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i * 5,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    counts = child_counts(store)
    assert counts["documents"] == 30 and counts["quotes"] == 30 and counts["events"] == 45


def test_two_ingest_processes_on_one_postgresql_do_not_duplicate(tmp_path, pg_url):
    inputs = tmp_path / "inputs"
    write_articles(inputs, 24)
    command = [DATELINE, "ingest", str(inputs), "--db", pg_url,
               "--no-nlp", "--workers", "1", "--batch-size", "3", "--format", "jsonl"]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outcomes = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    assert all(code == 0 for code, _ in outcomes), outcomes
    store = Store(pg_url)
    counts = child_counts(store)
    assert counts["documents"] == 24
    with store.engine.connect() as conn:
        ids = conn.execute(select(schema.documents.c.id)).scalars().all()
    assert len(set(ids)) == len(ids) == 24
    assert not any("error:" in err or "Violation" in err for _, err in outcomes), outcomes
    from dateline.stories.schema import story_documents

    with store.engine.connect() as conn:
        filed = conn.execute(select(story_documents.c.doc_id)).scalars().all()
    assert sorted(filed) == sorted(ids)  # each document filed into the stories tables once
