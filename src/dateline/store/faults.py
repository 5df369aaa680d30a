"""Faults of the store itself (full, damaged, unreachable) told apart from errors about
one document, and the retry of a write transaction on lock contention or a restart."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError

T = TypeVar("T")
WRITE_ATTEMPTS = 8
RECONNECT_WAIT_S = 60.0  # how long a write waits for a restarting PostgreSQL before giving up


class StoreFault(Exception):
    """The store itself failed (disk full, a corrupt file, a database that stays away), not
    one document: a run stops with this one line rather than blaming every input after it."""


class StoreUnavailable(Exception):
    """The database cannot be opened (unreachable, wrong password, no such file): one line,
    with the URL's password masked."""


def one_line(exc: BaseException) -> str:
    """The driver's own message (first line), without SQLAlchemy's SQL and background link."""
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return (lines[0] if lines else type(orig).__name__)[:300]


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
            or "consuming input failed" in message or _refused_reconnect(message):
        return "connection"
    return None


def _refused_reconnect(message: str) -> bool:
    """A new connection turned away while the database is closed to connections
    (``ALLOW_CONNECTIONS false`` during a restore or a failover): psycopg reports it with
    no SQLSTATE, so only the server's wording tells it from a wrong password."""
    return "not currently accepting connections" in message


def _is_transient(exc: DBAPIError) -> bool:
    """Lock contention worth retrying: SQLite busy, PostgreSQL deadlock/serialization failure."""
    text = str(exc.orig if exc.orig is not None else exc).lower()
    code = getattr(exc.orig, "sqlstate", None)
    return code in {"40P01", "40001", "55P03"} or "database is locked" in text or "deadlock" in text


def retry(work: Callable[[], T], display_url: str) -> T:
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
                raise StoreFault(f"lost the store {display_url} for {RECONNECT_WAIT_S:.0f} s: "
                                 f"{one_line(exc)}; run again once it is back (finished inputs are "
                                 "skipped)") from None
            if fault:
                raise StoreFault(f"the store {display_url} {fault}: {one_line(exc)}") from None
            attempt += 1
            if attempt >= WRITE_ATTEMPTS or not _is_transient(exc):
                raise
            time.sleep(0.05 * 2 ** attempt)
