"""A Document as the store's rows: the documents row (the whole record as JSON plus the
columns queries filter on) and its flattened authors, entities, quotes and events; the
upsert every write goes through, with values fitted to what each database accepts."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.engine import Connection

from dateline.model import Document
from dateline.store import schema
from dateline.store.clean import clean_text, clean_value

CHILD_TABLES = (schema.document_authors, schema.entities, schema.quotes, schema.events)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def existing_ids(conn: Connection, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    c = schema.documents.c
    return set(conn.execute(select(c.id).where(c.id.in_(ids))).scalars())


def upsert(conn: Connection, table: Table, rows: list[dict[str, Any]], keep: Sequence[str] = ()) -> None:
    """INSERT ... ON CONFLICT (primary key) DO UPDATE, leaving the ``keep`` columns as stored."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:  # another database: portable but racy (no concurrent writers there)
        _replace_rows(conn, table, rows)
        return
    statement = dialect_insert(table).values([_fit(table, row) for row in rows])
    keys = [c.name for c in table.primary_key.columns]
    updates = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys and c.name not in keep}
    conn.execute(statement.on_conflict_do_update(index_elements=keys, set_=updates))


def _replace_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    key = list(table.primary_key.columns)[0]
    conn.execute(delete(table).where(key.in_([row[key.name] for row in rows])))
    conn.execute(insert(table), [_fit(table, row) for row in rows])


def _fit(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """Values as every database takes them: strings cut to their column's length (PostgreSQL
    refuses longer ones, SQLite ignores lengths), without NUL characters (PostgreSQL text
    cannot hold them) or lone surrogates (no driver encodes them), in JSON values too.
    Article text is untrusted; one odd page must not fail a batch."""
    out = {}
    for name, value in row.items():
        if isinstance(value, (dict, list)):
            value = clean_value(value)
        elif isinstance(value, str):
            value = clean_text(value)
            length = getattr(table.c[name].type, "length", None)
            if length and len(value) > length:
                value = value[:length]
        out[name] = value
    return out


def document_row(doc: Document) -> dict[str, Any]:
    art = doc.article
    return {
        "doc": doc.doc,
        "url": art.url,
        "title": art.title,
        "outlet": art.outlet,
        "published": art.published,
        "page_date": art.page_date,
        "anchor_date": art.anchor_date,
        "dateline": art.dateline,
        "agency": art.agency,
        "body_text": art.text,
        "data": doc.to_dict(),
    }


def insert_children(conn: Connection, docs: Sequence[Document]) -> None:
    """The flattened rows of a batch, one executemany per table."""
    authors, entities, quotes, events = [], [], [], []
    for doc in docs:
        art = doc.article
        authors += [{"doc_id": doc.id, "name": a, "bio": art.author_bios.get(a)}
                    for a in dict.fromkeys(a for a in art.authors if a)]
        # "the two leaders" is a pair actor of the coref stage (pair:<a>+<b>): it stays in the
        # document for events and quotes, but the actor tables hold one row per entity.
        entities += [_entity_row(doc, m) for m in doc.entities if not m.actor.startswith("pair:")]
        quotes += [_quote_row(doc, i, q) for i, q in enumerate(doc.quotes)]
        events += [_event_row(doc, i, e) for i, e in enumerate(doc.events)]
    for table, rows in ((schema.document_authors, authors), (schema.entities, entities),
                        (schema.quotes, quotes), (schema.events, events)):
        fitted = _unique_keys(table, [_fit(table, row) for row in rows])
        if fitted:
            conn.execute(insert(table), fitted)


def _unique_keys(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first row of each primary key: two author names that differ only past the
    column's 200 characters (or by a NUL) become one row once fitted, not a UNIQUE error."""
    keys = [c.name for c in table.primary_key.columns]
    if any(c.autoincrement is True for c in table.primary_key.columns):
        return rows
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(tuple(row.get(k) for k in keys), row)
    return list(seen.values())


def _entity_row(doc: Document, mention: Any) -> dict[str, Any]:
    actor = doc.actors.get(mention.actor)
    return {
        "doc_id": doc.id, "actor": mention.actor, "text": mention.text, "start": mention.start,
        "end": mention.end, "name": actor.name if actor else mention.text,
        "kind": actor.kind if actor else None, "country": actor.country if actor else None,
        "sector": actor.sector if actor else None,
    }


def _quote_row(doc: Document, idx: int, quote: Any) -> dict[str, Any]:
    sp = quote.speaker
    return {
        "doc_id": doc.id, "idx": idx, "text": quote.text, "kind": quote.kind,
        "speaker_name": sp.name if sp else None, "speaker_mention": sp.mention if sp else None,
        "speaker_country": sp.country if sp else None, "speaker_sector": sp.sector if sp else None,
        "cue": quote.cue, "start": quote.start, "end": quote.end,
    }


def _event_row(doc: Document, idx: int, ev: Any) -> dict[str, Any]:
    first_source = ev.source[0] if ev.source else None
    first_target = ev.target[0] if ev.target else None
    place = ev.place
    return {
        "doc_id": doc.id, "idx": idx, "type": ev.type, "mode": ev.mode, "cameo": ev.cameo,
        "source_name": first_source.name if first_source else None,
        "source_country": first_source.country if first_source else None,
        "source_sector": first_source.sector if first_source else None,
        "target_name": first_target.name if first_target else None,
        "target_country": first_target.country if first_target else None,
        "target_sector": first_target.sector if first_target else None,
        "sources": [vars(a) for a in ev.source], "targets": [vars(a) for a in ev.target],
        "date": ev.date, "date_text": ev.date_text,
        "place_name": place.name if place else None, "place_country": place.country if place else None,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "evidence": ev.evidence, "start": ev.start, "end": ev.end,
        "factuality": ev.factuality, "confidence": ev.confidence,
        "background": bool(getattr(ev, "background", False)), "casualties": list(getattr(ev, "casualties", []) or []),
        **_casualty_counts(getattr(ev, "casualties", []) or []),
    }


CASUALTY_KINDS = ("killed", "injured", "arrested", "displaced")


def _casualty_counts(casualties: list[dict[str, Any]]) -> dict[str, int | None]:
    """Per kind, the largest count the event's words give (one figure, as ACLED's fatalities)."""
    out: dict[str, int | None] = {kind: None for kind in CASUALTY_KINDS}
    for item in casualties:
        kind, count = item.get("kind"), item.get("count")
        if kind in out and isinstance(count, int):
            out[kind] = max(out[kind] or 0, count)
    return out
