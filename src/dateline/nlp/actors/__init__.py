"""Actors: every mention of a person, organisation, country, capital standing for its
government, institution or group, resolved to a canonical actor (ISO 3166 alpha-3 country
or an organisation code such as UNO, NATO, EU, IGO, plus a CAMEO sector).

The spaCy component ``dateline_actors`` (config key ``user_actors``: path of a TSV with
the columns of ``data/actors/institutions.tsv``) sets
  ``doc._.actors``    dict[str, Actor]  keyed by a stable id ("vladimir-putin", "kremlin", "ukr-gov")
  ``doc._.mentions``  list[Mention]     char offsets into doc.text, sorted by start, never overlapping
How mentions are found is told in ``resolver.py``; the tables and their sources in
``data/actors/README.md``.

Helpers for later stages (quotes, events) — all cheap, a binary search over the mentions:
  ``actor_at(doc, start_char, end_char)``  the actor of the mention overlapping the range most, or None
  ``actor_of_span(span)``                  the same for a spaCy Span
  ``actors_in_span(doc, start, end)``      [(Mention, Actor)] of every mention inside the range, in order
  ``mention_at(doc, start_char, end_char)`` the Mention itself (for ``ActorRef.mention``)
  ``resolve_pronoun(doc, token)``          what ``dateline_coref`` resolved the pronoun to (None when it
                                           declined); without that component: he/she/his/her -> the latest person actor before the token;
                                           they/them/their -> the latest group, org or country;
                                           it/its -> the latest org or country; else None
  ``resolve_name(text)``                   dictionary lookup of a bare actor name ("Russia",
                                           "the Kremlin", "AFP", "Putin") -> Actor or None

Codes: a country name and a capital standing for the government code GOV ("Russia",
"Moscow"); a capital after a locative preposition ("talks in Moscow") is the city, kind
``place-as-actor`` with sector CVL (id "moscow-city"), which the event coder treats as a
place. Unnamed groups ("Ukrainian officials", "a Jordanian official", "Israeli forces",
"protesters") are one actor per country and sector, id "ukr-gov", "isr-mil", "any-cvl".
A titled person without a country in the title takes it from "of <country>" after the
name, else from the sentence when it names exactly one country ("President X threatened
Ugandan opposition candidates"); standalone groups ("rebels") likewise, counting only
country names and capitals. A bare vague description ("a political figure") gives nothing.

Coreference kept small and predictable: a later surname links to the earlier full name
("Fidan" -> Hakan Fidan); "the official", "the Ukrainian official", "the minister" link to
the most recent person or group of that country and sector (or to the office holder the
title names at the article's date, "the Russian president" -> Vladimir Putin); "the Bush
administration", "Putin's government" take the person's country; pronouns
are not turned into mentions (that would flood the entity list) but resolved on demand
with ``resolve_pronoun``.
"""
from __future__ import annotations

from bisect import bisect_left
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dateline.lexicon import pronouns
from dateline.model import Actor, Mention
from dateline.nlp.actors.matching import Matchers
from dateline.nlp.actors.resolver import DocResolver
from dateline.nlp.actors.tables import ORG_KINDS, Entry, best_hit, fold, load_tables

__all__ = ["actor_at", "actor_of_span", "actors_in_span", "mention_at", "resolve_name", "resolve_pronoun",
           "Component"]

_STARTS_KEY = "dateline_actor_starts"   # doc.user_data: mention starts, for binary search


@Language.factory("dateline_actors", default_config={"user_actors": ""},
                  requires=["doc.ents", "doc.sents", "token.dep", "token.pos", "doc._.anchor_date", "doc._.dateline"],
                  assigns=["doc._.actors", "doc._.mentions"])
def make_component(nlp: Language, name: str, user_actors: str) -> "Component":
    return Component(nlp, user_actors)


class Component:
    """Fills ``doc._.actors`` and ``doc._.mentions``; tables and matchers are built once."""

    def __init__(self, nlp: Language, user_actors: str = ""):
        self.tables = load_tables(user_actors or "")
        self.matchers = Matchers(nlp, self.tables)

    def __call__(self, doc: Doc) -> Doc:
        resolver = DocResolver(doc, self.tables, self.matchers)
        resolver.run()
        used = {m.actor for m in resolver.mentions}
        doc._.actors = {k: a for k, a in resolver.actors.items() if k in used}
        doc._.mentions = resolver.mentions
        doc.user_data[_STARTS_KEY] = [m.start for m in resolver.mentions]
        return doc


def _starts(doc: Doc) -> list[int]:
    mentions = doc._.mentions or []
    starts = doc.user_data.get(_STARTS_KEY)
    if starts is None or len(starts) != len(mentions):
        starts = [m.start for m in mentions]
        doc.user_data[_STARTS_KEY] = starts
    return starts


def mention_at(doc: Doc, start_char: int, end_char: int) -> Mention | None:
    """The mention that overlaps [start_char, end_char) the most."""
    mentions = doc._.mentions or []
    index = bisect_left(_starts(doc), end_char) - 1
    best, best_overlap = None, 0
    while index >= 0:
        mention = mentions[index]
        if mention.end <= start_char:
            break
        overlap = min(end_char, mention.end) - max(start_char, mention.start)
        if overlap > best_overlap:
            best, best_overlap = mention, overlap
        index -= 1
    return best


def actor_at(doc: Doc, start_char: int, end_char: int) -> Actor | None:
    """The actor named by the mention that overlaps [start_char, end_char) the most.

    Later components (quotes, events) look up speakers, sources and targets this way.
    """
    mention = mention_at(doc, start_char, end_char)
    return (doc._.actors or {}).get(mention.actor) if mention else None


def actor_of_span(span: Span) -> Actor | None:
    return actor_at(span.doc, span.start_char, span.end_char)


def actors_in_span(doc: Doc, start_char: int, end_char: int) -> list[tuple[Mention, Actor]]:
    """Every mention that lies inside [start_char, end_char), with its actor, in text order."""
    mentions, actors = doc._.mentions or [], doc._.actors or {}
    index = bisect_left(_starts(doc), start_char)
    out = []
    while index < len(mentions) and mentions[index].start < end_char:
        mention = mentions[index]
        if mention.end <= end_char and mention.actor in actors:
            out.append((mention, actors[mention.actor]))
        index += 1
    return out


PERSON_PRONOUNS = pronouns("male", "female")
PLURAL_PRONOUNS = pronouns("plural")
NEUTER_PRONOUNS = pronouns("neuter")


def resolve_pronoun(doc: Doc, token: Token) -> Actor | None:
    """The actor a pronoun most likely points back to (the latest fitting mention before it)."""
    decided = _coreference(doc, token)
    if decided is not False:
        return decided
    word = token.lower_
    if word in PERSON_PRONOUNS:
        kinds = {"person"}
    elif word in PLURAL_PRONOUNS:
        kinds = {"group", "country", "place-as-actor"} | ORG_KINDS
    elif word in NEUTER_PRONOUNS:
        kinds = {"country", "place-as-actor"} | ORG_KINDS
    else:
        return None
    mentions, actors = doc._.mentions or [], doc._.actors or {}
    index = bisect_left(_starts(doc), token.idx) - 1
    while index >= 0:
        actor = actors.get(mentions[index].actor)
        if actor and actor.kind in kinds:
            return actor
        index -= 1
    return None


def _coreference(doc: Doc, token: Token) -> Actor | None | bool:
    """What ``dateline_coref`` decided for this pronoun: its actor, None when it left it
    unresolved on purpose, False when it did not read it (not in the pipeline)."""
    from dateline.nlp.coref import declined   # imported late: coref builds on this package

    state = declined(doc, token.i)
    if state is None:
        return False
    if state:
        return None
    mention = mention_at(doc, token.idx, token.idx + len(token))
    if mention is not None and mention.kind in ("pronoun", "description"):
        return (doc._.actors or {}).get(mention.actor)
    return False


def resolve_name(text: str, date: str | None = None, user_actors: str = "") -> Actor | None:
    """The dictionary actor a bare name stands for: "Russia", "the Kremlin", "AFP", "Putin"."""
    tables = load_tables(user_actors)
    hits = tables.aliases.get(text.strip()) or tables.aliases.get(text.strip().removeprefix("the ").strip()) \
        or tables.folded.get(fold(text))
    if not hits:
        return None
    hit = best_hit(hits, date)
    if hit.entry.kind in ("none", "region"):
        return None   # a state or province names no actor of its own
    if hit.role == "people":
        entry = hit.entry
        return Actor(id=f"{(entry.country or 'any').lower()}-cvl", name=text.strip(), kind="group",
                     country=entry.country, sector="CVL")
    return _actor_of(hit.entry)


def _actor_of(entry: Entry) -> Actor:
    return Actor(id=entry.id, name=entry.name, kind=entry.kind, country=entry.country, sector=entry.sector,
                 title=entry.title, code=entry.code)
