"""An event's circumstances: factuality, date and place.

Dates and places come from the timex and geo components (the ``dateline_events``
factory requires ``doc._.times`` and ``doc._.places``), read through their helpers
(``dateline.nlp.timex.times_in_span``, ``dateline.nlp.geo.place_for_span``,
``dateline.nlp.geo.dateline_place``) when those exist, else from the attributes
themselves. The stage never parses a date or looks a place up on its own: what those
components do not find, an event does not get.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from spacy.tokens import Doc, Span, Token

from dateline.events.codebook import Codebook
from dateline.model import Place, TimeExpression

# Prepositions before a place that say where an act happened ("a bombing near Samarra").
LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "across", "along", "around", "into", "from", "of"})


def helper(module: str, name: str) -> Callable[..., Any] | None:
    """A function another component's module offers, or None while it does not exist."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


# -- factuality --------------------------------------------------------------
def _chain(token: Token) -> list[Token]:
    """The trigger and the words that govern its mood: 'plans to [impose]', 'ready to [host]'."""
    chain = [token]
    current = token
    while current.dep_ in {"xcomp", "acomp", "auxpass"} and current.head.i != current.i:
        current = current.head
        chain.append(current)
    if current.dep_ == "acomp" or (current.pos_ == "ADJ" and current.head.i != current.i):
        chain.append(current.head)
    return chain


def factuality(tokens: list[Token], cb: Codebook) -> str:
    """negated > possible > future > asserted, from auxiliaries, negation and governing verbs."""
    negation, future, possible = cb.role("negation"), cb.role("future"), cb.role("possible")
    found: set[str] = set()
    for token in tokens:
        for link in _chain(token):
            if link.i != token.i and link.lemma_.lower() in future:
                found.add("future")
            if link.i != token.i and link.lemma_.lower() in possible:
                found.add("possible")
            for child in link.children:
                lemma, lower = child.lemma_.lower(), child.lower_
                if child.dep_ == "neg" or (child.dep_ in {"advmod", "det", "preconj"} and lower in negation):
                    found.add("negated")
                elif child.dep_ == "aux" and (lower in future or lemma in future):
                    found.add("future")
                elif child.dep_ in {"aux", "advmod"} and (lower in possible or lemma in possible):
                    found.add("possible")
        subject = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and any(c.lower_ == "neither" for c in subject.children):
            found.add("negated")
    for value in ("negated", "possible", "future"):
        if value in found:
            return value
    return "asserted"


def conditional(token: Token) -> bool:
    """An 'if' or 'unless' clause hangs on the trigger (or its governor): a conditional threat."""
    for link in _chain(token):
        for child in link.children:
            if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in child.children):
                return True
    return False


# -- dates -------------------------------------------------------------------
class Times:
    """The document's time expressions, from the timex component."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.items: list[TimeExpression] = list(doc._.times or [])
        self.span_helper = helper("dateline.nlp.timex", "times_in_span") if self.items else None

    def in_span(self, start: int, end: int) -> list[TimeExpression]:
        if self.span_helper is not None:
            return list(self.span_helper(self.doc, start, end) or [])
        return [t for t in self.items if start <= t.start < end]


def pick_time(times: Times, clause: tuple[int, int], sent: Span | None, trigger_char: int) -> TimeExpression | None:
    """The clause's time expression (resolved ones only); the sentence's nearest one only when
    ``sent`` is given. The coder passes none: a date borrowed from another clause ("demand
    ... regions it annexed in 2022") misdates the event."""
    spans = [clause] + ([(sent.start_char, sent.end_char)] if sent is not None else [])
    for start, end in spans:
        found = [t for t in times.in_span(start, end) if (t.value or t.values) and not _names_a_thing(times.doc, t)]
        if found:
            return min(found, key=lambda t: abs(t.start - trigger_char))
    return None


# Prepositions whose object dates the clause ("seized it in the 1967 war").
TEMPORAL_PREPS = frozenset({"in", "during", "after", "before", "since", "until", "at", "following", "by"})


def _names_a_thing(doc: Doc, time) -> bool:
    """A date that only modifies a noun ("its investigation into a 2010 rape allegation", "the
    2018 flu season"): it dates the thing named, not the clause's act; unless that noun is
    itself the clause's time ("in the 1967 war")."""
    span = doc.char_span(time.start, time.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    noun = root.head
    if root.dep_ not in {"compound", "amod", "nummod", "nmod"} or noun.pos_ not in {"NOUN", "PROPN"} \
            or span.start <= noun.i < span.end:
        return False
    return not (noun.dep_ == "pobj" and noun.head.lower_ in TEMPORAL_PREPS)


def same_day(sent: Span) -> bool:
    text = sent.text.lower()
    return "same day" in text or "that day" in text


# -- places ------------------------------------------------------------------
class Places:
    def __init__(self, doc: Doc, text: str | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text
        # metonyms ("Russia said") name an actor, not where anything happens
        self.places = [p for p in (doc._.places or []) if p.role not in ("dateline", "metonym")]
        self.span_helper = helper("dateline.nlp.geo", "place_for_span")
        self.dateline_helper = helper("dateline.nlp.geo", "dateline_place")
        self._dateline: Place | None | bool = False

    def for_clause(self, span: Span, trigger_char: int | None = None) -> Place | None:
        if self.span_helper is not None:
            # the helper's trigger lookup reads Doc.text per call (O(n)): only when the clause
            # alone gives no place ("talks in Addis Ababa": the place hangs on the noun)
            place = self.span_helper(self.doc, span.start_char, span.end_char)
            if place is None and trigger_char is not None:
                place = self.span_helper(self.doc, span.start_char, span.end_char, trigger_char)
            return place  # the geo component found no location in this clause
        return self.any_in(span)

    def any_in(self, span: Span) -> Place | None:
        """Any place named after a locative preposition in the span ("a bombing near Samarra")."""
        for place in self.places:
            if place.start is None or not (span.start_char <= place.start < span.end_char) or not place.country:
                continue
            words = self.text[max(span.start_char, place.start - 40): place.start].lower().split()
            if any(w in LOCATIVE for w in words[-4:]):
                return place
        return None

    def dateline(self) -> Place | None:
        if self._dateline is False:
            place = self.dateline_helper(self.doc) if self.dateline_helper is not None else None
            if place is None:
                place = next((p for p in self.doc._.places or [] if p.role == "dateline"), None)
            self._dateline = place
        return self._dateline or None
