"""Analysts' corrections of the cross-article structure, kept apart from the machine's output.

A correction names documents, never derived ids (story ids and position ids change when
``rebuild`` refiles), so it still applies after re-ingest and ``dateline stories --rebuild``:
``on_documents_stored`` applies the corrections naming the filed documents, ``rebuild``
applies all of them at its end. Deleting a correction (``undo``) rebuilds the stories tables (the cost of a rebuild).

Kinds (``detail`` keys):
- ``merge-stories``  {"docs": [a, b]}: every document of b's story joins a's story;
- ``split-story``    {"docs": [d]}: d leaves its story for a story of its own;
- ``move-position``  {"docs": [d], "origin", "idx", "party", "to"}: the stance stated at
                     (origin, idx) of d belongs to ``to``, not ``party``;
- ``merge-events``   {"docs": [a, b], "mentions": [[a, i], [b, j]]}: the merged event holding
                     event j of b joins the one holding event i of a (one happening);
- ``split-event``    {"docs": [d], "mentions": [[d, i]]}: event i of d leaves its merged event
                     for one of its own (another happening).
Mentions are named by (document, event index), never by merged id: merged ids are derived.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Integer, String, Table, Text, delete, insert, select, update

from dateline.store.schema import metadata

KINDS = ("merge-stories", "split-story", "move-position", "merge-events", "split-event")

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
    {"merge-stories": _merge_stories, "split-story": _split_story, "move-position": _move_position,
     "merge-events": _merge_events, "split-event": _split_event}[row["kind"]](conn, row["detail"])


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


def _merged_of(conn: Any, doc_id: str, idx: int) -> str | None:
    from dateline.stories.schema import event_mentions

    e = event_mentions.c
    return conn.execute(select(e.merged_id).where(e.doc_id == doc_id, e.idx == idx)).scalar()


def _move_mentions(conn: Any, where: Any, to: str) -> None:
    """Point the selected mentions (and their events' rows) at merged event ``to``."""
    from dateline.store.schema import events
    from dateline.stories.schema import event_mentions

    moved = conn.execute(select(event_mentions.c.doc_id, event_mentions.c.idx).where(where)).all()
    conn.execute(update(event_mentions).where(where).values(merged_id=to))
    for doc_id, idx in moved:
        conn.execute(update(events).where(events.c.doc_id == doc_id, events.c.idx == idx).values(merged_id=to))


def _merge_events(conn: Any, detail: dict[str, Any]) -> None:
    from dateline.stories import merge
    from dateline.stories.schema import event_mentions

    (doc_a, idx_a), (doc_b, idx_b) = detail["mentions"]
    keep, other = _merged_of(conn, doc_a, idx_a), _merged_of(conn, doc_b, idx_b)
    if not keep or not other or keep == other:
        return
    _move_mentions(conn, event_mentions.c.merged_id == other, keep)
    merge.refresh(conn, keep)
    merge.refresh(conn, other)


def split_event_id(doc_id: str, idx: int) -> str:
    """The merged id of a mention split off by an analyst (stable: undo and re-apply agree)."""
    import hashlib

    return hashlib.sha1(f"split:{doc_id}:{idx}".encode()).hexdigest()[:16]


def _split_event(conn: Any, detail: dict[str, Any]) -> None:
    from dateline.stories import merge
    from dateline.stories.schema import event_mentions

    doc_id, idx = detail["mentions"][0]
    old, new = _merged_of(conn, doc_id, idx), split_event_id(doc_id, idx)
    if not old or old == new:
        return
    e = event_mentions.c
    _move_mentions(conn, (e.doc_id == doc_id) & (e.idx == idx), new)
    merge.refresh(conn, new)
    merge.refresh(conn, old)


def corrected_events(conn: Any) -> dict[str, list[str]]:
    """Event id ("<doc_id>-<idx>") -> the kinds of corrections that changed its merging, its
    stance or its document's story (what exports flag in ``corrected``)."""
    from sqlalchemy import inspect

    from dateline.store.schema import events

    if not inspect(conn).has_table(story_corrections.name):  # a read-only store nobody corrected
        return {}
    rows = conn.execute(select(story_corrections.c.kind, story_corrections.c.detail)).all()
    if not rows:
        return {}
    flagged: dict[str, list[str]] = {}

    def flag(event_id: str, kind: str) -> None:
        kinds = flagged.setdefault(event_id, [])
        if kind not in kinds:
            kinds.append(kind)

    story_docs = {d: kind for kind, detail in rows if kind in ("merge-stories", "split-story") for d in detail["docs"]}
    for kind, detail in rows:
        if kind in ("merge-events", "split-event"):
            for doc_id, idx in detail["mentions"]:
                flag(f"{doc_id}-{idx}", kind)
        elif kind == "move-position" and detail.get("origin") == "event":
            flag(f"{detail['docs'][0]}-{detail['idx']}", kind)
    if story_docs:
        e = events.c
        for doc_id, idx in conn.execute(select(e.doc_id, e.idx).where(e.doc_id.in_(sorted(story_docs)))):
            flag(f"{doc_id}-{idx}", story_docs[doc_id])
    return flagged


def position_key(store: Any, position_id: int) -> dict[str, Any] | None:
    """The document-based key of a stored position (its id changes on rebuild)."""
    from dateline.stories.schema import negotiation_positions as table

    with store.engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == position_id)).first()
    if row is None:
        return None
    return {"docs": [row.doc_id], "origin": row.origin, "idx": row.idx, "party": row.party}


def resolve(store: Any, kind: str, *, story: str | None = None, other_story: str | None = None,
            doc_id: str | None = None, event: str | None = None, other_event: str | None = None,
            position: int | None = None, to: str | None = None) -> dict[str, Any]:
    """The document-based ``detail`` of a correction named as users see things (story ids,
    event ids "<doc>-<idx>", position ids); LookupError names what is missing."""
    def need(value: Any, name: str) -> Any:
        if value in (None, ""):
            raise LookupError(f"{kind} needs {name}")
        return value

    if kind == "merge-stories":  # the other story by its id, or by one of its articles (doc_id)
        other = doc_id if doc_id and not other_story else story_doc(store, need(other_story, "other_story or doc_id"))
        if not store.has(other):
            raise LookupError(f"document {other}: not in the store")
        return {"docs": [story_doc(store, need(story, "story")), other]}
    if kind == "split-story":
        if not store.has(need(doc_id, "doc_id")):
            raise LookupError(f"document {doc_id}: not in the store")
        return {"docs": [doc_id]}
    if kind == "move-position":
        key = position_key(store, need(position, "position"))
        if key is None:
            raise LookupError(f"position {position}: no such position")
        party = need(to, "to")
        return {**key, "to": party.upper() if len(party) == 3 else party}
    if kind == "merge-events":
        a, b = event_key(store, need(event, "event")), event_key(store, need(other_event, "other_event"))
        return {"docs": [a[0], b[0]], "mentions": [a, b]}
    if kind == "split-event":
        key = event_key(store, need(event, "event"))
        return {"docs": [key[0]], "mentions": [key]}
    raise LookupError(f"unknown correction kind {kind!r} (kinds: {', '.join(KINDS)})")


def story_doc(store: Any, story_id: str) -> str:
    """A story's canonical document (what a story correction names)."""
    from dateline.stories.schema import story_documents as sd

    with store.engine.connect() as conn:
        doc = conn.execute(select(sd.c.doc_id).where(sd.c.story_id == story_id).order_by(sd.c.seq)).scalar()
    if doc is None:
        raise LookupError(f"story {story_id}: no such story")
    return doc


def event_key(store: Any, event_id: str) -> list[Any]:
    """[doc_id, idx] of a filed event named "<doc_id>-<idx>" (as exports and reviews name it)."""
    from dateline.stories.schema import event_mentions as em

    doc_id, _, idx = event_id.rpartition("-")
    if doc_id and idx.isdigit():
        with store.engine.connect() as conn:
            if conn.execute(select(em.c.merged_id).where(em.c.doc_id == doc_id, em.c.idx == int(idx))).first():
                return [doc_id, int(idx)]
    raise LookupError(f"event {event_id}: no such merged event mention (give <document id>-<event index>)")
