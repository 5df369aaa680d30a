"""``dateline watch FEED_OR_SITEMAP_URL... [--every 15m]``: poll and store new articles."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from dateline.cli import app
from dateline.cli.options import CONFIG_OPTION, DB_OPTION
from dateline.cli.output import error, info


@app.command()
def watch(
    urls: list[str] = typer.Argument(..., help="Feed (RSS/Atom) or sitemap URLs"),
    every: Optional[str] = typer.Option(None, "--every", help="Poll again at this interval (15m, 1h, 90s); default: once"),
    db: Optional[str] = DB_OPTION,
    config: Optional[Path] = CONFIG_OPTION,
    state: Path = typer.Option(Path(".dateline-watch.json"), "--state", help="Resume file: validators and URLs done"),
    rate: float = typer.Option(1.0, "--rate", min=0.0, help="Seconds between two requests to one host"),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds to wait for an answer"),
    retries: int = typer.Option(3, "--retries", min=0, help="Retries (with backoff) on timeouts and 5xx"),
    no_nlp: bool = typer.Option(False, "--no-nlp", help="Store articles without analysis"),
) -> None:
    """Poll feeds and sitemaps; fetch each new article once (robots.txt, per-host rate,
    conditional GET, retries) and store it. Killed and restarted, it refetches nothing it stored."""
    from dateline.ingest.watch import Fetcher, WatchState, Watcher, parse_every
    from dateline.ingest.web import normalise_url

    sources = [normalise_url(u) for u in urls]
    if not all(sources):
        error(f"not an http(s) URL: {next(u for u, s in zip(urls, sources) if not s)}")
        raise typer.Exit(2)
    try:
        interval = parse_every(every) if every else None
    except ValueError as exc:
        error(f"--every: {exc}")
        raise typer.Exit(2) from None
    watcher = Watcher(Fetcher(rate=rate, timeout=timeout, retries=retries), WatchState(state),
                      _store_record(db, str(config) if config else None, not no_nlp), progress=info)
    while True:
        report = watcher.poll([s for s in sources if s])
        for failure in report.failures:
            error(str(failure))
        info(f"{report.sources} sources ({report.unchanged} unchanged), {report.new} new articles, "
             f"{len(report.failures)} failed")
        if interval is None:
            raise typer.Exit(1 if report.failures and not report.new else 0)
        time.sleep(interval)


def _store_record(db: str | None, config: str | None, analyse: bool):
    from dateline.pipeline import Pipeline
    from dateline.settings import load_settings
    from dateline.store import Store

    settings = load_settings(config)
    store, pipeline = Store(db, settings=settings), Pipeline(settings, analyse=analyse)

    def store_record(record):
        from dateline.model import Failure

        [result] = pipeline.run_batch([record]) or [Failure(record.source, "nothing could be extracted", stage="extract")]
        if isinstance(result, Failure):
            return result
        store.save(result)
        return None

    return store_record
