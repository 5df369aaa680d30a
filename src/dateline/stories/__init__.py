"""The stories stage: what holds across articles.

- near-duplicate and syndicated articles (MinHash/LSH, ``dedup``) and story clusters
  (``clusters``), with a canonical version per story;
- merged events: one happening reported by many articles, every mention kept as
  provenance, GDELT-like counts (``merge``);
- negotiation positions per party and issue, from events and quotes (``positions``);
- read functions for the CLI, the API and the web page (``queries``).

The store calls ``on_documents_stored(store, documents)`` after each committed batch
(through its hooks: ``dateline.stories.hooks`` is a default store plugin), so no writer
calls it by hand; what the stage needs of the run's settings it reads from
``store.settings.stories`` (the user's extra issue cues). It is incremental: candidates
come from indexed lookups (LSH band keys, type + dyad + date window), never from a scan
of the archive.
Re-storing a document first removes its contributions, so mentions never double
count; an exact re-post (same body under another id) adds provenance, not mentions.
``forget_document(store, doc_id)`` takes a deleted document out of these tables;
``rebuild(store)`` recomputes them all from the stored documents (after editing the
issue cues, or when an older table layout is found).

Tables: ``dateline.stories.schema`` (its own metadata; ``ensure_tables`` creates them
when a store opens, through the plugin's ``setup``).
"""
from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

from dateline.model import Document
from dateline.settings import StoriesSettings

# The engines whose stories tables are known to exist. Weak references, not id(): a
# collected engine's id is reused by the next one, which then skipped creating its tables
# ("no such table: story_documents", seen once in a full test run).
_READY: "weakref.WeakSet[Any]" = weakref.WeakSet()


def ensure_tables(store: Any) -> None:
    """Create the stories tables on ``store``'s database once per engine; tables of an
    older layout are rebuilt from the stored documents (they only hold derived data)."""
    if store.engine in _READY:
        return
    from sqlalchemy import inspect

    from dateline.stories.schema import TABLES, metadata

    # Two processes opening one PostgreSQL store at once would both issue the DDL (and one
    # fail on a duplicate type); the writers' advisory lock makes the second wait and see
    # the tables the first made.
    with store.engine.begin() as conn:
        _serialise_writers(conn)
        inspector = inspect(conn)
        outdated = [t for t in TABLES if inspector.has_table(t.name) and
                    {c.name for c in t.columns} - {c["name"] for c in inspector.get_columns(t.name)}]
        if outdated:
            metadata.drop_all(conn, tables=list(TABLES))
        metadata.create_all(conn, tables=list(TABLES))
    _READY.add(store.engine)
    if outdated:
        rebuild(store)


def rebuild(store: Any, batch: int = 200) -> int:
    """Recompute every stories table from the stored documents (after a layout change or
    an edit of the issue cues); returns the number of documents filed."""
    from sqlalchemy import delete

    from dateline.stories.schema import TABLES

    ensure_tables(store)
    with store.engine.begin() as conn:
        for table in reversed(TABLES):
            conn.execute(delete(table))
    filed = 0
    pending: list[Document] = []
    # Oldest article first, so canonical versions and stance changes come in date order.
    for document in sorted(store.iter_documents(), key=lambda d: (d.article.anchor_date or "9999", d.id)):
        pending.append(document)
        if len(pending) >= batch:
            on_documents_stored(store, pending, corrected=False)
            filed += len(pending)
            pending = []
    on_documents_stored(store, pending, corrected=False)
    from dateline.stories import corrections

    with store.engine.begin() as conn:
        corrections.apply_for(conn)
    return filed + len(pending)


def on_documents_stored(store: Any, documents: Sequence[Document], corrected: bool = True) -> None:
    """Update the cross-article tables incrementally after ``documents`` were stored.

    Called by every writer (the ingest command, the batch runner, the API) after each
    committed batch; never recomputes the whole archive. One transaction per batch.
    """
    if not documents:
        return
    ensure_tables(store)
    settings = stories_settings(store)
    with store.engine.begin() as conn:
        _serialise_writers(conn)
        for document in documents:
            file_document(conn, document, settings)
        if corrected:  # analysts' corrections naming these documents outlive refiling
            from dateline.stories import corrections

            corrections.apply_for(conn, [d.id for d in documents])


# Any fixed number: the key of the PostgreSQL advisory lock that stories writers share.
_STORIES_LOCK = 0x5D47E11E


def _serialise_writers(conn: Any) -> None:
    """Let one writer at a time file documents into the cross-article tables.

    Filing reads and updates shared rows (clusters, merged-event counts), so two ingest
    processes on one PostgreSQL would race on them; the transaction-scoped advisory lock
    queues them instead. On SQLite the write lock is taken at once (BEGIN IMMEDIATE), so
    two writers (threads of one process saving through the store's hooks) queue on the
    busy timeout instead of both reading before either writes."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    if conn.dialect.name == "postgresql":
        from sqlalchemy import text

        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _STORIES_LOCK})


def stories_settings(store: Any) -> StoriesSettings:
    """The stories part of the settings the store was opened with (the packaged defaults
    for a bare engine or connection, which carry none)."""
    settings = getattr(store, "settings", None)
    return settings.stories if settings is not None else StoriesSettings()


def file_document(conn: Any, doc: Document, settings: StoriesSettings | None = None) -> None:
    """Place one stored document: duplicates, story, merged events, positions."""
    from dateline.stories import clusters, dedup, merge

    issues_file = (settings or StoriesSettings()).issues_file
    match = dedup.register(conn, doc)
    clusters.set_story(conn, doc.id, match.story_id)
    merged_ids = merge.merge_document(conn, doc, match.exact_of, issues_file)
    clusters.link_by_events(conn, doc.id, doc.article.anchor_date, merged_ids)
    story_id = clusters.link_by_topic(conn, doc.id)
    clusters.refresh_story(conn, story_id)
    _write_positions(conn, doc, counted=match.exact_of is None, issues_file=issues_file)


def _write_positions(conn: Any, doc: Document, counted: bool, issues_file: str | None) -> None:
    from sqlalchemy import delete, insert, select

    from dateline.stories.positions import positions_of
    from dateline.stories.schema import event_mentions
    from dateline.stories.schema import negotiation_positions as table

    conn.execute(delete(table).where(table.c.doc_id == doc.id))
    e = event_mentions.c
    merged = {r.idx: r.merged_id for r in conn.execute(select(e.idx, e.merged_id).where(e.doc_id == doc.id))}
    rows = [vars(p) for p in positions_of(doc, counted=counted, merged_ids=merged, issues_file=issues_file)]
    if rows:
        conn.execute(insert(table), rows)


def forget_document(store: Any, doc_id: str) -> None:
    """Remove a deleted document from the stories tables (its merged events are recomputed)."""
    from sqlalchemy import delete, select

    from dateline.stories import clusters, merge
    from dateline.stories.schema import negotiation_positions, story_bands, story_documents

    ensure_tables(store)
    with store.engine.begin() as conn:
        sd = story_documents.c
        story_id = conn.execute(select(sd.story_id).where(sd.doc_id == doc_id)).scalar()
        merge.remove_document(conn, doc_id)
        conn.execute(delete(negotiation_positions).where(negotiation_positions.c.doc_id == doc_id))
        conn.execute(delete(story_bands).where(story_bands.c.doc_id == doc_id))
        conn.execute(delete(story_documents).where(sd.doc_id == doc_id))
        if story_id:
            clusters.refresh_story(conn, story_id)
