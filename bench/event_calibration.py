#!/usr/bin/env python3
"""Reliability of event confidence: confidence band -> share of events right, on two kinds
of development data, and what a confidence floor would cost and gain.

- plover-dev sentences: an event is right when its type is the sentence's gold type and
  its source and target fit the gold codes (score_events.py's dyad rule);
- the annotated real pages (eval/gold/extraction-dev): right when it matches a gold event,
  core or optional, by score.py's rules (type, evidence overlap, countries).

Both are split by eval/measure.py's hash. ``--fit`` learns the band -> calibrated
confidence table on the two tune parts together (raw scores, read with the coder's
calibration off) and writes src/dateline/data/events/calibration.tsv; the tables printed
are then those of the part asked for (held-out by default), with that table applied, and a
sweep of floors: for each, pages precision/recall (score.py rules) and plover-dev type
recall/precision with the events below it dropped.

    python3 bench/event_calibration.py --fit           # learn on tune, print held-out
    python3 bench/event_calibration.py --part heldout  # print the reliability tables
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BANDS = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
TABLE = REPO / "src/dateline/data/events/calibration.tsv"
FLOORS = (0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
sys.path.insert(0, str(REPO / "eval"))


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sentences(part: str) -> list[tuple[str, list[tuple[float, bool, bool]]]]:
    """Per plover-dev sentence: its gold type and (raw score, type right, type+dyad right)."""
    import measure
    from dateline import nlp as dateline_nlp
    from dateline.events import scoring

    scorer = _module(measure.SHARED / "tools/score_events.py", "score_events")
    nlp = dateline_nlp.load()
    scoring.use_calibration(False)
    out = []
    try:
        for line in (measure.CORPUS / "plover-dev/gold.jsonl").read_text(encoding="utf-8").splitlines():
            gold = json.loads(line) if line.strip() else None
            if gold is None or not measure.wanted(gold["id"], part):
                continue
            rows = []
            for event in nlp(gold["text"])._.events:
                sides = {"source": [vars(r) for r in event.source], "target": [vars(r) for r in event.target]}
                typed = event.type == gold["event"]
                rows.append((event.confidence, typed, typed and scorer.dyad_ok(gold, sides)))
            out.append((gold["event"], rows))
    finally:
        scoring.use_calibration(True)
    return out


def pages(part: str) -> list[tuple[dict, list[dict]]]:
    """Per annotated page: its gold and the predicted events, with raw scores."""
    import measure
    from dateline.events.scoring import RAW_ENV

    folder = measure.gold_pages_subset(part)
    cmd = [a.replace("{}", str(folder)) for a in
           shlex.split(measure.DEFAULT_RUN.replace("--format json", "--format jsonl"))]
    run = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, RAW_ENV: "1"})
    preds = {}
    for line in run.stdout.splitlines():
        if line.startswith("{"):
            doc = json.loads(line)
            preds[Path(doc.get("doc", "")).name] = doc.get("events") or []
    out = []
    for path in sorted(folder.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        out.append((gold, preds.get(gold["doc"], [])))
    return out


def page_scores(items: list[tuple[dict, list[dict]]], conf, floor: float = 0.0):
    """(confidence, right) per kept event and score.py's precision and recall."""
    import event_false_positives as fp

    fp.TALLY.clear()
    judged = []
    for gold, events in items:
        kept = [dict(e, confidence=conf(e["confidence"])) for e in events if conf(e["confidence"]) >= floor]
        wrong = {id(p) for _, p, _ in fp.unmatched(gold, {"events": kept})}
        judged += [(e["confidence"], id(e) not in wrong) for e in kept]
    tp, fpos, core = fp.TALLY["tp"], fp.TALLY["fp"], fp.TALLY["core"]
    return judged, tp / max(1, tp + fpos), tp / max(1, core)


def sentence_scores(items, conf, floor: float = 0.0):
    """(confidence, right) per kept event, type recall and precision as score_events.py."""
    judged, hits, typed, n = [], 0, 0, 0
    for _, rows in items:
        kept = [(conf(c), t, d) for c, t, d in rows if conf(c) >= floor]
        judged += [(c, d) for c, _, d in kept]
        hits += any(t for _, t, _ in kept)
        typed += sum(t for _, t, _ in kept)
        n += len(kept)
    return judged, hits / max(1, len(items)), typed / max(1, n)


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


def write_table(table: list[tuple[float, float, float]]) -> None:
    lines = ["# Raw event score band -> calibrated confidence: the share of events right on the tune",
             "# parts of plover-dev (type and dyad) and of the annotated pages (score.py's event match).",
             "# Written by bench/event_calibration.py --fit; do not edit by hand.", "low\thigh\tconfidence"]
    lines += [f"{low:.2f}\t{min(high, 1.0):.2f}\t{conf:.2f}" for low, high, conf in table]
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")


def mapper(table: list[tuple[float, float, float]]):
    def conf(raw: float) -> float:
        for low, high, value in table:
            if low <= raw < high or (high >= 1.0 and raw >= low):
                return value
        return raw
    return conf


def read_table() -> list[tuple[float, float, float]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and not line.startswith("low"):
            rows.append(tuple(float(x) for x in line.split("\t")[:3]))
    return rows


def print_reliability(name: str, judged: list[tuple[float, bool]]) -> None:
    print(f"\n{name}: {len(judged)} events")
    print("confidence band   events  right  share")
    for low, high, n, right in bands(judged):
        if n:
            print(f"[{low:.1f}, {min(high, 1.0):.1f})    {n:6d} {right:6d}  {right / n:.2f}")
    high = [right for conf, right in judged if conf >= 0.8]
    print(f">= 0.8: {sum(high)}/{len(high)} right ({sum(high) / len(high) if high else 0:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["tune", "heldout", "all"], default="heldout")
    parser.add_argument("--fit", action="store_true", help="learn the table on the tune parts and write it")
    args = parser.parse_args()
    raw = lambda c: c  # noqa: E731
    if args.fit:
        tune_s, tune_p = sentences("tune"), pages("tune")
        items = sentence_scores(tune_s, raw)[0] + page_scores(tune_p, raw)[0]
        table = fit(items)
        write_table(table)
        print(f"{TABLE}: {len(table)} bands", file=sys.stderr)
    conf = mapper(read_table())
    part_s, part_p = sentences(args.part), pages(args.part)
    print(f"part={args.part}")
    print_reliability("plover-dev sentences (type + dyad right)", sentence_scores(part_s, conf)[0])
    print_reliability("annotated pages (score.py match)", page_scores(part_p, conf)[0])
    both = sentence_scores(part_s, conf)[0] + page_scores(part_p, conf)[0]
    print_reliability("both", both)
    print("\nfloor  pages P   pages R   plover type-R  plover P")
    for floor in FLOORS:
        _, p_prec, p_rec = page_scores(part_p, conf, floor)
        _, s_rec, s_prec = sentence_scores(part_s, conf, floor)
        print(f"{floor:.2f}   {p_prec:.3f}     {p_rec:.3f}     {s_rec:.3f}          {s_prec:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
