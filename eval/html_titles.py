"""Titles of the extraction-dev HTML pages against the headline captures-dev shows for the same page.

captures-dev/truth.json holds the displayed headline of each of the 92 pages; extraction-dev
holds the same pages as HTML. Same split as measure.py (the page id's hash), so the tune part
can be read page by page and the held-out part only counted:

    python3 eval/html_titles.py --part tune [--pages]
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import SHARED, wanted  # noqa: E402

from dateline.extract import extract_article  # noqa: E402
from dateline.model import Record  # noqa: E402


def words(text: str | None) -> list[str]:
    return re.findall(r"\w+", (text or "").lower())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", choices=["tune", "heldout", "all"], default="tune")
    ap.add_argument("--pages", action="store_true", help="print each wrong title (tune part only)")
    args = ap.parse_args()
    corpus = SHARED / "corpus"
    truth = json.loads((corpus / "captures-dev" / "truth.json").read_text(encoding="utf-8"))
    keys = [k for k in sorted(truth) if wanted(k, args.part)]
    right = 0
    for key in keys:
        path = corpus / "extraction-dev" / "html" / f"{key}.html.gz"
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        title = extract_article(Record(source=path.name, content=html, kind="html", path=str(path))).title
        ok = words(title) == words(truth[key]["title"])
        right += ok
        if args.pages and not ok and args.part == "tune":
            print(f"{key[:12]}  pred={title!r}\n              true={truth[key]['title']!r}")
    print(f"title_exact {right}/{len(keys)} = {right / len(keys):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
