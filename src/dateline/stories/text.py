"""Small text and date helpers of the stories stage (no spaCy: runs on stored records)."""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

# A sentence ends at . ! ? (maybe followed by a closing quote) before white space and
# a capital or an opening quote, or at a paragraph break. Good enough to give a cue
# word its context; the nlp stage's own sentences are not stored.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])|\n\s*\n")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence(s) of ``text`` that hold the span start..end."""
    if not text:
        return ""
    begin, stop = sentence_bounds(text, start, end)
    return text[begin:stop].strip()


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence(s) of ``text`` holding the span start..end begin and end."""
    if not text:
        return 0, 0
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    # Spans that end in a paragraph break must not reach into the next sentence.
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    stop = _SENTENCE_END.search(text, end)
    return begin, stop.start() if stop else len(text)


def date_precision(value: str | None) -> str:
    """``day``, ``month``, ``year`` or ``none`` for an ISO date of any precision."""
    match = _ISO.match(value or "")
    if not match:
        return "none"
    return "day" if match.group(3) else "month" if match.group(2) else "year"


def date_interval(value: str | None) -> tuple[str, str] | None:
    """The days an ISO date of any precision covers: 2025-07 -> (2025-07-01, 2025-07-31)."""
    match = _ISO.match(value or "")
    if not match:
        return None
    year = int(match.group(1))
    if match.group(3):
        day = f"{year:04d}-{match.group(2)}-{match.group(3)}"
        return day, day
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            return None
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def days_before(value: str, days: int) -> str:
    """The ISO day ``days`` before the day ``value`` (any precision: its first day)."""
    interval = date_interval(value)
    if interval is None:
        return value
    return (date.fromisoformat(interval[0]) - timedelta(days=days)).isoformat()


def days_between(a: str | None, b: str | None) -> int | None:
    """Whole days between two ISO dates (their first days), or None when one is missing."""
    ia, ib = date_interval(a), date_interval(b)
    if ia is None or ib is None:
        return None
    return abs((date.fromisoformat(ia[0]) - date.fromisoformat(ib[0])).days)


def more_precise(a: str | None, b: str | None) -> str | None:
    """The more precise of two dates that agree (the longer ISO string)."""
    if not a:
        return b
    if not b:
        return a
    return a if len(a) >= len(b) else b


# Where one evidence joins two acts ("agreed to prisoner exchanges and exchanged drafts
# of a peace deal"), the act of the trigger is the clause holding it.
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:but|while|whereas|and)\s+|\s+and\s+(?=[a-z]+ed\b)|\s+but\s+")


def trigger_clause(evidence: str, trigger: str | None) -> str:
    """The clause of ``evidence`` that holds the event's trigger word (all of it when unknown)."""
    if not trigger or not evidence:
        return evidence
    at = evidence.lower().find(trigger.split()[0].lower())
    if at < 0:
        return evidence
    begin = 0
    for match in _CLAUSE_BREAK.finditer(evidence):
        if match.start() >= at:
            return evidence[begin:match.start()]
        begin = match.end()
    return evidence[begin:]
