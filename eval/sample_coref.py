#!/usr/bin/env python3
"""Print N random pronouns and descriptions resolved on real pages, for judging by hand.

    python3 eval/sample_coref.py [--n 30] [--seed 1] [--kind pronoun|description|all] [--part tune]

Runs `dateline extract` over the political extraction-dev pages of one part of the split
(tune by default: judge on what you tune on) and prints, per sampled mention, the text
before it (up to 300 characters), the mention and the actor it was linked to, plus the
count of resolved mentions by kind. Standard library only.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import shlex
import subprocess
import sys

from measure import CORPUS, DEFAULT_RUN, REPO, fresh_dir, link


def political_ids(part: str) -> set[str]:
    with open(REPO / "eval" / "gold" / f"pages-{part}.tsv", encoding="utf-8") as handle:
        return {r["id"] for r in csv.DictReader(handle, delimiter="\t") if r["political"].strip() == "yes"}


def resolved(docs: list[dict], kinds: set[str]) -> list[tuple[str, str, str, str]]:
    """(title, text before, mention, actor name) of every mention of the kinds asked for."""
    out = []
    for doc in docs:
        article = doc.get("article") or {}
        text = "\n\n".join(article.get("body") or [])
        actors = doc.get("actors") or {}
        for m in doc.get("entities") or []:
            if m.get("kind") in kinds and text[m["start"]:m["end"]] == m["text"]:
                before = text[max(0, m["start"] - 300):m["start"]].replace("\n\n", " ¶ ")
                name = (actors.get(m["actor"]) or {}).get("name", m["actor"])
                out.append((article.get("title") or doc.get("doc"), before, m["text"], name))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kind", default="pronoun", choices=["pronoun", "description", "all"])
    ap.add_argument("--part", default="tune", choices=["tune", "heldout"])
    args = ap.parse_args()
    folder = fresh_dir(f"sample-coref-{args.part}")
    keep = political_ids(args.part)
    for page in sorted((CORPUS / "extraction-dev" / "html").glob("*.html.gz")):
        if page.name.split(".")[0] in keep:
            link(page, folder / page.name)
    cmd = shlex.split(DEFAULT_RUN.format(folder))
    docs = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout or "[]")
    docs = docs if isinstance(docs, list) else [docs]
    kinds = {"pronoun", "description"} if args.kind == "all" else {args.kind}
    items = resolved(docs, kinds)
    random.Random(args.seed).shuffle(items)
    print(f"{len(items)} resolved mentions ({', '.join(sorted(kinds))}) on {len(docs)} pages; showing {min(args.n, len(items))}")
    for k, (title, before, mention, name) in enumerate(items[: args.n], 1):
        print(f"\n[{k}] {title}\n  …{before}[[{mention}]]\n  -> {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
