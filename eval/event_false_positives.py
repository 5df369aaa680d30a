#!/usr/bin/env python3
"""Dump every predicted event on the annotated real pages that matches no gold event.

For reading the causes of low event precision by hand. Runs `dateline extract` once over
the chosen part of eval/gold/extraction-dev (or reuses the last run's predictions with
--reuse), matches events exactly as ../shared/tools/score.py does (core first, then
optional), and prints each unmatched prediction with a first guess at its cause:

- wrong-type:    a gold event's evidence overlaps, its countries fit, the type differs
- wrong-dyad:    a gold event of the same type overlaps, the countries do not fit
- duplicate:     its gold event was already taken by another prediction
- background:    marked background by the coder and in no gold event
- unannotated:   no gold event's evidence overlaps (not an event, no political side,
                 boilerplate, or a gold gap: read it)

    python3 eval/event_false_positives.py [--part tune] [--reuse] [--summary]

Tune only on `--part tune`. Standard library only, like the scorers.
"""
from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path

from measure import CACHE, DEFAULT_RUN, TOOLS, gold_pages_subset

sys.path.insert(0, str(TOOLS))
from score import event_matches, match, overlap  # noqa: E402

OVERLAP = 0.6  # score.py's evidence rule
TALLY: Counter[str] = Counter()


def predictions(part: str, reuse: bool) -> tuple[Path, dict[str, dict]]:
    """Gold folder and {raw file name: prediction}, from one extract run over the part."""
    store = CACHE / f"fp-{part}.jsonl"
    gold_dir = CACHE / f"gold-pages-{part}"
    if not (reuse and store.exists() and gold_dir.exists()):
        gold_dir = gold_pages_subset(part)
        cmd = [a.replace("{}", str(gold_dir)) for a in
               shlex.split(DEFAULT_RUN.replace("--format json", "--format jsonl"))]
        out = subprocess.run(cmd, capture_output=True, text=True).stdout
        store.write_text(out, encoding="utf-8")
    preds = {}
    for line in store.read_text(encoding="utf-8").splitlines():
        if line.startswith("{"):
            doc = json.loads(line)
            preds[Path(doc.get("doc", "")).name] = doc
    return gold_dir, preds


def cause(pred: dict, golds: list[dict], taken: list[dict]) -> tuple[str, dict | None]:
    near = [g for g in golds if overlap(g["evidence"], pred.get("evidence") or "") >= OVERLAP]
    if any(event_matches(g, pred) for g in taken):
        return "duplicate", next(g for g in taken if event_matches(g, pred))
    same_type = [g for g in near if g["type"] == (pred.get("type") or "").upper()]
    if same_type:
        return "wrong-dyad", same_type[0]
    if near:
        return "wrong-type", near[0]
    if pred.get("background"):
        return "background", None
    return "unannotated", None


def side(refs: list[dict]) -> str:
    return ", ".join(f"{r.get('name')}[{r.get('country') or '-'} {r.get('sector') or ''}]" for r in refs or []) or "-"


def unmatched(gold: dict, pred: dict) -> list[tuple[str, dict, dict | None]]:
    events = pred.get("events") or []
    core = [e for e in gold.get("events", []) if not e.get("optional")]
    opt = [e for e in gold.get("events", []) if e.get("optional")]
    pairs, used = match(core, events, event_matches)
    rest = [(i, p) for i, p in enumerate(events) if i not in used]
    opt_pairs, used_opt = match(opt, [p for _, p in rest], event_matches)
    left = [p for j, (_, p) in enumerate(rest) if j not in used_opt]
    taken = [g for g, _ in pairs] + [g for g, _ in opt_pairs]
    TALLY["tp"] += len(pairs)
    TALLY["core"] += len(core)
    TALLY["fp"] += len(left)
    out = []
    for p in left:
        kind, near = cause(p, core + opt, taken)
        out.append((kind, p, near))
    return out


BANDS = (0.0, 0.3, 0.5, 0.7, 0.8, 1.01)


def band_table(rows: list[tuple[float, bool]]) -> str:
    """Confidence band -> predictions, share matching a gold event (core or optional)."""
    lines = ["confidence  events  right  share"]
    for low, high in zip(BANDS, BANDS[1:]):
        inside = [ok for c, ok in rows if low <= c < high]
        share = f"{sum(inside) / len(inside):.2f}" if inside else "  - "
        lines.append(f"{low:.1f}-{min(high, 1.0):.1f}    {len(inside):6d} {sum(inside):6d}  {share}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["tune", "heldout", "all"], default="tune")
    ap.add_argument("--reuse", action="store_true", help="reuse the last run's predictions")
    ap.add_argument("--summary", action="store_true", help="only the counts by cause")
    args = ap.parse_args()
    gold_dir, preds = predictions(args.part, args.reuse)
    causes: Counter[str] = Counter()
    total = 0
    scored: list[tuple[float, bool]] = []
    for path in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        pred = preds.get(gold["doc"], {})
        total += len(pred.get("events") or [])
        rows = unmatched(gold, pred)
        causes.update(c for c, _, _ in rows)
        wrong = {id(p) for _, p, _ in rows}
        scored += [(float(e.get("confidence") or 0), id(e) not in wrong) for e in pred.get("events") or []]
        if args.summary or not rows:
            continue
        print(f"\n== {gold['doc'][:12]} {(gold.get('article') or {}).get('title', '')[:80]}")
        for kind, p, g in rows:
            print(f"  [{kind}] {p['type']} {side(p.get('source'))} -> {side(p.get('target'))} "
                  f"| {p.get('factuality')}{' bg' if p.get('background') else ''} conf {p.get('confidence')} "
                  f"| {p.get('trigger')} ({p.get('pattern')})")
            print(f"      ev: {(p.get('evidence') or '').strip()[:260]}")
            if g is not None:
                print(f"      gold: {g['type']} {g.get('source')} -> {g.get('target')}: {g['evidence'][:120]}")
    print(f"\npredicted {total}, unmatched {sum(causes.values())}: " +
          ", ".join(f"{k} {v}" for k, v in causes.most_common()))
    tp, fp, core = TALLY["tp"], TALLY["fp"], TALLY["core"]
    print(f"score.py rules: precision {tp / max(1, tp + fp):.3f}  recall {tp / max(1, core):.3f}  ({tp} of {core} gold)")
    print(band_table(scored))
    return 0


if __name__ == "__main__":
    sys.exit(main())
