"""JSON Lines articles: one ``{"id", "text", "title"?, "url"?, "date"?}`` object a line.

A broken row (bad JSON, no text) is a Failure naming the file and line; the other rows
are still read.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dateline.model import Failure, Record


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
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        return Failure(where, "row has no 'text'")
    doc = data.get("id")
    return Record(
        source=str(doc) if doc not in (None, "") else where,
        content=text,
        kind="plain",
        url=_optional_str(data.get("url")),
        path=str(path),
        title=_optional_str(data.get("title")),
        date=_optional_str(data.get("date")),
        meta={k: v for k, v in data.items() if k not in {"id", "text", "title", "url", "date"}},
    )


def _optional_str(value: Any) -> str | None:
    return str(value).strip() or None if value not in (None, "") else None
