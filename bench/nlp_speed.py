#!/usr/bin/env python3
"""How much Dateline's nlp stage adds to spaCy alone.

    .venv/bin/python bench/nlp_speed.py [--corpus DIR] [--limit 200] [--batch-size N] [--config FILE]

In one process, on the same texts, with the same model object and batch size, it times
1. spaCy's ``nlp.pipe`` with only the model's own components (Dateline's disabled),
2. the full Dateline pipeline as the config lists it (actors, timex, geo, quotes, events),
then runs the components one after another over the batch to attribute the time to each.
It prints both throughputs, the overhead of (2) over (1) in percent (aim: <= 30%) and the
per-component table. ``--repeat`` takes the best of several runs of (1) and (2).

Times are CPU seconds of this process (``time.process_time``), so that other programs
sharing the machine do not blur the ratio; wall-clock seconds are printed beside them.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "bench-news"


def read_texts(corpus: Path, limit: int) -> list[str]:
    files = sorted(p for p in corpus.rglob("*.txt") if p.is_file())[:limit]
    if not files:
        raise SystemExit(f"no .txt files under {corpus}")
    return [p.read_text(encoding="utf-8", errors="replace") for p in files]


def time_pipe(nlp, texts: list[str], batch_size: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one nlp.pipe pass over the texts."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.process_time() - cpu, time.perf_counter() - wall


def time_components(nlp, texts: list[str], batch_size: int) -> list[tuple[str, float]]:
    """Each component over all the docs in turn (the same work nlp.pipe does, split up)."""
    timings = []
    start = time.process_time()
    docs = [nlp.make_doc(text) for text in texts]
    timings.append(("tokenizer", time.process_time() - start))
    for name, component in nlp.pipeline:
        start = time.process_time()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=batch_size))
        else:
            docs = [component(doc) for doc in docs]
        timings.append((name, time.process_time() - start))
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=200, help="number of articles (default 200)")
    parser.add_argument("--batch-size", type=int, default=None, help="default: the config's nlp.batch_size")
    parser.add_argument("--config", default=None, help="a Dateline config file merged over the default")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs of each measurement")
    args = parser.parse_args(argv)

    from dateline.nlp import build
    from dateline.settings import load_settings

    settings = load_settings(args.config)
    batch_size = args.batch_size or settings.nlp.batch_size
    texts = read_texts(args.corpus, args.limit)
    words = sum(len(text.split()) for text in texts)

    started = time.perf_counter()
    nlp = build(settings)
    print(f"pipeline built in {time.perf_counter() - started:.1f}s: {', '.join(nlp.pipe_names)}", file=sys.stderr)
    ours = [name for name in nlp.pipe_names if name in set(settings.nlp.components)]

    list(nlp.pipe(texts[:16], batch_size=batch_size))   # warm up caches and lazily loaded tables
    spacy_s = full_s = (float("inf"), float("inf"))
    for _ in range(max(1, args.repeat)):
        with nlp.select_pipes(disable=ours):
            spacy_s = min(spacy_s, time_pipe(nlp, texts, batch_size))
        full_s = min(full_s, time_pipe(nlp, texts, batch_size))
    (spacy_s, spacy_wall), (full_s, full_wall) = spacy_s, full_s
    per_component = time_components(nlp, texts, batch_size)

    overhead = 100.0 * (full_s - spacy_s) / spacy_s
    print(f"corpus: {args.corpus} ({len(texts)} articles, {words} words, batch size {batch_size})")
    print(f"spaCy nlp.pipe alone : {spacy_s:7.2f} CPU s  {len(texts) / spacy_s:7.1f} docs/s  "
          f"{words / spacy_s:8.0f} words/s  (wall {spacy_wall:.2f}s)")
    print(f"Dateline nlp stage   : {full_s:7.2f} CPU s  {len(texts) / full_s:7.1f} docs/s  "
          f"{words / full_s:8.0f} words/s  (wall {full_wall:.2f}s)")
    print(f"overhead             : {overhead:+.1f}% (aim <= 30%; wall-clock {100 * (full_wall - spacy_wall) / spacy_wall:+.1f}%)")
    print()
    model_total = sum(t for name, t in per_component if name not in ours)
    print(f"{'component':<20} {'CPU s':>8} {'ms/doc':>8} {'% of spaCy':>10}")
    for name, seconds in per_component:
        marker = " *" if name in ours else ""
        print(f"{name:<20} {seconds:8.2f} {1000 * seconds / len(texts):8.2f} {100 * seconds / model_total:9.1f}%{marker}")
    print("(* Dateline's components; '% of spaCy' is relative to the model's own components)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
