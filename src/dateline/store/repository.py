"""Reading and writing documents: one transaction per batch, idempotent by document id."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import Connection

from dateline.config import default_db_url
from dateline.model import Document
from dateline.store import schema


def make_engine(url: str | None = None) -> Engine:
    url = url or default_db_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (the API) go on while a run writes; foreign keys make deletes cascade.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """The store behind every command: ``Store(url)`` opens (and creates) the schema."""

    def __init__(self, url: str | None = None, engine: Engine | None = None):
        self.url = url or default_db_url()
        self.engine = engine or make_engine(self.url)
        schema.metadata.create_all(self.engine)

    # -- writing -------------------------------------------------------------------

    def save(self, document: Document) -> bool:
        """Store one document; True when it was new. Re-saving replaces, never duplicates."""
        return self.save_many([document])[0]

    def save_many(self, docs: Iterable[Document]) -> list[bool]:
        """Store documents in one transaction; a killed run loses at most this batch."""
        with self.engine.begin() as conn:
            return [self._write(conn, doc) for doc in docs]

    def _write(self, conn: Connection, doc: Document) -> bool:
        existed = conn.execute(select(schema.documents.c.id).where(schema.documents.c.id == doc.id)).first()
        row = _document_row(doc)
        if existed:
            conn.execute(update(schema.documents).where(schema.documents.c.id == doc.id).values(**row))
            for table in (schema.document_authors, schema.entities, schema.quotes, schema.events):
                conn.execute(delete(table).where(table.c.doc_id == doc.id))
        else:
            conn.execute(insert(schema.documents).values(id=doc.id, ingested_at=_now(), **row))
        _insert_children(conn, doc)
        return not existed

    def delete(self, doc_id: str) -> None:
        with self.engine.begin() as conn:
            for table in (schema.document_authors, schema.entities, schema.quotes, schema.events):
                conn.execute(delete(table).where(table.c.doc_id == doc_id))
            conn.execute(delete(schema.documents).where(schema.documents.c.id == doc_id))

    # -- reading -------------------------------------------------------------------

    def has(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(schema.documents.c.id).where(schema.documents.c.id == doc_id)).first() is not None

    def get(self, doc_id: str) -> Document | None:
        """One document by id (or by an unambiguous id prefix, or its `doc` name)."""
        c = schema.documents.c
        with self.engine.connect() as conn:
            row = conn.execute(select(c.data).where(c.id == doc_id)).first()
            if row is None:
                rows = conn.execute(select(c.data).where(c.id.startswith(doc_id, autoescape=True)).limit(2)).all()
                rows = rows or conn.execute(select(c.data).where(c.doc == doc_id).limit(2)).all()
                row = rows[0] if len(rows) == 1 else None
        return Document.from_dict(row.data) if row else None

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.documents)).scalar_one()

    def list_documents(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Summaries, newest article date first."""
        c = schema.documents.c
        query = (
            select(c.id, c.doc, c.title, c.outlet, c.anchor_date, c.dateline, c.ingested_at)
            .order_by(c.anchor_date.desc().nulls_last(), c.id)
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def iter_documents(self, batch: int = 200) -> Iterator[Document]:
        c = schema.documents.c
        offset = 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(select(c.data).order_by(c.id).limit(batch).offset(offset)).all()
            if not rows:
                return
            for row in rows:
                yield Document.from_dict(row.data)
            offset += batch

    def close(self) -> None:
        self.engine.dispose()


def _document_row(doc: Document) -> dict[str, Any]:
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


def _insert_children(conn: Connection, doc: Document) -> None:
    art = doc.article
    authors = list(dict.fromkeys(a for a in art.authors if a))
    if authors:
        conn.execute(insert(schema.document_authors),
                     [{"doc_id": doc.id, "name": a, "bio": art.author_bios.get(a)} for a in authors])
    if doc.entities:
        conn.execute(insert(schema.entities), [_entity_row(doc, m) for m in doc.entities])
    if doc.quotes:
        conn.execute(insert(schema.quotes), [_quote_row(doc, i, q) for i, q in enumerate(doc.quotes)])
    if doc.events:
        conn.execute(insert(schema.events), [_event_row(doc, i, e) for i, e in enumerate(doc.events)])


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
    }
