#!/usr/bin/env python3
"""Print N random events coded on real pages, for reading as a careful coder would.

    python3 eval/sample_events.py [--n 30] [--seed 1] [--political-only]

Runs `dateline extract` over the extraction-dev pages (all, or the hand-classified
political ones) and prints, per sampled event, the page's title, the type, source,
target, date, factuality and the evidence. Standard library only.
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


def political_ids() -> set[str]:
    ids = set()
    for part in ("tune", "heldout"):
        with open(REPO / "eval" / "gold" / f"pages-{part}.tsv", encoding="utf-8") as handle:
            ids |= {r["id"] for r in csv.DictReader(handle, delimiter="\t") if r["political"].strip() == "yes"}
    return ids


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--political-only", action="store_true")
    args = ap.parse_args()
    folder = fresh_dir("sample-events")
    keep = political_ids() if args.political_only else None
    for page in sorted((CORPUS / "extraction-dev" / "html").glob("*.html.gz")):
        if keep is None or page.name.split(".")[0] in keep:
            link(page, folder / page.name)
    cmd = [a.replace("{}", str(folder)) for a in shlex.split(DEFAULT_RUN.replace("--format json", "--format jsonl"))]
    events = []
    for line in subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines():
        if line.startswith("{"):
            doc = json.loads(line)
            events += [(doc["article"].get("title") or doc["doc"], e) for e in doc.get("events") or []]
    random.Random(args.seed).shuffle(events)
    print(f"{len(events)} events coded; {min(args.n, len(events))} sampled", file=sys.stderr)
    for n, (title, e) in enumerate(events[:args.n], 1):
        side = lambda refs: ", ".join(f"{r.get('name')} [{r.get('country') or r.get('code') or '-'} {r.get('sector') or ''}]" for r in refs) or "-"  # noqa: E731
        print(f"{n:2d}. {e['type']} {e.get('mode') or ''} | {side(e.get('source') or [])} -> {side(e.get('target') or [])} "
              f"| {e.get('date')} {e.get('factuality')}{' background' if e.get('background') else ''} | conf {e.get('confidence')}")
        print(f"    page: {title[:90]}")
        print(f"    evidence: {e.get('evidence', '')[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
