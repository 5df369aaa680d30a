"""Who did it and to whom: sources and targets read off the dependency parse.

Actors come from the actors component (``doc._.mentions`` / ``doc._.actors``); an entity
it leaves unnamed is looked up with its declared helper ``resolve_name`` ("Burundian
militiamen"), and a place the geo component found (``doc._.places``) stands for its
country as a civilian place ("an attack on Samarra"). One
``ActorIndex`` per document maps every token to the actor it names, so reading an
argument is a walk over a few tokens of the parse, never a scan of the text.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from dateline.lexicon import NOT_REFLEXIVE, pronouns
from dateline.model import ActorRef
from dateline.nlp.actors import resolve_name

# spaCy entities that may name an actor the actors component left unnamed.
ENTITY_LABELS = frozenset({"GPE", "NORP", "ORG", "LOC", "FAC"})


def country_word(text: str) -> str | None:
    """The country (or IGO code) a bare name or demonym stands for, by the actors tables."""
    actor = resolve_name(text)
    return actor.owner if actor is not None else None

# Dependents that open another clause: an argument stops there.
CLAUSE_DEPS = frozenset({"relcl", "advcl", "ccomp", "parataxis", "acl", "csubj", "xcomp"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
RELATIVE_PRONOUNS = pronouns("relative")
# The members these sets have always had here: no "mine", no "hers".
FIRST_PERSON = pronouns("first", cases=NOT_REFLEXIVE) - {"mine"}
THIRD_PERSON = pronouns("male", "female", "neuter", "plural", cases=NOT_REFLEXIVE) - {"hers"}
def pronoun_in(token: Token, words: frozenset[str]) -> bool:
    """A personal pronoun of the set (not "US", the country)."""
    return token.lower_ in words and (token.pos_ == "PRON" or token.tag_ in {"PRP", "PRP$"})


ANAPHOR_NOUNS = frozenset({"group", "country", "government", "organization", "organisation",
                           "movement", "militia", "ministry", "administration", "regime", "kingdom",
                           "republic", "nation", "side", "authority", "authorities", "state"})


@dataclass
class Found:
    """Actors found for one argument, and how (explicit words, a pronoun, the dyad)."""

    refs: list[ActorRef] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)   # the words that named them in this sentence
    how: str = "explicit"                               # explicit | pronoun | dyad

    def __bool__(self) -> bool:
        return bool(self.refs)

    @property
    def countries(self) -> set[str]:
        return {r.owner for r in self.refs if r.owner}


class ActorIndex:
    """Token -> actor for one document, plus what the coder needs for anaphora."""

    def __init__(self, doc: Doc, speaker_of: dict[int, ActorRef] | None = None, skip_before: int = 0):
        self.doc = doc
        self.by_token: dict[int, ActorRef] = {}
        self.places: set[int] = set()       # tokens of actors that are places (a city, "in Istanbul")
        self.mention_start: dict[int, int] = {}
        self.speaker_of = speaker_of or {}
        self.skip_before = skip_before      # tokens of the dateline prefix name no actor
        self._from_mentions(doc)
        self._from_entities(doc)
        self._from_places(doc)
        self.order = sorted(self.mention_start.items())  # (start token, any token) in text order

    def _from_mentions(self, doc: Doc) -> None:
        actors = doc._.actors or {}
        for mention in doc._.mentions or []:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            actor = actors.get(mention.actor)
            if span is None or actor is None:
                continue
            ref = replace(actor.ref(), mention=mention.text)
            if any(t.lower_ == "ethnic" for t in span.doc[max(0, span.start - 2): span.start + 1]):
                ref.country = None  # "ethnic Albanians" in Serbia are not Albania: placed by where they are
            elif not ref.country and actor.kind != "person":
                # "two American aid groups": the demonym inside the mention; never inside a
                # person's name ("Chad Wolf", "Jordan Henderson" name no country)
                ref.country = next((country_word(t.text) for t in span
                                    if t.pos_ in {"ADJ", "PROPN"} and t.text[:1].isupper()
                                    and country_word(t.text)), None)
            self._add(span.start, span.end, ref, place=actor.kind == "place-as-actor" and actor.sector == "CVL")

    def _from_entities(self, doc: Doc) -> None:
        """Entities and demonym adjectives the actors component left unnamed, by its tables."""
        spans = [(e.start, e.end, e.text) for e in doc.ents if e.label_ in ENTITY_LABELS]
        spans += [(t.i, t.i + 1, t.text) for t in doc
                  if not t.ent_type_ and t.pos_ in {"ADJ", "PROPN"} and t.text[:1].isupper()]
        for start, end, text in spans:
            if any(i in self.by_token for i in range(start, end)) or \
                    any(t.lower_ == "ethnic" for t in doc[max(0, start - 2): start]):
                continue
            actor = resolve_name(text)
            if actor is not None and actor.owner and actor.kind != "person":
                self._add(start, end, replace(actor.ref(), mention=text), place=False)

    def _from_places(self, doc: Doc) -> None:
        """Places of the geo component not named as actors: their country, as a place."""
        for place in doc._.places or []:
            if place.start is None or not place.country or place.role == "dateline":
                continue
            span = doc.char_span(place.start, place.end, alignment_mode="expand")
            if span is None or any(i in self.by_token for i in range(span.start, span.end)):
                continue
            self._add(span.start, span.end, ActorRef(name=place.name, country=place.country, sector="CVL",
                                                     mention=span.text), place=True)

    def _add(self, start: int, end: int, ref: ActorRef, place: bool) -> None:
        if start < self.skip_before:
            return
        for i in range(start, end):
            self.by_token[i] = ref
            if place:
                self.places.add(i)
        self.mention_start[start] = end

    def ref(self, token: Token) -> ActorRef | None:
        return self.by_token.get(token.i)

    def is_place(self, token: Token) -> bool:
        return token.i in self.places

    # -- reading one argument -------------------------------------------------
    def in_phrase(self, head: Token, skip: frozenset[str] = CLAUSE_DEPS, places: bool = False) -> Found:
        """Actors a noun phrase names: the shallowest ones, with their conjuncts and appositions.

        Places (a city after "in") count only when ``places`` is set: an attack on a
        town targets its country, a meeting in a town does not."""
        pairs: list[tuple[Token, ActorRef]] = []
        for branch in (head, *head.conjuncts):  # "the ministers of Congo and Rwanda", each conjunct apart
            found = self._shallowest(branch, skip, places, top=head)
            if found and not any(ref.owner for _, ref in found):
                # "Rebels in the Ivory Coast": a sector without a country takes the phrase's country
                found += [(t, r) for t, r in self._countries_below(branch, skip, places) if t not in
                          {f for f, _ in found}][:1]
            pairs += found
        return _dedupe(pairs) if pairs else Found()

    def _countries_below(self, head: Token, skip: frozenset[str], places: bool) -> list[tuple[Token, ActorRef]]:
        out = []
        for token in head.subtree:
            ref = self.by_token.get(token.i)
            if ref is None or not ref.owner or (not places and token.i in self.places):
                continue
            path = _path(token, head)
            if any(a.dep_ in skip for a in path) or any(a.dep_ == "prep" and a.lower_ in NEARBY for a in path):
                continue  # "a stronghold on the Thai border" is not Thailand's
            out.append((token, ref))
        return out

    def _shallowest(self, head: Token, skip: frozenset[str], places: bool, top: Token) -> list[tuple[Token, ActorRef]]:
        best: dict[int, list[tuple[Token, ActorRef]]] = {}
        stack = [(head, 0)]
        while stack:
            token, depth = stack.pop()
            ref = self.by_token.get(token.i)
            if ref is not None and not places and token.i in self.places:
                ref = None
            if ref is not None:
                best.setdefault(depth, []).append((token, ref))
            for child in token.children:
                if child.dep_ in skip or (child.dep_ == "prep" and child.lower_ in {"after", "before", "during", "since"}):
                    continue
                if token.i == head.i and child.dep_ == "conj" and child in top.conjuncts:
                    continue  # read as a branch of its own
                step = 0 if child.dep_ in {"conj", "appos", "compound"} or ref is not None else 1
                if ref is not None and child.dep_ not in {"conj", "appos"}:
                    continue  # inside a named actor: its own words add nothing
                stack.append((child, depth + step))
        return best[min(best)] if best else []

    def subject_actor_before(self, sent: Span, before: int) -> Found:
        """The actor of the nearest subject before a token in the sentence."""
        for token in reversed(sent[: before - sent.start]):
            if token.dep_ in {"nsubj", "nsubjpass"} and not pronoun_in(token, THIRD_PERSON | FIRST_PERSON):
                found = self.in_phrase(token)
                if found:
                    return Found(found.refs, found.tokens, "pronoun")
        return Found()

    def last_actor_before(self, position: int, subjects_first: bool = True) -> Found:
        """The most recent actor named before a token (subjects preferred), for pronouns."""
        candidates = [start for start, _ in self.order if start < position]
        if subjects_first:
            for start in reversed(candidates[-12:]):
                token = self.doc[start]
                root = _phrase_root(token)
                if root.dep_ in {"nsubj", "nsubjpass"}:
                    return Found([self.by_token[start]], [], "pronoun")
        if candidates:
            return Found([self.by_token[candidates[-1]]], [], "pronoun")
        return Found()

    def speaker(self, token: Token) -> ActorRef | None:
        return self.speaker_of.get(token.i)


NEARBY = frozenset({"on", "near", "along", "across", "outside", "at", "by"})


def _path(token: Token, top: Token) -> list[Token]:
    """The tokens from ``token`` up to (not including) ``top``."""
    out = []
    while token.i != top.i and token.head.i != token.i:
        out.append(token)
        token = token.head
    return out


def _phrase_root(token: Token) -> Token:
    while token.dep_ in {"compound", "amod", "poss", "nmod", "flat"} and token.head.i != token.i:
        token = token.head
    return token


def _dedupe(pairs: list[tuple[Token, ActorRef]]) -> Found:
    refs, tokens, seen = [], [], set()
    for token, ref in sorted(pairs, key=lambda p: p[0].i):
        key = (ref.actor or ref.name, ref.owner)
        tokens.append(token)
        if key not in seen:
            seen.add(key)
            refs.append(ref)
    return Found(refs, tokens)


class Dyad:
    """The two countries in focus: most often named in the article, the earliest winning ties."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.last: dict[str, int] = {}
        self.refs: dict[str, ActorRef] = {}

    def see(self, refs: list[tuple[int, ActorRef]]) -> None:
        for position, ref in refs:
            if ref.country and ref.sector not in {"CVL", "MED", "IGO"} and ref.country not in {"IGO", "UNO", "EU", "NATO", "AU"}:
                self.counts[ref.country] += 1
                self.last.setdefault(ref.country, -position)
                self.refs.setdefault(ref.country, ActorRef(name=ref.country, country=ref.country))

    def leading(self, min_count: int = 2) -> str | None:
        """The country the article names most (at least ``min_count`` times), or None."""
        ranked = sorted(self.counts, key=lambda c: (self.counts[c], self.last[c]), reverse=True)
        return ranked[0] if ranked and self.counts[ranked[0]] >= min_count else None

    def dominant(self) -> str | None:
        """The country of a domestic story: named at least three times and at least twice as
        often as any other, else None (an international story has no one home)."""
        ranked = sorted(self.counts, key=lambda c: (self.counts[c], self.last[c]), reverse=True)
        if not ranked or self.counts[ranked[0]] < 3:
            return None
        runner_up = self.counts[ranked[1]] if len(ranked) > 1 else 0
        return ranked[0] if self.counts[ranked[0]] >= 2 * runner_up else None

    def pair(self, min_count: int = 1) -> list[ActorRef]:
        """The two leading countries; ``min_count`` asks that each be named that often (in focus)."""
        ranked = sorted(self.counts, key=lambda c: (self.counts[c], self.last[c]), reverse=True)[:2]
        if len(ranked) < 2 or self.counts[ranked[1]] < min_count:
            return []
        return [self.refs[c] for c in ranked]
