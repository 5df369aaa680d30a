#!/usr/bin/env python3
"""Score Dateline's actors against the hand-annotated actors of eval/gold/extraction-dev.

    python3 eval/score_actors.py --part tune|heldout|all [--junk] [--misses] [--verbose]
    python3 eval/score_actors.py --part tune --run 'dateline extract {} --format jsonl'

Each gold actor (name + aliases) is matched to the predicted actors whose name, aliases or
mention texts equal one of its names after folding case and punctuation; a gold person also
matches a predicted person or mention that is its surname alone ("Neumann"). Printed, over
the gold *political* actors (sector GOV MIL REB OPP PTY COP JUD LEG IGO NGO, or kind
country/igo/ngo) and over all gold actors:

- found: share of gold actors matched by at least one predicted actor;
- coded: share of found ones whose main predicted actor (the one with most mentions) has
  a country or an organisation code;
- country right: where the prediction gives a country or code, it is the gold one;
- sector right: where the prediction gives a sector, it is the gold one;
- split: gold actors matched by more than one predicted actor (one entity, two nodes);
- junk: predicted actors that match no gold actor (listed with --junk, to read).
Cities the output marks as places (kind `place-as-actor`, sector CVL: "talks in Moscow")
are not predicted actors here; a predicted actor fitting two gold actors equally counts for
the one of its own kind (person or not).

Predictions are cached per page under .eval-cache/actors/<code digest>/ (the digest covers
every file under src/dateline), so a rerun after no code change costs nothing and after a
change runs only one `dateline extract` process over all pages. Standard library only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "eval"))
from measure import CORPUS, GOLD_PAGES, SHARED, gold_page_ids  # noqa: E402

PAGES = CORPUS / "extraction-dev" / "html"
GOLD = GOLD_PAGES
CACHE = REPO / ".eval-cache" / "actors"
# A worktree has no .venv of its own: the dateline of the interpreter running this script then.
DATELINE_BIN = next((p for p in (REPO / ".venv/bin/dateline", Path(sys.executable).parent / "dateline")
                     if p.exists()), REPO / ".venv/bin/dateline")
DEFAULT_RUN = f"{DATELINE_BIN} extract {{}} --format jsonl"
POLITICAL_SECTORS = {"GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "LEG", "IGO", "NGO"}
POLITICAL_KINDS = {"country", "igo", "ngo"}


def fold(text: str) -> str:
    """Case, accents, punctuation and a leading article folded away: "the U.S." -> "us"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9 ]+", "", text.replace("-", " "))
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def part_ids(part: str) -> list[str]:
    """Political pages of the part that have a gold file (measure.gold_page_ids)."""
    return gold_page_ids(part)

def code_digest(run: str) -> str:
    """Changes when any source or data file of the package (or the command) changes."""
    digest = hashlib.sha256(run.encode())
    for path in sorted((REPO / "src" / "dateline").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def predictions(ids: list[str], run: str, fresh: bool = False) -> dict[str, dict]:
    folder = CACHE / code_digest(run)
    folder.mkdir(parents=True, exist_ok=True)
    missing = [i for i in ids if fresh or not (folder / f"{i}.json").exists()]
    if missing:
        paths = " ".join(shlex.quote(str(PAGES / f"{i}.html.gz")) for i in missing)
        env = dict(os.environ, PYTHONPATH=str(REPO / "src"), DATELINE_SHARED=str(SHARED))
        out = subprocess.run(run.replace("{}", paths), shell=True, capture_output=True, text=True, env=env)
        if out.returncode != 0:
            sys.exit(f"extract failed:\n{out.stderr[-3000:]}")
        for line in out.stdout.splitlines():
            if line.strip():
                doc = json.loads(line)
                key = Path(doc.get("doc") or "").name.split(".")[0]
                (folder / f"{key}.json").write_text(json.dumps(doc), encoding="utf-8")
    return {i: json.loads((folder / f"{i}.json").read_text(encoding="utf-8")) for i in ids
            if (folder / f"{i}.json").exists()}


def is_political(actor: dict) -> bool:
    return actor.get("sector") in POLITICAL_SECTORS or actor.get("kind") in POLITICAL_KINDS


def gold_names(actor: dict) -> set[str]:
    names = {fold(actor["name"])} | {fold(a) for a in actor.get("aliases") or []}
    return {n for n in names if n}


def surname(actor: dict) -> str | None:
    parts = fold(actor["name"]).split()
    return parts[-1] if actor.get("kind") == "person" and len(parts) > 1 else None


def predicted_names(doc: dict) -> dict[str, set[str]]:
    """Actor id -> every folded name it goes by in this document (name, aliases, mentions)."""
    actors = actors_of(doc)
    names = {aid: {fold(a.get("name") or "")} | {fold(x) for x in a.get("aliases") or []}
             for aid, a in actors.items()}
    for mention in doc.get("entities") or []:
        if mention.get("actor") in names:
            names[mention["actor"]].add(fold(mention.get("text") or ""))
    return {aid: {n for n in ns if n} for aid, ns in names.items()}


def strength(gold: dict, pred: dict, names: set[str]) -> int:
    """How well a predicted actor fits a gold one: 3 its own name, 2 an alias, 1 the
    surname of a person, 0 not at all."""
    if fold(gold["name"]) in names:
        return 3
    if gold_names(gold) & names:
        return 2
    last = surname(gold)
    if last and pred.get("kind") == "person" and any(n == last or n.split()[-1] == last for n in names):
        return 1
    return 0


def assign(golds: list[dict], actors: dict, names: dict[str, set[str]]) -> list[list[str]]:
    """Per gold actor, the predicted actors that fit it best of all gold actors (a predicted
    actor whose mentions include two gold actors' aliases counts for the closer one; when two
    fit it equally, for the one of its own kind: "the NYAG" is an alias of the office and of
    the person holding it, and the predicted organisation "NYAG" is the office)."""
    fits = {aid: [strength(g, actors[aid], names[aid]) for g in golds] for aid in actors}
    out: list[list[str]] = [[] for _ in golds]
    for aid, row in fits.items():
        best = max(row, default=0)
        tied = [k for k, value in enumerate(row) if best and value == best]
        same_kind = [k for k in tied if is_person(golds[k]) == is_person(actors[aid])]
        for k in same_kind if 0 < len(same_kind) < len(tied) else tied:
            out[k].append(aid)
    return out


def is_person(actor: dict) -> bool:
    return actor.get("kind") == "person"


def actors_of(doc: dict) -> dict[str, dict]:
    """The predicted actors, without the cities the output itself marks as places (kind
    `place-as-actor`, sector CVL: "talks in Moscow"): like a metonym in score_places.py, the
    output says that mention is the town where something happens, not an actor."""
    return {aid: a for aid, a in (doc.get("actors") or {}).items()
            if not (a.get("kind") == "place-as-actor" and a.get("sector") == "CVL")}


def score_doc(gold_doc: dict, doc: dict, tally: dict, junk: Counter, misses: list, verbose: bool) -> None:
    actors = actors_of(doc)
    names = predicted_names(doc)
    counts = Counter(m.get("actor") for m in doc.get("entities") or [])
    golds = gold_doc["actors"]
    assigned = assign(golds, actors, names)
    matched_ids = {aid for hits in assigned for aid in hits}
    for gold, hits in zip(golds, assigned):
        ranked = sorted(hits, key=lambda h: (-strength(gold, actors[h], names[h]), -counts[h]))
        for scope in ("political", "all") if is_political(gold) else ("all",):
            _count(tally[scope], gold, [actors[h] | {"id": h} for h in ranked],
                   misses if scope == "political" else None, verbose)
    for aid, actor in actors.items():
        if aid not in matched_ids:
            junk[f"{actor.get('name')} [{actor.get('kind')} {actor.get('country') or actor.get('code')} "
                 f"{actor.get('sector')}]"] += 1


def _count(t: Counter, gold: dict, hits: list[dict], misses: list | None, verbose: bool) -> None:
    t["gold"] += 1
    if not hits:
        if misses is not None:
            misses.append(f"MISS {gold['name']} [{gold.get('kind')} {gold.get('country') or gold.get('code')} "
                          f"{gold.get('sector')}]")
        return
    t["found"] += 1
    main = hits[0]
    if len(hits) > 1:
        t["split"] += 1
        if misses is not None and verbose:
            misses.append(f"SPLIT {gold['name']}: {[h['id'] for h in hits]}")
    gold_owner = gold.get("country") or gold.get("code")
    owner = main.get("country") or main.get("code")
    if owner:
        t["coded"] += 1
        t["owner_right"] += owner == gold_owner or owner == gold.get("code")
        if misses is not None and verbose and owner not in (gold_owner, gold.get("code")):
            misses.append(f"COUNTRY {gold['name']}: gold {gold_owner} got {owner} ({main['id']})")
    elif misses is not None and verbose:
        misses.append(f"UNCODED {gold['name']} [{gold_owner} {gold.get('sector')}] as {main['id']}")
    if main.get("sector"):
        t["sectored"] += 1
        t["sector_right"] += main["sector"] == gold.get("sector")
        if misses is not None and verbose and main["sector"] != gold.get("sector"):
            misses.append(f"SECTOR {gold['name']}: gold {gold.get('sector')} got {main['sector']} ({main['id']})")


def share(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["tune", "heldout", "all"], default="tune")
    parser.add_argument("--run", default=DEFAULT_RUN, help="command, {} = the page paths; prints JSON Lines")
    parser.add_argument("--fresh", action="store_true", help="ignore cached predictions")
    parser.add_argument("--junk", action="store_true", help="list predicted actors that match no gold actor")
    parser.add_argument("--misses", action="store_true", help="list missed political actors")
    parser.add_argument("--verbose", action="store_true", help="with --misses: wrong codes, splits too")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    ids = part_ids(args.part)
    preds = predictions(ids, args.run, args.fresh)
    tally = {"political": Counter(), "all": Counter()}
    junk: Counter = Counter()
    misses: list[str] = []
    for page in ids:
        gold_doc = json.loads((GOLD / f"{page}.html.gz.gold.json").read_text(encoding="utf-8"))
        page_misses: list[str] = []
        score_doc(gold_doc, preds.get(page, {}), tally, junk, page_misses, args.verbose)
        misses += [f"{page[:8]} {m}" for m in page_misses]
    report = {scope: {"gold": t["gold"], "found": t["found"] / max(t["gold"], 1),
                      "coded": t["coded"] / max(t["found"], 1), "country_right": t["owner_right"] / max(t["coded"], 1),
                      "sector_right": t["sector_right"] / max(t["sectored"], 1), "split": t["split"]}
              for scope, t in tally.items()}
    report["junk"] = sum(junk.values())
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(f"part {args.part}: {len(ids)} pages, {len(preds)} predicted")
        for scope, t in tally.items():
            print(f"  {scope:9} gold {t['gold']:4}  found {share(t['found'], t['gold'])}  "
                  f"coded {share(t['coded'], t['found'])}  country right {share(t['owner_right'], t['coded'])}  "
                  f"sector right {share(t['sector_right'], t['sectored'])}  split {t['split']}")
        print(f"  junk predicted actors (no gold match): {report['junk']}")
    if args.misses:
        print("\n".join(misses))
    if args.junk:
        for name, n in junk.most_common():
            print(f"  junk {n:3} {name}")


if __name__ == "__main__":
    main()
