"""Places: mentions of places resolved to country and coordinates (the ``dateline_geo`` component).

Fills ``doc._.places: list[Place]``: the dateline place first (``role="dateline"``),
then every place mention in text order with its char offsets. A mention is a spaCy
GPE/LOC/FAC entity the gazetteer knows (``gazetteer.py`` says where names, countries and
coordinates come from), or a gazetteer name found in the text (countries, states,
regions, cities of 250,000 people or more, capitals) that the NER missed or mislabelled
("Kyiv" tagged as a person). Names used as actors, not places, are left out: the
subject or possessor of a clause, the "by" agent and a modifier of a title or force
("Moscow said", "Russia's demand", "launched by Russia", "US President"); the actors
component reads those. Buildings ("the Kremlin")
count only after a locative preposition ("at the White House").

The dateline (``doc._.dateline``: "Istanbul", "SHARM EL-SHEIKH, Egypt", "WASHINGTON")
is geocoded case-insensitively; a qualifier after the comma (a country or US state)
picks among same-named places. Its offsets are set when the text opens with it.

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
from dateline.nlp.geo.gazetteer import GEO_DATA, TIER_CITY, Entry, gazetteer, name_key, us_state_abbreviations

__all__ = ["GeoComponent", "dateline_place", "geocode", "place_for_span", "places_in_span"]

PLACE_LABELS = ("GPE", "LOC", "FAC")
# NER labels a gazetteer name may carry and still be a place when the entity is exactly it
# (the small model tags "Kyiv" PERSON and "Crimea" ORG).
RELABELLED = ("PERSON", "ORG", "NORP")
MATCH_MIN_POPULATION = 250_000


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
    return Place(name=entry.name, country=entry.country, lat=lat, lon=lon, **fields)


# ---------------------------------------------------------------- the component

@Language.factory("dateline_geo", default_config={"match_min_population": MATCH_MIN_POPULATION})
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
        found: list[tuple[Span, Entry]] = []
        for ent in doc.ents:
            if ent.label_ in PLACE_LABELS and (entry := _lookup(_clean(ent.text))):
                found.append((ent, entry))
        taken = {i for span, _ in found for i in range(span.start, span.end)}
        for match_id, start, end in _longest(self.matcher(doc)):
            span = doc[start:end]
            if taken.intersection(range(start, end)) or _inside_other_entity(span):
                continue
            entry = _lookup(span.text)
            if entry and not _common_word_at_sentence_start(span, entry):
                found.append((span, entry))
                taken.update(range(start, end))
        surnames = _person_name_parts(doc)
        places = [_place(entry, start=span.start_char, end=span.end_char)
                  for span, entry in sorted(found, key=lambda item: item[0].start)
                  if _used_as_place(span, entry) and not _a_persons_name(span, entry, surnames)]
        return places


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


def _common_word_at_sentence_start(span: Span, entry: Entry) -> bool:
    """"Reading the statement, ..." / "Nice words": a one-word city name opening a sentence,
    which the NER did not call an entity, is more likely an ordinary word."""
    return len(span) == 1 and span[0].is_sent_start and entry.tier == TIER_CITY and not span[0].ent_type_


def _used_as_place(span: Span, entry: Entry) -> bool:
    if span.end < len(span.doc) and span.doc[span.end].text.startswith("$"):
        return False                 # "US $50 million": a currency
    head = _governing(span.root)
    if entry.kind == "building":
        return _locative_host(span) is not None
    words = locative()
    if head.dep_ in words["actor_dependencies"]:
        return False
    if head.dep_ == "compound" and (head.head.lemma_.lower() in words["affiliation_heads"]
                                    or head.head.ent_type_ == "PERSON"):
        return False
    return not (head.dep_ == "pobj" and head.head.dep_ == "agent")


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

def _with_dateline(doc: Doc, mentions: list[Place]) -> list[Place]:
    text = _dateline_text(doc._.dateline)
    if not text:
        return mentions
    entry = _lookup(text)
    if entry is None:
        return mentions
    place_name = text.partition(",")[0].strip()
    opening = doc.text[:len(place_name) + 40].lower()
    if opening.lstrip().startswith(place_name.lower()):
        start = doc.text.lower().index(place_name.lower())
        end = start + len(place_name)
        for index, mention in enumerate(mentions):
            if mention.start == start:
                mentions[index] = replace(mention, role="dateline")
                return [mentions[index]] + mentions[:index] + mentions[index + 1:]
        return [_place(entry, start=start, end=end, role="dateline")] + mentions
    return [_place(entry, role="dateline")] + mentions


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
