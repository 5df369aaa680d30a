#!/usr/bin/env python3
"""Print N random quotes found on the real pages of extraction-dev, for judging by hand.

    python3 eval/sample_quotes.py [--n 40] [--seed 13] [--run 'CMD {}'] [--reuse]

Runs `dateline extract` once over every page of extraction-dev (output kept under
.eval-cache/sample-quotes/, `--reuse` reads it again) and prints, per sampled quote, the
page, the paragraph around it, the quote's kind, cue, text and speaker (mention, resolved
name, country), so a reader can mark each: a real attribution or not, speaker right or not.
Standard library only.
"""
from __future__ import annotations

import argparse
import json
import random
import shlex
import subprocess
import sys

from measure import CACHE, CORPUS, DEFAULT_RUN, fresh_dir, link


def quotes_of(docs: list[dict]) -> list[tuple[str, str, dict]]:
    """(page, the text around the quote, the quote) for every quote on every page."""
    out = []
    for doc in docs:
        article = doc.get("article") or {}
        text = "\n\n".join(article.get("body") or [])
        for q in doc.get("quotes") or []:
            at = text.find(q.get("text") or "\0")
            around = text[max(0, at - 200): at + len(q["text"]) + 120] if at >= 0 else ""
            out.append((doc.get("doc") or article.get("title") or "?", around.replace("\n\n", " ¶ "), q))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--run", default=DEFAULT_RUN, help="command template, {} = the pages folder")
    ap.add_argument("--reuse", action="store_true", help="read the last run's output again")
    args = ap.parse_args()
    saved = CACHE / "sample-quotes.json"
    if not (args.reuse and saved.exists()):
        folder = fresh_dir("sample-quotes-pages")
        for page in sorted((CORPUS / "extraction-dev" / "html").glob("*.html.gz")):
            link(page, folder / page.name)
        result = subprocess.run(shlex.split(args.run.format(folder)), capture_output=True, text=True, check=True)
        saved.write_text(result.stdout or "[]", encoding="utf-8")
    docs = json.loads(saved.read_text(encoding="utf-8") or "[]")
    docs = docs if isinstance(docs, list) else [docs]
    items = quotes_of(docs)
    random.Random(args.seed).shuffle(items)
    print(f"{len(items)} quotes on {len(docs)} pages; showing {min(args.n, len(items))} (seed {args.seed})")
    for k, (page, around, q) in enumerate(items[: args.n], 1):
        sp = q.get("speaker") or {}
        print(f"\n[{k}] {page}  {q.get('kind')} cue={q.get('cue')!r}\n  speaker: {sp.get('mention')!r} -> "
              f"{sp.get('name')!r} ({sp.get('country')})\n  quote: {q.get('text')!r}\n  around: …{around}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
