"""Dates as pages print them ("Saturday, July 26, 2025", "28 June 2025", "2025-06-28",
"Nov. 18, 2019", "Updated 3:42 PM EDT, Tue October 14, 2025") -> ISO ``YYYY-MM-DD``.

Hand-written because it runs on every short line of a capture: dateparser is far slower
and finds "dates" in ordinary words. Only full dates with a year are taken.
"""
from __future__ import annotations

import re
from datetime import date

from dateline.lexicon import month_numbers

_MONTHS = month_numbers()
_MONTH = rf"(?P<month>{'|'.join(sorted(_MONTHS, key=len, reverse=True))})\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_FORMS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b"),
    re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b"),
    # 11/18/2019 or 27/09/2018: the first number is the month unless it cannot be (``_iso`` swaps).
    re.compile(r"\b(?P<month>[0-3]?\d)/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)\d\d)\b"),
]
# What may surround a date on a "date line" besides the date itself.
_DATE_LINE_NOISE = re.compile(
    r"\b(?:updated|published|posted|last|first|modified|on|at|am|pm|a\.m|p\.m|[ecmp][sd]t|gmt|utc|bst|cet|ist|pkt|"
    r"mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\d{1,2}[:.]\d{2}|[\W_]+", re.IGNORECASE)
PUBLISHED_WORDS = re.compile(r"^\s*(?:published|posted|first published|date)\b", re.IGNORECASE)
UPDATED_WORDS = re.compile(r"^\s*(?:updated|last updated|modified)\b", re.IGNORECASE)


def find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The first full date in TEXT as ISO, with its match."""
    for form in _FORMS:
        for match in form.finditer(text):
            iso = _iso(match)
            if iso:
                return iso, match
    return None


def date_line(line: str) -> str | None:
    """The ISO date when LINE is only a date (with weekday, time, "Updated" and the like)."""
    if len(line) > 90:
        return None
    found = find_date(line)
    if not found:
        return None
    iso, match = found
    rest = line[: match.start()] + " " + line[match.end():]
    leftover = _DATE_LINE_NOISE.sub(" ", rest).split()
    return iso if len(leftover) <= 1 else None


def _iso(match: re.Match[str]) -> str | None:
    month_text = match.group("month").lower().rstrip(".")
    month = _MONTHS.get(month_text[:3] if not month_text.isdigit() else "", 0) if not month_text.isdigit() \
        else int(month_text)
    day, year = int(match.group("day")), int(match.group("year"))
    if month > 12 and day <= 12:  # 28/06/2025 written day first
        month, day = day, month
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
