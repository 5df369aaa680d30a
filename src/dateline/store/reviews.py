"""Human review of coded events, stored apart from the machine's output.

One row per review action on an event (``"<doc_id>-<index>"``, the export's ``event_id``):
``confirm``, ``reject`` or ``edit`` (with the changed fields), who and when. Rows are
never rewritten by ingest, ``--force`` or ``stories --rebuild`` (those replace the
machine's tables only), and an undo marks the latest action undone, so the history stays.
The event's current review is its latest action not undone; readers apply it on the fly.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Index, Integer, String, Table, Text, select, update
from sqlalchemy.engine import Connection

from dateline.model import FACTUALITY, PLOVER_TYPES
from dateline.store.schema import metadata

# A stated date as the store keeps it: YYYY, YYYY-MM or YYYY-MM-DD.
_ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")

ACTIONS = ("confirm", "reject", "edit")
EDITABLE = ("type", "mode", "source_country", "target_country", "source_name", "target_name", "date",
            "place_name", "place_country", "factuality", "background")

event_reviews = Table(
    "event_reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(48), nullable=False),     # "<doc_id>-<event index>"
    Column("action", String(8), nullable=False),        # confirm | reject | edit
    Column("changes", JSON),                            # edit: field -> new value
    Column("note", Text),
    Column("reviewer", String(120), nullable=False),
    Column("at", String(32), nullable=False),
    Column("undone", Boolean, nullable=False, default=False),
    Index("ix_event_reviews_event", "event_id"),
)


class ReviewError(ValueError):
    """An unusable review: unknown action, field or value (the message says which)."""


def split_event_id(event_id: str) -> tuple[str, int]:
    doc_id, _, index = event_id.rpartition("-")
    if not doc_id or not index.isdigit():
        raise ReviewError(f"event id {event_id!r}: expected <document id>-<event index>, e.g. 3f2a9c0d1e4b5a6f-0")
    return doc_id, int(index)


def check_changes(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = [name for name in changes if name not in EDITABLE]
    if unknown:
        raise ReviewError(f"cannot edit {', '.join(unknown)} (editable: {', '.join(EDITABLE)})")
    if "type" in changes:
        changes["type"] = str(changes["type"]).upper()
        if changes["type"] not in PLOVER_TYPES:
            raise ReviewError(f"type {changes['type']!r}: not a PLOVER type ({', '.join(PLOVER_TYPES)})")
    if "factuality" in changes and changes["factuality"] not in FACTUALITY:
        raise ReviewError(f"factuality {changes['factuality']!r}: one of {', '.join(FACTUALITY)}")
    for field in ("source_country", "target_country", "place_country"):
        if changes.get(field):
            changes[field] = str(changes[field]).upper()
            if len(changes[field]) != 3 or not changes[field].isalpha():
                raise ReviewError(f"{field} {changes[field]!r}: an ISO 3166 alpha-3 code, e.g. PER")
    if changes.get("date"):
        if not _ISO_DATE.match(str(changes["date"])):
            raise ReviewError(f"date {changes['date']!r}: YYYY, YYYY-MM or YYYY-MM-DD")
    if "background" in changes and not isinstance(changes["background"], bool):
        changes["background"] = str(changes["background"]).lower() in ("1", "true", "yes")
    return changes


def event_exists(conn: Connection, event_id: str) -> bool:
    from dateline.store.schema import events

    doc_id, index = split_event_id(event_id)
    query = select(events.c.id).where(events.c.doc_id == doc_id, events.c.idx == index)
    return conn.execute(query).first() is not None


def add_review(conn: Connection, event_id: str, action: str, reviewer: str,
               changes: dict[str, Any] | None = None, note: str | None = None) -> dict[str, Any]:
    if action not in ACTIONS:
        raise ReviewError(f"action {action!r}: one of {', '.join(ACTIONS)}")
    if not event_exists(conn, event_id):
        raise LookupError(f"no event {event_id!r} in the store")
    changes = check_changes(dict(changes or {})) if action == "edit" else None
    if action == "edit" and not changes:
        raise ReviewError("edit: name at least one field to change")
    row = {"event_id": event_id, "action": action, "changes": changes, "note": note, "reviewer": reviewer,
           "at": datetime.now(UTC).isoformat(timespec="seconds"), "undone": False}
    conn.execute(event_reviews.insert(), row)
    return current(conn, event_id) or row


def undo(conn: Connection, event_id: str) -> dict[str, Any] | None:
    """Undo the event's latest review; returns the review now in force (or None)."""
    latest = _active(conn, [event_id]).get(event_id)
    if latest is None:
        raise LookupError(f"event {event_id!r} has no review to undo")
    conn.execute(update(event_reviews).where(event_reviews.c.id == latest["id"]).values(undone=True))
    return current(conn, event_id)


def current(conn: Connection, event_id: str) -> dict[str, Any] | None:
    return _active(conn, [event_id]).get(event_id)


def history(conn: Connection, event_id: str) -> list[dict[str, Any]]:
    query = select(event_reviews).where(event_reviews.c.event_id == event_id).order_by(event_reviews.c.id)
    return [dict(row._mapping) for row in conn.execute(query)]


def active_reviews(conn: Connection) -> dict[str, dict[str, Any]]:
    return _active(conn, None)


def _active(conn: Connection, event_ids: list[str] | None) -> dict[str, dict[str, Any]]:
    """Event id -> its review in force: the latest action not undone; edits accumulate
    (a later edit or confirm keeps earlier edits' changes unless it changes them too)."""
    query = select(event_reviews).where(event_reviews.c.undone.is_(False)).order_by(event_reviews.c.id)
    if event_ids is not None:
        query = query.where(event_reviews.c.event_id.in_(event_ids))
    found: dict[str, dict[str, Any]] = {}
    for row in conn.execute(query):
        review = dict(row._mapping)
        earlier = found.get(review["event_id"], {}).get("changes") or {}
        review["changes"] = {**earlier, **(review["changes"] or {})} if review["action"] != "reject" else earlier
        review["status"] = {"confirm": "confirmed", "reject": "rejected",
                            "edit": "edited"}[review["action"]]
        if review["action"] == "confirm" and earlier:
            review["status"] = "edited"
        found[review["event_id"]] = review
    return found


def apply(values: dict[str, Any], review: dict[str, Any] | None) -> dict[str, Any]:
    """A row (field -> value) with the review's changes laid over and its status beside."""
    if review is None:
        return {**values, "reviewed": 0, "review_status": None}
    changes = review.get("changes") or {}
    return {**values, **changes, "review_changes": changes, "reviewed": 1, "review_status": review["status"]}


def reviewed_merged(conn: Connection) -> dict[str, dict[str, Any]]:
    """Merged event id -> the review of its reviewed mention (the latest, if several)."""
    reviews = active_reviews(conn)
    if not reviews:
        return {}
    from dateline.stories.schema import event_mentions

    e = event_mentions.c
    by_merged: dict[str, dict[str, Any]] = {}
    doc_ids = sorted({split_event_id(event_id)[0] for event_id in reviews})
    for start in range(0, len(doc_ids), 500):
        query = select(e.doc_id, e.idx, e.merged_id).where(e.doc_id.in_(doc_ids[start:start + 500]))
        for doc_id, idx, merged_id in conn.execute(query):
            review = reviews.get(f"{doc_id}-{idx}")
            if review and (merged_id not in by_merged or review["id"] > by_merged[merged_id]["id"]):
                by_merged[merged_id] = review
    return by_merged


def apply_to_merged(conn: Connection, rows: list[dict[str, Any]],
                    by_merged: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Merged events with their mentions' reviews: rejected ones left out, edits applied."""
    by_merged = reviewed_merged(conn) if by_merged is None else by_merged
    if not by_merged:
        return rows
    kept = []
    for row in rows:
        review = by_merged.get(row["id"])
        if review and review["status"] == "rejected":
            continue
        kept.append(apply(row, review) if review else row)
    return kept


TIMELINE_NAMES = {"place_name": "place", "source_country": "source", "target_country": "target"}


def apply_to_timeline(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Timeline rows (merged events, or coded events with ``doc_id``/``idx``) with reviews:
    rejected ones left out, edits applied under the timeline's column names."""
    if not rows or not active_reviews(conn):
        return rows
    if "id" not in rows[0]:  # the coded-events fallback: reviews by event id
        found = active_reviews(conn)
        kept = []
        for row in rows:
            review = found.get(f"{row.get('doc_id')}-{row.get('idx')}")
            if review and review["status"] == "rejected":
                continue
            kept.append(apply(row, review) if review else row)
        return kept
    reviewed = apply_to_merged(conn, rows)
    for row in reviewed:
        for field, name in TIMELINE_NAMES.items():
            if row.get("review_status") == "edited" and field in (row.get("review_changes") or {}):
                row[name] = row[field]
    return reviewed


def apply_to_event_items(conn: Connection, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Coded events (API rows with ``doc_id`` and ``idx``) with their reviews applied and
    ``review_status`` beside; rejected ones stay, marked, so they can be restored."""
    found = active_reviews(conn)
    if not found:
        return items
    return [apply(item, found.get(f"{item.get('doc_id')}-{item.get('idx')}")) for item in items]


def queue(conn: Connection, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Events no one has reviewed yet, least confident first."""
    from dateline.store.schema import documents, events

    reviewed = set(active_reviews(conn))
    ev, doc = events.c, documents.c
    query = (select(ev.doc_id, ev.idx, ev.type, ev.source_name, ev.source_country, ev.target_name,
                    ev.target_country, ev.date, ev.place_name, ev.factuality, ev.confidence, ev.evidence,
                    doc.title, doc.outlet)
             .join(documents, doc.id == ev.doc_id).order_by(ev.confidence.asc(), ev.doc_id, ev.idx))
    items: list[dict[str, Any]] = []
    skipped = 0
    for row in conn.execution_options(yield_per=500).execute(query):
        event_id = f"{row.doc_id}-{row.idx}"
        if event_id in reviewed:
            continue
        if skipped < offset:
            skipped += 1
            continue
        items.append({"event_id": event_id, **{k: v for k, v in row._mapping.items() if k not in ("idx",)}})
        if len(items) >= limit:
            break
    return items
