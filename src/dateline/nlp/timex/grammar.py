"""Finding and resolving time expressions in plain text (no spaCy needed here).

Written by hand because no library resolves news-style relative expressions the way
event coding needs them: dateparser turns "on Wednesday" into a datetime with the
time of day and no notion of precision, and reads "three years" as a date. Here each
pattern knows what it means, so "in May and June" keeps both months and their
precision, and the anchoring rules (past by default, forward when the sentence is
about the future) are ours. dateparser is used only for absolute dates in formats
this grammar does not cover ("7/14/2025"), see ``parse_absolute``.

``find_candidates(text)`` returns every match of every pattern; ``resolve(candidate,
anchor, future)`` turns one into ``Resolution(values, precision)``. The spaCy
component (``dateline.nlp.timex``) chooses among overlapping candidates and supplies
the tense of the sentence.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from dateline.config import DATA_DIR

DAY, WEEKEND, WEEK, MONTH, YEAR = "day", "weekend", "week", "month", "year"


@lru_cache(maxsize=1)
def words() -> dict[str, Any]:
    with open(DATA_DIR / "timex" / "words.toml", "rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """'january' -> 1, 'jan' -> 1, 'sept' -> 9 ..."""
    data = words()
    table = {name: number for number, name in enumerate(data["months"], start=1)}
    table.update(data["month_abbreviations"])
    return table


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
        if any(_is_bare_abbreviation(name) for name in _month_names(groups["months"] or "")) and not context:
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


def _month_names(run: str) -> list[str]:
    return re.findall(r"[A-Z][a-z]+\.?", run)


def choose(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, the longest winning where they overlap."""
    chosen: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (-c.length, c.start)):
        if all(candidate.end <= c.start or candidate.start >= c.end for c in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


# ---------------------------------------------------------------- resolution

def resolve(candidate: Candidate, anchor: date | None, future: bool | None = False) -> Resolution | None:
    """The values a candidate stands for; None when it is no point in time after all.

    ``anchor`` None resolves only what the text states absolutely (relative
    expressions get ``Resolution([], precision)``). ``future`` says the sentence
    points forward ("will meet on Tuesday"), which flips the direction of
    expressions without a year or week; None means the tense is unknown (a present
    tense, no verb): a month or date then takes the occurrence nearest the anchor
    ("November's election" in July is the coming one), a weekday the past one.
    """
    handler = _HANDLERS[candidate.kind]
    try:
        return handler(candidate.groups, anchor, future)
    except (ValueError, OverflowError):  # "February 30", a year out of range
        return None


def _iso(groups: dict[str, Any], anchor: date | None, future: bool | None) -> Resolution:
    return _day(date(int(groups["year"]), int(groups["month"]), int(groups["day"])))


def _date(groups: dict[str, Any], anchor: date | None, future: bool | None) -> Resolution | None:
    month = month_numbers()[groups["month"].lower().rstrip(".")]
    day = int(groups["day"])
    if groups.get("year"):
        return _day(date(int(groups["year"]), month, day))
    if anchor is None:
        return Resolution([], DAY)
    if future is None:
        before, after = nearest_date(month, day, anchor, False), nearest_date(month, day, anchor, True)
        return _day(after if (after - anchor) < (anchor - before) else before)
    return _day(nearest_date(month, day, anchor, future))


def nearest_date(month: int, day: int, anchor: date, future: bool) -> date:
    """The month-day nearest the anchor on the side the tense points to (anchor included)."""
    this_year = _safe_date(anchor.year, month, day)
    if future:
        return this_year if this_year >= anchor else _safe_date(anchor.year + 1, month, day)
    return this_year if this_year <= anchor else _safe_date(anchor.year - 1, month, day)


def _safe_date(year: int, month: int, day: int) -> date:
    """29 February in a year without it falls back to the 28th."""
    try:
        return date(year, month, day)
    except ValueError:
        if month == 2 and day == 29:
            return date(year, 2, 28)
        raise


def _months(groups: dict[str, Any], anchor: date | None, future: bool | None) -> Resolution | None:
    numbers = month_numbers()
    months = [numbers[name.lower().rstrip(".")] for name in _month_names(groups["months"])]
    if not months:
        return None
    if groups.get("year"):
        year = int(groups["year"])
        return Resolution([f"{year:04d}-{m:02d}" for m in months], MONTH)
    if anchor is None:
        return Resolution([], MONTH)
    if groups.get("rel") == "next":
        future = True
    if future is None:               # the nearer of the two, the past one on a tie
        future = (months[0] - anchor.month) % 12 < (anchor.month - months[0]) % 12
    return Resolution([nearest_month(m, anchor, future) for m in months], MONTH)


def nearest_month(month: int, anchor: date, future: bool) -> str:
    """The latest such month not after the anchor's (or, looking forward, the first not before)."""
    if future:
        year = anchor.year if month >= anchor.month else anchor.year + 1
    else:
        year = anchor.year if month <= anchor.month else anchor.year - 1
    return f"{year:04d}-{month:02d}"


def _weekday(groups: dict[str, Any], anchor: date | None, future: bool | None) -> Resolution | None:
    if anchor is None:
        return Resolution([], DAY)
    weekday = [w.lower() for w in words()["weekdays"]].index(groups["weekday"].lower())
    relation = (groups.get("rel") or "").lower()
    if relation in ("next", "this coming", "coming"):
        return _day(anchor + timedelta(days=(weekday - anchor.weekday() - 1) % 7 + 1))
    if relation in ("last", "this past", "past"):
        return _day(anchor - timedelta(days=(anchor.weekday() - weekday - 1) % 7 + 1))
    if future:
        return _day(anchor + timedelta(days=(weekday - anchor.weekday()) % 7))
    return _day(anchor - timedelta(days=(anchor.weekday() - weekday) % 7))


_DEICTIC_OFFSETS = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "last night": -1,
                    "this morning": 0, "this afternoon": 0, "this evening": 0}


def _deictic(groups: dict[str, Any], anchor: date | None, future: bool | None) -> Resolution:
    if anchor is None:
        return Resolution([], DAY)
    word = " ".join(groups["deictic"].lower().split())
    return _day(anchor + timedelta(days=_DEICTIC_OFFSETS[word]))


def _relunit(groups: dict[str, Any], anchor: date | None, future: bool | None) -> Resolution | None:
    unit = groups["unit"].lower()
    if anchor is None:
        return Resolution([], YEAR if unit in words()["seasons"] else unit)
    step = {"this": 0, "last": -1, "next": 1}[groups["rel"].lower()]
    if unit in ("week", "weekend"):
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=step)
        if unit == "weekend":
            saturday = monday + timedelta(days=5)
            if step == -1 and anchor.weekday() == 6:  # on a Sunday "last weekend" is the one just ending
                saturday += timedelta(weeks=1)
            return Resolution([saturday.isoformat()], WEEKEND)
        return Resolution([monday.isoformat()], WEEK)
    if unit == "month":
        index = anchor.year * 12 + anchor.month - 1 + step
        return Resolution([f"{index // 12:04d}-{index % 12 + 1:02d}"], MONTH)
    if unit == "year":
        return Resolution([f"{anchor.year + step:04d}"], YEAR)
    return Resolution([str(_season_year(unit, step, anchor))], YEAR)


def _season_year(season: str, step: int, anchor: date) -> int:
    first, last = words()["seasons"][season]
    if step < 0:                     # the latest one already over
        return anchor.year if last < anchor.month else anchor.year - 1
    if step > 0:                     # the first one not yet begun
        return anchor.year if first > anchor.month else anchor.year + 1
    return anchor.year


def _ago(groups: dict[str, Any], anchor: date | None, future: bool | None) -> Resolution | None:
    count_text = " ".join(groups["count"].lower().split())
    count = int(count_text) if count_text.isdigit() else words()["numbers"].get(count_text)
    unit = groups["unit"].lower()
    if count is None:
        return None
    precision = DAY if unit in ("day", "week") else unit
    if anchor is None:
        return Resolution([], precision)
    if unit in ("day", "week"):
        return _day(anchor - timedelta(days=count * (7 if unit == "week" else 1)))
    if unit == "month":
        index = anchor.year * 12 + anchor.month - 1 - count
        return Resolution([f"{index // 12:04d}-{index % 12 + 1:02d}"], MONTH)
    return Resolution([f"{anchor.year - count:04d}"], YEAR)


def _year(groups: dict[str, Any], anchor: date | None, future: bool | None) -> Resolution:
    return Resolution([f"{int(groups['year']):04d}"], YEAR)


def _sameday(groups: dict[str, Any], anchor: date | None, future: bool | None) -> Resolution:
    return Resolution([], DAY)      # filled from the previous day-precision expression


def _day(value: date) -> Resolution:
    return Resolution([value.isoformat()], DAY)


_HANDLERS = {
    "iso": _iso, "date_mdy": _date, "date_dmy": _date, "months": _months, "weekday": _weekday,
    "deictic": _deictic, "relunit": _relunit, "ago": _ago, "year": _year, "sameday": _sameday,
}


# ---------------------------------------------------------------- absolute dates via dateparser

_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.]\d{1,2}[/.]\d{2,4}\b")
_PERIODS = {"day": DAY, "month": MONTH, "year": YEAR}


def looks_absolute(text: str) -> bool:
    """Worth handing to dateparser: a numeric date, or a year next to a month name (without
    a year dateparser would assume the current one, not the article's)."""
    if _NUMERIC_DATE.search(text):
        return True
    return bool(re.search(r"\b\d{4}\b", text)) and any(
        word.lower().rstrip(".") in month_numbers() for word in re.findall(r"[A-Za-z]+\.?", text))


@lru_cache(maxsize=1)
def _date_parser() -> Any:
    from dateparser.date import DateDataParser  # imported late: it takes a while to load

    return DateDataParser(languages=["en"], settings={"PREFER_DATES_FROM": "past"})


@lru_cache(maxsize=4096)
def parse_absolute(text: str) -> Resolution | None:
    """An absolute date in a format the patterns above do not read, or None."""
    try:
        data = _date_parser().get_date_data(text)
    except Exception:  # noqa: BLE001  (dateparser on odd input must not stop the document)
        return None
    if data is None or data.date_obj is None or data.period not in _PERIODS:
        return None
    when = data.date_obj.date()
    precision = _PERIODS[data.period]
    value = {DAY: when.isoformat(), MONTH: when.isoformat()[:7], YEAR: when.isoformat()[:4]}[precision]
    return Resolution([value], precision)


def parse_anchor(value: Any) -> date | None:
    """The anchor as a date: an ISO date or datetime string (or a date), else None."""
    if isinstance(value, date):
        return value
    if not value:
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None
