"""Dateline: news pages in, a sourced record of political events (PLOVER) out.

    import dateline
    docs = dateline.extract("page.html")        # list[Document] (a path, a folder, or the page's text)
    report = dateline.ingest(["pages/"], db="sqlite:///dateline.db", workers=4)
    store = dateline.open("sqlite:///dateline.db")
    events = store.events(type="CONSULT", country="RUS", since="2025-07")  # list of EventRow
    frame = events.to_pandas()                   # the export's columns
    store.quotes(speaker="Fidan"), store.actors(country="TUR"), store.documents()
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

# The stages of the same names are imported first, so the functions below stay what
# ``dateline.extract`` and ``dateline.ingest`` mean: importing a submodule binds its name on
# the package only on its first import, which would otherwise replace these functions.
import dateline.extract as _extract_stage  # noqa: E402,F401
import dateline.ingest as _ingest_stage  # noqa: E402,F401
from dateline.model import Article, Document, Event, Failure, Quote, Record

__version__ = "0.1.0"
__all__ = ["extract", "ingest", "open", "Document", "Article", "Event", "Quote", "Record", "Failure"]


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


def ingest(paths: str | Path | list[str | Path], db: str | None = None, workers: int | None = None,
           backend: str = "local", **options: Any) -> Any:
    """Process and store inputs with the batch runner (``dateline ingest``); returns its RunReport
    (``.new``, ``.updated``, ``.failures``, ``.exit_code``)."""
    from dateline.run import RunOptions, run
    from dateline.settings import load_settings
    from dateline.store import Store

    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    settings = options.pop("settings", None) or load_settings(options.get("config_path"))
    with Store(db, settings=settings) as store:
        return run(items, store, RunOptions(workers=workers, backend=backend, progress=False, settings=settings,
                                            **options))


def open(url: str | None = None) -> Any:  # noqa: A001 - mirrors sqlite3.connect / dataset.open
    """The store at ``url`` (a SQLAlchemy URL or a SQLite file path; default ``DATELINE_DB`` or
    ./dateline.db): ``.events(...)``, ``.quotes(...)``, ``.actors(...)``, ``.documents()`` give
    typed rows with ``.to_pandas()``; ``.get(id)`` and ``.iter_documents()`` whole Documents."""
    from dateline.store import Store

    return Store(url)
