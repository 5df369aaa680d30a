#!/usr/bin/env python3
"""Count attribution cues and content boundaries in PolNeAR's training split -> packaged data.

Reads the brat standoff annotations of ``polnear-train`` (Source, Cue, Content tied by an
Attribution event), parses each article with the project's spaCy model, and counts, for
every word that heads a cue:

* how often a token with that lemma and part of speech, having a child of a given
  dependency, is annotated as a cue whose content is that child's phrase (``cues``), out
  of all such tokens in the corpus (``seen``);
* the same for the source: which dependency of the cue the annotated source hangs on.

Only lemmas, part-of-speech tags, dependency labels and counts are written, never any
text of the corpus. The finder reads the file and fires a learned cue when
``cues / seen`` is high enough (see ``dateline.nlp.quotes.learned``).

Usage:
  .venv/bin/python scripts/learn_attribution_cues.py \
      --corpus /work/shared/corpus/polnear-train \
      --out src/dateline/data/quotes/learned_cues.tsv

Source: PolNeAR (networkdynamics/PolNeAR @ c3eee83, train split), a research corpus;
cite Newell, Margolin & Ruths, "An Attribution Relations Corpus for Political News",
LREC 2018.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

MIN_SEEN = 3
# Dependencies of a cue's children that can hold what was said.
CONTENT_DEPS = ("ccomp", "dobj", "xcomp", "prep", "acl", "advcl", "attr", "oprd", "dative", "pobj", "relcl", "npadvmod", "conj")
HEADER = """# Attribution cues learned by counting PolNeAR's training split (840 articles).
# Source: PolNeAR, networkdynamics/PolNeAR @ c3eee83, train split; research corpus.
#   Cite: Newell, Margolin & Ruths, "An Attribution Relations Corpus for Political
#   News", LREC 2018. Made by scripts/learn_attribution_cues.py (counts only, no text).
# lemma  pos  dep: a token with this lemma and part of speech, with a child of this
#   dependency (a preposition with its word: prep:about); cues: times annotated as a cue whose content is that child's phrase;
#   seen: times such a token occurs; source_dep: the cue's dependency most often holding
#   the annotated source.
"""


def read_ann(path: Path) -> list[dict[str, list[tuple[int, int]]]]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T") and line.count("\t") >= 1:
            tid, middle = line.split("\t")[:2]
            kind, _, offsets = middle.partition(" ")
            pieces = [tuple(map(int, p.split())) for p in offsets.split(";") if len(p.split()) == 2]
            spans[tid] = (kind, pieces)
        elif line.startswith("E"):
            events.append(dict(a.split(":", 1) for a in line.split("\t")[1].split()))
    out = []
    for event in events:
        item = {role.lower(): spans[tid][1] for role, tid in event.items() if role in ("Source", "Cue", "Content") and tid in spans}
        if "content" in item and "cue" in item:
            out.append(item)
    return out


def char_shift(raw: str, body: str) -> int | None:
    """Where the analysed body starts in the raw file (the pipeline drops the headline line)."""
    probe = body[:80]
    at = raw.find(probe)
    return at if at >= 0 else None


def tokens_in(doc, pieces, shift: int) -> list:
    out = []
    for start, end in pieces:
        span = doc.char_span(start - shift, end - shift, alignment_mode="expand")
        if span is not None:
            out.extend(t for t in span if not t.is_space)
    return out


def root_of(tokens: list):
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    words = [t for t in roots if t.pos_ in ("VERB", "NOUN", "AUX", "ADJ", "ADP")]
    return (words or roots or [None])[0]


def dep_key(child) -> str:
    """The dependency a pattern is keyed on. A preposition is keyed with its word
    ("prep:about"): "talked about X" is a cue far more often than "talked in Iowa", and
    one "prep" key for both drowned the first in the second."""
    return f"prep:{child.lower_}" if child.dep_ == "prep" else child.dep_


def held_phrase(child) -> tuple[range, int]:
    """The tokens a child contributes to a content and the token that must be inside it:
    for a preposition its object (PolNeAR puts "about" in the cue "talked about")."""
    if child.dep_ == "prep":
        objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
        if objects:
            return range(objects[0].left_edge.i, child.right_edge.i + 1), objects[0].i
    return range(child.left_edge.i, child.right_edge.i + 1), child.i


def content_children(cue, content: set[int]) -> list[str]:
    """The cue's children whose phrase lies mostly inside the annotated content."""
    deps = []
    for child in cue.children:
        if child.dep_ not in CONTENT_DEPS:
            continue
        subtree, head = held_phrase(child)
        if sum(1 for i in subtree if i in content) >= 0.6 * len(subtree) and head in content:
            deps.append(dep_key(child))
    return deps


def source_dep(cue, source: set[int]) -> str | None:
    current = cue
    for _ in range(3):
        for child in current.children:
            if child.i in source:
                return child.dep_ if current is cue else "up:" + child.dep_
        if current.head.i == current.i:
            break
        current = current.head
    return None


# What may follow a content's last word: PolNeAR either stops the content there or runs
# on through it. Counting both says whether a finder should cut its span at that word.
END_BOUNDARIES = {
    "according_to": r", according to ", "while": r", while ", "but": r",? but ",
    "and_clause": r", and (he|she|they|it|the|we|i) ", "participle": r", [a-z]+ing ",
    "which": r", which ", "who": r", who ", "as": r", as ", "because": r",? because ",
}
BOUNDARY_HEADER = """# Content end boundaries counted in PolNeAR's training split (counts only, no text).
# Source: PolNeAR, networkdynamics/PolNeAR @ c3eee83, train split (Newell, Margolin &
#   Ruths, LREC 2018). Made by scripts/learn_attribution_cues.py --boundaries.
# boundary: the words after a comma; stops_before: contents that end right before them;
#   runs_through: contents that contain them. The finder cuts only where stops_before is
#   at least CUT_RATIO times runs_through (dateline.nlp.quotes.reported).
"""


def count_end_boundaries(corpus: Path, out_path: Path) -> int:
    import re
    stops, runs = Counter(), Counter()
    for ann in sorted((corpus / "ann").glob("*.ann")):
        try:
            text = (corpus / "text" / f"{ann.stem}.txt").read_text(encoding="utf-8")
            items = read_ann(ann)
        except (OSError, UnicodeDecodeError, ValueError):
            print(f"{ann.name}: unreadable, skipped", file=sys.stderr)
            continue
        for item in items:
            start, end = item["content"][0][0], item["content"][-1][1]
            for name, pattern in END_BOUNDARIES.items():
                runs[name] += bool(re.search(pattern, text[start:end]))
                stops[name] += bool(re.match(pattern, text[end:end + 40]))
    with out_path.open("w", encoding="utf-8") as out:
        out.write(BOUNDARY_HEADER + "boundary\tstops_before\truns_through\n")
        for name in END_BOUNDARIES:
            out.write(f"{name}\t{stops[name]}\t{runs[name]}\n")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--boundaries", action="store_true", help="count content end boundaries instead (text only)")
    args = ap.parse_args()
    if args.boundaries:
        return count_end_boundaries(args.corpus, args.out)

    from dateline import nlp as dateline_nlp
    from dateline.ingest import iter_records
    from dateline.pipeline import Pipeline

    nlp = dateline_nlp.load()
    keep = [name for name in nlp.pipe_names if not name.startswith("dateline_")]
    pipeline = Pipeline()
    names = sorted(p.stem for p in (args.corpus / "text").glob("*.txt"))
    records = list(iter_records([str(args.corpus / "text" / f"{n}.txt") for n in names]))
    articles = [pipeline._extract(r) for r in records]

    seen: Counter = Counter()        # (lemma, pos, dep)
    cues: Counter = Counter()
    sources: dict[tuple, Counter] = {}
    that_kept = that_seen = 0
    skipped = 0
    with nlp.select_pipes(enable=keep):
        docs = nlp.pipe((a.text for a in articles), batch_size=32)
        for name, doc in zip(names, docs):
            raw = (args.corpus / "text" / f"{name}.txt").read_text(encoding="utf-8")
            shift = char_shift(raw, doc.text)
            if shift is None:
                skipped += 1
                continue
            annotated: dict[tuple[int, str], Counter] = {}
            for item in read_ann(args.corpus / "ann" / f"{name}.ann"):
                cue = root_of(tokens_in(doc, item["cue"], shift))
                content = {t.i for t in tokens_in(doc, item["content"], shift)}
                if cue is None or not content:
                    continue
                source = {t.i for t in tokens_in(doc, item.get("source", []), shift)}
                for dep in content_children(cue, content):
                    annotated[(cue.i, dep)] = Counter({source_dep(cue, source): 1})
                    if dep == "ccomp":
                        child = next(c for c in cue.children if c.dep_ == "ccomp")
                        mark = next((m for m in child.lefts if m.dep_ == "mark" and m.lower_ == "that"), None)
                        if mark is not None:
                            that_seen += 1
                            that_kept += mark.i in content
            for token in doc:
                if token.pos_ not in ("VERB", "NOUN", "AUX", "ADJ", "ADP"):
                    continue
                for dep in {dep_key(c) for c in token.children if c.dep_ in CONTENT_DEPS}:
                    key = (token.lemma_.lower(), token.pos_, dep)
                    seen[key] += 1
                    if (token.i, dep) in annotated:
                        cues[key] += 1
                        sources.setdefault(key, Counter()).update(annotated[(token.i, dep)])
            print(".", end="", file=sys.stderr, flush=True)
    rows = []
    for key, n_cue in cues.items():
        if seen[key] < MIN_SEEN or n_cue < 2:
            continue
        best_source = next((d for d, _ in sources[key].most_common() if d), "-")
        rows.append((*key, n_cue, seen[key], best_source))
    rows.sort(key=lambda r: (-r[3] / r[4], -r[3]))
    with args.out.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        out.write(f"# content keeps the complementizer 'that': {that_kept} of {that_seen} that-clauses\n")
        out.write("lemma\tpos\tdep\tcues\tseen\tsource_dep\n")
        for lemma, pos, dep, n_cue, n_seen, src in rows:
            out.write(f"{lemma}\t{pos}\t{dep}\t{n_cue}\t{n_seen}\t{src}\n")
    print(f"\n{len(rows)} patterns; {skipped} articles not aligned", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
