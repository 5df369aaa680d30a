#!/usr/bin/env python3
"""Throughput of the batch runner: articles per second with 1 and 2 workers, against spaCy.

    .venv/bin/python bench/throughput.py [--corpus DIR] [--limit 120] [--batch-size 16]

In one run, on the same articles (plain-text captures of ../shared/corpus/bench-news):

1. spaCy alone: ``nlp.pipe`` over the article bodies with only the model's own
   components (Dateline's disabled), in this process;
2. the full pipeline (extraction + every Dateline component), 1 worker (this process);
3. the same with 2 workers (the runner's local process pool).

Records are read before timing (reading files is not the subject); model loading and
worker start-up are timed apart and left out of the rates. It prints articles/s of each,
the speed-up of 2 workers over 1 (aim >= 1.6x), the ratio of the full pipeline's
throughput to spaCy's (aim >= 0.7), the peak RSS of a worker (aim <= 750 MB), and
articles per day for this machine. Wall-clock rates depend on what else runs: the load
average is printed beside them, and CPU-time rates (immune to other programs) too.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "bench-news"


def read_records(corpus: Path, limit: int) -> list:
    from dateline.ingest import iter_records
    from dateline.model import Record

    files = sorted(p for p in corpus.rglob("*.txt") if p.is_file())[:limit]
    if not files:
        raise SystemExit(f"no .txt files under {corpus}")
    return [r for r in iter_records(files) if isinstance(r, Record)]


def batches(records: list, size: int):
    from dateline.run import Batch

    for seq, start in enumerate(range(0, len(records), size)):
        chunk = records[start:start + size]
        yield Batch(seq, chunk, [0] * len(chunk))


def time_backend(backend, records: list, batch_size: int) -> tuple[float, int, int]:
    """(wall seconds, documents, failures) of one pass of the records through a backend."""
    from dateline.model import Failure

    documents = failures = 0
    started = time.perf_counter()
    for _, results in backend.map_unordered(batches(records, batch_size)):
        failures += sum(isinstance(r, Failure) for r in results)
        documents += sum(not isinstance(r, Failure) for r in results)
    return time.perf_counter() - started, documents, failures


def spacy_alone(texts: list[str], batch_size: int) -> tuple[float, float]:
    """(CPU, wall) seconds of nlp.pipe with Dateline's components switched off."""
    from dateline import nlp as dateline_nlp
    from dateline.config import load_config

    nlp = dateline_nlp.load()
    ours = [name for name in nlp.pipe_names if name in set(load_config()["nlp"]["components"])]
    with nlp.select_pipes(disable=ours):
        list(nlp.pipe(texts[:4], batch_size=batch_size))  # warm up
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass
        return time.process_time() - cpu, time.perf_counter() - wall


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=120, help="number of articles (default 120)")
    parser.add_argument("--batch-size", type=int, default=16, help="records per worker task (default 16)")
    args = parser.parse_args(argv)

    from dateline.pipeline import Pipeline
    from dateline.run import InlineBackend, PoolBackend, RunOptions

    records = read_records(args.corpus, args.limit)
    words = sum(len(r.content.split()) for r in records)
    print(f"articles: {len(records)} from {args.corpus} ({words} words, {words / len(records):.0f} per article)")
    print(f"machine: {os.cpu_count()} CPUs, load average before: {os.getloadavg()[0]:.1f}")

    started = time.perf_counter()
    inline = InlineBackend(RunOptions(workers=1))
    print(f"pipeline built in {time.perf_counter() - started:.1f} s (model loaded once per process)")
    list(inline.map_unordered(batches(records[:4], 4)))  # warm up lazy tables

    texts = [Pipeline()._extract(r).text for r in records]
    spacy_cpu, spacy_wall = spacy_alone(texts, args.batch_size)

    cpu = time.process_time()
    one_wall, docs, failures = time_backend(inline, records, args.batch_size)
    one_cpu = time.process_time() - cpu
    load_one = os.getloadavg()[0]

    started = time.perf_counter()
    pool = PoolBackend(RunOptions(workers=2), 2)
    startup = time.perf_counter() - started
    children_before, parent_before = _cpu(resource.RUSAGE_CHILDREN), time.process_time()
    two_wall, _, _ = time_backend(pool, records, args.batch_size)
    load_two = os.getloadavg()[0]
    pool.close()  # workers are reaped here, so their CPU time is counted below
    two_cpu = _cpu(resource.RUSAGE_CHILDREN) - children_before + time.process_time() - parent_before

    n = len(records)
    rate_spacy_cpu, rate_one_cpu = n / spacy_cpu, n / one_cpu
    rate_one, rate_two = n / one_wall, n / two_wall
    print(f"spaCy nlp.pipe alone:        {n / spacy_wall:6.2f} articles/s wall, {rate_spacy_cpu:6.2f} per CPU-second")
    print(f"full pipeline, 1 worker:     {rate_one:6.2f} articles/s wall, {rate_one_cpu:6.2f} per CPU-second "
          f"(load average {load_one:.1f}; {docs} documents, {failures} failures)")
    print(f"full pipeline, 2 workers:    {rate_two:6.2f} articles/s wall (load average {load_two:.1f}; "
          f"pool start-up {startup:.1f} s, not counted)")
    print(f"speed-up of 2 workers over 1: {rate_two / rate_one:.2f}x wall-clock as measured (aim >= 1.6x)")
    # Other programs take CPU from both runs unequally; what 2 workers would do on 2 idle
    # cores follows from the CPU time they need per article (workers + parent together).
    print(f"CPU per article: {one_cpu / n * 1000:.0f} ms with 1 worker, {two_cpu / n * 1000:.0f} ms with 2 "
          f"(workers + parent); on 2 idle cores 2 workers would give {2 * one_cpu / two_cpu:.2f}x")
    print(f"full pipeline / spaCy alone:  {rate_one_cpu / rate_spacy_cpu:.2f} of spaCy's throughput, CPU time "
          f"(aim >= 0.7)")
    print(f"peak RSS: a worker {peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB, this process (1-worker run) "
          f"{peak_rss_mb(resource.RUSAGE_SELF):.0f} MB (aim <= 750 MB)")
    per_day = rate_two * 86400
    per_core_day = rate_one_cpu * 86400
    print(f"this machine: {per_day:,.0f} articles/day with 2 workers as measured; "
          f"{per_core_day:,.0f} articles/day per fully available core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
