#!/usr/bin/env python3
"""Why the coder misses the events of our annotated real pages: one line per missed event.

    PYTHONPATH=src python3 eval/event_misses.py [--part tune] [--pred DIR] [--config TOML] [--quiet]

Runs the pipeline in this process over the gold pages of the part (eval/gold/extraction-dev,
the split of measure.py), saves each page's output under .eval-cache/preds-<part>/ (reuse
with --pred, or give it to `measure.py pages -- --pred DIR`), scores the events by
score.py's own rules and, for every missed gold event that is not optional, prints the
nearest predicted event (most shared evidence words) and the first reason it fails:

  no-trigger      nothing predicted near the gold evidence
  dropped:<why>   the coder found it but the relevance test removed it (type, sides shown)
  wrong-type      an event in the same words (>= 60% shared), of another type
  other-event-near  only another event of the sentence shares some words
  evidence        the right type nearby, but sharing < 60% of the shorter text's words
  source/target   type and evidence right, the side's country wrong or missing

Tune only on --part tune (measure.py's rule). Needs the project's venv (spaCy).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from measure import CACHE, GOLD_PAGES, TOOLS, CORPUS, wanted

sys.path.insert(0, str(TOOLS))
from score import Tally, countries, event_matches, match, overlap, score_doc  # noqa: E402

NEAR = 0.3  # shared words below which a predicted event is about something else


def gold_pages(part: str) -> list[dict]:
    out = []
    for path in sorted(GOLD_PAGES.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if wanted(gold["doc"].split(".")[0], part):
            out.append(gold)
    return out


def predict(golds: list[dict], folder: Path, config: str | None = None) -> dict[str, list[dict]]:
    """Run the pipeline once (one spaCy load); record what the relevance test dropped."""
    from dateline.events import coder
    from dateline.ingest import iter_records
    from dateline.pipeline import Pipeline

    dropped: dict[str, list[dict]] = {}
    current = {"doc": ""}
    original = coder.draft_relevant

    def recording(event_type, source, target, doc, *rest):
        keep = original(event_type, source, target, doc, *rest)
        if not keep:
            dropped.setdefault(current["doc"], []).append(
                {"type": event_type, "source": [{"country": r.owner} for r in source if r.owner],
                 "target": [{"country": r.owner} for r in target if r.owner],
                 "evidence": " | ".join(f"{r.name}:{r.sector}" for r in source + target), "why": "relevance"})
        return keep

    coder.draft_relevant = recording
    pipeline = Pipeline(config)
    folder.mkdir(parents=True, exist_ok=True)
    for gold in golds:
        current["doc"] = gold["doc"]
        path = CORPUS / "extraction-dev" / "html" / gold["doc"]
        for result in pipeline.run(iter_records([str(path)])):
            data = result.to_dict() if hasattr(result, "to_dict") else {}
            (folder / f"{gold['doc']}.json").write_text(json.dumps(data, default=str), encoding="utf-8")
    coder.draft_relevant = original
    return dropped


def reason(gold: dict, preds: list[dict], used: set[int]) -> tuple[str, dict | None]:
    scored = sorted(((overlap(gold["evidence"], p.get("evidence") or ""), i) for i, p in enumerate(preds)),
                    reverse=True)
    near = [(o, i) for o, i in scored if o >= NEAR]
    if not near:
        return "no-trigger", None
    same_type = [(o, i) for o, i in near if preds[i]["type"] == gold["type"]]
    if not same_type:
        return ("wrong-type" if near[0][0] >= 0.6 else "other-event-near"), preds[near[0][1]]
    best_overlap, best = same_type[0]
    pred = preds[best]
    if best_overlap < 0.6:
        return "evidence", pred
    if event_matches(gold, pred) and best in used:
        return "taken-by-other-gold", pred
    gs, ps, pt = set(gold.get("source", [])), countries(pred.get("source")), countries(pred.get("target"))
    if gs and not ps & gs and not (gold["type"] in {"CONSULT", "AGREE", "COOPERATE"} and pt & gs):
        return ("source-missing" if not ps else "source-wrong"), pred
    return ("target-missing" if not pt else "target-wrong"), pred


def brief(event: dict | None) -> str:
    if not event:
        return "-"
    side = lambda refs: "/".join(sorted(countries(refs))) or "?"
    text = (event.get("evidence") or "")[:110]
    return f"{event['type']} {side(event.get('source'))}->{side(event.get('target'))} [{event.get('pattern', '')}] «{text}»"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["tune", "heldout", "all"], default="tune")
    ap.add_argument("--pred", help="a folder of saved outputs (<doc>.json) instead of running")
    ap.add_argument("--quiet", action="store_true", help="counts only")
    ap.add_argument("--config", help="a dateline config.toml (e.g. one with cameo_lexicon = true)")
    args = ap.parse_args()
    golds = gold_pages(args.part)
    folder = Path(args.pred) if args.pred else CACHE / f"preds-{args.part}"
    dropped = {} if args.pred else predict(golds, folder, args.config)
    tally, counts, fp_types = Tally(), Counter(), Counter()
    for gold in golds:
        path = folder / f"{gold['doc']}.json"
        pred = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        score_doc(gold, pred, tally, [])
        preds = pred.get("events") or []
        core = [e for e in gold.get("events", []) if not e.get("optional")]
        pairs, used = match(core, preds, event_matches)
        matched = {id(g) for g, _ in pairs}
        for g in core:
            if id(g) in matched:
                continue
            why, near = reason(g, preds, used)
            if why == "no-trigger":
                lost = [d for d in dropped.get(gold["doc"], []) if d["type"] == g["type"]]
                if lost:
                    why, near = "dropped:relevance", lost[0]
            counts[why] += 1
            if not args.quiet:
                sides = f"{'/'.join(g.get('source', [])) or '?'}->{'/'.join(g.get('target', [])) or '?'}"
                print(f"{why:16} {gold['doc'][:8]} GOLD {g['type']} {sides} «{g['evidence'][:110]}»")
                print(f"{'':16} {'':8} NEAR {brief(near)}")
        for i, p in enumerate(preds):
            if i not in used:
                fp_types[p["type"]] += 1
    p, r, f = tally.prf("e_tp", "e_fp", "e_fn")
    print(f"\nevents p/r/f1 {p:.3f} / {r:.3f} / {f:.3f}  (tp {tally.c['e_tp']}, fp {tally.c['e_fp']}, fn {tally.c['e_fn']})")
    print("misses by reason:", ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    print("unmatched predictions by type:", ", ".join(f"{k} {v}" for k, v in fp_types.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
