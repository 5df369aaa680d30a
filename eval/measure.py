#!/usr/bin/env python3
"""Measure Dateline on the dev corpora, split into a part to tune on and a held-out part.

Every dev set is split the same way, by a hash of each item's key (sentence id, page id,
article file name), so the split never depends on what the tool does or on file order:
about 30% of every set is held out and only measured. Tune on `tune`; report both.

    python3 eval/measure.py events   [--part tune|heldout|all]   # plover-dev, score_events.py
    python3 eval/measure.py capture  [--part ...]                # captures-dev, score_capture.py
    python3 eval/measure.py body     [--part ...]                # extraction-dev, score_body.py
    python3 eval/measure.py pages    [--part ...]                # eval/gold/extraction-dev, score.py
    python3 eval/measure.py attrib   [--part ...]                # polnear: train = tune, dev = heldout
    python3 eval/measure.py split    KIND                        # print the ids of each part

Subsets are built under .eval-cache/ (git-ignored copies of ../shared files, never text in
the repo). Extra arguments after `--` go to the scorer (e.g. `-- --json`, `-- --pages`).
Standard library only, like the scorers.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DATELINE_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"
TOOLS = SHARED / "tools"
CACHE = REPO / ".eval-cache"
GOLD_PAGES = REPO / "eval" / "gold" / "extraction-dev"
HELDOUT_SHARE = 3  # of 10
DEFAULT_RUN = f"{REPO / '.venv/bin/dateline'} extract {{}} --format json"


def is_heldout(key: str) -> bool:
    """The one split rule: a stable hash of the item's key, 3 in 10 held out."""
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 10 < HELDOUT_SHARE


def wanted(key: str, part: str) -> bool:
    return part == "all" or (part == "heldout") == is_heldout(key)


def gold_page_ids(part: str) -> list[str]:
    """Ids of the political pages of eval/gold/pages-<part>.tsv that have a gold file
    (the lists follow the same hash split as ``wanted``)."""
    names = ["tune", "heldout"] if part == "all" else [part]
    ids = []
    for name in names:
        with open(REPO / "eval" / "gold" / f"pages-{name}.tsv", encoding="utf-8", newline="") as handle:
            ids += [row["id"] for row in csv.DictReader(handle, delimiter="\t")
                    if row["political"] == "yes" and (GOLD_PAGES / f"{row['id']}.html.gz.gold.json").exists()]
    return ids


def fresh_dir(name: str) -> Path:
    out = CACHE / name
    if out.exists():
        for p in sorted(out.rglob("*"), reverse=True):
            p.unlink() if p.is_file() or p.is_symlink() else p.rmdir()
    out.mkdir(parents=True, exist_ok=True)
    return out


def link(src: Path, dst: Path) -> None:
    """Put a corpus file in a subset folder: a copy, since ingest rightly refuses symlinks
    leading out of an input folder (the copies live in the git-ignored .eval-cache/)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def events_subset(part: str) -> Path:
    src = CORPUS / "plover-dev"
    out = fresh_dir(f"plover-dev-{part}")
    for name in ("input.jsonl", "gold.jsonl"):
        lines = [ln for ln in (src / name).read_text(encoding="utf-8").splitlines() if ln.strip()]
        keep = [ln for ln in lines if wanted(json.loads(ln)["id"], part)]
        (out / name).write_text("\n".join(keep) + "\n", encoding="utf-8")
    return out


def pages_subset(kind: str, part: str) -> Path:
    """captures-dev (text/<id>.txt) or extraction-dev (html/<id>.html.gz) with truth.json."""
    src = CORPUS / kind
    out = fresh_dir(f"{kind}-{part}")
    truth = json.loads((src / "truth.json").read_text(encoding="utf-8"))
    keep = {k: v for k, v in truth.items() if wanted(k, part)}
    (out / "truth.json").write_text(json.dumps(keep), encoding="utf-8")
    folder, suffix = ("text", ".txt") if kind == "captures-dev" else ("html", ".html.gz")
    for key in keep:
        link(src / folder / f"{key}{suffix}", out / folder / f"{key}{suffix}")
    return out


def gold_pages_subset(part: str) -> Path:
    """Our own dateline-gold/1 files for extraction-dev, beside links to their raw pages."""
    out = fresh_dir(f"gold-pages-{part}")
    for gold in sorted(GOLD_PAGES.glob("*.gold.json")):
        doc = json.loads(gold.read_text(encoding="utf-8"))["doc"]
        if wanted(doc.split(".")[0], part):
            link(gold, out / gold.name)
            link(CORPUS / "extraction-dev" / "html" / doc, out / doc)
    return out


def readable_train() -> Path:
    """polnear-train less the articles whose annotation the scorer cannot read (one file
    has a malformed line, and score_attrib.py stops on it for the whole corpus)."""
    sys.path.insert(0, str(TOOLS))
    from score_attrib import read_gold

    src = CORPUS / "polnear-train"
    out = fresh_dir("polnear-train-readable")
    for ann in sorted((src / "ann").glob("*.ann")):
        text_path = src / "text" / f"{ann.stem}.txt"
        try:
            read_gold(ann, text_path.read_text(encoding="utf-8"))
        except (ValueError, KeyError, OSError) as error:
            print(f"skipped {ann.name}: {error}", file=sys.stderr)
            continue
        link(ann, out / "ann" / ann.name)
        link(text_path, out / "text" / text_path.name)
    for extra in src.iterdir():
        if extra.is_file():
            link(extra, out / extra.name)
    return out


def attrib_corpus(part: str) -> list[Path]:
    if part == "heldout":
        return [CORPUS / "polnear-dev"]
    return [readable_train()] + ([CORPUS / "polnear-dev"] if part == "all" else [])


def split_ids(kind: str) -> dict[str, list[str]]:
    if kind == "events":
        keys = [json.loads(ln)["id"] for ln in (CORPUS / "plover-dev/gold.jsonl").read_text().splitlines() if ln.strip()]
    elif kind in ("capture", "body"):
        keys = list(json.loads((CORPUS / "extraction-dev/truth.json").read_text()))
    else:
        keys = [json.loads(g.read_text())["doc"].split(".")[0] for g in sorted(GOLD_PAGES.glob("*.gold.json"))]
    return {"tune": [k for k in keys if not is_heldout(k)], "heldout": [k for k in keys if is_heldout(k)]}


def run(cmd: list[str]) -> int:
    print("$", shlex.join(cmd), file=sys.stderr, flush=True)
    return subprocess.call(cmd)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["events", "capture", "body", "pages", "attrib", "split"])
    ap.add_argument("split_kind", nargs="?", help="with `split`: events|capture|body|pages")
    ap.add_argument("--part", choices=["tune", "heldout", "all"], default="heldout")
    ap.add_argument("--run", default=DEFAULT_RUN, help="command template, {} = the input")
    args, rest = ap.parse_known_args()
    rest = [a for a in rest if a != "--"]
    if args.kind == "split":
        print(json.dumps(split_ids(args.split_kind or "events"), indent=1))
        return 0
    py = sys.executable
    if args.kind == "events":
        return run([py, str(TOOLS / "score_events.py"), "--corpus", str(events_subset(args.part)), "--run", args.run, *rest])
    if args.kind == "capture":
        return run([py, str(TOOLS / "score_capture.py"), "--corpus", str(pages_subset("captures-dev", args.part)), "--run", args.run, *rest])
    if args.kind == "body":
        return run([py, str(TOOLS / "score_body.py"), "--corpus", str(pages_subset("extraction-dev", args.part)), "--run", args.run, *rest])
    if args.kind == "pages":
        return run([py, str(TOOLS / "score.py"), "--gold", str(gold_pages_subset(args.part)), "--run", args.run, *rest])
    code = 0
    for corpus in attrib_corpus(args.part):
        code |= run([py, str(TOOLS / "score_attrib.py"), "--corpus", str(corpus), "--run", args.run, *rest])
    return code


if __name__ == "__main__":
    sys.exit(main())
