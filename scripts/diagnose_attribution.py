#!/usr/bin/env python3
"""Diagnose the quote finder on a subset of PolNeAR: what gold annotates that we miss,
and what we report that gold does not have.

Articles are parsed once (up to the actors stage) and kept as pickles under
``.eval-cache/attrib-docs/`` (git-ignored), so a rerun after a change to
``dateline.nlp.quotes`` only re-runs the finder: seconds instead of minutes on a shared
machine. The figures use the matching rule of ``/work/shared/tools/score_attrib.py``
(imported from there), so they agree with ``eval/measure.py attrib`` on the same articles.

    PYTHONPATH=src .venv/bin/python scripts/diagnose_attribution.py --sample 150          # train subset
    ... --misses 40 --false 40          # print missed gold contents and unmatched predictions
    ... --corpus /work/shared/corpus/polnear-dev --sample 0    # every article (report only)

The subset is every article whose name hashes into the first ``sample`` of the sorted
hash order (stable across runs and machines). Prints no corpus text unless asked to.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DATELINE_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(SHARED / "tools"))
from score_attrib import OPEN_QUOTES, content_words, dice, match, read_gold, shares_word, speaker_words  # noqa: E402

CACHE = REPO / ".eval-cache" / "attrib-docs"


def subset(corpus: Path, sample: int) -> list[Path]:
    texts = sorted((corpus / "text").glob("*.txt"))
    if sample <= 0:
        return texts
    ranked = sorted(texts, key=lambda p: hashlib.sha256(p.stem.encode()).hexdigest())
    return sorted(ranked[:sample])


def parsed(corpus: Path, texts: list[Path]):
    """(name, text, Doc) for every article, parsing only those not cached yet."""
    from dateline import nlp as dl_nlp
    from dateline.extract import extract_article
    from dateline.ingest import iter_records

    dl_nlp.register_components()  # the Doc extensions the pickles carry
    folder = CACHE / corpus.name
    folder.mkdir(parents=True, exist_ok=True)
    pipe = None
    for path in texts:
        cached = folder / f"{path.stem}.pkl"
        text = path.read_text(encoding="utf-8")
        if cached.exists():
            with cached.open("rb") as fh:
                yield path.stem, text, pickle.load(fh)
            continue
        if pipe is None:
            pipe = dl_nlp.load()
        article = extract_article(next(iter(iter_records([str(path)]))))  # as `dateline extract` reads it
        doc = pipe.make_doc(article.text)
        doc._.anchor_date, doc._.dateline = article.anchor_date, article.dateline
        for name, component in pipe.pipeline:
            if name in ("dateline_quotes", "dateline_events"):
                continue
            doc = component(doc)
        with cached.open("wb") as fh:
            pickle.dump(doc, fh)
        yield path.stem, text, doc


def predictions(doc) -> list[dict]:
    from dateline.nlp.quotes import find_quotes

    out = []
    for q in find_quotes(doc):
        speaker = {"mention": q.speaker.mention, "name": q.speaker.name} if q.speaker else None
        out.append({"text": q.text, "kind": q.kind, "cue": q.cue, "speaker": speaker})
    return out


def summarize(misses: list) -> None:
    """Misses by how close the nearest prediction came (a span problem or nothing found),
    and the cue words (last word of the gold cue, lower case) most often missed."""
    from collections import Counter

    near = Counter("span (dice .25-.5)" if d >= 0.25 else "not found" for _, _, _, d in misses)
    print("misses:", dict(near))
    cues = Counter((g.get("cue") or "").lower().split()[-1:][0] if g.get("cue") else "<none>" for _, g, _, d in misses)
    print("missed cue words:", ", ".join(f"{w} {n}" for w, n in cues.most_common(60)))
    spans = Counter((g.get("cue") or "").lower().split()[-1:][0] if g.get("cue") else "<none>" for _, g, _, d in misses if d >= 0.25)
    print("span-problem cue words:", ", ".join(f"{w} {n}" for w, n in spans.most_common(30)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "polnear-train")
    ap.add_argument("--sample", type=int, default=150, help="articles (0 = all)")
    ap.add_argument("--misses", type=int, default=0, help="print this many missed gold contents")
    ap.add_argument("--false", type=int, default=0, help="print this many unmatched predictions")
    ap.add_argument("--sources", type=int, default=0, help="print this many matched pairs with a wrong source")
    ap.add_argument("--direct", action="store_true", help="print the missed direct quotes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--near", action="store_true", help="with --misses: only those a prediction half matches")
    ap.add_argument("--summary", action="store_true", help="count the misses by cue word and by how near we came")
    args = ap.parse_args()

    n_gold = n_pred = hit = src_ok = src_n = direct_gold = direct_hit = 0
    misses, false, wrong_src, direct_missed = [], [], [], []
    for name, text, doc in parsed(args.corpus, subset(args.corpus, args.sample)):
        try:
            gold = read_gold(args.corpus / "ann" / f"{name}.ann", text)
        except (ValueError, KeyError):
            continue
        pred = [p for p in predictions(doc) if p["text"]]
        pairs = match(gold, pred)
        n_gold, n_pred, hit = n_gold + len(gold), n_pred + len(pred), hit + len(pairs)
        matched_g, matched_p = {id(g) for g, _ in pairs}, {id(p) for _, p in pairs}
        for g in gold:
            is_direct = g["content"].lstrip().startswith(OPEN_QUOTES)
            direct_gold += is_direct
            direct_hit += is_direct and id(g) in matched_g
            if id(g) not in matched_g:
                best = max(pred, key=lambda p: dice(p["text"], g["content"]), default=None)
                item = (name, g, best, dice(best["text"], g["content"]) if best else 0.0)
                misses.append(item)
                if is_direct:
                    direct_missed.append(item)
        for g, p in pairs:
            if content_words(g.get("source")):
                src_n += 1
                ok = shares_word(speaker_words(p), g["source"])
                src_ok += ok
                if not ok:
                    wrong_src.append((name, g, p))
        false += [(name, p) for p in pred if id(p) not in matched_p]
    precision, recall = hit / max(1, n_pred), hit / max(1, n_gold)
    f1 = 2 * precision * recall / (precision + recall) if hit else 0.0
    print(f"gold {n_gold} predicted {n_pred} matched {hit}  P/R/F1 {precision:.3f}/{recall:.3f}/{f1:.3f}  "
          f"source {src_ok / max(1, src_n):.3f}  direct recall {direct_hit / max(1, direct_gold):.3f} "
          f"({direct_hit}/{direct_gold})")
    if args.summary:
        summarize(misses)
    rng = random.Random(args.seed)
    if args.near:
        misses = [m for m in misses if m[3] >= 0.25]
    for name, g, best, d in rng.sample(misses, min(args.misses, len(misses))):
        print(f"\nMISS {name} src={g.get('source')!r} cue={g.get('cue')!r}\n  gold: {g['content']!r}")
        if best is not None and d > 0:
            print(f"  best ({d:.2f}, {best['kind']}, {best['cue']}): {best['text']!r}")
    for name, p in rng.sample(false, min(args.false, len(false))):
        print(f"\nFALSE {name} {p['kind']} cue={p['cue']!r} speaker={speaker_words(p)!r}\n  {p['text']!r}")
    for name, g, p in rng.sample(wrong_src, min(args.sources, len(wrong_src))):
        print(f"\nSOURCE {name} gold={g.get('source')!r} pred={speaker_words(p)!r} cue={p['cue']!r}\n  {p['text'][:150]!r}")
    if args.direct:
        for name, g, best, d in direct_missed:
            print(f"\nDIRECT {name} src={g.get('source')!r} cue={g.get('cue')!r}\n  gold: {g['content'][:200]!r}")
            if best is not None and d > 0:
                print(f"  best ({d:.2f}, {best['kind']}): {best['text'][:200]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
