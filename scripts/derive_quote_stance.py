#!/usr/bin/env python3
"""Derive the stance class of reporting cues (demand, offer, rejection, agreement) from
the PETRARCH-2 CAMEO verb dictionary -> src/dateline/data/quotes/stance_verbs.tsv.

Each verb synonym set in CAMEO.2.0.txt carries a CAMEO code; its top-level category
gives the stance a quote has when that verb is its cue:
  02 APPEAL, 10 DEMAND                      -> demand
  03 EXPRESS INTENT TO COOPERATE            -> offer
  12 REJECT                                 -> rejection
  05 DIPLOMATIC COOPERATION, 08 YIELD       -> agreement
Single-word verbs only; every inflected form the dictionary lists (and the regular
-s/-ed/-ing forms) is written, so a cue as written ("rejected") is looked up directly.

Usage: python3 scripts/derive_quote_stance.py \
    /work/shared/resources/petrarch2/CAMEO.2.0.txt src/dateline/data/quotes/stance_verbs.tsv
Source: openeventdata/petrarch2 @ 676801c, data/dictionaries/CAMEO.2.0.txt, MIT licence.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

STANCE_OF_CATEGORY = {"02": "demand", "10": "demand", "03": "offer", "12": "rejection", "05": "agreement", "08": "agreement"}
SYNSET = re.compile(r"^---\s+(\S+)\s+\[(\d+|---)\]")
PATTERN_CODE = re.compile(r"\[(\d{2,4})\]")
VERB = re.compile(r"^([A-Z][A-Z']*)\s*(\{[^}]*\})?\s*(\[(\d+)\])?")


def regular_forms(lemma: str) -> set[str]:
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    plural = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s")
    past = lemma + "d" if lemma.endswith("e") else lemma + "ed"
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        plural, past = lemma[:-1] + "ies", lemma[:-1] + "ied"
    return {lemma, plural, past, stem + "ing"}


def pattern_majority(lines: list[str]) -> dict[str, str]:
    """For a synset without a code of its own ("REFUSE [---]"), the top-level category
    most of its patterns carry: the verb's usual sense."""
    counts: dict[str, Counter] = {}
    name = None
    for line in lines:
        head = SYNSET.match(line)
        if head:
            name = head.group(1)
            continue
        code = PATTERN_CODE.search(line) if line.startswith("-") and name else None
        if code:
            counts.setdefault(name, Counter())[code.group(1)[:2]] += 1
    return {name: c.most_common(1)[0][0] + "0" for name, c in counts.items()}


def main(source: str, out: str) -> int:
    rows: dict[str, tuple[str, str, str]] = {}
    code = None
    lines = Path(source).read_text(encoding="latin-1").splitlines()
    majority = pattern_majority(lines)
    for line in lines:
        head = SYNSET.match(line)
        if head:
            code = head.group(2) if head.group(2) != "---" else majority.get(head.group(1))
            continue
        if not line.strip() or line.startswith(("-", "#", "+", "~")):
            continue
        verb = VERB.match(line)
        if verb is None:
            continue
        own = verb.group(4) or code
        stance = STANCE_OF_CATEGORY.get((own or "")[:2].zfill(2)) if own else None
        if stance is None:
            continue
        lemma = verb.group(1).lower()
        forms = regular_forms(lemma) | {f.lower() for f in re.findall(r"[A-Z']+", verb.group(2) or "")}
        for form in forms:
            rows.setdefault(form, (stance, own, lemma))
    with open(out, "w", encoding="utf-8") as f:
        f.write("# Stance class of a quote by its cue verb, derived from the PETRARCH-2 CAMEO verb\n"
                "# dictionary (openeventdata/petrarch2 @ 676801c, CAMEO.2.0.txt, MIT licence) by\n"
                "# scripts/derive_quote_stance.py: CAMEO 02/10 -> demand, 03 -> offer, 12 -> rejection,\n"
                "# 05/08 -> agreement.\n# form\tstance\tcameo\tlemma\n")
        for form in sorted(rows):
            stance, cameo, lemma = rows[form]
            f.write(f"{form}\t{stance}\t{cameo}\t{lemma}\n")
    print(f"{len(rows)} forms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
