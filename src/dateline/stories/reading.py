"""What the stories stage's read functions share: a connection from whatever the caller
holds, party-key and date-range conditions."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, or_
from sqlalchemy.engine import Connection

from dateline.stories import ensure_tables
from dateline.stories.text import date_interval


@contextmanager
def connect(target: Any) -> Iterator[Connection]:
    """A connection from a ``Store``, an ``Engine`` or a ``Connection`` (used as is)."""
    if isinstance(target, Connection):
        yield target
        return
    engine = target if isinstance(target, Engine) else target.engine
    if not isinstance(target, Engine):
        ensure_tables(target)
    with engine.connect() as conn:
        yield conn


def key_has(column: Any, code: str) -> Any:
    """``column`` (a "+"-joined party key) names ``code``."""
    return or_(column == code, column.like(f"{code}+%"), column.like(f"%+{code}"), column.like(f"%+{code}+%"))


def day_bounds(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    low = date_interval(date_from)
    high = date_interval(date_to)
    return (low[0] if low else None), (high[1] if high else None)
