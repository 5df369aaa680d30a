"""What a run shows: a progress bar or periodic lines, and the error summary at the end."""
from __future__ import annotations

import re
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from dateline.model import Failure


class Progress:
    """A Rich bar (documents/s, errors, ETA) on a terminal; a plain line every few seconds
    on stderr otherwise (logs of batch jobs stay readable)."""

    def __init__(self, total: int, enabled: bool | None, interval: float):
        self.total = total
        self.started = time.monotonic()
        self.last_line = self.started
        self.interval = interval
        self.bar: Any = None
        self.last_counts = ""
        tty = sys.stderr.isatty()
        self.lines = enabled is not False and not tty
        if (enabled is None and tty) or (enabled and tty):
            self._start_bar()

    def _start_bar(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        from dateline.console import stderr

        self.bar = RichProgress(
            TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("inputs"),
            TextColumn("{task.fields[docs]} docs, {task.fields[rate]:.1f} docs/s, [red]{task.fields[errors]} errors"),
            TimeRemainingColumn(), console=stderr, transient=False)
        self.bar.start()
        self.task = self.bar.add_task("ingest", total=self.total, docs=0, rate=0.0, errors=0)

    def update(self, done: int, docs: int, errors: int, force: bool = False) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = docs / elapsed
        if self.bar is not None:
            self.bar.update(self.task, completed=done, docs=docs, rate=rate, errors=errors)
        elif self.lines and (force or time.monotonic() - self.last_line >= self.interval):
            self.last_line = time.monotonic()
            eta = (elapsed / done * (self.total - done)) if done else 0
            counts = f"ingest: {done}/{self.total} inputs, {docs} documents, {errors} errors"
            if counts != self.last_counts:
                print(f"{counts}, {rate:.1f} docs/s, elapsed {_clock(elapsed)}, ETA {_clock(eta)}",
                      file=sys.stderr, flush=True)
            self.last_counts = counts

    def close(self, done: int, docs: int, errors: int) -> None:
        if self.bar is not None:
            self.update(done, docs, errors)
            self.bar.stop()
        else:
            self.update(done, docs, errors, force=True)


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def reason_kind(reason: str) -> str:
    """The reason without its particulars (sizes, offsets, messages): what to group by."""
    kind = re.split(r"[:(\[]", reason, maxsplit=1)[0].strip()
    return re.sub(r"\d+", "N", kind) or reason


def error_summary(failures: Sequence[Failure], examples: int = 3) -> list[str]:
    """Lines of the end-of-run summary: failures counted by reason, the first few inputs of each."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for failure in failures:
        by_kind[reason_kind(failure.reason)].append(failure.source)
    lines = [f"{len(failures)} inputs failed:"] if failures else []
    for kind, sources in sorted(by_kind.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        more = f", ... {len(sources) - examples} more" if len(sources) > examples else ""
        lines.append(f"  {len(sources):6d}  {kind}  ({', '.join(sources[:examples])}{more})")
    return lines
