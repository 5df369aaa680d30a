#!/usr/bin/env python3
"""Build src/dateline/data/actors/phoenix_actors.tsv and phoenix_agents.tsv from the Phoenix
actor and agent dictionaries of PETRARCH-2.

Sources (../shared/resources/petrarch2/, Open Event Data Alliance, MIT License,
Copyright (c) 2014 Open Event Data Alliance; format in dictionaries.rst):
- Phoenix.Countries.actors.txt    persons per country with dated CAMEO roles (from CountryInfo)
- Phoenix.International.actors.txt IGOs, NGOs, multinationals and their people
- Phoenix.MilNonState.actors.txt   armed non-state groups
- Phoenix.agents.txt               generic agents ("police", "rebels", "ministry" -> sector)

What the actor table keeps (one row per name and dated role, columns of institutions.tsv):
- A body's sector is IGO/NGO/BUS/REB by its kind, JUD for courts (IGOUNOJUDICJ).
- A CAMEO code is read as 3-letter segments: a country (ISO 3166 alpha-3; CAMEO's own KSV
  is Kosovo XKX and TMP East Timor TLS; other regional codes such as WAF or EEU name no
  country and their rows are left out) or IGO/NGO/MNC/IMG, then sectors. The sector is the
  last of Dateline's CAMEO sectors among the segments, except that GOV qualified by a
  domain (GOVEDU, GOVBUS, GOVHLH) stays GOV: a ministry of education is government.
  ELI (elites: out of office) keeps the country and gives no sector. IGO/NGO rows carry
  the body's code (the segment after IGO/NGO: UNO, EUR, AMN) in `code` and kind igo/ngo;
  MNC rows are businesses (BUS) of no country; IMG rows international militant groups.
- Dates: YYMMDD (YY > 30 is 19YY) or YYYYMMDD; "<d" ends, ">d" starts, "d-d" both; a
  restriction without a date is the default role. Bad dates drop that restriction.
- Country blocks (a 3-letter code alone: AFGHANISTAN_ [AFG]) are left out: Dateline's
  country table (pycountry, countries.tsv) names countries, and Phoenix's country
  synonyms mix in cities and misspellings.
Noise rules, stated once and applied to every entry (never per entry):
- an alias that begins with a title or honorific (PRESIDENT_PUTIN, SENATOR_MCCAIN, MR_OBAMA)
  is dropped: the resolver reads titles from the text;
- a one-word alias must have 4 letters or more and name a single Phoenix actor (a surname
  two actors share names neither); the loader counts it only where spaCy's NER tags the
  word as a person or organisation, so common words ("Trade") never match;
- aliases with digits, slashes or brackets, or longer than 6 words, are dropped.
Names are matched case-insensitively but only where every word of the text is capitalised.

The agent table keeps consecutive phrases, less a trailing preposition (AMBASSADOR_TO: who
receives the envoy is read from the text, never taken as the envoy's country); a ministry, department, bureau, office or agency
of the state (GOV, MIL, COP, JUD) is GOV (a defence ministry is government; the armed forces are MIL); (no gaps, no "!X!" substitution left over),
regular plurals as the dictionary says, and the sector by the same segment rule; codes
that name no Dateline sector (religions, ethnicities, AGR ...) are left out, and so are the
domain sectors (MED, BUS, EDU, HLH, CVL): see POLITICAL_AGENT_SECTORS.

Usage: python3 scripts/build_actor_dictionaries.py [--src DIR] [--out DIR]
"""
from __future__ import annotations

import argparse
import os
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DATELINE_SHARED", "/work/shared"))
SECTORS = {"GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "LEG", "BUS", "MED", "EDU", "HLH", "CVL", "NGO",
           "REF", "SPY", "UAF", "ELI", "CRM", "LAB"}
# CAMEO sectors Dateline has no name for, read as the nearest one it has.
SECTOR_AS = {"SPY": "GOV", "UAF": "REB", "CRM": "CVL", "LAB": "CVL"}
BRANCHES = {"LEG", "JUD", "MIL", "COP", "SPY"}     # GOV + a branch of state: the branch
CAMEO_COUNTRY = {"KSV": "XKX", "TMP": "TLS"}
BODIES = {"IGO": "igo", "NGO": "ngo", "MNC": "org", "IMG": "org"}
TITLE_WORDS = {"president", "presidents", "prime", "premier", "minister", "senator", "sen", "mr", "mrs", "ms",
               "dr", "governor", "gov", "secretary", "secretary-general", "general", "gen", "king", "queen",
               "prince", "princess", "sheikh", "chairman", "chancellor", "rep", "representative", "former",
               "president-elect", "vice", "deputy", "foreign", "defense", "defence", "judge", "justice", "the",
               "lt", "col", "colonel", "major", "admiral", "adm", "ambassador", "mayor", "emir", "sultan",
               "pope", "cardinal", "bishop", "rev", "reverend", "ayatollah", "imam", "mullah", "lord", "sir",
               "lady", "dame", "captain", "capt", "commander", "marshal", "field", "speaker", "chief",
               "us", "u.s.", "american", "russian", "british", "un", "u.n.", "united", "nations"}
BLOCK_HEADER = ("# Derived by scripts/build_actor_dictionaries.py from the Phoenix dictionaries of PETRARCH-2\n"
                "# (Open Event Data Alliance, https://github.com/openeventdata/petrarch2, MIT License,\n"
                "# Copyright (c) 2014 Open Event Data Alliance). Do not edit: rerun the script.\n")
RESTRICTION = re.compile(r"\[([^\]]*)\]")
# Agents kept: those of the state and of politics. Domain words ("web site" MED, "tourist"
# CVL, "investor" BUS) name things or bystanders far more often than actors; roles.tsv has
# the domain words that matter (journalists, doctors, students).
POLITICAL_AGENT_SECTORS = {"GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "LEG", "REF", "NGO"}
TRAILING_PREPOSITIONS = {"to", "in", "of", "for", "from", "at", "on", "with"}
# Heads of executive bodies: a ministry or department is government (GOV) whatever it
# handles (defence, justice, prisons); MIL, JUD and COP are the forces, courts and police.
EXECUTIVE_BODY = re.compile(r"(MINIST|DEPARTMENT|BUREAU|OFFICE|AGENCY|ADMINISTRATION)$")


def parse_date(text: str) -> str | None:
    if not re.fullmatch(r"\d{6}|\d{8}", text):
        return None
    if len(text) == 6:
        year = int(text[:2])
        text = ("19" if year > 30 else "20") + text
    year, month, day = text[:4], text[4:6], text[6:]
    if not ("01" <= month <= "12" and "01" <= day <= "31"):
        return None
    return f"{year}-{month}-{day}"


def parse_restriction(text: str) -> tuple[str, str, str] | None:
    """"USAGOV 010120-090120" -> (code, from, to); None for a null or unreadable one."""
    parts = text.split()
    if not parts or not parts[0].isalpha():
        return None
    code, span = parts[0], "".join(parts[1:])
    if not span:
        return code, "", ""
    if span.startswith(">"):
        start = parse_date(span[1:])
        return (code, start, "") if start else None
    if span.startswith("<"):
        end = parse_date(span[1:])
        return (code, "", end) if end else None
    if "-" in span:
        a, b = span.split("-", 1)
        start, end = parse_date(a), parse_date(b)
        return (code, start, end) if start and end else None
    return None


def blocks(path: Path):
    """(names, restrictions) per record of a Phoenix .actors file."""
    names: list[str] = []
    rules: list[str] = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = re.split(r"[#;]", raw, maxsplit=1)[0].rstrip()
        if not line.strip():
            continue
        if raw[:1] in ("\t", " ") and line.strip().startswith("["):
            rules += RESTRICTION.findall(line)
            continue
        if line.startswith("+"):
            names.append(line[1:].split("[")[0].strip())
            rules += RESTRICTION.findall(line)
            continue
        if names:
            yield names, rules
        names, rules = [line.split("[")[0].strip()], RESTRICTION.findall(line)
    if names:
        yield names, rules


# Segments that classify a body rather than name it (CAMEO's issue, religion and region
# codes): HRI human rights, DEV development, CHR/CTH/MUS religions, LAM/AFR regions ...
CATEGORIES = {"HRI", "DEV", "ENV", "CHR", "CTH", "PRO", "ORT", "REL", "MUS", "SUN", "SHI", "JEW", "BUD",
              "HIN", "SIK", "AGR", "RAD", "MOD", "SEC", "UAF", "INT", "KID", "WBK"}
REGIONS = {"AFR", "ASA", "EUR", "LAM", "MEA", "NAF", "WAF", "EAF", "SAF", "SAS", "SEA", "CAS", "WST", "EEU",
           "NMR", "CFR", "CRB", "SAM", "BLK", "BAL", "PGS", "SCN"}


# Head words of a body's name: a row of a country's file named so is an organisation, not a person.
BODY_WORDS = {"army", "forces", "force", "party", "ministry", "police", "council", "front", "movement", "guard",
              "navy", "command", "committee", "commission", "court", "parliament", "assembly", "congress",
              "government", "department", "agency", "bureau", "office", "service", "militia", "brigade",
              "brigades", "battalion", "regiment", "corps", "union", "league", "alliance", "organization",
              "organisation", "authority", "administration", "senate", "cabinet", "directorate"}


def read_code(code: str) -> dict | None:
    """CAMEO code -> kind, country, org code and sector (None if it names no country or body)."""
    segments = [code[i:i + 3] for i in range(0, len(code) - len(code) % 3, 3)]
    if not segments:
        return None
    head, rest = segments[0], segments[1:]
    out = {"kind": "person", "country": "", "code": "", "sector": ""}
    if head in BODIES:
        out["kind"] = BODIES[head]
        countries = [CAMEO_COUNTRY.get(s, s) for s in rest if CAMEO_COUNTRY.get(s, s) in ISO3]
        names = [s for s in rest if s not in SECTORS and s not in CATEGORIES and s not in ISO3
                 and (s not in REGIONS or (head == "IGO" and s == rest[0]))]
        if head == "IGO":
            out["code"] = names[-1] if names else "IGO"
        elif head == "NGO" or head == "IMG":
            out["code"] = names[-1] if names else head
            out["country"] = countries[0] if countries and not names else ""
        else:   # MNC: a business, of the country its code names
            out["country"] = countries[0] if countries else ""
        if out["country"]:
            out["code"] = ""
        # A body's sector is its kind (IGO, NGO, BUS, REB); only a court (JUD) says more.
        out["sector"] = "JUD" if "JUD" in rest else {"IGO": "IGO", "NGO": "NGO", "MNC": "BUS", "IMG": "REB"}[head]
        return out
    country = CAMEO_COUNTRY.get(head, head)
    if country not in ISO3:
        return None
    out["country"] = country
    out["sector"] = pick_sector(rest)
    return out


def pick_sector(segments: list[str]) -> str:
    found = [s for s in segments if s in SECTORS]
    if not found or found[0] == "ELI":
        return ""
    if found[0] == "GOV":
        branch = [s for s in found[1:] if s in BRANCHES]
        return SECTOR_AS.get(branch[-1], branch[-1]) if branch else "GOV"
    last = [s for s in found if s != "ELI"][-1]
    return SECTOR_AS.get(last, last)


def phrase_text(phrase: str) -> str:
    """"VLADIMIR_V._PUTIN_" -> "Vladimir V. Putin" (case only for display; matching folds case)."""
    words = phrase.replace("_", " ").split()
    return " ".join(_cap(w, k == 0) for k, w in enumerate(words))


SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "de", "la", "del", "du", "des", "al", "bin", "van", "von"}


def _cap(word: str, first: bool = False) -> str:
    word = word.lower()
    if word in SMALL_WORDS and not first:
        return word
    word = re.sub(r"(^|[-'’])([a-z])", lambda m: m.group(1) + m.group(2).upper(), word)
    return re.sub(r"^(Mc|Mac)([a-z])", lambda m: m.group(1) + m.group(2).upper(), word) if len(word) > 5 \
        else re.sub(r"^(Mc)([a-z])", lambda m: m.group(1) + m.group(2).upper(), word)


def keep_alias(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 6 or re.search(r"[\d/()\[\]+!&]", text):
        return False
    if words[0].lower().rstrip(".") in TITLE_WORDS or words[0].lower() in TITLE_WORDS:
        return False
    if len(words) == 1 and len(re.sub(r"[^A-Za-z]", "", text)) < 4:
        return False
    return True


def actor_rows(paths: list[Path]) -> list[list[str]]:
    records = []
    for path in paths:
        for names, rules in blocks(path):
            roles = [r for r in (parse_restriction(x) for x in rules) if r]
            coded = [(read_code(code), start, end) for code, start, end in roles]
            coded = [(c, s, e) for c, s, e in coded if c]
            if not coded or _is_country_block(rules):
                continue
            aliases = list(dict.fromkeys(phrase_text(n) for n in names if n))
            aliases = [a for a in aliases if keep_alias(a)]
            if aliases:
                records.append((aliases, coded))
    # One-word aliases must name one actor only; count who uses each.
    users: dict[str, set[int]] = defaultdict(set)
    for k, (aliases, _) in enumerate(records):
        for alias in aliases:
            users[alias.lower()].add(k)
    rows = []
    for k, (aliases, coded) in enumerate(records):
        aliases = [a for a in aliases if " " in a or len(users[a.lower()]) == 1]
        multi = [a for a in aliases if " " in a]
        if not aliases:
            continue
        name = multi[0] if multi else aliases[0]
        others = "|".join(a for a in aliases if a != name)
        for c, start, end in coded:
            kind = c["kind"] if c["kind"] != "person" or " " in name else "org"
            if kind == "person" and BODY_WORDS & set(name.lower().replace("'s", "").split()):
                kind = "org"   # the country files list bodies with their people ("Peoples Liberation Army")
            rows.append([name, others, kind, c["country"], c["sector"], "", start, end, "", c["code"]])
    return rows


def _is_country_block(rules: list[str]) -> bool:
    """"AFGHANISTAN_ [AFG]": a country's own names, not a person or body."""
    return bool(rules) and all(re.fullmatch(r"[A-Z]{3}", r.strip()) for r in rules)


def agent_rows(path: Path) -> list[list[str]]:
    substitutions: dict[str, list[str]] = {}
    rows, seen = [], set()
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        sub = re.fullmatch(r"(![A-Z]+!)\s*=\s*(.+)", line)
        if sub:
            substitutions[sub.group(1)] = [w.strip() for w in sub.group(2).split(",")]
            continue
        match = re.fullmatch(r"([^\[{]+?)\s*(\{[^}]*\})?\s*\[([^\]]*)\]", line)
        if not match:
            continue
        phrase, plural, code = match.group(1).strip(), match.group(2), match.group(3).replace("~", "")
        segments = [code[i:i + 3] for i in range(0, len(code), 3)]
        sector = pick_sector(segments)
        if sector in ("GOV", "MIL", "COP", "JUD") and EXECUTIVE_BODY.search(phrase):
            sector = "GOV"   # DEFENSE_MINIST [~GOVMIL]: the ministry is government, the forces are MIL
        if sector not in POLITICAL_AGENT_SECTORS or " " in phrase:
            continue
        for form, number in _forms(phrase, plural, substitutions):
            text = form.replace("_", " ").lower().strip()
            words = text.split()
            if len(words) > 1 and words[-1] in TRAILING_PREPOSITIONS:
                text = " ".join(words[:-1])   # "ambassador to": the resolver reads "to X" itself
            if text and "!" not in text and text not in seen and not re.search(r"[\d/()]", text):
                seen.add(text)
                rows.append([text, sector, "group" if number == "plural" else "role", "no"])
    return rows


def _forms(phrase: str, plural: str | None, subs: dict[str, list[str]]):
    if "!MINIST!" in subs and re.search(r"MINIST$", phrase):
        phrase = phrase[:-6] + "!MINIST!"   # "ENERGY_MINIST": the stem stands for minister(s)/ministry(ies)
    marker = re.search(r"![A-Z]+!", phrase)
    if marker and marker.group(0) in subs:
        for word in subs[marker.group(0)]:
            number = "plural" if word.endswith(("MEN", "S", "IES")) else "singular"
            yield phrase.replace(marker.group(0), word), number
        return
    yield phrase, "singular"
    if plural is not None:
        inner = plural.strip("{}").strip()
        if inner:
            yield inner, "plural"
        return
    if phrase.endswith("SS"):
        yield phrase + "ES", "plural"
    elif phrase.endswith("Y") and not phrase.endswith(("AY", "EY", "OY")):
        yield phrase[:-1] + "IES", "plural"
    else:
        yield phrase + "S", "plural"


def write(path: Path, header: str, columns: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(BLOCK_HEADER + header)
        out.write("\t".join(columns) + "\n")
        for row in rows:
            out.write("\t".join(row) + "\n")


def main() -> None:
    global ISO3
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", type=Path, default=SHARED / "resources" / "petrarch2")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "dateline" / "data" / "actors")
    args = parser.parse_args()
    import pycountry

    ISO3 = {c.alpha_3 for c in pycountry.countries} | {"XKX"}
    files = [args.src / f"Phoenix.{n}.actors.txt" for n in ("Countries", "International", "MilNonState")]
    actors = actor_rows(files)
    write(args.out / "phoenix_actors.tsv",
          "# Persons with dated roles, IGOs/NGOs with their code, businesses, armed groups. Columns as in\n"
          "# README.md (one row per name and role; `from`/`to` ISO dates, empty = open).\n",
          ["name", "aliases", "kind", "country", "sector", "title", "from", "to", "adjectives", "code"], actors)
    agents = agent_rows(args.src / "Phoenix.agents.txt")
    write(args.out / "phoenix_agents.tsv",
          "# Generic agents (police, rebels, ministry) with their CAMEO sector; columns as roles.tsv.\n"
          "# roles.tsv wins for a phrase both have; no agent here is an actor without a country.\n",
          ["phrase", "sector", "type", "standalone"], agents)
    print(f"{len(actors)} actor rows, {len(agents)} agent phrases")


ISO3: set[str] = set()

if __name__ == "__main__":
    main()
