#!/usr/bin/env python3
"""Extraction speed: Dateline's extraction-only mode against trafilatura.extract.

    .venv/bin/python bench/extract_speed.py [--corpus DIR] [--repeat N] [--limit N]

In one process, on the same pages (the ``html/*.html.gz`` of the corpus, default
$DATELINE_SHARED/corpus/extraction-dev, else ../shared/corpus/extraction-dev beside the
repository's main checkout, so a git worktree finds it too; decompressed and decoded once before timing), it times
1. ``trafilatura.extract(html)`` with its defaults: body text only,
2. Dateline's ``Pipeline(analyse=False)`` over HTML Records: the whole Article (title,
   authors, outlet, dates, dateline, body, related headlines, author bios), no spaCy,
and prints pages/s of each and the ratio (2)/(1) (aim: >= 1.0). A third line times
Dateline from the files themselves (ingest: gunzip, charset detection, then extraction)
for information. Times are CPU seconds of this process (``time.process_time``), so other
programs on a shared machine blur the ratio less; the two are run in turn ``--repeat``
times (after one untimed warm-up page) and each figure is the best of its runs.
"""
from __future__ import annotations

import argparse
import gzip
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """$DATELINE_SHARED, else the ``shared`` folder beside this checkout or, from a git
    worktree (whose ``.git`` is a file naming the main repository's git directory),
    beside the main checkout."""
    if os.environ.get("DATELINE_SHARED"):
        return Path(os.environ["DATELINE_SHARED"])
    candidates = [ROOT.parent / "shared"]
    git = ROOT / ".git"
    if git.is_file():
        gitdir = Path(git.read_text(encoding="utf-8").split("gitdir:", 1)[-1].strip())
        # <main>/.git/worktrees/<name> -> <main>
        candidates.append(gitdir.parents[2].parent / "shared" if len(gitdir.parents) > 2 else candidates[0])
    return next((c for c in candidates if (c / "corpus").is_dir()), candidates[0])


DEFAULT_CORPUS = shared_dir() / "corpus" / "extraction-dev"


def read_pages(corpus: Path, limit: int | None) -> list[tuple[Path, str]]:
    files = sorted((corpus / "html").glob("*.html.gz")) or sorted(corpus.glob("*.html.gz"))
    if not files:
        raise SystemExit(f"no .html.gz pages under {corpus}")
    files = files[:limit] if limit else files
    return [(path, gzip.decompress(path.read_bytes()).decode("utf-8", "replace")) for path in files]


def best_cpu_seconds(run: Callable[[], int], repeat: int) -> tuple[float, int]:
    """(best CPU seconds, items produced) over REPEAT runs."""
    best, produced = float("inf"), 0
    for _ in range(repeat):
        start = time.process_time()
        produced = run()
        best = min(best, time.process_time() - start)
    return best, produced


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many alternating runs (default 3)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    args = parser.parse_args(argv)

    import trafilatura

    from dateline.ingest import iter_records
    from dateline.model import Document, Record
    from dateline.pipeline import Pipeline

    pages = read_pages(args.corpus, args.limit)
    records = [Record(source=path.name, content=html, kind="html") for path, html in pages]
    pipeline = Pipeline(analyse=False)
    trafilatura.extract(pages[0][1])  # warm-up: imports and caches of both sides
    list(pipeline.run(records[:1]))

    def run_trafilatura() -> int:
        return sum(1 for _, html in pages if trafilatura.extract(html))

    def run_dateline() -> int:
        return sum(isinstance(r, Document) for r in pipeline.run(records))

    def run_dateline_files() -> int:
        return sum(isinstance(r, Document) for r in pipeline.run(iter_records([p for p, _ in pages])))

    n = len(pages)
    traf_s = dl_s = float("inf")
    for _ in range(args.repeat):  # alternate the two so drifting machine load hits both alike
        seconds, traf_ok = best_cpu_seconds(run_trafilatura, 1)
        traf_s = min(traf_s, seconds)
        seconds, dl_ok = best_cpu_seconds(run_dateline, 1)
        dl_s = min(dl_s, seconds)
    files_s, _ = best_cpu_seconds(run_dateline_files, 1)
    print(f"pages: {n} from {args.corpus} (best of {args.repeat} runs, CPU seconds of this process)")
    print(f"trafilatura.extract (defaults, body text only)   {n / traf_s:7.1f} pages/s  ({traf_s:.2f} s, {traf_ok} with text)")
    print(f"dateline extraction-only (Pipeline analyse=False) {n / dl_s:7.1f} pages/s  ({dl_s:.2f} s, {dl_ok} articles)")
    print(f"dateline from the files (ingest + extraction)      {n / files_s:7.1f} pages/s  ({files_s:.2f} s)")
    print(f"ratio dateline / trafilatura: {traf_s / dl_s:.2f}  (aim >= 1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
