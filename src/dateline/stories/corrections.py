"""Analysts' corrections of the cross-article structure, kept apart from the machine's output.

A correction names documents, never derived ids (story ids and position ids change when
``rebuild`` refiles), so it still applies after re-ingest and ``dateline stories --rebuild``:
``on_documents_stored`` applies the corrections naming the filed documents, ``rebuild``
applies all of them at its end. Deleting a correction (``undo``) rebuilds the stories tables (the cost of a rebuild).

Kinds (``detail`` keys):
- ``merge-stories``  {"docs": [a, b]}: every document of b's story joins a's story;
- ``split-story``    {"docs": [d]}: d leaves its story for a story of its own;
- ``move-position``  {"docs": [d], "origin", "idx", "party", "to"}: the stance stated at
                     (origin, idx) of d belongs to ``to``, not ``party``.
Merging and splitting merged events is not built yet.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Integer, String, Table, Text, delete, insert, select, update

from dateline.store.schema import metadata

KINDS = ("merge-stories", "split-story", "move-position")

story_corrections = Table(
    "story_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(24), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("docs", JSON, nullable=False),              # the documents it names (applied when they are filed)
    Column("author", Text),
    Column("created", String(32), nullable=False),
)


def ensure_table(store: Any) -> None:
    metadata.create_all(store.engine, tables=[story_corrections])


def add(store: Any, kind: str, detail: dict[str, Any], author: str | None = None) -> dict[str, Any]:
    """Store one correction and apply it now; its row."""
    if kind not in KINDS:
        raise ValueError(f"unknown correction kind {kind!r} (kinds: {', '.join(KINDS)})")
    ensure_table(store)
    row = {"kind": kind, "detail": detail, "docs": list(detail["docs"]), "author": author,
           "created": datetime.now(UTC).isoformat(timespec="seconds")}
    with store.engine.begin() as conn:
        row["id"] = conn.execute(insert(story_corrections).values(**row)).inserted_primary_key[0]
        _apply_one(conn, row)
    return row


def list_all(store: Any) -> list[dict[str, Any]]:
    ensure_table(store)
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(story_corrections).order_by(story_corrections.c.id))]


def undo(store: Any, correction_id: int) -> bool:
    """Delete a correction and rebuild, so the machine's output returns (refiling only the
    named documents would keep the story they were put in: filing keeps a stored row's story)."""
    from dateline.stories import rebuild

    ensure_table(store)
    c = story_corrections.c
    with store.engine.begin() as conn:
        row = conn.execute(select(story_corrections).where(c.id == correction_id)).first()
        if row is None:
            return False
        conn.execute(delete(story_corrections).where(c.id == correction_id))
    rebuild(store)
    return True


def apply_for(conn: Any, doc_ids: Iterable[str] | None = None) -> None:
    """Apply, in order, the corrections naming any of ``doc_ids`` (all when None)."""
    wanted = None if doc_ids is None else set(doc_ids)
    metadata.create_all(conn, tables=[story_corrections])
    for row in conn.execute(select(story_corrections).order_by(story_corrections.c.id)):
        if wanted is None or wanted & set(row.docs):
            _apply_one(conn, dict(row._mapping))


def _apply_one(conn: Any, row: dict[str, Any]) -> None:
    {"merge-stories": _merge_stories, "split-story": _split_story,
     "move-position": _move_position}[row["kind"]](conn, row["detail"])


def _story_of(conn: Any, doc_id: str) -> str | None:
    from dateline.stories.schema import story_documents

    return conn.execute(select(story_documents.c.story_id).where(story_documents.c.doc_id == doc_id)).scalar()


def _merge_stories(conn: Any, detail: dict[str, Any]) -> None:
    from dateline.stories import clusters
    from dateline.stories.schema import story_documents

    keep, other = (_story_of(conn, d) for d in detail["docs"])
    if not keep or not other or keep == other:
        return
    sd = story_documents.c
    for (doc_id,) in conn.execute(select(sd.doc_id).where(sd.story_id == other)).all():
        clusters.set_story(conn, doc_id, keep)
        conn.execute(update(story_documents).where(sd.doc_id == doc_id)
                     .values(link_reason="corrected", link_detail="merged by an analyst"))
    clusters.refresh_story(conn, keep)
    clusters.refresh_story(conn, other)


def _split_story(conn: Any, detail: dict[str, Any]) -> None:
    from dateline.stories import clusters
    from dateline.stories.schema import story_documents

    doc_id = detail["docs"][0]
    old = _story_of(conn, doc_id)
    if old is None or old == doc_id:
        return
    clusters.set_story(conn, doc_id, doc_id)
    conn.execute(update(story_documents).where(story_documents.c.doc_id == doc_id)
                 .values(link_reason="corrected", link_score=None, link_detail="split off by an analyst"))
    clusters.refresh_story(conn, doc_id)
    clusters.refresh_story(conn, old)


def _move_position(conn: Any, detail: dict[str, Any]) -> None:
    from dateline.stories.schema import negotiation_positions as table

    p = table.c
    conn.execute(update(table).where(p.doc_id == detail["docs"][0], p.origin == detail["origin"],
                                     p.idx == detail["idx"], p.party == detail["party"])
                 .values(party=detail["to"]))


def position_key(store: Any, position_id: int) -> dict[str, Any] | None:
    """The document-based key of a stored position (its id changes on rebuild)."""
    from dateline.stories.schema import negotiation_positions as table

    with store.engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == position_id)).first()
    if row is None:
        return None
    return {"docs": [row.doc_id], "origin": row.origin, "idx": row.idx, "party": row.party}
