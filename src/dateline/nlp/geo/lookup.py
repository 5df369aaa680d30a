"""Geocoding a bare name without a Doc ("Kiev", "SHARM EL-SHEIKH, Egypt", "Voronezh Region"),
the locative word lists, and the constants the place readers share."""
from __future__ import annotations

import re

import tomllib
from functools import lru_cache
from typing import Any


from dateline.model import Place
from dateline.nlp.geo.gazetteer import GEO_DATA, Entry, gazetteer, name_key, us_state_abbreviations


PLACE_LABELS = ("GPE", "LOC", "FAC")
# NER labels a gazetteer name may carry and still be a place when the entity is exactly it
# (the small model tags "Kyiv" PERSON and "Crimea" ORG).
RELABELLED = ("PERSON", "ORG", "NORP")
MATCH_MIN_POPULATION = 250_000
METONYM = "metonym"
# Disambiguation among towns of one name (``_in_context``): a namesake in a state or
# province the article names wins outright ("Parkland" beside Florida places is Parkland,
# Florida); one in a country the article names wins unless the best-ranked namesake is
# more than AMBIGUITY_RATIO times bigger ("London" in a story naming the United States
# stays London, England, not London, Kentucky).
AMBIGUITY_RATIO = 20
DIRECTIONS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                        "central", "northeast", "northwest", "southeast", "southwest", "northeastern",
                        "northwestern", "southeastern", "southwestern", "north-east", "north-west",
                        "south-east", "south-west"})


@lru_cache(maxsize=1)
def locative() -> dict[str, Any]:
    with open(GEO_DATA / "locative.toml", "rb") as handle:
        data = tomllib.load(handle)
    return {key: frozenset(value) for key, value in data.items()}


# ---------------------------------------------------------------- geocoding without a Doc

def geocode(name: str, country: str | None = None) -> Place | None:
    """The best place for a name ("Kiev", "SHARM EL-SHEIKH, Egypt", "Voronezh Region",
    "KYIV, Ukraine (AP) —")."""
    entry = lookup(dateline_text(name), country)
    return place_of(entry) if entry else None


@lru_cache(maxsize=16384)
def lookup(name: str, country: str | None = None) -> Entry | None:
    place, _, qualifier = name.partition(",")
    region = None
    if qualifier.strip() and country is None:
        country, region = _qualifier(qualifier.strip())
    table = gazetteer()
    entry = table.lookup(place, country, region)
    if entry is None:
        words = place.split()
        if len(words) > 1 and words[-1].lower() in locative()["region_suffixes"]:
            entry = table.lookup(" ".join(words[:-1]), country, region)
    if entry is None and place.lower().startswith(("northern ", "southern ", "eastern ", "western ", "central ")):
        entry = table.lookup(place.split(None, 1)[1], country, region)
    return entry


def _qualifier(text: str) -> tuple[str | None, str | None]:
    """(country, admin1 region) a dateline's qualifier names: "Egypt", "Illinois", "Ore."."""
    if code := us_state_abbreviations().get(name_key(text)):
        return "USA", code
    hint = gazetteer().lookup(text)
    if hint is None:
        return None, None
    return hint.country, hint.region if hint.kind == "state" else None


def place_of(entry: Entry, **fields: Any) -> Place:
    lat = round(entry.lat, 4) if entry.lat is not None else None
    lon = round(entry.lon, 4) if entry.lon is not None else None
    fields.setdefault("precision", entry.precision)
    fields.setdefault("name", entry.name)
    return Place(country=entry.country, lat=lat, lon=lon, **fields)


def dateline_text(value: Any) -> str:
    """The place part of a dateline: agency and dashes dropped ("KYIV, Ukraine (AP) —")."""
    if not value:
        return ""
    text = re.sub(r"\([^)]*\)", " ", str(value))
    text = re.split(r"\s[—–-]+\s|[—–]|:", text)[0]
    return " ".join(text.split()).strip(" ,")
