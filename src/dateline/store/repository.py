"""Reading and writing documents: one transaction per batch, idempotent by document id.

Writes are upserts (``INSERT ... ON CONFLICT DO UPDATE`` through SQLAlchemy's SQLite and
PostgreSQL dialects), so two processes ingesting the same inputs into one PostgreSQL
never duplicate a document: the conflicting insert waits for the other transaction's row
lock, then updates. A batch's rows are written in id order so concurrent batches take
their locks in the same order; a deadlock or a busy SQLite file is retried.

The ``Store`` is the seam; behind it ``store.engine`` opens the database and owns the
DDL, ``store.rows`` turns a Document into rows, ``store.faults`` tells a fault of the
store from an error about one document, and ``store.plugins`` holds the hooks.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

from dateline.config import default_db_url
from dateline.model import Document
from dateline.settings import Settings, default_settings
from dateline.store import schema
from dateline.store.clean import clean_document
from dateline.store.engine import create_schema, display_url, make_engine, normalise_url
from dateline.store.faults import StoreFault, StoreUnavailable, one_line, retry, store_fault
from dateline.store.plugins import DEFAULT_PLUGINS, Hooks
from dateline.store.rows import CHILD_TABLES, document_row, existing_ids, insert_children, now, upsert

T = TypeVar("T")

__all__ = ["InputKey", "Store", "StoreFault", "StoreUnavailable", "display_url", "make_engine", "normalise_url"]


@dataclass(frozen=True)
class InputKey:
    """An input file as a run saw it; the same path, size and mtime means the same input."""

    key: str
    path: str
    size: int
    mtime_ns: int


class Store:
    """The store behind every command: ``Store(url)`` opens (and creates) the schema.

    ``plugins`` (default: ``store.plugins.DEFAULT_PLUGINS``, the stories stage) are called
    through ``self.hooks`` after each committed write or delete; see ``store.plugins``.
    ``settings`` (default: the packaged ones) are the run's: a plugin reads what it needs
    from ``store.settings`` (the stories stage its issue file), as Datasette's plugins
    read their configuration from the instance their hooks are given."""

    def __init__(self, url: str | None = None, engine: Engine | None = None,
                 plugins: Iterable[Any] | None = None, settings: Settings | None = None):
        self.settings = settings or default_settings()
        self.url = normalise_url(url or default_db_url(self.settings))
        self.hooks = Hooks(DEFAULT_PLUGINS if plugins is None else plugins, retry=self._retry)
        try:
            self.engine = engine or make_engine(self.url)
            create_schema(self.engine)
            self.hooks.setup(self)
        except (OperationalError, DBAPIError) as exc:
            raise StoreUnavailable(f"cannot open the store {self.display_url}: {one_line(exc)}") from None
        except Exception as exc:  # noqa: BLE001 - a malformed URL, a missing driver
            if isinstance(exc, StoreUnavailable):
                raise
            raise StoreUnavailable(f"cannot open the store {self.display_url}: {type(exc).__name__}: "
                                   f"{one_line(exc)}") from None

    @property
    def display_url(self) -> str:
        """``url`` with any password masked: the only form of it ever printed."""
        return display_url(self.url)

    # -- writing -------------------------------------------------------------------

    def save(self, document: Document) -> bool:
        """Store one document; True when it was new. Re-saving replaces, never duplicates."""
        return self.save_many([document])[0]

    def save_many(self, docs: Iterable[Document], inputs_done: Sequence[InputKey] = ()) -> list[bool]:
        """Store documents (and mark ``inputs_done`` finished) in one transaction, then
        call the ``documents_stored`` hooks (not inside ``with store.hooks.paused():``,
        where the caller calls ``notify_stored`` itself, e.g. to report a hook's failure
        its own way).

        Returns, per document, whether it was new. A killed run loses at most this batch.
        """
        docs = [clean_document(doc) for doc in docs]
        flags = self._retry(lambda: self._save_batch(docs, inputs_done))
        self.notify_stored(docs)
        return flags

    def notify_stored(self, docs: Sequence[Document]) -> None:
        """Call the ``documents_stored`` hooks for documents already committed."""
        self.hooks.documents_stored(self, docs)

    def _save_batch(self, docs: list[Document], inputs_done: Sequence[InputKey]) -> list[bool]:
        unique = sorted({doc.id: doc for doc in docs}.values(), key=lambda d: d.id)
        ids = [doc.id for doc in unique]
        with self._write() as conn:
            existing = existing_ids(conn, ids)
            if unique:
                upsert(conn, schema.documents, [dict(id=d.id, ingested_at=now(), **document_row(d)) for d in unique],
                        keep=("ingested_at", "story_id"))
                for table in CHILD_TABLES:
                    conn.execute(delete(table).where(table.c.doc_id.in_(ids)))
                insert_children(conn, unique)
            if inputs_done:
                upsert(conn, schema.inputs, [_input_row(k) for k in inputs_done])
        # The same page twice in a batch (two copies of a file, a JSON Lines row repeated) is
        # stored once: new the first time, an update after, so summaries add up to the store.
        flags, seen = [], set()
        for doc in docs:
            flags.append(doc.id not in existing and doc.id not in seen)
            seen.add(doc.id)
        return flags

    def mark_inputs_done(self, inputs_done: Sequence[InputKey]) -> None:
        self.save_many([], inputs_done)

    def done_inputs(self, keys: Iterable[str]) -> set[str]:
        """Which of these input keys a run already finished."""
        keys = list(keys)
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                found.update(conn.execute(select(schema.inputs.c.key).where(schema.inputs.c.key.in_(chunk))).scalars())
        return found

    def delete(self, doc_id: str) -> None:
        def run() -> None:
            with self._write() as conn:
                for table in CHILD_TABLES:
                    conn.execute(delete(table).where(table.c.doc_id == doc_id))
                conn.execute(delete(schema.documents).where(schema.documents.c.id == doc_id))
        self._retry(run)
        self.hooks.document_deleted(self, doc_id)  # e.g. merged-event counts drop its mentions

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE),
        so two writers queue on the busy timeout instead of failing on a lock upgrade."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    def fault(self, exc: BaseException) -> str | None:
        """One line when ``exc`` is a fault of the store itself (full, damaged, gone), else None."""
        if isinstance(exc, StoreFault):
            return str(exc)
        if not isinstance(exc, DBAPIError):
            return None
        kind = store_fault(exc)
        if kind == "connection":
            return f"lost the store {self.display_url}: {one_line(exc)}; run again once it is back"
        return f"the store {self.display_url} {kind}: {one_line(exc)}" if kind else None

    def _retry(self, work: Callable[[], T]) -> T:
        """``work`` (one transaction, idempotent: upserts by id) retried; see ``faults.retry``."""
        return retry(work, self.display_url)

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
        """Every document in id order, read in pages (keyset paging: no OFFSET scans)."""
        c = schema.documents.c
        last = ""
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(select(c.id, c.data).where(c.id > last).order_by(c.id).limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield Document.from_dict(row.data)
            last = rows[-1].id

    # -- analysis: typed rows (the export's columns), each list has .to_pandas() -------

    def events(self, limit: int | None = None, **filters: Any) -> Any:
        """Events as ``EventRow`` records. Filters: type, country, source_country,
        target_country, actor, since, until, factuality, min_confidence, text, doc_id,
        background (True | False), min_killed."""
        return self._rows("events", limit, filters)

    def quotes(self, limit: int | None = None, **filters: Any) -> Any:
        """Quotes as ``QuoteRow`` records. Filters: speaker, country, kind, text, doc_id."""
        return self._rows("quotes", limit, filters)

    def actors(self, limit: int | None = None, **filters: Any) -> Any:
        """Canonical actors over the store as ``ActorRow`` records. Filters: country, sector, name."""
        return self._rows("actors", limit, filters)

    def documents(self, limit: int | None = None) -> Any:
        """Documents as flat ``DocumentRow`` records (``get``/``iter_documents`` give whole Documents)."""
        return self._rows("documents", limit, {})

    def _rows(self, table: str, limit: int | None, filters: dict[str, Any]) -> Any:
        from dateline.store import queries

        return queries.Rows(table, queries.iter_rows(self.engine, table, limit=limit, **filters))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()


def _input_row(key: InputKey) -> dict[str, Any]:
    return {"key": key.key, "path": key.path, "size": key.size, "mtime_ns": key.mtime_ns,
            "documents": 0, "done_at": now()}
