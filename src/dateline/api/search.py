"""Search over titles and bodies for the reader: SQLite FTS5 when available, else LIKE.

A substring scan of 10,000 bodies costs a few hundred milliseconds per search, so on
SQLite the reader keeps its own full-text index, ``reader_fts`` (title weighted over
body, ranked by BM25). It is a side table the store knows nothing about, kept up to date
by one writer: the server's ingest thread after each commit (``refresh``), and a
single background thread when a search finds the index behind (documents written by
another process). Searches never write. Each sync compares the index with the
documents table itself (rowids and counts, inside one write transaction), so an index
that disagrees with the documents, however it came to, is rebuilt instead of failing.
The user's words are quoted one by one and bound as the MATCH parameter, so FTS syntax
in a query is only ever text.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine, func, or_, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from dateline.api.queries import D, contains_ci
from dateline.store import schema

log = logging.getLogger(__name__)

WORD = re.compile(r"\w+", re.UNICODE)
CREATE = (
    ("CREATE VIRTUAL TABLE IF NOT EXISTS reader_fts USING fts5("
     "title, body, doc_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"),
)
APPEND = ("INSERT INTO reader_fts (rowid, title, body, doc_id) "
          "SELECT rowid, coalesce(title, ''), coalesce(body_text, ''), id FROM documents WHERE rowid > :after")
MATCHES = ("SELECT d.id, d.title, d.outlet, d.anchor_date, d.dateline FROM reader_fts f "
           "JOIN documents d ON d.rowid = f.rowid AND d.id = f.doc_id "
           "WHERE reader_fts MATCH :query ORDER BY bm25(reader_fts, 4.0, 1.0), d.anchor_date DESC "
           "LIMIT :limit OFFSET :offset")
COUNT = ("SELECT count(*) FROM reader_fts f JOIN documents d ON d.rowid = f.rowid AND d.id = f.doc_id "
         "WHERE reader_fts MATCH :query")


def fts_query(words: str) -> str | None:
    """The user's words as an FTS5 query: every word required, the last one as a prefix."""
    tokens = WORD.findall(words)[:12]
    if not tokens:
        return None
    quoted = ['"' + token.replace('"', '""') + '"' for token in tokens]
    quoted[-1] += "*"
    return " ".join(quoted)


class SearchIndex:
    CHECK_EVERY_S = 2.0  # how often a search may ask for a catch-up sync

    def __init__(self, engine: Engine):
        self.engine = engine
        self._lock = threading.Lock()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dateline-search-index")
        self._pending = threading.Event()
        self._checked = 0.0
        self.enabled = engine.dialect.name == "sqlite" and self._create()

    def _create(self) -> bool:
        try:
            with self.engine.begin() as conn:
                for ddl in CREATE:
                    conn.execute(text(ddl))
            return True
        except OperationalError:  # an SQLite built without FTS5: substring search instead
            log.warning("SQLite has no FTS5; the reader searches with LIKE")
            return False

    def sync(self) -> None:
        """Append documents stored since the index's newest row; rebuild when they disagree."""
        self.refresh(())

    def refresh(self, doc_ids: Iterable[str]) -> None:
        """Re-index ``doc_ids`` (replaced in place, same rowid), then catch up. One writer at
        a time in this process (the lock) and across processes (BEGIN IMMEDIATE)."""
        if not self.enabled:
            return
        ids = list(doc_ids)
        with self._lock, self.engine.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                if ids:
                    rowids = [r for (r,) in conn.execute(
                        text("SELECT rowid FROM documents WHERE id IN (" + ",".join(f":i{n}" for n in range(len(ids)))
                             + ")"), {f"i{n}": i for n, i in enumerate(ids)})]
                    for rowid in rowids:
                        conn.execute(text("DELETE FROM reader_fts WHERE rowid = :r"), {"r": rowid})
                        conn.execute(text(APPEND.replace("rowid > :after", "rowid = :after")), {"after": rowid})
                self._catch_up(conn)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    def _catch_up(self, conn: Connection) -> None:
        indexed_max, indexed = conn.execute(text("SELECT coalesce(max(rowid), 0), count(*) FROM reader_fts")).one()
        newest, count = conn.execute(text("SELECT coalesce(max(rowid), 0), count(*) FROM documents")).one()
        if (indexed_max, indexed) == (newest, count):
            return
        fresh = conn.execute(text("SELECT count(*) FROM documents WHERE rowid > :after"),
                             {"after": indexed_max}).scalar()
        if indexed + fresh != count or indexed_max > newest:
            log.info("reader search index disagrees with the documents (%s indexed, %s stored): rebuilding",
                     indexed, count)
            conn.execute(text("DELETE FROM reader_fts"))
            indexed_max = 0
        conn.execute(text(APPEND), {"after": indexed_max})

    def request_sync(self) -> None:
        """Ask the index's writer thread to catch up, at most once every few seconds; never waits."""
        now = time.monotonic()
        if self._pending.is_set() or now - self._checked < self.CHECK_EVERY_S:
            return
        self._checked = now
        self._pending.set()
        self._writer.submit(self._background_sync)

    def _background_sync(self) -> None:
        try:
            self.sync()
        except Exception:  # noqa: BLE001 - the next request tries again; searches still answer
            log.exception("reader search index sync failed")
        finally:
            self._pending.clear()

    def search(self, conn: Connection, words: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        if not self.enabled:
            return like_search(conn, words, limit, offset)
        query = fts_query(words)
        if query is None:
            return [], 0
        self.request_sync()
        params = {"query": query, "limit": limit, "offset": offset}
        rows = [dict(r._mapping) for r in conn.execute(text(MATCHES), params)]
        return rows, int(conn.execute(text(COUNT), {"query": query}).scalar() or 0)


def like_search(conn: Connection, words: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """Substring search (PostgreSQL, or SQLite without FTS5): title matches first, newest first."""
    match = or_(contains_ci(D.title, words), contains_ci(D.body_text, words))
    total = conn.execute(select(func.count()).select_from(schema.documents).where(match)).scalar_one()
    query = (select(D.id, D.title, D.outlet, D.anchor_date, D.dateline).where(match)
             .order_by(contains_ci(D.title, words).desc(), D.anchor_date.desc().nulls_last(), D.id)
             .limit(limit).offset(offset))
    return [dict(r._mapping) for r in conn.execute(query)], total
