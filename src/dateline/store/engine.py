"""Opening a store: its URL (a bare path is a SQLite file; passwords never printed), the
SQLAlchemy engine (SQLite in WAL mode, PostgreSQL with pre-ping) and the schema's DDL."""
from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from dateline.config import default_db_url
from dateline.store import reviews as _reviews  # noqa: F401  (registers event_reviews on the metadata)
from dateline.store import schema


def display_url(url: str | None) -> str:
    """The store's URL as it may be printed: any password masked (``***``)."""
    from sqlalchemy.engine import make_url

    url = normalise_url(url or default_db_url())
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL SQLAlchemy parses: mask what looks like user:password@
        import re

        return re.sub(r"(//[^/:@]*:)[^@/]*@", r"\1***@", url)


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


# Indexes the read side (the reader pages) needs beyond the tables' own: constant DDL,
# kept off the shared table metadata so a store made before them gets them too (CREATE
# TABLE does not add indexes to an existing table); IF NOT EXISTS works on SQLite and
# PostgreSQL alike.
READ_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_entities_name_doc ON entities (name, doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_documents_title_lower ON documents (lower(title))",
    "CREATE INDEX IF NOT EXISTS ix_events_doc_type ON events (doc_id, type)",
    "CREATE INDEX IF NOT EXISTS ix_documents_outlet_date ON documents (outlet, anchor_date)",
    "CREATE INDEX IF NOT EXISTS ix_documents_story_date ON documents (story_id, anchor_date)",
)


def create_schema(engine: Engine) -> None:
    """Create missing tables; two processes starting at once on PostgreSQL may race here."""
    for attempt in range(3):
        try:
            schema.metadata.create_all(engine)
            _add_new_event_columns(engine)
            _create_read_indexes(engine)
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


def _create_read_indexes(engine: Engine) -> None:
    from sqlalchemy import text

    with engine.begin() as conn:
        for ddl in READ_INDEXES:
            conn.execute(text(ddl))
