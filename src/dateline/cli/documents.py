"""Commands on documents: extract (print), ingest (store), list and show."""
from __future__ import annotations

import sys
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
    for result in process([str(p) for p in paths], str(config) if config else None, analyse=not no_nlp):
        if isinstance(result, Failure):
            failed += 1
            error(str(result))
        elif fmt is Format.jsonl:
            sys.stdout.write(dumps(result.to_dict()) + "\n")
        else:
            documents.append(result.to_dict())
    if fmt is Format.json:
        emit(documents[0] if len(documents) == 1 and _single_document_input(paths) else documents, fmt)
    elif fmt is Format.table:
        emit([_summary(Document.from_dict(d)) for d in documents], fmt)
    raise typer.Exit(1 if failed else 0)


@app.command()
def ingest(
    paths: list[Path] = PATHS_ARGUMENT,
    db: Optional[str] = DB_OPTION,
    config: Optional[Path] = CONFIG_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Process PATHS and store the documents (re-ingesting updates, never duplicates)."""
    from dateline.pipeline import process
    from dateline.stories import on_documents_stored
    from dateline.store import Store

    store = Store(db)
    new = updated = failed = 0
    rows = []
    for result in process([str(p) for p in paths], str(config) if config else None):
        if isinstance(result, Failure):
            failed += 1
            error(str(result))
            continue
        if store.save(result):
            new += 1
        else:
            updated += 1
        on_documents_stored(store, [result])
        rows.append(_summary(result))
    info(f"{new} new, {updated} updated, {failed} failed; {store.count()} documents in {store.url}")
    emit(rows, fmt, ["id", "doc", "title", "events", "quotes"])
    raise typer.Exit(1 if failed else 0)


@app.command("list")
def list_documents(
    db: Optional[str] = DB_OPTION,
    limit: int = typer.Option(50, help="At most this many"),
    offset: int = typer.Option(0, help="Skip this many"),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The stored documents, newest first."""
    from dateline.store import Store

    emit(Store(db).list_documents(limit=limit, offset=offset), fmt,
         ["id", "title", "outlet", "anchor_date", "dateline", "doc"])


@app.command()
def show(
    doc_id: str = typer.Argument(..., help="Document id (or a unique prefix, or its doc name)"),
    db: Optional[str] = DB_OPTION,
    fmt: Format = typer.Option(Format.json, "--format", "-f", help="json (default), jsonl or table"),
) -> None:
    """One stored document in the output contract's shape."""
    from dateline.store import Store

    document = Store(db).get(doc_id)
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
