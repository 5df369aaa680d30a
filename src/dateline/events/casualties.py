"""Casualty counts on an event: killed, injured, arrested, displaced, with their words.

Read from the event's sentence by the parse: a casualty word (``data/events/casualties.tsv``)
and a number on its subject or object ("106 people were killed", "killing 12
civilians", "at least 30 dead", "wounding dozens"). Attached to violent and coercive events
(ASSAULT, COERCE, PROTEST, MOBILIZE) of that sentence.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from spacy.tokens import Span, Token

from dateline.events.codebook import EVENTS_DATA

CASUALTY_TYPES = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE"})
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
    # vague plurals count their least value ("dozens" is at least two dozen), as ACLED's
    # fatalities take the lowest figure reported
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")


@lru_cache(maxsize=1)
def casualty_words() -> dict[str, str]:
    lines = [line for line in (EVENTS_DATA / "casualties.tsv").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return {row["lemma"]: row["kind"] for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)}


def count_of(token: Token) -> int | None:
    """The integer a number token (with its scale words) stands for: '2,000', 'five', '1.5 million'."""
    word = token.lower_
    value: float | None = None
    if NUMBER.match(word):
        value = float(word.replace(",", ""))
    elif word in NUMBER_WORDS:
        value = NUMBER_WORDS[word]
    elif word in SCALES:  # "1.5 million": the scale word heads its number
        first = next((c for c in token.children if c.dep_ in {"compound", "nummod", "quantmod"}
                      and NUMBER.match(c.lower_)), None)
        return int(float(first.lower_.replace(",", "")) * SCALES[word]) if first is not None else None
    if value is None:
        return None
    for nxt in token.doc[token.i + 1: token.i + 3]:
        if nxt.lower_ in SCALES:
            value *= SCALES[nxt.lower_]
        else:
            break
    return int(value)


def _number_in(noun: Token) -> Token | None:
    """The number of a noun phrase: itself ('106 were killed') or its nummod ('106 people')."""
    if count_of(noun) is not None:
        return noun
    for child in noun.children:
        if child.dep_ in {"nummod", "quantmod", "amod", "compound"} and count_of(child) is not None:
            return child
        if child.dep_ == "prep" and child.lower_ == "of":  # "the deaths of 40 protesters"
            for pobj in child.children:
                found = _number_in(pobj) if pobj.dep_ == "pobj" else None
                if found is not None:
                    return found
    return None


def _phrase_text(number: Token, word: Token) -> str:
    """From the number's left edge ('at least') to the casualty word, or the reverse."""
    left = min(number.left_edge.i, word.i)
    right = max(number.i, word.i)
    if word.i > number.i:
        right = word.i
    else:
        right = max(right, next((t.i for t in number.head.subtree if t.i >= number.i), number.i))
        right = max(right, number.head.i) if number.head.i > number.i else right
    return number.doc[left: right + 1].text


def casualties_in(sent: Span) -> list[dict]:
    """Every casualty count the sentence states, once per (kind, count)."""
    words = casualty_words()
    out, seen = [], set()
    for token in sent:
        kind = words.get(token.lemma_.lower()) or words.get(token.lower_)
        if kind is None or (token.lemma_.lower() == "round" and not any(c.lower_ == "up" for c in token.children)):
            continue
        candidates = [c for c in token.children if c.dep_ in {"nsubjpass", "nsubj", "dobj", "attr"}]
        if token.dep_ in {"amod", "acl", "relcl"} or (token.pos_ == "ADJ" and token.dep_ != "ROOT"):
            candidates.append(token.head)  # "30 dead", "12 people killed"
        if token.pos_ == "NOUN":
            candidates.append(token)  # "six fatalities", "the deaths of 40 protesters"
        for noun in candidates:
            number = _number_in(noun)
            if number is None:
                continue
            count = count_of(number)
            key = (kind, count)
            if count is None or key in seen:
                continue
            seen.add(key)
            out.append({"kind": kind, "count": count, "text": _phrase_text(number, token)})
            break
    return out
