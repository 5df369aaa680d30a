"""Resolving a time expression the grammar found to dates: ``resolve(candidate, anchor,
future)`` -> ``Resolution(values, precision)``, relative expressions counted from the
article's anchor date; dateparser only for absolute dates in formats the grammar does
not read (``parse_absolute``); ``parse_anchor`` reads the anchor itself.

Written by hand for the reasons ``timex.grammar`` gives: the direction (past by
default, forward when the sentence is about the future) and precision are ours.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from dateline.nlp.timex.grammar import (
    DAY,
    MONTH,
    WEEK,
    WEEKEND,
    YEAR,
    Candidate,
    Resolution,
    month_names,
    month_numbers,
    words,
)


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
    months = [numbers[name.lower().rstrip(".")] for name in month_names(groups["months"])]
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
    """An absolute date in a format the patterns of ``timex.grammar`` do not read, or None."""
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
