"""``dateline export``: a table of the store as CSV, JSON Lines or Parquet."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from dateline.cli import app
from dateline.cli.options import DB_OPTION
from dateline.cli.output import error, info


class Table(str, Enum):
    events = "events"
    quotes = "quotes"
    actors = "actors"
    documents = "documents"


class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command("export")
def export_command(
    table: Table = typer.Option(Table.events, "--table", "-t", help="events, quotes, actors or documents"),
    fmt: ExportFormat | None = typer.Option(None, "--format", "-f",
                                            help="csv, jsonl or parquet (default: from --out's suffix, else csv)"),
    out: Path | None = typer.Option(None, "--out", "-o", help="File to write (default: stdout)"),
    db: str | None = DB_OPTION,
) -> None:
    """Write a table of the store for analysis (columns documented in the README)."""
    from dateline.cli.checks import open_store, usage_error
    from dateline.export import export

    suffix = out.suffix.lower().lstrip(".") if out else ""
    if fmt is None and suffix and suffix not in KNOWN_SUFFIXES:
        raise usage_error(f"--out {out}: cannot write .{suffix} (give a .csv, .jsonl or .parquet file, "
                          "or --format)")
    chosen = fmt.value if fmt else _format_from_suffix(out)
    if chosen == "parquet" and out is None and sys.stdout.isatty():
        error("Parquet is binary: give --out FILE (or redirect stdout)")
        raise typer.Exit(2)
    store = open_store(db, read_only=True)
    if out is None:
        count = export(store, table.value, chosen, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as handle:
            count = export(store, table.value, chosen, handle)
    info(f"{count} {table.value} rows written as {chosen}" + (f" to {out}" if out else ""))


KNOWN_SUFFIXES = ("csv", "jsonl", "ndjson", "parquet", "pq")


def _format_from_suffix(out: Path | None) -> str:
    suffix = out.suffix.lower().lstrip(".") if out else ""
    return {"parquet": "parquet", "pq": "parquet", "jsonl": "jsonl", "ndjson": "jsonl"}.get(suffix, "csv")
