"""Reading and writing documents: one transaction per batch, idempotent by document id.

Writes are upserts (``INSERT ... ON CONFLICT DO UPDATE`` through SQLAlchemy's SQLite and
PostgreSQL dialects), so two processes ingesting the same inputs into one PostgreSQL
never duplicate a document: the conflicting insert waits for the other transaction's row
lock, then updates. A batch's rows are written in id order so concurrent batches take
their locks in the same order; a deadlock or a busy SQLite file is retried.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, Table, create_engine, delete, event, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

from dateline.config import default_db_url
from dateline.model import Document
from dateline.store import reviews as _reviews  # noqa: F401  (registers event_reviews on the metadata)
from dateline.store import schema
from dateline.store.clean import clean_document, clean_text, clean_value
from dateline.store.plugins import DEFAULT_PLUGINS, Hooks

T = TypeVar("T")
CHILD_TABLES = (schema.document_authors, schema.entities, schema.quotes, schema.events)
WRITE_ATTEMPTS = 8
RECONNECT_WAIT_S = 60.0  # how long a write waits for a restarting PostgreSQL before giving up


class StoreFault(Exception):
    """The store itself failed (disk full, a corrupt file, a database that stays away), not
    one document: a run stops with this one line rather than blaming every input after it."""


class StoreUnavailable(Exception):
    """The database cannot be opened (unreachable, wrong password, no such file): one line,
    with the URL's password masked."""


def display_url(url: str | None) -> str:
    """The store's URL as it may be printed: any password masked (``***``)."""
    from sqlalchemy.engine import make_url

    url = normalise_url(url or default_db_url())
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL SQLAlchemy parses: mask what looks like user:password@
        import re

        return re.sub(r"(//[^/:@]*:)[^@/]*@", r"\1***@", url)


def _one_line(exc: BaseException) -> str:
    """The driver's own message (first line), without SQLAlchemy's SQL and background link."""
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return (lines[0] if lines else type(orig).__name__)[:300]


def normalise_url(url: str) -> str:
    """A bare file path or ``sqlite:///...`` / ``postgresql+psycopg://...`` URL -> a SQLAlchemy URL."""
    if "://" in url:
        return url
    return f"sqlite:///{url}"


def make_engine(url: str | None = None, pool_size: int | None = None) -> Engine:
    """An engine for the URL. ``pool_size``: connections kept for a server that runs that
    many requests at once (each holds one); a request finding the pool empty waits 5 s at
    most and the server answers 503 (SQLAlchemy's default would wait 30 s, then fail)."""
    url = normalise_url(url or default_db_url())
    pool: dict[str, Any] = {}
    if pool_size and ":memory:" not in url and url.rstrip("/") not in ("sqlite:", "sqlite:/"):
        pool = {"pool_size": pool_size, "max_overflow": 4, "pool_timeout": 5}
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **pool)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (the API) go on while a run writes; foreign keys make deletes cascade.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
    through ``self.hooks`` after each committed write or delete; see ``store.plugins``."""

    def __init__(self, url: str | None = None, engine: Engine | None = None,
                 plugins: Iterable[Any] | None = None):
        self.url = normalise_url(url or default_db_url())
        self.hooks = Hooks(DEFAULT_PLUGINS if plugins is None else plugins)
        try:
            self.engine = engine or make_engine(self.url)
            _create_schema(self.engine)
            self.hooks.setup(self)
        except (OperationalError, DBAPIError) as exc:
            raise StoreUnavailable(f"cannot open the store {self.display_url}: {_one_line(exc)}") from None
        except Exception as exc:  # noqa: BLE001 - a malformed URL, a missing driver
            if isinstance(exc, StoreUnavailable):
                raise
            raise StoreUnavailable(f"cannot open the store {self.display_url}: {type(exc).__name__}: "
                                   f"{_one_line(exc)}") from None

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
            existing = _existing_ids(conn, ids)
            if unique:
                _upsert(conn, schema.documents, [dict(id=d.id, ingested_at=_now(), **_document_row(d)) for d in unique],
                        keep=("ingested_at", "story_id"))
                for table in CHILD_TABLES:
                    conn.execute(delete(table).where(table.c.doc_id.in_(ids)))
                _insert_children(conn, unique)
            if inputs_done:
                _upsert(conn, schema.inputs, [_input_row(k) for k in inputs_done])
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
            return f"lost the store {self.display_url}: {_one_line(exc)}; run again once it is back"
        return f"the store {self.display_url} {kind}: {_one_line(exc)}" if kind else None

    def _retry(self, work: Callable[[], T]) -> T:
        """``work`` (one transaction, idempotent: upserts by id) retried on lock contention,
        and while a lost PostgreSQL comes back (a restart: up to ``RECONNECT_WAIT_S``);
        a fault of the store itself raises ``StoreFault`` with one line saying what to do."""
        attempt, lost_since = 0, None
        while True:
            try:
                return work()
            except (OperationalError, DBAPIError) as exc:
                fault = store_fault(exc)
                if fault == "connection":
                    lost_since = lost_since or time.monotonic()
                    if time.monotonic() - lost_since < RECONNECT_WAIT_S:
                        time.sleep(0.5)
                        continue
                    raise StoreFault(f"lost the store {self.display_url} for {RECONNECT_WAIT_S:.0f} s: "
                                     f"{_one_line(exc)}; run again once it is back (finished inputs are "
                                     "skipped)") from None
                if fault:
                    raise StoreFault(f"the store {self.display_url} {fault}: {_one_line(exc)}") from None
                attempt += 1
                if attempt >= WRITE_ATTEMPTS or not _is_transient(exc):
                    raise
                time.sleep(0.05 * 2 ** attempt)

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



def _create_schema(engine: Engine) -> None:
    """Create missing tables; two processes starting at once on PostgreSQL may race here."""
    for attempt in range(3):
        try:
            schema.metadata.create_all(engine)
            _add_new_event_columns(engine)
            return
        except DBAPIError:
            if attempt == 2:
                raise
            time.sleep(0.2)


def _add_new_event_columns(engine: Engine) -> None:
    """A store made before events had background/casualty columns gets them (nullable, additive)."""
    from sqlalchemy import inspect, text

    present = {c["name"] for c in inspect(engine).get_columns("events")}
    missing = [c for c in schema.events.columns if c.name not in present]
    if not missing:
        return
    with engine.begin() as conn:
        for column in missing:
            kind = column.type.compile(dialect=engine.dialect)
            conn.execute(text(f'ALTER TABLE events ADD COLUMN "{column.name}" {kind}'))


_FULL = "is full (free some space, then run again: finished inputs are skipped)"
_CORRUPT = ("is damaged (restore it from a backup, or ingest into a new store; "
            "`sqlite3 FILE .recover` may save its rows)")


def store_fault(exc: DBAPIError) -> str | None:
    """What is wrong with the store itself, if the error says so: "connection" (worth
    waiting for), a sentence (disk full, damaged file), or None (an error about the data)."""
    orig = exc.orig if exc.orig is not None else exc
    message, code = str(orig).lower(), getattr(orig, "sqlstate", None) or ""
    if code == "53100" or "disk is full" in message or "no space left" in message:
        return _FULL
    if "malformed" in message or "file is not a database" in message:
        return _CORRUPT
    if "disk i/o error" in message or "readonly database" in message:
        return "cannot write its file (a full, failing or read-only disk; fix it, then run again)"
    if getattr(exc, "connection_invalidated", False) or code.startswith(("08", "57P")) \
            or "server closed the connection" in message or "connection refused" in message \
            or "terminating connection" in message or "the database system is" in message \
            or "consuming input failed" in message:
        return "connection"
    return None


def _is_transient(exc: DBAPIError) -> bool:
    """Lock contention worth retrying: SQLite busy, PostgreSQL deadlock/serialization failure."""
    text = str(exc.orig if exc.orig is not None else exc).lower()
    code = getattr(exc.orig, "sqlstate", None)
    return code in {"40P01", "40001", "55P03"} or "database is locked" in text or "deadlock" in text


def _existing_ids(conn: Connection, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    c = schema.documents.c
    return set(conn.execute(select(c.id).where(c.id.in_(ids))).scalars())


def _upsert(conn: Connection, table: Table, rows: list[dict[str, Any]], keep: Sequence[str] = ()) -> None:
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


def _input_row(key: InputKey) -> dict[str, Any]:
    return {"key": key.key, "path": key.path, "size": key.size, "mtime_ns": key.mtime_ns,
            "documents": 0, "done_at": _now()}


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


def _insert_children(conn: Connection, docs: Sequence[Document]) -> None:
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
