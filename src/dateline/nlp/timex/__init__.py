"""Time expressions resolved against the article's anchor date: the ``dateline_timex`` component.

Fills ``doc._.times: list[TimeExpression]`` (text, char offsets, ``value``, ``values``,
``precision``), resolved against ``doc._.anchor_date`` (published, else page date).

What a value looks like (ISO 8601, as precise as the text):
  ``2025-07-23`` precision ``day``      "on Wednesday", "yesterday", "July 14, 2025", "three days ago"
  ``2025-07-14`` precision ``week``     "last week": the Monday the ISO week starts on
  ``2025-07-19`` precision ``weekend``  "last weekend": its Saturday
  ``2025-05``    precision ``month``    "in May", "earlier this month", "February 2022"
  ``2019``       precision ``year``     "in 2019", "last year", "last summer"
``values`` holds every value ("in May and June" -> ``["2025-05", "2025-06"]``; ``value``
is the first). Without an anchor only absolute expressions resolve; relative ones are
kept with ``value`` None. Durations ("for three years") and vague spans ("in recent
weeks") are not points in time and are left out.

Direction: expressions without a year or week ("on Wednesday", "in May", "on July 14")
point back from the anchor in a past-tense or perfect clause (the anchor day itself
included: a Tuesday paper's "on Tuesday" is that day), forward when the sentence looks
forward: "next"/"coming", a "will" / "would" / "'ll" auxiliary on the verb the
expression modifies, or a verb such as "expected", "scheduled", "plans" above it
(``data/timex/words.toml``). When nothing says (a present tense, no verb: "November's
election"), a month or date takes the occurrence nearest the anchor and a weekday the
past one; so does a date introduced by "until"/"by" (a deadline). "next Tuesday" is
the first Tuesday after the anchor; "last Tuesday" the last one before it. "the same
day" / "that day" take the latest day-precision value before them.

Candidates are the matches of the patterns in ``grammar`` over the text, plus spaCy
DATE/TIME entities in formats the patterns do not read (handed to dateparser, only
when they carry a year or a numeric date). A bare month or year ("June", "2024")
counts only after a preposition or inside a spaCy DATE entity; month and day names
inside a person's or organisation's name ("Theresa May", "the Sunday Times") never.
An expression's ``text`` includes its leading preposition ("on Wednesday", "in 2019").

Helpers for the event coder:
  ``times_in_span(doc, start, end)``  the expressions inside [start, end), in text order
  ``time_for_span(doc, start, end, near=None)``  the best one there: resolved before
      unresolved, then (with ``near``, a char offset such as the trigger's) the
      closest, else the first; None when the span has none
"""
from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from dateline.model import TimeExpression
from dateline.nlp.timex.grammar import DAY, Candidate, Resolution, choose, find_candidates, words
from dateline.nlp.timex.resolution import looks_absolute, parse_absolute, parse_anchor, resolve

__all__ = ["TimexComponent", "find_times", "time_for_span", "times_in_span"]

DATE_LABELS = ("DATE", "TIME")
# Entities whose words are no dates even when they look like one: "Theresa May", "the
# Sunday Times", "the Good Friday Agreement".
NAME_LABELS = ("PERSON", "ORG", "WORK_OF_ART", "EVENT", "LAW", "FAC", "PRODUCT")
NAME_LIKE = frozenset({"months", "weekday"})
# Kinds whose direction (back or forward from the anchor) depends on the sentence.
DIRECTIONLESS = frozenset({"weekday", "months", "date_mdy", "date_dmy"})
# Prepositions of a deadline: the date lies ahead of the (past) decision that set it.
DEADLINE_LEADS = frozenset({"until", "till", "by"})


@Language.factory("dateline_timex", default_config={},
                  requires=["doc.ents", "doc.sents", "token.dep", "token.pos", "token.tag", "token.lemma",
                            "doc._.anchor_date"],
                  assigns=["doc._.times"])
def make_component(nlp: Language, name: str) -> TimexComponent:
    return TimexComponent()


class TimexComponent:
    def __call__(self, doc: Doc) -> Doc:
        doc._.times = find_times(doc)
        return doc


def find_times(doc: Doc) -> list[TimeExpression]:
    """Every time expression of a parsed Doc, resolved against ``doc._.anchor_date``."""
    anchor = parse_anchor(doc._.anchor_date)
    text = doc.text                  # Doc.text joins every token: read it once
    entities = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in DATE_LABELS]
    names = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in NAME_LABELS]
    kept = [c for c in find_candidates(text)
            if (not c.needs_context or _overlaps(c, entities))
            and not (c.kind in NAME_LIKE and _overlaps(c, names) and not _overlaps(c, entities))]
    chosen = choose(kept)
    resolved: list[tuple[int, int, Resolution, str]] = []
    for candidate in chosen:
        future = _points_forward(doc, candidate) if candidate.kind in DIRECTIONLESS else False
        if future is False and (candidate.groups.get("lead") or "").lower() in DEADLINE_LEADS:
            future = None            # "agreed to postpone it until 9 November": nearest, not past
        resolution = resolve(candidate, anchor, future)
        if resolution is not None:
            resolved.append((candidate.start, candidate.end, resolution, candidate.kind))
    resolved.extend(_absolute_entities(doc, chosen))
    resolved.sort(key=lambda item: item[0])
    return _fill_same_day([(kind, _expression(text, start, end, resolution))
                           for start, end, resolution, kind in resolved])


def _overlaps(candidate: Candidate, spans: list[tuple[int, int]]) -> bool:
    return any(candidate.start < end and start < candidate.end for start, end in spans)


def _absolute_entities(doc: Doc, chosen: list[Candidate]) -> list[tuple[int, int, Resolution, str]]:
    """DATE entities the patterns did not cover, when dateparser reads them as absolute."""
    found = []
    for ent in doc.ents:
        if ent.label_ not in DATE_LABELS or any(c.start < ent.end_char and ent.start_char < c.end for c in chosen):
            continue
        if looks_absolute(ent.text) and (resolution := parse_absolute(ent.text)) is not None:
            found.append((ent.start_char, ent.end_char, resolution, "absolute"))
    return found


def _expression(text: str, start: int, end: int, resolution: Resolution) -> TimeExpression:
    values = list(resolution.values)
    return TimeExpression(text=text[start:end], start=start, end=end,
                          value=values[0] if values else None, values=values,
                          precision=resolution.precision)


def _fill_same_day(expressions: list[tuple[str, TimeExpression]]) -> list[TimeExpression]:
    """"the same day" / "that day" take the latest day before them; dropped when there is none."""
    out: list[TimeExpression] = []
    last_day: str | None = None
    for kind, expression in expressions:
        if kind == "sameday":
            if last_day is None:
                continue
            expression.value, expression.values = last_day, [last_day]
        elif expression.precision == DAY and expression.value:
            last_day = expression.value
        out.append(expression)
    return out


# ---------------------------------------------------------------- tense

def _points_forward(doc: Doc, candidate: Candidate) -> bool | None:
    """True when the verb the expression modifies speaks of the future, False when it is
    in a past tense (or a perfect), None when nothing says (a present tense, no verb)."""
    span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
    if span is None:
        return None
    cues = words()["future"]
    auxiliaries, lemmas = set(cues["auxiliaries"]), set(cues["lemmas"])
    token = span.root
    if token.head.i != token.i and token.head.pos_ in ("NOUN", "PROPN") and token.dep_ != "pobj":
        return None                  # names an event, not when the clause happened: "the caucuses Feb. 1"
    for _ in range(6):
        if token.head.i == token.i:
            break
        token = token.head
        if token.lemma_.lower() in lemmas or (token.tag_ == "VBG" and token.lower_ == "going"):
            return True
        if token.pos_ not in ("VERB", "AUX"):
            continue
        aux = [child for child in token.children if child.dep_ in ("aux", "auxpass") and child.tag_ != "TO"]
        if any(child.lower_ in auxiliaries for child in aux):
            return True
        if token.tag_ == "VBD" or any(child.tag_ == "VBD" or child.lemma_ == "have" for child in aux):
            return False             # past tense or perfect: "met on Tuesday", "has met in May"
        if token.tag_ in ("VBZ", "VBP") or aux:
            return None              # a present tense: "the vote is in November"
    return None


# ---------------------------------------------------------------- helpers for the event coder

def times_in_span(doc: Doc | Any, start: int, end: int) -> list[TimeExpression]:
    """The time expressions lying inside the char span [start, end), in text order."""
    return [t for t in doc._.times or [] if t.start >= start and t.end <= end]


def time_for_span(doc: Doc | Any, start: int, end: int, near: int | None = None) -> TimeExpression | None:
    """The clause's or sentence's time expression: resolved ones first, then the closest to
    ``near`` (a char offset, e.g. the event trigger's) when given, else the first."""
    inside = times_in_span(doc, start, end)
    if not inside:
        return None

    def rank(expression: TimeExpression) -> tuple[int, int]:
        distance = abs((expression.start + expression.end) // 2 - near) if near is not None else expression.start
        return (0 if expression.value else 1, distance)

    return min(inside, key=rank)


def sentence_span(doc: Doc, char_offset: int) -> Span | None:
    """The sentence holding a char offset (convenience for callers with only an offset)."""
    token = doc.char_span(char_offset, char_offset + 1, alignment_mode="expand")
    return token.sent if token is not None else None
