"""Search over titles and bodies for the reader: SQLite FTS5 when available, else LIKE.

A substring scan of 10,000 bodies costs a few hundred milliseconds per search, so on
SQLite the reader keeps its own full-text index, ``reader_fts`` (title weighted over
body, ranked by BM25). It is a side table the store knows nothing about: it is brought
up to date before each search by appending the documents stored since (by rowid), and
rebuilt whole when documents were deleted or replaced under an older rowid (the counts
then disagree). The user's words are quoted one by one and bound as the MATCH
parameter, so FTS syntax in a query is only ever text.
"""
from __future__ import annotations

import logging
import re
import threading
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
    "CREATE TABLE IF NOT EXISTS reader_fts_state (id INTEGER PRIMARY KEY, max_rowid INTEGER, n INTEGER)",
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
    def __init__(self, engine: Engine):
        self.engine = engine
        self._lock = threading.Lock()
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
        """Append documents stored since the last sync; rebuild when rows went away."""
        with self._lock, self.engine.begin() as conn:
            state = conn.execute(text("SELECT max_rowid, n FROM reader_fts_state WHERE id = 1")).first()
            newest, count = conn.execute(text("SELECT coalesce(max(rowid), 0), count(*) FROM documents")).one()
            if state is not None and (state.max_rowid, state.n) == (newest, count):
                return
            after = state.max_rowid if state is not None else 0
            fresh = conn.execute(text("SELECT count(*) FROM documents WHERE rowid > :after"), {"after": after}).scalar()
            if state is None or state.n + fresh != count:
                conn.execute(text("DELETE FROM reader_fts"))
                after = 0
            conn.execute(text(APPEND), {"after": after})
            conn.execute(text("INSERT OR REPLACE INTO reader_fts_state (id, max_rowid, n) VALUES (1, :m, :n)"),
                         {"m": newest, "n": count})

    def search(self, conn: Connection, words: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        if not self.enabled:
            return like_search(conn, words, limit, offset)
        query = fts_query(words)
        if query is None:
            return [], 0
        self.sync()
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
