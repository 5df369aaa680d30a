"""JSON Lines articles: one object a line, as people and scrapers write them.

A row gives the article as ``text`` (already the article: paragraphs as given) or as
``html`` (a page, extracted like an HTML file), and optionally ``id``, ``title``, ``url``,
``date``, ``outlet`` and ``authors`` (a list or one "A, B and C" string). The keys of
common scrapers are read too (news-please: ``maintext``, ``date_publish``,
``source_domain``; newspaper: ``publish_date``, ``source_url``; also ``content``/``body``,
``headline``, ``published``/``published_at``, ``source``/``site_name``/``publisher``);
``FIELDS`` below is the whole mapping. What the row gives wins over what extraction finds.

A broken row (bad JSON, no text) is a Failure naming the file and line; the other rows
are still read.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dateline.model import Failure, Record

# Our field -> the keys that may hold it, first found wins.
FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "maintext", "content", "body", "article", "articleBody"),
    "html": ("html", "raw_html", "page", "content_html"),
    "title": ("title", "headline"),
    "url": ("url", "link", "canonical_url"),
    "date": ("date", "date_publish", "publish_date", "published", "published_at", "pubDate", "datePublished", "date_published"),
    "outlet": ("outlet", "source_domain", "site_name", "source", "publisher", "source_url", "domain"),
    "authors": ("authors", "author", "byline"),
    "language": ("language", "lang"),
}
_KNOWN = {key for keys in FIELDS.values() for key in keys} | {"id"}
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")


def read_jsonl(text: str, path: Path) -> Iterator[Record | Failure]:
    rows = 0
    # Rows end at "\n" only: str.splitlines would also split at U+2028/U+2029, which JSON
    # allows raw inside strings, and so break a valid row in two.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        rows += 1
        yield _row(line, f"{path.name} line {number}", path)
    if not rows:
        yield Failure(str(path), "empty file (no JSON Lines rows)")


def _row(line: str, where: str, path: Path) -> Record | Failure:
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        return Failure(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:  # a row nested thousands deep: that row only
        return Failure(where, "invalid JSON (nested too deeply)")
    if not isinstance(data, dict):
        return Failure(where, "a row must be a JSON object")
    return record_of_fields(data, where, str(path))


def record_of_fields(data: dict[str, Any], where: str, path: str | None = None) -> Record | Failure:
    """A Record from one row's fields (also used for posted documents)."""
    text, html = _first_text(data, "text"), _first_text(data, "html")
    if text is None and html is None:
        return Failure(where, "row has no 'text' (nor 'html', 'maintext', 'content'): no article to read")
    doc = data.get("id")
    given = {"outlet": _outlet(_first(data, "outlet")), "authors": authors_of(_first(data, "authors")),
             "language": _optional_str(_first(data, "language"))}
    return Record(
        source=str(doc) if doc not in (None, "") else where,
        content=text if text is not None else html,  # type: ignore[arg-type]
        kind="plain" if text is not None else "html",
        url=_optional_str(_first(data, "url")),
        path=path,
        title=_optional_str(_first(data, "title")),
        date=_optional_str(_first(data, "date")),
        meta={**{k: v for k, v in data.items() if k not in _KNOWN}, **{k: v for k, v in given.items() if v}},
    )


def _first(data: dict[str, Any], field: str) -> Any:
    return next((data[key] for key in FIELDS[field] if data.get(key) not in (None, "", [])), None)


def _first_text(data: dict[str, Any], field: str) -> str | None:
    value = _first(data, field)
    return value if isinstance(value, str) and value.strip() else None


def authors_of(value: Any) -> list[str]:
    """["A", "B"], "A, B and C", or [{"name": "A"}] (JSON-LD style) -> names."""
    if isinstance(value, str):
        value = _AUTHOR_SPLIT.split(value)
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    names = [item.get("name") if isinstance(item, dict) else item for item in value]
    return [name.strip() for name in names if isinstance(name, str) and name.strip()]


def _outlet(value: Any) -> str | None:
    """An outlet name as given; a bare host ("www.example.com") loses its "www."."""
    if isinstance(value, dict):
        value = value.get("name")
    text = _optional_str(value)
    if text and re.fullmatch(r"(?:https?://)?[\w.-]+\.[a-z]{2,}/?", text, re.IGNORECASE):
        text = re.sub(r"^(?:https?://)?(?:www\.)?", "", text, flags=re.IGNORECASE).rstrip("/")
    return text


def _optional_str(value: Any) -> str | None:
    return str(value).strip() or None if value not in (None, "") else None
