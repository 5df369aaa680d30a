"""Messages on stderr for any stage (errors one line, no traceback; progress), so that
library code never imports the command line (``dateline.cli.output`` re-exports these)."""
from __future__ import annotations

from rich.console import Console

stderr = Console(stderr=True)


def error(message: str) -> None:
    """One line on stderr, no traceback: what failed and why."""
    stderr.print(f"[red]error[/red]: {message}", highlight=False, markup=True, soft_wrap=True)


def info(message: str) -> None:
    stderr.print(message, highlight=False, soft_wrap=True)
