"""Dateline: news pages in, a sourced record of political events (PLOVER) out.

    import dateline
    docs = dateline.extract("page.html")        # list[Document]
    store = dateline.open("sqlite:///dateline.db")
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from dateline.model import Article, Document, Event, Failure, Quote, Record

__version__ = "0.1.0"
__all__ = ["extract", "open", "Document", "Article", "Event", "Quote", "Record", "Failure"]


def extract(source: str | Path, analyse: bool = True, config: str | None = None) -> list[Document]:
    """Documents from a path (file, folder, WARC, JSON Lines) or from a page's text itself.

    Raises ``ValueError`` naming every input that failed, after processing the others.
    """
    from dateline.ingest import record_from_text
    from dateline.pipeline import Pipeline, process

    if isinstance(source, Path) or (len(str(source)) < 4096 and "\n" not in str(source) and Path(str(source)).exists()):
        results = list(process([str(source)], config, analyse))
    else:
        results = list(Pipeline(config, analyse).run([record_from_text(str(source))]))
    failures = [r for r in results if isinstance(r, Failure)]
    if failures:
        raise ValueError("; ".join(str(f) for f in failures))
    return [r for r in results if isinstance(r, Document)]


def open(url: str | None = None) -> Any:  # noqa: A001 - mirrors sqlite3.connect / dataset.open
    """The store at ``url`` (default ``DATELINE_DB`` or ./dateline.db)."""
    from dateline.store import Store

    return Store(url)
