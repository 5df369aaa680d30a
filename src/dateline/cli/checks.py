"""Argument checks shared by commands: a bad argument is one line on stderr and exit 2.

``open_store(db, read_only=True)`` refuses a URL SQLAlchemy cannot use, a database server
it cannot reach, and (for read-only commands) a SQLite file that does not exist, so a
typo in ``--db`` never looks like an empty store and never leaves a new file behind.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from dateline.cli.output import error

ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def usage_error(message: str) -> typer.Exit:
    error(message)
    return typer.Exit(2)


def open_store(db: str | None, *, read_only: bool = False, settings: Any = None) -> Any:
    """The store at ``db`` opened with ``settings`` (default: the packaged ones); exit 2
    with one line when it cannot be opened."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    from dateline.config import default_db_url
    from dateline.store import Store
    from dateline.store.repository import StoreUnavailable, normalise_url

    url = normalise_url(db or default_db_url(settings))
    if url.startswith("sqlite"):
        _check_sqlite_path(url, read_only)
    elif not url.startswith("postgresql"):
        raise usage_error(f"--db {url!r}: unsupported database (use a file path, sqlite:///FILE "
                          "or postgresql+psycopg://...)")
    try:
        return Store(url, settings=settings)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise usage_error(f"--db {url!r}: not a usable database URL ({exc})") from None
    except StoreUnavailable as exc:
        raise usage_error(str(exc)) from None
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "connection failed"
        raise usage_error(f"--db {_hide_password(url)}: cannot connect ({reason})") from None


def _check_sqlite_path(url: str, read_only: bool) -> None:
    path_text = url.split(":///", 1)[1] if ":///" in url else ""
    if not path_text or path_text == ":memory:":
        return
    path = Path(path_text.split("?", 1)[0])
    if read_only and not path.exists():
        raise usage_error(f"--db {path}: no such database (ingest something first, or check the path)")
    if not path.parent.exists():
        raise usage_error(f"--db {path}: the folder {path.parent} does not exist")


def _hide_password(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def check_date(value: str | None, option: str) -> str | None:
    """An ISO day, month or year (2025-07-23, 2025-07, 2025), else exit 2."""
    if value is None:
        return None
    match = ISO_DATE.match(value.strip())
    if match is None:
        raise usage_error(f"{option} {value!r}: not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    month, day = match.group(2), match.group(3)
    if month and not 1 <= int(month) <= 12:
        raise usage_error(f"{option} {value!r}: month {month} does not exist")
    if day:
        from datetime import date

        try:
            date(int(match.group(1)), int(month), int(day))
        except ValueError:
            raise usage_error(f"{option} {value!r}: day {day} does not exist in that month") from None
    return value.strip()


def check_range(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    first, last = check_date(date_from, "--from"), check_date(date_to, "--to")
    if first and last and first[:len(last)] > last:
        raise usage_error(f"--from {first} is after --to {last}")
    return first, last


def check_limit(value: int, option: str = "--limit") -> int:
    if value < 1:
        raise usage_error(f"{option} {value}: must be at least 1")
    return value


def check_offset(value: int) -> int:
    if value < 0:
        raise usage_error(f"--offset {value}: must be 0 or more")
    return value
