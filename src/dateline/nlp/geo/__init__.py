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

Modules: ``gazetteer.py`` the table, ``lookup.py`` geocoding a bare name, ``roles.py`` what
a name does in its clause, ``datelines.py`` the dateline; the component here.
"""
from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from dateline.model import Place
from dateline.nlp.geo.gazetteer import TIER_ADMIN, TIER_CITY, TIER_COUNTRY, TIER_STATE, Entry, gazetteer
from dateline.nlp.geo.lookup import AMBIGUITY_RATIO, DIRECTIONS, MATCH_MIN_POPULATION, PLACE_LABELS, lookup, place_of, geocode, locative
from dateline.nlp.geo.roles import inside_other_entity, locative_host, place_role
from dateline.nlp.geo.datelines import dateline_text, with_dateline

__all__ = ["GeoComponent", "dateline_place", "geocode", "place_for_span", "places_in_span"]


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
        doc._.places = with_dateline(doc, mentions)
        return doc

    def mentions(self, doc: Doc) -> list[Place]:
        found = self._found(doc)
        surnames = _person_name_parts(doc)
        context = _Context(found, lookup(dateline_text(doc._.dateline)) if doc._.dateline else None)
        places = []
        for span, entry in sorted(found, key=lambda item: item[0].start):
            role = place_role(span, entry)
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
            if ent.label_ in PLACE_LABELS and (entry := lookup(_clean(ent.text))) and _plausible_name(ent, entry):
                found.append((ent, entry))
        taken = {i for span, _ in found for i in range(span.start, span.end)}
        for match_id, start, end in _longest(self.matcher(doc)):
            span = doc[start:end]
            if taken.intersection(range(start, end)) or inside_other_entity(span):
                continue
            entry = lookup(span.text)
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
    if locative_host(span) is not None:
        return True
    doc = span.doc
    return span.end + 1 < len(doc) and doc[span.end].text == "," and bool(lookup(doc[span.end + 1].text))


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
        if (whole := lookup(f"{before.text} {span.text}")) is not None:      # "East Jerusalem", "North Darfur"
            return place_of(whole, start=before.idx, end=span.end_char, role=role)
        precision = "region" if entry.tier in (TIER_COUNTRY, TIER_STATE, TIER_ADMIN) else entry.precision
        return place_of(entry, name=f"{before.lower_} {entry.name}", start=before.idx, end=span.end_char,
                      role=role, precision=precision)
    return place_of(entry, start=span.start_char, end=span.end_char, role=role)


def _person_name_parts(doc: Doc) -> set[str]:
    """Words of the people's names in the document ("Alicia Machado" -> Machado)."""
    return {token.text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1 for token in ent}


def _a_persons_name(span: Span, entry: Entry, surnames: set[str]) -> bool:
    """A city name that is also part of a person's name elsewhere in the text ("about
    Machado" after "Alicia Machado") is the person; countries and regions are kept."""
    return entry.tier >= TIER_CITY and span.text in surnames and locative_host(span) is None


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
        host = locative_host(span) if span is not None else None
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
