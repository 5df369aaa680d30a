"""Extraction only, in one process: the capture and body figures of measure.py in seconds.

measure.py runs `dateline extract` once per page (a process and a model load each, minutes
on the 2-core machine); extraction does not need the model, so this reads each page with
``dateline.extract`` directly, writes the predictions and scores them with the same shared
scorers (`--pred`). Use it while tuning; measure.py stays the reference run.

    python3 eval/extract_fast.py capture --part tune [--pages]
    python3 eval/extract_fast.py body --part heldout
    python3 eval/extract_fast.py capture --corpus DIR --pages   # any corpus of captures with truth.json
"""
from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import CACHE, TOOLS, pages_subset  # noqa: E402

from dateline.extract import extract_article  # noqa: E402
from dateline.model import DatelineError, Record  # noqa: E402


def predictions(corpus: Path, kind: str) -> list[dict]:
    rows = []
    files = sorted((corpus / "text").glob("*.txt")) if kind == "capture" else sorted((corpus / "html").glob("*.html.gz"))
    for path in files:
        if kind == "capture":
            record = Record(source=path.name, content=path.read_text(encoding="utf-8"), kind="text", path=str(path))
        else:
            html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
            record = Record(source=path.name, content=html, kind="html", path=str(path))
        try:
            article = extract_article(record)
        except DatelineError as error:
            print(f"{path.name}: {error.reason}", file=sys.stderr)
            continue
        rows.append({"doc": path.name, "article": {"title": article.title, "body": article.body}})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=["capture", "body"])
    ap.add_argument("--part", choices=["tune", "heldout", "all"], default="tune")
    ap.add_argument("--pages", action="store_true", help="one line per page (captures; tune part only)")
    ap.add_argument("--corpus", type=Path,
                    help="another corpus of the same layout (text/ or html/ with truth.json), scored whole, "
                         "e.g. captures made from other public pages to check that a rule generalises")
    args = ap.parse_args()
    if args.corpus:
        corpus, label = args.corpus, args.corpus.name
    else:
        corpus = pages_subset("captures-dev" if args.kind == "capture" else "extraction-dev", args.part)
        label = args.part
    out = CACHE / f"fast-{args.kind}-{label}"
    out.mkdir(parents=True, exist_ok=True)
    rows = predictions(corpus, args.kind)
    (out / "predictions.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                           encoding="utf-8")
    scorer = "score_capture.py" if args.kind == "capture" else "score_body.py"
    command = [sys.executable, str(TOOLS / scorer), "--corpus", str(corpus), "--pred", str(out)]
    if args.pages and args.kind == "capture" and (args.part == "tune" or args.corpus):
        command.append("--pages")
    return subprocess.call(command)


if __name__ == "__main__":
    raise SystemExit(main())
