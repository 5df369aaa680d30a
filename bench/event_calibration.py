#!/usr/bin/env python3
"""Reliability of event confidence on plover-dev: confidence band -> share of events right.

An event is right when its type is the sentence's gold type and its source and target fit
the gold codes (score_events.py's dyad rule). plover-dev is split by eval/measure.py's hash:
``--fit`` learns the band -> calibrated confidence table on the tune part and writes
src/dateline/data/events/calibration.tsv; without it the script prints the table of the
part asked for (held-out by default), with the coder's current (calibrated) confidences.

    python3 bench/event_calibration.py --fit          # learn on tune, write the table
    python3 bench/event_calibration.py --part heldout  # print the reliability table
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BANDS = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
TABLE = REPO / "src/dateline/data/events/calibration.tsv"


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def judged(part: str, raw: bool) -> list[tuple[float, bool]]:
    """(confidence, right) for every event the coder predicts on the part's sentences."""
    measure = _module(REPO / "eval/measure.py", "measure")
    scorer = _module(measure.SHARED / "tools/score_events.py", "score_events")
    from dateline import nlp as dateline_nlp
    from dateline.events import scoring

    nlp = dateline_nlp.load()
    if raw:
        scoring.use_calibration(False)
    out = []
    for line in (measure.CORPUS / "plover-dev/gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line) if line.strip() else None
        if gold is None or not measure.wanted(gold["id"], part):
            continue
        for event in nlp(gold["text"])._.events:
            as_dict = {"source": [vars(r) for r in event.source], "target": [vars(r) for r in event.target]}
            right = event.type == gold["event"] and scorer.dyad_ok(gold, as_dict)
            out.append((event.confidence, right))
    scoring.use_calibration(True)
    return out


def bands(items: list[tuple[float, bool]]) -> list[tuple[float, float, int, int]]:
    rows = []
    for low, high in zip(BANDS, BANDS[1:]):
        inside = [right for conf, right in items if low <= conf < high]
        rows.append((low, high, len(inside), sum(inside)))
    return rows


def fit(items: list[tuple[float, bool]]) -> list[tuple[float, float, float]]:
    """Band -> smoothed share right, made monotone by pooling adjacent violators."""
    pools = [[low, high, n, right] for low, high, n, right in bands(items) if n]
    merged = True
    while merged:
        merged = False
        for i in range(len(pools) - 1):
            a, b = pools[i], pools[i + 1]
            if (a[3] + 1) / (a[2] + 2) > (b[3] + 1) / (b[2] + 2):
                pools[i:i + 2] = [[a[0], b[1], a[2] + b[2], a[3] + b[3]]]
                merged = True
                break
    if pools:
        pools[0][0] = 0.0  # the lowest band takes every score below it
    return [(low, high, round((right + 1) / (n + 2), 2)) for low, high, n, right in pools]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["tune", "heldout", "all"], default="heldout")
    parser.add_argument("--fit", action="store_true", help="learn the table on the tune part and write it")
    args = parser.parse_args()
    if args.fit:
        table = fit(judged("tune", raw=True))
        lines = ["# Raw event score band -> calibrated confidence (share right on plover-dev tune).",
                 "# Written by bench/event_calibration.py --fit; do not edit by hand.", "low\thigh\tconfidence"]
        lines += [f"{low:.2f}\t{min(high, 1.0):.2f}\t{conf:.2f}" for low, high, conf in table]
        TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{TABLE}: {len(table)} bands", file=sys.stderr)
    items = judged(args.part, raw=False)
    print(f"part={args.part} events={len(items)}")
    print("confidence band   events  right  share")
    for low, high, n, right in bands(items):
        print(f"[{low:.1f}, {min(high, 1.0):.1f})    {n:6d} {right:6d}  {right / n if n else 0:.2f}")
    high = [right for conf, right in items if conf >= 0.8]
    print(f">= 0.8: {sum(high)}/{len(high)} right ({sum(high) / len(high) if high else 0:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
