"""Finding and resolving time expressions in plain text (no spaCy needed here).

Written by hand because no library resolves news-style relative expressions the way
event coding needs them: dateparser turns "on Wednesday" into a datetime with the
time of day and no notion of precision, and reads "three years" as a date. Here each
pattern knows what it means, so "in May and June" keeps both months and their
precision, and the anchoring rules (past by default, forward when the sentence is
about the future) are ours. dateparser is used only for absolute dates in formats
this grammar does not cover ("7/14/2025"), see ``resolution.parse_absolute``.

``find_candidates(text)`` returns every match of every pattern; ``resolve(candidate,
anchor, future)`` (in ``timex.resolution``) turns one into ``Resolution(values,
precision)``. The spaCy
component (``dateline.nlp.timex``) chooses among overlapping candidates and supplies
the tense of the sentence.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dateline.config import DATA_DIR
from dateline.lexicon import MONTH_ABBREVIATIONS, MONTHS, month_numbers  # noqa: F401 - month_numbers: timex's own name for it

DAY, WEEKEND, WEEK, MONTH, YEAR = "day", "weekend", "week", "month", "year"


@lru_cache(maxsize=1)
def words() -> dict[str, Any]:
    with open(DATA_DIR / "timex" / "words.toml", "rb") as handle:
        return {**tomllib.load(handle), "months": list(MONTHS), "month_abbreviations": dict(MONTH_ABBREVIATIONS)}


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


@dataclass
class Candidate:
    """One pattern match: where, which pattern, and its named groups."""

    start: int
    end: int
    kind: str
    groups: dict[str, str | None] = field(default_factory=dict)
    needs_context: bool = False      # a bare month or year: kept only inside a spaCy DATE entity

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass
class Resolution:
    values: list[str]
    precision: str | None


# ---------------------------------------------------------------- patterns

@lru_cache(maxsize=1)
def patterns() -> list[tuple[str, re.Pattern[str], re.Pattern[str] | None]]:
    """(kind, core pattern, left-context pattern) triples. Month and weekday names must
    be capitalised (so the modal "may" is never a month); relative words match in any case.

    The optional words before an expression ("in", "early", "last", "Wednesday,") are
    not part of the core pattern: a pattern opening with optional groups is tried at
    every character of the text, one opening with a name or a digit is not. They are
    read afterwards, right-anchored, from the few characters before each core match."""
    data = words()
    full = "|".join(_cap(m) for m in data["months"])
    abbr = "|".join(_cap(m) + r"\." for m in data["month_abbreviations"]) + "|" + "|".join(
        _cap(m) + r"\b" for m in data["month_abbreviations"])
    month = rf"(?:{full}|{abbr})"
    weekday = "(?:" + "|".join(_cap(w) for w in data["weekdays"]) + ")"
    part = "(?i:" + "|".join(data["parts_of_day"]) + ")"
    numbers = "|".join(sorted((re.escape(n) for n in data["numbers"]), key=len, reverse=True))
    seasons = "|".join(data["seasons"])
    lead = r"(?:\b(?P<lead>(?i:on|in|at|during|since|until|till|by|from|through|before|after|around|between))\s+)?"
    mod = r"(?:\b(?P<mod>(?i:early|mid|late|the end of|the beginning of|the start of|the middle of))(?:\s+|-))?"
    rel = r"(?:\b(?P<rel>(?i:this past|this coming|last|next|this|past|coming))\s+)?"
    season = rf"(?:\b(?P<season>(?i:{seasons}))\s+(?:(?i:of)\s+)?)?"
    weekday_prefix = rf"(?:\b(?P<weekday>{weekday}),?\s+)?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>1[6-9]\d\d|2[01]\d\d)"
    year_tail = r"(?![\d%]|s\b|-\d|\s*(?:GMT|UTC|[Hh]ours|hrs|local time)\b)"   # not "at 1500 GMT"
    month_sep = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|to|through|until)\s+|\s*[-–]\s*)"
    table = [
        ("iso", r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b", lead),
        ("date_mdy", rf"\b(?P<month>{month})\s+{day}\b(?:,?\s+{year}{year_tail})?(?!\s*[-:/]?\d)",
         lead + weekday_prefix),
        ("date_dmy", rf"\b{day}\s+(?:of\s+)?(?P<month>{month})(?:,?\s+{year}{year_tail})?", lead + weekday_prefix),
        ("months", rf"\b(?P<months>{month}(?:{month_sep}{month})*)(?:,?\s+(?:of\s+)?{year}{year_tail})?",
         lead + mod),
        ("weekday", rf"\b(?P<weekday>{weekday})(?:\s+(?P<part>{part}))?\b", lead + rel),
        ("deictic", (r"(?:\b(?P<ea>(?i:earlier|later))\s+)?\b(?P<deictic>(?i:yesterday|today|tomorrow|tonight|"
                    r"last night|this morning|this afternoon|this evening))\b"
                    rf"(?:\s+(?P<part>{part})\b)?"), None),
        ("relunit", (rf"(?:\b(?P<ea>(?i:earlier|later))\s+(?:(?i:in)\s+)?)?\b(?P<rel>(?i:this|last|next))\s+"
                    rf"(?P<unit>(?i:week|weekend|month|year|{seasons}))\b"), None),
        ("ago", rf"\b(?P<count>\d+|(?i:{numbers}))\s+(?P<unit>(?i:day|week|month|year))s?\s+(?i:ago)\b", None),
        ("year", rf"(?<![\d,.$€£/])(?<!\d-)\b{year}{year_tail}", lead + mod + season),
        ("sameday", (r"\b(?P<sameday>(?i:the same day|that same day|that day|the same night|that night|"
                    r"later that day|earlier that day))\b"), None),
    ]
    return [(kind, re.compile(core), re.compile(left + r"\Z") if left else None) for kind, core, left in table]


LEFT_CONTEXT = 40                    # characters read before a core match for its leading words


def find_candidates(text: str) -> list[Candidate]:
    """Every match of every pattern, overlapping ones included."""
    found: list[Candidate] = []
    for kind, core, left in patterns():
        for match in core.finditer(text):
            start, groups = match.start(), match.groupdict()
            if left is not None:
                before = left.search(text, max(0, start - LEFT_CONTEXT), start)
                if before is not None and before.start() < start:
                    start = before.start()
                    groups.update({k: v for k, v in before.groupdict().items() if v})
            candidate = _candidate(kind, start, match.end(), groups, text)
            if candidate is not None:
                found.append(candidate)
    return found


def _candidate(kind: str, start: int, end: int, groups: dict[str, str | None], text: str) -> Candidate | None:
    context = bool(groups.get("lead") or groups.get("mod") or groups.get("season"))
    needs_context = False
    if kind == "months" and not groups.get("year"):
        if not context and not _preceded_by(text, start, ("this", "last", "next", "of", "and")):
            needs_context = True
        if any(_is_bare_abbreviation(name) for name in month_names(groups["months"] or "")) and not context:
            return None
    elif kind == "year" and not context:
        needs_context = True
    elif kind == "relunit" and _preceded_by(text, start, ("the", "all", "over", "for", "past")):
        return None                  # "in the last year", "all last week": durations, not points
    elif kind == "relunit" and groups["unit"][:1].isupper():
        return None                  # "ABC's This Week": a title
    elif kind == "deictic" and groups["deictic"][:1].isupper() and not _sentence_starts(text, start):
        return None                  # "Russia Today", "USA Today": names, not days
    if kind == "months" and _preceded_by(text, start, ("next", "coming")):
        groups["rel"] = "next"
    return Candidate(start, end, kind, groups, needs_context)


def _preceded_by(text: str, start: int, words_before: tuple[str, ...]) -> bool:
    before = text[max(0, start - 12):start].split()
    return bool(before) and before[-1].lower() in words_before


def _sentence_starts(text: str, start: int) -> bool:
    before = text[max(0, start - 3):start].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?:\n"


def _is_bare_abbreviation(name: str) -> bool:
    return len(name.rstrip(".")) <= 4 and name.lower().rstrip(".") not in ("may", "june", "july")


def month_names(run: str) -> list[str]:
    return re.findall(r"[A-Z][a-z]+\.?", run)


def choose(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, the longest winning where they overlap."""
    chosen: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (-c.length, c.start)):
        if all(candidate.end <= c.start or candidate.start >= c.end for c in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)
