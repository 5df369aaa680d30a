"""What one posted page costs, stage by stage, in one process (CPU seconds, as ratios).

    .venv/bin/python bench/post_cost.py                     # SQLite in a temporary folder
    .venv/bin/python bench/post_cost.py --db postgresql+psycopg://user:pw@127.0.0.1/dateline_bench
    .venv/bin/python bench/post_cost.py --seed-documents 1000 --posts 60

Seeds the store with the invented articles of ``bench/api_load.py`` (no NLP, as the load
bench does), then posts ``--posts`` more through the API's ``Ingestor`` and splits each
post's CPU time into: the pipeline (extraction and NLP), the store's write, the stories
filing, and within it near-duplicate detection (``stories.dedup.register``). CPU time
(``time.thread_time``) rather than wall time: the machine is shared, and the split and
the ratios do not depend on what else runs; the load average is printed beside them.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_load import article  # noqa: E402 - the same invented articles as the load bench

STAGES = ("pipeline", "store write", "stories filing", "  of which dedup")


def timed(table: dict[str, list[float]], name: str, function):
    def wrapper(*args, **kwargs):
        started = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            table[name].append(time.thread_time() - started)
    return wrapper


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="store URL (default: a temporary SQLite file)")
    parser.add_argument("--seed-documents", type=int, default=200)
    parser.add_argument("--posts", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dateline-post-cost-"))
    try:
        return run(args, args.db or f"sqlite:///{folder / 'cost.db'}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, db: str) -> int:
    from dateline.api.ingest import Ingestor
    from dateline.ingest import record_from_text
    from dateline.pipeline import Pipeline
    from dateline.store import Store
    from dateline.stories import dedup

    store = Store(db)
    plain = Pipeline(analyse=False)
    store.save_many([d for d in plain.run_batch([record_from_text(article(n), f"seed-{n:04d}.txt")
                                                 for n in range(args.seed_documents)])])
    ingestor = Ingestor(store)
    ingestor._load()
    ingestor.run(record_from_text(article(99_999), "warm-up"))  # first-call caches out of the figures

    cost: dict[str, list[float]] = defaultdict(list)
    ingestor.run = timed(cost, "pipeline", ingestor.run)
    store._save_batch = timed(cost, "store write", store._save_batch)
    store.notify_stored = timed(cost, "stories filing", store.notify_stored)
    dedup.register = timed(cost, "  of which dedup", dedup.register)
    totals = []
    for n in range(args.posts):
        started = time.thread_time()
        ingestor._ingest(record_from_text(article(100_000 + n * 97), f"post-{n}"))
        totals.append(time.thread_time() - started)
    total = sum(totals)
    print(f"{db.split(':', 1)[0]}: {args.posts} posts onto {args.seed_documents} stored documents, "
          f"{total / args.posts * 1000:.1f} ms CPU a post (median {statistics.median(totals) * 1000:.1f}); "
          f"load average {os.getloadavg()[0]:.1f}")
    for stage in STAGES:
        spent = sum(cost[stage])
        print(f"  {stage:<18} {spent / args.posts * 1000:7.1f} ms  {spent / total:6.1%}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
