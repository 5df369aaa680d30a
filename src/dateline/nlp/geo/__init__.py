"""Places: mentions of places resolved to country and coordinates (the ``dateline_geo`` component).

Fills ``doc._.places: list[Place]``: the dateline place first (``role="dateline"``),
then every place mention in text order with its char offsets and ``precision`` (country |
admin | city | region). A mention is a spaCy GPE/LOC/FAC entity the gazetteer knows
(``gazetteer.py`` says where names, countries and coordinates come from: towns of 5,000
people or more, first-level admin regions, continents and curated regions), or a
gazetteer name found in the text (countries, states, regions, cities of 250,000 people or
more, capitals) that the NER missed or mislabelled ("Kyiv" tagged as a person).
Guards: a one-word town name is never a verb, adjective or adverb of the tagger ("Reading
the statement", "Nice words"), and without the NER's place label it must be a proper noun
after a locative preposition or before a qualifier ("in Mobile", "Reading, England");
a town name that is part of a person's name in the text is the person.

Names used as actors are listed with ``role="metonym"`` (the events coder does not take
them as locations): the subject or possessor of a clause, the "by" agent, a town as the
modifier of a title or force ("Moscow said", "Russia's demand", "launched by Russia",
"Hong Kong police"); and a country, state, province or capital anywhere but where or
whither ("pressuring the U.S.", "a deal with Beijing", "U.S. consumers") -- as a place
it follows a locative preposition, "to/from/across ...", or a verb of movement or attack
("in Syria", "extradition to the United States", "invaded Ukraine"). Buildings ("the
Kremlin") count only after a locative preposition ("at the White House").

Same-named towns are told apart by the article's other places and its dateline
(``_Context``: "Parkland" beside Florida places is Parkland, Florida). A direction before
a name names a part of it ("northwest Syria": precision region, the country's point).

The dateline (``doc._.dateline``: "Istanbul", "SHARM EL-SHEIKH, Egypt", "WASHINGTON")
is geocoded case-insensitively; a qualifier after the comma (a country or US state)
picks among same-named places. Its offsets are set when the text opens with it. When the
extractor found none, a wire dateline anywhere in the lead is read ("By Nate Raymond.
BOSTON (Reuters) -", "ATLANTA (AP) An aide").

Helpers (``geocode`` needs no Doc):
  ``geocode(name, country=None) -> Place | None``  a name to its best place; ``country``
      (ISO3) prefers a place in that country
  ``places_in_span(doc, start, end)``  mentions inside [start, end), in text order
  ``place_for_span(doc, start, end, trigger=None)``  the clause's location: a place in the
      span introduced by "in/at/near/..." whose phrase attaches to a verb, to the event
      trigger (char offset ``trigger``) or to a venue noun ("the negotiating table in
      Istanbul"); None otherwise ("the ceasefire in Gaza" is not where a signing
      happened), so the caller falls back to ``dateline_place``
  ``dateline_place(doc)``  the dateline's place or None
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from dateline.model import Place
from dateline.nlp.geo.gazetteer import (GEO_DATA, TIER_ADMIN, TIER_CITY, TIER_COUNTRY, TIER_STATE, Entry, gazetteer, name_key,
                                        us_state_abbreviations)

__all__ = ["GeoComponent", "dateline_place", "geocode", "place_for_span", "places_in_span"]

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
    entry = _lookup(_dateline_text(name), country)
    return _place(entry) if entry else None


@lru_cache(maxsize=16384)
def _lookup(name: str, country: str | None = None) -> Entry | None:
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


def _place(entry: Entry, **fields: Any) -> Place:
    lat = round(entry.lat, 4) if entry.lat is not None else None
    lon = round(entry.lon, 4) if entry.lon is not None else None
    fields.setdefault("precision", entry.precision)
    fields.setdefault("name", entry.name)
    return Place(country=entry.country, lat=lat, lon=lon, **fields)


# ---------------------------------------------------------------- the component

@Language.factory("dateline_geo", default_config={"match_min_population": MATCH_MIN_POPULATION},
                  requires=["doc.ents", "token.dep", "token.pos", "token.lemma", "doc._.dateline"],
                  assigns=["doc._.places"])
def make_component(nlp: Language, name: str, match_min_population: int) -> GeoComponent:
    return GeoComponent(nlp, match_min_population)


class GeoComponent:
    def __init__(self, nlp: Language, match_min_population: int = MATCH_MIN_POPULATION):
        self.matcher = _name_matcher(nlp, match_min_population)

    def __call__(self, doc: Doc) -> Doc:
        mentions = self.mentions(doc)
        doc._.places = _with_dateline(doc, mentions)
        return doc

    def mentions(self, doc: Doc) -> list[Place]:
        found = self._found(doc)
        surnames = _person_name_parts(doc)
        context = _Context(found, _lookup(_dateline_text(doc._.dateline)) if doc._.dateline else None)
        places = []
        for span, entry in sorted(found, key=lambda item: item[0].start):
            role = _role(span, entry)
            if role is False or _a_persons_name(span, entry, surnames):
                continue
            entry = context.pick(span, entry)
            places.append(_mention_place(span, entry, role))
        return places

    def _found(self, doc: Doc) -> list[tuple[Span, Entry]]:
        """Gazetteer entries of the NER's place entities, then of gazetteer names the NER
        missed (matcher; cities of ``match_min_population`` or more, regions, countries)."""
        found: list[tuple[Span, Entry]] = []
        for ent in doc.ents:
            if ent.label_ in PLACE_LABELS and (entry := _lookup(_clean(ent.text))) and _plausible_name(ent, entry):
                found.append((ent, entry))
        taken = {i for span, _ in found for i in range(span.start, span.end)}
        for match_id, start, end in _longest(self.matcher(doc)):
            span = doc[start:end]
            if taken.intersection(range(start, end)) or _inside_other_entity(span):
                continue
            entry = _lookup(span.text)
            if entry and _plausible_name(span, entry) and _unlabelled_town_in_context(span, entry):
                found.append((span, entry))
                taken.update(range(start, end))
        return found


def _plausible_name(span: Span, entry: Entry) -> bool:
    """A one-word town name must not be tagged a verb, adjective or adverb ("Reading the
    statement", "Nice words"), and without a place label from the NER it must be tagged a
    proper noun ("a Chance to win"); the NER's GPE/LOC may sit on a word the tagger does
    not know ("shelters in Homs", Homs a NOUN)."""
    if len(span) > 1 or entry.tier < TIER_CITY:
        return True
    token = span[0]
    if token.ent_type_ in ("GPE", "LOC"):
        return token.pos_ not in ("VERB", "ADJ", "ADV", "AUX")
    return token.pos_ == "PROPN"


def _unlabelled_town_in_context(span: Span, entry: Entry) -> bool:
    """A one-word town name the NER did not call a place needs a locative phrase ("in
    Mobile") or a qualifier after it ("Reading, England"): capitalisation alone is not
    enough for names that are also words or surnames."""
    if len(span) > 1 or entry.tier < TIER_CITY:
        return True
    if _locative_host(span) is not None:
        return True
    doc = span.doc
    return span.end + 1 < len(doc) and doc[span.end].text == "," and bool(_lookup(doc[span.end + 1].text))


class _Context:
    """The countries and admin regions an article names (and its dateline's), which pick
    among same-named towns; the rule is ``AMBIGUITY_RATIO``'s comment."""

    def __init__(self, found: list[tuple[Span, Entry]], dateline: Entry | None):
        entries = [entry for _, entry in found] + ([dateline] if dateline else [])
        self.countries = {e.country for e in entries if e.country and e.tier in (TIER_COUNTRY, TIER_STATE, TIER_ADMIN)}
        self.regions = {(e.country, e.region) for e in entries if e.region and e.tier in (TIER_STATE, TIER_ADMIN)}
        if dateline is not None and dateline.country:
            self.countries.add(dateline.country)
            if dateline.region:
                self.regions.add((dateline.country, dateline.region))

    def pick(self, span: Span, entry: Entry) -> Entry:
        if entry.tier < TIER_CITY:
            return entry
        towns = [c for c in gazetteer().candidates(_clean(span.text)) if c.tier >= TIER_CITY]
        if len(towns) < 2:
            return entry
        in_region = [c for c in towns if (c.country, c.region) in self.regions]
        if in_region:
            return max(in_region, key=lambda c: c.population)
        if entry.country in self.countries:
            return entry
        in_country = [c for c in towns if c.country in self.countries
                      and c.population * AMBIGUITY_RATIO >= entry.population]
        return max(in_country, key=lambda c: c.population) if in_country else entry


def _mention_place(span: Span, entry: Entry, role: str | None) -> Place:
    """The Place of a mention; a direction before it names a part ("northwest Syria",
    "eastern Ukraine": the country's point, precision region; "east Jerusalem": a part of
    a city, still city-level)."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in DIRECTIONS and entry.kind != "building" and span.root.dep_ != "compound":
        if (whole := _lookup(f"{before.text} {span.text}")) is not None:      # "East Jerusalem", "North Darfur"
            return _place(whole, start=before.idx, end=span.end_char, role=role)
        precision = "region" if entry.tier in (TIER_COUNTRY, TIER_STATE, TIER_ADMIN) else entry.precision
        return _place(entry, name=f"{before.lower_} {entry.name}", start=before.idx, end=span.end_char,
                      role=role, precision=precision)
    return _place(entry, start=span.start_char, end=span.end_char, role=role)


def _person_name_parts(doc: Doc) -> set[str]:
    """Words of the people's names in the document ("Alicia Machado" -> Machado)."""
    return {token.text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1 for token in ent}


def _a_persons_name(span: Span, entry: Entry, surnames: set[str]) -> bool:
    """A city name that is also part of a person's name elsewhere in the text ("about
    Machado" after "Alicia Machado") is the person; countries and regions are kept."""
    return entry.tier >= TIER_CITY and span.text in surnames and _locative_host(span) is None


def _clean(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip())
    return re.sub(r"^(?i:the)\s+", "", text)


def _name_matcher(nlp: Language, min_population: int) -> PhraseMatcher:
    """A case-sensitive matcher of gazetteer names (capitalised, so "turkey" the bird and
    "china" the porcelain stay out)."""
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    names = sorted({name for name, entry in gazetteer().names_for_matching(min_population)
                    if name[:1].isupper() and (entry.tier != TIER_CITY or entry.population >= min_population)})
    matcher.add("PLACE", list(nlp.tokenizer.pipe(names)))
    return matcher


def _longest(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Non-overlapping matches, longer first ("New York City" over "New York")."""
    kept: list[tuple[int, int, int]] = []
    used: set[int] = set()
    for match in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if not used.intersection(range(match[1], match[2])):
            kept.append(match)
            used.update(range(match[1], match[2]))
    return sorted(kept, key=lambda m: m[1])


def _inside_other_entity(span: Span) -> bool:
    """Part of a longer name ("Paris Hilton", "Moscow State University"), or an entity of
    a label no place has (dates, money)."""
    for token in span:
        if token.ent_type_ and token.ent_type_ not in PLACE_LABELS:
            entity = next((e for e in span.doc.ents if e.start <= token.i < e.end), None)
            if entity is not None and (entity.start, entity.end) != (span.start, span.end):
                return True
            if entity is not None and entity.label_ not in RELABELLED:
                return True
    return False


def _role(span: Span, entry: Entry) -> str | None | bool:
    """None for a place named as a location; ``METONYM`` for a name standing for its
    government, people or economy: the subject or possessor of a clause, the "by" agent,
    or the modifier of a noun ("Turkey has shelled", "Russia's demand", "launched by
    Russia", "US President", "U.S. consumers"); False for what is not a place here
    (a currency, a building not introduced as a location)."""
    if span.end < len(span.doc) and span.doc[span.end].text.startswith("$"):
        return False                 # "US $50 million": a currency
    if entry.kind == "building":
        return None if _locative_host(span) is not None else False
    if _locative_host(span) is not None:
        return None
    words = locative()
    head = _governing(span.root)
    if head.dep_ in words["actor_dependencies"] or (head.dep_ == "pobj" and head.head.dep_ == "agent"):
        return METONYM
    modified = head.head if head.dep_ in ("compound", "amod", "nmod") and head.head.pos_ in ("NOUN", "PROPN") else None
    if modified is not None and (modified.lower_ in words["frame_nouns"] or modified.lower_ in words["region_suffixes"]
                                 or modified.lemma_.lower() in words["route_nouns"]):
        return None                  # "Kowloon West district", "Orange County", "the Baghdad-Damascus highway"
    if _stands_for_a_state(entry):
        return None if _named_as_location(head) else METONYM
    if modified is not None and (modified.lemma_.lower() in words["affiliation_heads"] or modified.ent_type_ == "PERSON"):
        return METONYM               # "Hong Kong police", "Moscow Mayor Sergei Sobyanin"
    return None


def _stands_for_a_state(entry: Entry) -> bool:
    """Countries, states, provinces and capitals: names that news uses for their
    governments as often as for the land ("pressuring the U.S.", "a deal with Beijing")."""
    return entry.tier in (TIER_COUNTRY, TIER_STATE, TIER_ADMIN) or gazetteer().is_capital(entry)


def _named_as_location(head: Token) -> bool:
    """A country named as where or whither (no locative host, see ``_locative_host``): the
    object of a verb of movement or attack ("invaded Ukraine", "visited China", "left
    Syria"), or after "to/into/from/across/throughout" ("extradition to the United States",
    "cross over to Jordan"); as another object ("pressuring the U.S.", "a deal with China",
    "tariffs on China") or a modifier ("U.S. consumers") it stands for an actor."""
    words = locative()
    if head.dep_ == "dobj":
        return head.head.lemma_.lower() in words["location_verbs"]
    return head.dep_ == "pobj" and head.head.lower_ in words["directional_prepositions"]


def _governing(token: Token) -> Token:
    """The token that stands for a coordinated or apposed name ("Russia and Ukraine")."""
    for _ in range(4):
        if token.dep_ not in ("conj", "appos") or token.head.i == token.i:
            break
        token = token.head
    return token


def _locative_host(span: Span) -> Token | None:
    """The word a place's locative phrase hangs from, or None when the place is not
    introduced as a location: the verb of "talks held in Istanbul", the noun of "the
    table in Istanbul", through frame nouns ("in the city of Goma"), and the verb of
    "devastated large parts of eastern Ukraine" (a frame noun as direct object)."""
    words = locative()
    token = _governing(span.root)
    for _ in range(3):
        head = token.head
        if token.dep_ != "pobj" or head.i == token.i:
            return None
        if head.lower_ in words["prepositions"]:
            return head.head
        if head.lower_ == "of" and head.head.lower_ in words["frame_nouns"]:
            frame = head.head
            if frame.dep_ == "dobj" and frame.head.pos_ == "VERB":
                return frame.head
            token = frame
            continue
        return None
    return None


# ---------------------------------------------------------------- dateline

# A wire dateline anywhere in the lead: a place in capitals, an optional qualifier after a
# comma, then the agency in brackets or a dash, at the start of the text or of a sentence
# or line ("By Nate Raymond. BOSTON (Reuters) -", "ATLANTA (AP) An aide", "GAZA CITY —").
LEAD_DATELINE = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))(?P<place>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3})"
    r"(?P<qualifier>,[^()\n—–]{1,40}?)?\s*(?:\([A-Z][\w.&' /-]{0,30}\)|—|–|--)")
LEAD_CHARS = 400


def _lead_dateline(doc: Doc) -> tuple[str, int] | None:
    """(dateline text, offset of its place) found in the lead, when the extractor found none."""
    for match in LEAD_DATELINE.finditer(doc.text[:LEAD_CHARS]):
        name = match.group("place")
        if sum(ch.isalpha() for ch in name) >= 3 and _lookup(name):
            qualifier = match.group("qualifier") or ""
            return name + (qualifier if _lookup(name + qualifier) else ""), match.start("place")
    return None


def _with_dateline(doc: Doc, mentions: list[Place]) -> list[Place]:
    text = _dateline_text(doc._.dateline)
    if not text and (lead := _lead_dateline(doc)):
        text, offset = lead
        return _dateline_at(mentions, _lookup(text), offset, len(text.partition(",")[0]))
    if not text:
        return mentions
    entry = _lookup(text)
    if entry is None:
        return mentions
    place_name = text.partition(",")[0].strip()
    opening = doc.text[:len(place_name) + 40].lower()
    if opening.lstrip().startswith(place_name.lower()):
        return _dateline_at(mentions, entry, doc.text.lower().index(place_name.lower()), len(place_name))
    return [_place(entry, role="dateline")] + mentions


def _dateline_at(mentions: list[Place], entry: Entry, start: int, length: int) -> list[Place]:
    """The dateline place first, the mention at its offsets (if any) becoming it."""
    for index, mention in enumerate(mentions):
        if mention.start == start:
            mentions[index] = replace(mention, role="dateline")
            return [mentions[index]] + mentions[:index] + mentions[index + 1:]
    return [_place(entry, start=start, end=start + length, role="dateline")] + mentions


def _dateline_text(value: Any) -> str:
    """The place part of a dateline: agency and dashes dropped ("KYIV, Ukraine (AP) —")."""
    if not value:
        return ""
    text = re.sub(r"\([^)]*\)", " ", str(value))
    text = re.split(r"\s[—–-]+\s|[—–]|:", text)[0]
    return " ".join(text.split()).strip(" ,")


# ---------------------------------------------------------------- helpers for the event coder

def places_in_span(doc: Doc | Any, start: int, end: int) -> list[Place]:
    """Place mentions inside the char span [start, end), in text order."""
    return [p for p in doc._.places or [] if p.start is not None and p.start >= start and p.end <= end]


def dateline_place(doc: Doc | Any) -> Place | None:
    return next((p for p in doc._.places or [] if p.role == "dateline"), None)


def place_for_span(doc: Doc, start: int, end: int, trigger: int | None = None) -> Place | None:
    """The clause's location (see the module docstring), the one nearest ``trigger`` first."""
    words = locative()
    trigger_token = _token_at(doc, trigger) if trigger is not None else None
    trigger_index = trigger_token.i if trigger_token is not None else -1   # spaCy makes Tokens anew: compare indices
    found: list[Place] = []
    for place in places_in_span(doc, start, end):
        span = doc.char_span(place.start, place.end, alignment_mode="expand")
        host = _locative_host(span) if span is not None else None
        if host is None:
            continue
        if host.pos_ in ("VERB", "AUX") or host.i == trigger_index or host.lemma_.lower() in words["venue_nouns"]:
            found.append(place)
    if not found:
        return None
    if trigger is None:
        return found[0]
    return min(found, key=lambda p: abs((p.start or 0) - trigger))


def _token_at(doc: Doc, offset: int) -> Token | None:
    span = doc.char_span(offset, min(offset + 1, len(doc.text)), alignment_mode="expand")
    return span[0] if span is not None and len(span) else None
