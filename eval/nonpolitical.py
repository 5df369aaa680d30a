#!/usr/bin/env python3
"""Share of non-political real pages on which Dateline codes no event (issue 11's relevance bar).

The pages are those of ../shared/corpus/extraction-dev listed as not political in
eval/gold/pages-<part>.tsv (hand classification: tech, deals, sport, autos, lifestyle …).
Runs `dateline extract` once over a folder of links to them and counts, per page, the
events it codes. Standard library only.

    python3 eval/nonpolitical.py [--part tune|heldout|all] [--run CMD] [--pages]
"""
from __future__ import annotations

import argparse
import csv
import json
import shlex
import subprocess
import sys
from pathlib import Path

from measure import CORPUS, DEFAULT_RUN, REPO, fresh_dir, link

GOLD = REPO / "eval" / "gold"


def non_political(part: str) -> dict[str, str]:
    parts = ["tune", "heldout"] if part == "all" else [part]
    pages = {}
    for name in parts:
        with open(GOLD / f"pages-{name}.tsv", encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if row["political"].strip().lower() not in ("yes", "political"):
                    pages[row["id"]] = row.get("category", "")
    return pages


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["tune", "heldout", "all"], default="heldout")
    ap.add_argument("--run", default=DEFAULT_RUN.replace("--format json", "--format jsonl"))
    ap.add_argument("--pages", action="store_true", help="one line per page with events")
    args = ap.parse_args()
    pages = non_political(args.part)
    folder = fresh_dir(f"nonpolitical-{args.part}")
    for key in pages:
        link(CORPUS / "extraction-dev" / "html" / f"{key}.html.gz", folder / f"{key}.html.gz")
    cmd = [a.replace("{}", str(folder)) for a in shlex.split(args.run)]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    events = {key: 0 for key in pages}
    for line in out.splitlines():
        if line.strip().startswith("{"):
            doc = json.loads(line)
            key = Path(doc.get("doc", "")).name.split(".")[0]
            if key in events:
                events[key] = len(doc.get("events") or [])
    quiet = sum(1 for n in events.values() if n == 0)
    print(f"non-political pages       {len(pages)}")
    print(f"pages with no event       {quiet} ({quiet / max(1, len(pages)):.3f})")
    print(f"events on these pages     {sum(events.values())}")
    if args.pages:
        for key, n in sorted(events.items(), key=lambda kv: -kv[1]):
            if n:
                print(f"  {n:3d}  {pages[key]:12s}  {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
