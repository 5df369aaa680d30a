"""Commands on documents: extract (print), ingest (store), list and show."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from dateline.cli import app
from dateline.cli.options import CONFIG_OPTION, DB_OPTION
from dateline.cli.output import FORMAT_OPTION, Format, dumps, emit, error, info
from dateline.model import Document, Failure

PATHS_ARGUMENT = typer.Argument(..., help="Files, folders, WARC or JSON Lines files")


def _single_document_input(paths: list[Path]) -> bool:
    """One page file in, one object out (the contract); containers and folders print arrays."""
    from dateline.ingest import HTML_SUFFIXES, TEXT_SUFFIXES

    return len(paths) == 1 and paths[0].is_file() and paths[0].name.lower().endswith(HTML_SUFFIXES + TEXT_SUFFIXES)


@app.command()
def extract(
    paths: list[Path] = PATHS_ARGUMENT,
    fmt: Format = typer.Option(Format.json, "--format", "-f", help="json (default), jsonl or table"),
    no_nlp: bool = typer.Option(False, "--no-nlp", help="Extraction only: the article, no actors/quotes/events"),
    config: Optional[Path] = CONFIG_OPTION,
) -> None:
    """Print the analysed documents of PATHS (nothing is stored)."""
    from dateline.pipeline import process

    documents: list[dict] = []
    failed = 0
    notes = NoteCount()
    for result in process([str(p) for p in paths], str(config) if config else None, analyse=not no_nlp):
        if isinstance(result, Failure):
            failed += 1
            error(str(result))
            continue
        notes.add(result)
        if fmt is Format.jsonl:
            sys.stdout.write(dumps(result.to_dict()) + "\n")
        else:
            documents.append(result.to_dict())
    notes.report()
    if fmt is Format.json:
        emit(documents[0] if len(documents) == 1 and _single_document_input(paths) else documents, fmt)
    elif fmt is Format.table:
        emit([_summary(Document.from_dict(d)) for d in documents], fmt)
    raise typer.Exit(1 if failed else 0)


class NoteCount:
    """Each document's notes on stderr as they come; the run summary counts the documents
    left unanalysed because the nlp stage does not code their language."""

    def __init__(self) -> None:
        self.uncoded: dict[str, int] = {}

    def add(self, document: Document) -> None:
        from dateline.extract.language import is_coded

        for note in document.article.notes:
            info(f"{document.doc}: note: {note}")
        if not is_coded(document.article):
            language = document.article.language or "?"
            self.uncoded[language] = self.uncoded.get(language, 0) + 1

    def report(self) -> None:
        if self.uncoded:
            counts = ", ".join(f"{n} {lang}" for lang, n in sorted(self.uncoded.items()))
            info(f"{sum(self.uncoded.values())} documents in languages not coded ({counts}): extracted, not analysed")


class Backend(str, Enum):
    local = "local"
    ray = "ray"


@app.command()
def ingest(
    paths: list[Path] = PATHS_ARGUMENT,
    db: Optional[str] = DB_OPTION,
    config: Optional[Path] = CONFIG_OPTION,
    fmt: Format = FORMAT_OPTION,
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=0,
                                          help="Worker processes (default: one per core; 0 or 1: in this process)"),
    backend: Backend = typer.Option(Backend.local, "--backend", help="local process pool, or ray"),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster address (default: start a local Ray)"),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1, help="Records per worker task"),
    force: bool = typer.Option(False, "--force", help="Redo inputs an earlier run already finished"),
    no_nlp: bool = typer.Option(False, "--no-nlp", help="Extraction only: store articles without analysis"),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Progress bar on a terminal, periodic lines otherwise (default)"),
) -> None:
    """Process PATHS in parallel and store the documents (re-ingesting updates, never duplicates).

    Inputs a previous run finished are skipped (by path, size and modification time), so a
    run stopped at any point is simply started again.
    """
    from dateline.cli.checks import open_store
    from dateline.run import RunAborted, Runner, RunOptions, error_summary
    from dateline.settings import load_settings

    config_path = str(config) if config else None
    settings = load_settings(config_path)  # once: the runner, its workers and the store's hooks share them
    store = open_store(db, settings=settings)
    options = RunOptions(workers=workers, backend=backend.value, address=address, batch_size=batch_size,
                         config_path=config_path, settings=settings, analyse=not no_nlp, force=force,
                         progress=progress)
    shown: list[dict] = []
    runner = Runner(store, options)
    runner.on_failure = lambda failure: error(str(failure))
    notes = NoteCount()
    runner.on_document = lambda document, new: (notes.add(document), _show(document, fmt, shown))
    try:
        report = runner.run([str(p) for p in paths])
    except RunAborted as exc:
        error(str(exc))
        raise typer.Exit(1) from None
    for line in error_summary(report.failures):
        info(line)
    skipped = f", {report.skipped} inputs skipped (done before)" if report.skipped else ""
    notes.report()
    info(f"{report.new} new, {report.updated} updated, {len(report.failures)} failed{skipped} in "
         f"{report.seconds:.1f} s; {store.count()} documents in {store.display_url}")
    if fmt is not Format.jsonl:
        if fmt is Format.table and len(shown) > MAX_TABLE_ROWS:
            info(f"(showing the first {MAX_TABLE_ROWS} of {len(shown)} documents)")
            shown = shown[:MAX_TABLE_ROWS]
        emit(shown, fmt, ["id", "doc", "title", "events", "quotes"])
    raise typer.Exit(report.exit_code)


MAX_TABLE_ROWS = 100


def _show(document: Document, fmt: Format, shown: list[dict]) -> None:
    """Documents stream out as JSON Lines; for a table or JSON they are gathered."""
    if fmt is Format.jsonl:
        sys.stdout.write(dumps(_summary(document)) + "\n")
    else:
        shown.append(_summary(document))


@app.command("list")
def list_documents(
    db: Optional[str] = DB_OPTION,
    limit: int = typer.Option(50, help="At most this many"),
    offset: int = typer.Option(0, help="Skip this many"),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The stored documents, newest first."""
    from dateline.cli.checks import check_limit, check_offset, open_store

    check_limit(limit)
    check_offset(offset)
    emit(open_store(db, read_only=True).list_documents(limit=limit, offset=offset), fmt,
         ["id", "title", "outlet", "anchor_date", "dateline", "doc"])


@app.command()
def show(
    doc_id: str = typer.Argument(..., help="Document id (or a unique prefix, or its doc name)"),
    db: Optional[str] = DB_OPTION,
    fmt: Format = typer.Option(Format.json, "--format", "-f", help="json (default), jsonl or table"),
) -> None:
    """One stored document in the output contract's shape."""
    from dateline.cli.checks import open_store

    document = open_store(db, read_only=True).get(doc_id)
    if document is None:
        error(f"no document {doc_id!r} in the store")
        raise typer.Exit(1)
    if fmt is Format.table:
        emit([_summary(document)], fmt)
    else:
        emit(document.to_dict(), fmt)


def _summary(document: Document) -> dict:
    art = document.article
    return {
        "id": document.id, "doc": document.doc, "title": art.title, "outlet": art.outlet,
        "date": art.anchor_date, "dateline": art.dateline, "paragraphs": len(art.body),
        "actors": len(document.actors), "quotes": len(document.quotes), "events": len(document.events),
    }
