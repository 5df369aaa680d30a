#!/usr/bin/env python3
"""Build src/dateline/data/events/cameo_lexicon.jsonl from the PETRARCH-2 CAMEO verb dictionary.

Sources (both under ../shared/resources):
- petrarch2/CAMEO.2.0.txt: the CAMEO verb pattern dictionary, Open Event Data Alliance,
  MIT License (Copyright (c) 2015 Open Event Data Alliance); verb synonym blocks
  ("--- ACCUSE [112] ---" and the verbs under it) and their patterns ("- * AGGRESSION [1123]").
- plover/CAMEO2PLOVER-2021.txt: PLOVER's CAMEO -> PLOVER type/mode table (Schrodt 2021,
  PLOVER, CC BY-SA 4.0).

What is kept, and why:
- a verb of a block with a code, or a verb with its own code: the verb codes the event
  when its object names an actor ("obj_actor"), as PETRARCH codes only source-verb-target;
- a pattern whose only words after the verb are one object word, a particle, or one
  preposition with its object ("- * (INTO ALLEGATION) [090]"): the verb with that
  condition, for the verb the pattern's comment names when it is a verb of the block
  (it was found on that verb: "express anger" is ACCUSE, its synonym "cite anger" is
  not), else for every verb of the block; a bare particle only for the verb the
  pattern's comment names ("bid on" is no attack). Synonym sets (&FOOD) expand to their members;
  patterns with words before the verb, several phrases or source/target markers in
  the middle are left out (the coder reads subjects from the parse);
- codes PLOVER maps (03-20); 01 (public statements) and 02 (appeals) have no PLOVER type.
The first line of the output is a JSON header with the sources and licences; the coder's
hand codebook (codebook.jsonl) wins over any entry here for the same verb.

Usage: python3 scripts/build_event_lexicon.py [--cameo PATH] [--plover PATH] [--out PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DATELINE_SHARED", "/work/shared"))
BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---")
CODE = re.compile(r"\[([0-9:]+)\]")
PARTICLES = frozenset({"UP", "DOWN", "OUT", "OFF", "BACK", "AWAY", "OVER", "IN", "ON"})
PREPOSITIONS = frozenset({"TO", "FOR", "WITH", "AGAINST", "ON", "OF", "INTO", "FROM", "OVER", "AT", "IN",
                          "ABOUT", "BY", "UPON", "AFTER"})


def plover_table(text: str) -> dict[str, tuple[str, str | None]]:
    table = {}
    for line in text.splitlines():
        match = re.match(r"^(\d+):\s*([A-Z]+)\s*,\s*([^,#]*)", line)
        if match:
            mode = match.group(3).strip() or None
            table.setdefault(match.group(1), (match.group(2), mode))
    return table


def synsets(text: str) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = defaultdict(list)
    current = None
    for line in text.split("####### VERB PATTERNS", 1)[0].splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("&"):
            current = line.rstrip("_")
        elif line.startswith("+") and current:
            word = line[1:].strip().rstrip("_")
            if word and " " not in word and "_" not in word:
                sets[current].append(word.lower())
    return sets


def first_code(raw: str) -> str | None:
    code = raw.split(":")[0].strip()
    return code if code.isdigit() else None


def condition(words: str, sets: dict[str, list[str]]) -> dict | None:
    """The condition a pattern's words after the verb state, if it is a simple one."""
    words = words.replace("$", " ").replace("+", " ").replace("%", " ").strip()
    prep = re.fullmatch(r"\((\w+)\s+([&\w-]+)\)", words)
    if prep and prep.group(1) in PREPOSITIONS:
        objects = expand(prep.group(2), sets)
        return {"prep": prep.group(1).lower(), "with": objects} if objects else None
    if re.fullmatch(r"[&\w-]+", words):
        if words in PARTICLES:
            return {"prt": words.lower()}
        objects = expand(words, sets)
        return {"with": objects} if objects else None
    return None


def expand(word: str, sets: dict[str, list[str]]) -> list[str]:
    if word.startswith("&"):
        return sets.get(word.rstrip("_"), [])
    return [word.lower().replace("_", " ")] if word.isalpha() or "-" in word else []


def parse(text: str, table: dict[str, tuple[str, str | None]]) -> list[dict]:
    sets = synsets(text)
    entries: dict[str, dict] = {}
    block_code, verbs, patterns = None, [], []

    def flush() -> None:
        for verb, own in verbs:
            code = own or block_code
            if code and code[:2] in table or (code and code in table):
                add(verb, code, {"obj_actor": True}, f"CAMEO block verb [{code}]")
            block_verbs = {v for v, _ in verbs}
            for pattern_code, cond, words, origin in patterns:
                if origin in block_verbs and verb != origin:
                    # an object sense holds for the verb it was found on, not its synonyms:
                    # "express anger" is an accusation, "cite anger" is not; "join democracy
                    # [protests]" says nothing of "converge"
                    continue
                if "prt" in cond and origin and verb != origin:
                    continue  # a bare particle is too weak to carry over to synonyms ("bid on")
                add(verb, pattern_code, cond, f"CAMEO pattern '* {words}' [{pattern_code}]")

    def add(verb: str, code: str, cond: dict, why: str) -> None:
        mapped = table.get(code) or table.get(code[:3]) or table.get(code[:2])
        if mapped is None:
            return
        plover_type, mode = mapped
        key = json.dumps([verb, cond], sort_keys=True)
        if key in entries:
            return
        entries[key] = {"id": f"cameo.{verb}.{len(entries)}", "type": plover_type, "cameo": code,
                        "lemma": verb, "pos": "VERB", **({"mode": mode} if mode and "-" not in mode else {}),
                        **{k: v for k, v in cond.items()}, "rationale": why}

    for raw in text.split("####### VERB PATTERNS", 1)[1].split("######## TRANSFORMATIONS", 1)[0].splitlines():
        line = raw.split("#", 1)[0].rstrip()
        block = BLOCK.match(raw)
        if block:
            flush()
            block_code, verbs, patterns = first_code(block.group(2)), [], []
            continue
        if not line.strip():
            continue
        if line.startswith("-"):
            code = CODE.search(line)
            body = CODE.sub("", line[1:]).strip()
            if not code or not body.startswith("*"):
                continue  # words before the verb: read from the parse instead
            cond = condition(body[1:].strip(), sets)
            pattern_code = first_code(code.group(1))
            comment = raw.split("#", 1)[1].split() if "#" in raw else []
            origin = comment[0].lower() if comment and comment[0].isalpha() else None  # the verb it was found on
            if cond and pattern_code:
                patterns.append((pattern_code, cond, body[1:].strip(), origin))
            continue
        if line.startswith("+") or line.startswith("&"):
            continue  # multi-word verb phrases: the coder's particles and prepositions cover them
        word = line.split("{", 1)[0].split("[", 1)[0].strip()
        if word.isalpha():
            own = CODE.search(line)
            verbs.append((word.lower(), first_code(own.group(1)) if own else None))
    flush()
    return list(entries.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameo", type=Path, default=SHARED / "resources/petrarch2/CAMEO.2.0.txt")
    parser.add_argument("--plover", type=Path, default=SHARED / "resources/plover/CAMEO2PLOVER-2021.txt")
    parser.add_argument("--out", type=Path, default=ROOT / "src/dateline/data/events/cameo_lexicon.jsonl")
    args = parser.parse_args()
    table = plover_table(args.plover.read_text(encoding="utf-8", errors="replace"))
    entries = parse(args.cameo.read_text(encoding="utf-8", errors="replace"), table)
    header = {"header": True, "generated_by": "scripts/build_event_lexicon.py",
              "sources": ["PETRARCH-2 CAMEO.2.0.txt, Open Event Data Alliance, MIT License",
                          "PLOVER CAMEO2PLOVER-2021.txt, Schrodt 2021, CC BY-SA 4.0"],
              "note": "do not edit by hand: rerun the script; codebook.jsonl (hand entries) wins per verb"}
    lines = [json.dumps(header)] + [json.dumps(e, ensure_ascii=False) for e in entries]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(entries)} entries")


if __name__ == "__main__":
    main()
