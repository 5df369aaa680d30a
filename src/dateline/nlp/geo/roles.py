"""What a place name does in its clause: named as a location, standing for its government
(a metonym: "Turkey has shelled"), or no place at all (a currency, a building not
introduced as a location); and the word a locative phrase hangs from."""
from __future__ import annotations

from spacy.tokens import Span, Token

from dateline.nlp.geo.gazetteer import TIER_ADMIN, TIER_COUNTRY, TIER_STATE, Entry, gazetteer
from dateline.nlp.geo.lookup import METONYM, PLACE_LABELS, RELABELLED, locative


def inside_other_entity(span: Span) -> bool:
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


def place_role(span: Span, entry: Entry) -> str | None | bool:
    """None for a place named as a location; ``METONYM`` for a name standing for its
    government, people or economy: the subject or possessor of a clause, the "by" agent,
    or the modifier of a noun ("Turkey has shelled", "Russia's demand", "launched by
    Russia", "US President", "U.S. consumers"); False for what is not a place here
    (a currency, a building not introduced as a location)."""
    if span.end < len(span.doc) and span.doc[span.end].text.startswith("$"):
        return False                 # "US $50 million": a currency
    if entry.kind == "building":
        return None if locative_host(span) is not None else False
    if locative_host(span) is not None:
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
    """A country named as where or whither (no locative host, see ``locative_host``): the
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


def locative_host(span: Span) -> Token | None:
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
