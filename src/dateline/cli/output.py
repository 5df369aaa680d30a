"""How commands print: data on stdout as a table, JSON or JSON Lines; messages on stderr.

Every command that prints data takes ``--format table|json|jsonl`` and passes its rows
(dicts) here, so all commands look and script alike.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from enum import Enum
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from dateline.console import error, info, stderr  # noqa: F401 - the CLI's names for them


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


FORMAT_OPTION = typer.Option(Format.table, "--format", "-f", help="table for people, json/jsonl for scripts")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def emit(rows: Sequence[dict[str, Any]] | dict[str, Any], fmt: Format, columns: Sequence[str] | None = None,
         title: str | None = None) -> None:
    """Print rows (or one object) in the chosen format."""
    if fmt is Format.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n")
        return
    items = [rows] if isinstance(rows, dict) else list(rows)
    if fmt is Format.jsonl:
        for row in items:
            sys.stdout.write(dumps(row) + "\n")
        return
    print_table(items, columns, title)


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, title: str | None = None) -> None:
    columns = list(columns or (rows[0].keys() if rows else []))
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*[_cell(row.get(column)) for column in columns])
    # Piped output has no terminal width; a wide console keeps rows on one line.
    console = Console() if sys.stdout.isatty() else Console(width=200)
    console.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return dumps(value)
    return str(value)

