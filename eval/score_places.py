#!/usr/bin/env python3
"""Score Dateline's `places` on the hand-annotated real pages of eval/gold/extraction-dev.

    python3 eval/score_places.py --part tune|heldout|all [--run TEMPLATE] [--batch] [--list]

Each gold file (dateline-gold/1) lists a page's `places`: `name`, `country` (ISO3, null for
regions such as "Middle East"), `precision` (country | admin | city | region) and, for
city-level places, `lat`/`lon`; `optional: true` marks a place right to find but not wrong
to miss. Which pages are tune and which held out is read from eval/gold/pages-{tune,heldout}.tsv.

For every page of the part, `dateline extract {} --format json` is run (by default
`.venv/bin/dateline` of this worktree with PYTHONPATH=src) and its output cached under
.eval-cache/places/ by a hash of the command and of the source tree, so a rerun without
code changes reads the cache. `--batch` runs one process on all the pages at once
(`--format jsonl`): the same predictions, without paying the model load per page.

Places are compared per page as sets of folded names (accents, case, punctuation, a
leading "the"/"al-" and a trailing "City"/"State" ignored, and the common short forms of
ALIASES): a predicted place matches a gold place when its reported name or the text it
was found at folds to the gold name. Printed:
  recall      matched non-optional gold places / non-optional gold places
  precision   matched predicted names / predicted names (names matching an optional gold
              place are neither right nor wrong, and so are unmatched names whose every
              mention has role `metonym`: the output itself says they stand for an actor,
              "Turkey has shelled", "U.S. consumers", not for a location; the gold lists
              locations); `strict` counts those unmatched metonyms as wrong
  country     matched places whose predicted country is the gold one (null = null)
  161 km      matched city-level gold places with a gold point whose predicted point lies
              within 161 km (100 miles) of it
Standard library only, like the scorers of ../shared/tools.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import shlex
import subprocess
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "eval"))
from measure import CORPUS, GOLD_PAGES, SHARED, gold_page_ids  # noqa: E402

PAGES = CORPUS / "extraction-dev" / "html"
GOLD = GOLD_PAGES
CACHE = REPO / ".eval-cache" / "places"
# A worktree has no .venv of its own: the dateline of the interpreter running this script then.
DATELINE_BIN = next((p for p in (REPO / ".venv/bin/dateline", Path(sys.executable).parent / "dateline")
                     if p.exists()), REPO / ".venv/bin/dateline")
DEFAULT_RUN = f"PYTHONPATH={REPO / 'src'} {DATELINE_BIN} extract {{}} --format json"
PARAGRAPH_SEPARATOR = "\n\n"      # how dateline.model.Article.text joins the body
WITHIN_KM = 161

# Short forms news uses for the same place; folded names on both sides map to the first.
ALIASES = {
    "us": "united states", "u s": "united states", "usa": "united states", "america": "united states",
    "united states of america": "united states",
    "uk": "united kingdom", "u k": "united kingdom", "britain": "united kingdom",
    "great britain": "united kingdom",
    "nyc": "new york", "washington d c": "washington", "washington dc": "washington",
    "uae": "united arab emirates", "drc": "democratic republic of the congo",
    "kiev": "kyiv", "turkiye": "turkey",
}


def fold(name: str | None) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = " ".join(re.sub(r"[^\w\s]", " ", text).split())
    text = re.sub(r"^(the|al|el) ", "", text)
    text = re.sub(r" (city|state)$", "", text)
    return ALIASES.get(text, text)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


# ---------------------------------------------------------------- gold and pages

def part_ids(part: str) -> set[str]:
    """Political pages of the part that have a gold file (measure.gold_page_ids)."""
    return set(gold_page_ids(part))

def gold_pages(part: str) -> dict[str, dict]:
    wanted = part_ids(part)
    pages = {}
    for path in sorted(GOLD.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold["doc"].split(".")[0] in wanted:
            pages[gold["doc"]] = gold
    return pages


# ---------------------------------------------------------------- predictions (cached)

def source_hash(template: str) -> str:
    digest = hashlib.sha256(template.encode())
    for path in sorted((REPO / "src").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def predictions(docs: list[str], template: str, batch: bool) -> dict[str, dict]:
    folder = CACHE / source_hash(template)
    folder.mkdir(parents=True, exist_ok=True)
    missing = [doc for doc in docs if not (folder / f"{doc}.json").exists()]
    if missing and batch:
        _run_batch(missing, template, folder)
    for doc in missing:
        if not (folder / f"{doc}.json").exists():
            _run_one(doc, template, folder)
    return {doc: json.loads((folder / f"{doc}.json").read_text(encoding="utf-8")) for doc in docs}


def _run_one(doc: str, template: str, folder: Path) -> None:
    command = template.replace("{}", shlex.quote(str(PAGES / doc)))
    print(f"$ {command}", file=sys.stderr, flush=True)
    done = subprocess.run(command, shell=True, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"dateline failed on {doc}")
    out = json.loads(done.stdout)
    (folder / f"{doc}.json").write_text(json.dumps(out[0] if isinstance(out, list) else out), encoding="utf-8")


def _run_batch(docs: list[str], template: str, folder: Path) -> None:
    paths = " ".join(shlex.quote(str(PAGES / doc)) for doc in docs)
    command = template.replace("{}", paths).replace("--format json", "--format jsonl")
    print(f"$ {command[:200]} ...", file=sys.stderr, flush=True)
    done = subprocess.run(command, shell=True, capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.strip():
            result = json.loads(line)
            name = Path(str(result.get("doc", ""))).name
            if name in docs:
                (folder / f"{name}.json").write_text(json.dumps(result), encoding="utf-8")


# ---------------------------------------------------------------- scoring

def predicted_places(result: dict) -> dict[str, dict]:
    """Folded name -> the first place of that name; a place is filed under its reported
    name and under the text it was found at ("U.S." reported as United States)."""
    text = PARAGRAPH_SEPARATOR.join((result.get("article") or {}).get("body") or [])
    found: dict[str, dict] = {}
    for place in result.get("places") or []:
        surfaces = {fold(place.get("name"))}
        if place.get("start") is not None and place.get("end") is not None:
            surfaces.add(fold(text[place["start"]:place["end"]]))
        known = next((found[s] for s in surfaces if s in found), None)
        if known is not None:
            known["_metonym"] = known["_metonym"] and place.get("role") == "metonym"
            continue
        found[min(surfaces)] = {**place, "_keys": surfaces, "_metonym": place.get("role") == "metonym"}
    return found


def score_page(gold: dict, result: dict) -> dict:
    golds: dict[str, dict] = {}
    for place in gold.get("places") or []:
        golds.setdefault(fold(place["name"]), place)
    preds = predicted_places(result)
    tally = {"gold": 0, "found": 0, "pred": 0, "right": 0, "metonyms": 0, "country": 0, "matched": 0,
             "points": 0, "near": 0, "misses": [], "wrong": [], "far": [], "bad_country": []}
    matched_gold: set[str] = set()
    for key, place in preds.items():
        hit = next((k for k in place["_keys"] if k in golds and k not in matched_gold), None)
        if hit is None and place["_metonym"]:
            tally["metonyms"] += 1
            continue
        if hit is None:
            tally["pred"] += 1
            tally["wrong"].append(f"{place.get('name')}/{place.get('country')}")
            continue
        matched_gold.add(hit)
        target = golds[hit]
        if not target.get("optional"):
            tally["pred"] += 1
            tally["right"] += 1
        tally["matched"] += 1
        if place.get("country") == target.get("country"):
            tally["country"] += 1
        else:
            tally["bad_country"].append(f"{target['name']}: {place.get('country')} for {target.get('country')}")
        if target.get("precision") == "city" and target.get("lat") is not None:
            tally["points"] += 1
            if place.get("lat") is not None and km(place["lat"], place["lon"], target["lat"], target["lon"]) <= WITHIN_KM:
                tally["near"] += 1
            else:
                tally["far"].append(f"{target['name']}: {place.get('name')} {place.get('lat')},{place.get('lon')}")
    for key, place in golds.items():
        if place.get("optional"):
            continue
        tally["gold"] += 1
        if key in matched_gold:
            tally["found"] += 1
        else:
            tally["misses"].append(f"{place['name']}/{place.get('precision')}")
    return tally


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["tune", "heldout", "all"], default="tune")
    ap.add_argument("--run", default=DEFAULT_RUN, help="command template, {} = the page")
    ap.add_argument("--batch", action="store_true", help="one process for all pages (--format jsonl)")
    ap.add_argument("--list", action="store_true", help="print each page's misses and wrong places")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    pages = gold_pages(args.part)
    results = predictions(sorted(pages), args.run, args.batch)
    total = {k: 0 for k in ("gold", "found", "pred", "right", "metonyms", "country", "matched", "points", "near")}
    for doc, gold in pages.items():
        tally = score_page(gold, results[doc])
        for key in total:
            total[key] += tally[key]
        if args.list:
            print(f"{doc[:8]} miss: {'; '.join(tally['misses'])}\n         wrong: {'; '.join(tally['wrong'])}")
            for line in tally["bad_country"] + tally["far"]:
                print(f"         {line}")
    figures = {
        "pages": len(pages),
        "recall": total["found"] / total["gold"] if total["gold"] else None,
        "precision": total["right"] / total["pred"] if total["pred"] else None,
        "strict_precision": total["right"] / (total["pred"] + total["metonyms"]) if total["pred"] + total["metonyms"] else None,
        "country_right": total["country"] / total["matched"] if total["matched"] else None,
        "within_161km": total["near"] / total["points"] if total["points"] else None,
    }
    if args.json:
        print(json.dumps({**figures, **total}))
        return 0
    print(f"places on {len(pages)} pages ({args.part})")
    print(f"  recall        {ratio(total['found'], total['gold'])}")
    print(f"  precision     {ratio(total['right'], total['pred'])}")
    print(f"  strict prec.  {ratio(total['right'], total['pred'] + total['metonyms'])}")
    print(f"  country right {ratio(total['country'], total['matched'])}")
    print(f"  city <=161 km {ratio(total['near'], total['points'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
