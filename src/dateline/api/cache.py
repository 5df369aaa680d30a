"""Answers of the heavy read routes (aggregates, map data, the analyst page's facets),
kept while the database is unchanged.

An analyst moves between a few views of one store; each view is computed once per
state of the database. The state is read in constant time before the answer is
computed, and any commit by any process changes it:

- SQLite: the size, modification time and header of the database file and of its
  write-ahead log (a commit appends frames to the log; a log restarted after a
  checkpoint gets new salts in its header; a commit without a log bumps the file's
  change counter);
- PostgreSQL: the current write-ahead log position (any write on the server moves it,
  so the cache is dropped more often than needed, never kept too long).

Other databases (and in-memory SQLite) are not cached. A state that cannot be read
means no caching, never a stale answer. Cached answers are shared: callers must not
change them.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.engine import Connection

T = TypeVar("T")
CAPACITY = 64  # distinct views kept (filters x routes); each answer is at most a few MB

_lock = threading.Lock()
_answers: OrderedDict[Hashable, Any] = OrderedDict()


def _file_state(path: str) -> tuple[Any, ...]:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return ("absent",)
    with open(path, "rb") as handle:
        header = handle.read(32)  # log: salts and checkpoint number; database: change counter at 24
    return info.st_size, info.st_mtime_ns, header


def database_state(conn: Connection) -> Hashable | None:
    """A value that changes with every commit to the database, or None when unknown."""
    dialect = conn.dialect.name
    try:
        if dialect == "sqlite":
            path = conn.engine.url.database
            if not path or path == ":memory:" or path.startswith("file:"):
                return None
            path = os.path.abspath(path)
            return path, _file_state(path + "-wal"), _file_state(path)
        if dialect == "postgresql":
            # On the caller's connection (a request holds one from a sized pool), in a
            # savepoint so a refusal cannot abort its transaction; a standby has no position.
            with conn.begin_nested():
                position = conn.exec_driver_sql(
                    "SELECT CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END").scalar()
            return (str(conn.engine.url), position) if position else None
    except Exception:  # noqa: BLE001 - no state, no cache: the answer is computed
        return None
    return None


def cached(conn: Connection, name: str, arguments: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s answer for ``(name, arguments)`` in the database's current state."""
    state = database_state(conn)  # read before computing: an answer is never older than its key
    if state is None:
        return compute()
    key = (state, name, arguments)
    with _lock:
        if key in _answers:
            _answers.move_to_end(key)
            return _answers[key]
    answer = compute()
    with _lock:
        _answers[key] = answer
        while len(_answers) > CAPACITY:
            _answers.popitem(last=False)
    return answer


def cached_where(conn: Connection, name: str, conditions: list[Any], arguments: Hashable,
                 compute: Callable[[], T]) -> T:
    """``cached`` for a query filtered by SQL ``conditions``: keyed on their SQL with the
    values written in (a filter object may hold lists, and the SQL is what decides the
    answer). A value SQL cannot spell as a literal: computed, not cached."""
    from sqlalchemy import and_, true

    try:
        where = str(and_(true(), *conditions).compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    except Exception:  # noqa: BLE001 - not spellable: no key, so no cache
        return compute()
    return cached(conn, name, (where, arguments), compute)


def clear() -> None:
    with _lock:
        _answers.clear()
