"""The ``dateline`` command. One module per area adds its commands to ``app``.

Conventions kept by every command: ``--db URL`` (default ``DATELINE_DB`` or
``./dateline.db``); ``--format table|json|jsonl`` for data; data on stdout, progress and
errors on stderr; exit 0 on success, 1 when some input failed, 2 on usage errors.
"""
from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="dateline",
    help="Turn news pages into a sourced, queryable record of political events (PLOVER).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

def _print_version(value: bool) -> None:
    if value:
        from dateline import __version__

        typer.echo(f"dateline {__version__}")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print the version and exit"),
) -> None:
    """Turn news pages into a sourced, queryable record of political events (PLOVER)."""


# Each module registers its commands on ``app`` when imported.
COMMAND_MODULES = ("documents", "coding", "stories", "serving", "export", "watch", "workbench", "correct",
                   "explain")


def main() -> None:
    for module in COMMAND_MODULES:
        importlib.import_module(f"dateline.cli.{module}")
    from dateline.store.repository import StoreUnavailable

    try:
        app()
    except StoreUnavailable as exc:  # one line (password masked), never a traceback
        from dateline.cli.output import error

        error(str(exc))
        raise SystemExit(2) from None
