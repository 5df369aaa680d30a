"""Parameter validation shared by every route (JSON API and HTML pages, old and new).

Bad values are the client's mistake and answer 4xx with the reason, never a 500 from
the database: ``Limit``/``Offset`` bound page sizes and offsets (a 20-digit offset
overflowed SQLite's and PostgreSQL's integers), ``one_of``/``codes`` check enumerated
values and list the allowed ones, and ``check_request_target`` (run by the app's
middleware on every request) refuses NUL characters (PostgreSQL cannot compare them)
and overlong query strings before any route runs.

Use in a route::

    from dateline.api.params import Limit, Offset, one_of
    def route(limit: Limit = 50, offset: Offset = 0, kind: str | None = None):
        kind = one_of("kind", kind, ("a", "b"))
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated

from fastapi import HTTPException, Query
from starlette.requests import Request

from dateline.model import FACTUALITY, PLOVER_TYPES, QUOTE_KINDS

from dateline.api.queries import MAX_LIMIT  # noqa: E402 - one page-size bound for every route
MAX_OFFSET = 1_000_000            # deeper than any archive's pages; keeps values in 64 bits
MAX_QUERY_STRING = 4096           # bytes of query string a request may carry
MAX_TEXT = 500                    # characters of a free-text filter
STORY_MIN_ARTICLES = 2            # a "story" of one article is no cluster to list
ACTOR_KINDS = ("person", "country", "org", "igo", "ngo", "group", "place-as-actor")

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]
Count = Annotated[int, Query(ge=1, le=MAX_OFFSET)]
Text = Annotated[str | None, Query(max_length=MAX_TEXT)]


def one_of(name: str, value: str | None, allowed: Sequence[str]) -> str | None:
    """``value`` if it is one of ``allowed`` (case-insensitive; empty means none), else 422."""
    if value is None or not value.strip():
        return None
    by_lower = {a.lower(): a for a in allowed}
    found = by_lower.get(value.strip().lower())
    if found is None:
        raise HTTPException(422, f"unknown {name} {value[:40]!r}: use one of {', '.join(allowed)}")
    return found


def codes(name: str, values: Iterable[str] | None, allowed: Sequence[str] | None = None) -> list[str]:
    """Comma-separated or repeated values, split and upper-cased; with ``allowed``, each checked."""
    out = [v.strip().upper() for value in (values or []) for v in value.split(",") if v.strip()]
    if allowed is not None:
        unknown = [v for v in out if v not in allowed]
        if unknown:
            raise HTTPException(422, f"unknown {name} {unknown[0][:40]!r}: use one of {', '.join(allowed)}")
    return out


def event_types(values: Iterable[str] | None) -> list[str]:
    return codes("event type", values, PLOVER_TYPES)


def factuality(value: str | None) -> str | None:
    return one_of("factuality", value, FACTUALITY)


def quote_kind(value: str | None) -> str | None:
    return one_of("quote kind", value, QUOTE_KINDS)


def actor_kind(value: str | None) -> str | None:
    return one_of("actor kind", value, ACTOR_KINDS)


def check_request_target(request: Request) -> str | None:
    """The reason to refuse this request's path or query string (400/414), or None."""
    raw_query = request.scope.get("query_string", b"")
    if len(raw_query) > MAX_QUERY_STRING:
        return "query string too long"
    lowered = raw_query.lower()
    path = request.scope.get("path", "")
    if b"%00" in lowered or b"\x00" in raw_query or "\x00" in path:
        return "NUL characters are not allowed in the address"
    return None
