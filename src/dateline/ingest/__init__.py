"""The ingest stage: inputs (files, folders, URLs) -> ``Record`` or ``Failure`` values.

``iter_records(paths)`` walks every input and yields one ``Record`` per document found,
or a ``Failure`` naming the input and the reason; it never raises for bad input.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from dateline.model import DatelineError, Failure, Record

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
WARC_SUFFIXES = (".warc", ".warc.gz")
KNOWN_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES


def iter_records(paths: Iterable[str | Path]) -> Iterator[Record | Failure]:
    for path in paths:
        yield from _records_of(Path(path))


def _records_of(path: Path) -> Iterator[Record | Failure]:
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(KNOWN_SUFFIXES)):
            yield from _records_of(child)
        return
    if not path.exists():
        yield Failure(str(path), "no such file or folder")
        return
    try:
        yield from _read_file(path)
    except DatelineError as exc:
        yield Failure(exc.source, exc.reason)
    except OSError as exc:
        yield Failure(str(path), f"cannot read: {exc.strerror or exc}")


def _read_file(path: Path) -> Iterator[Record | Failure]:
    name = path.name.lower()
    if name.endswith(HTML_SUFFIXES):
        yield Record(source=path.name, content=path.read_bytes().decode("utf-8", "replace"), kind="html", path=str(path))
    else:
        yield Record(source=path.name, content=path.read_text(encoding="utf-8"), kind="text", path=str(path))


def record_from_text(text: str, source: str = "<text>") -> Record:
    """A Record for a page given as a string: HTML when it looks like markup, else a text capture."""
    head = text.lstrip()[:512].lower()
    kind = "html" if head.startswith(("<!doctype", "<html")) or "<body" in head else "text"
    return Record(source=source, content=text, kind=kind)
