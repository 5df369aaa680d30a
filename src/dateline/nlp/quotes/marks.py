"""Quotation marks -> quoted stretches of text, robust to unbalanced and mixed marks.

Written by hand because the usual approach (pair the marks in order, stop when they do
not balance) loses whole articles: news text mixes straight and curly marks, uses a
closing glyph to open, leaves a paragraph's quote open when it continues in the next
paragraph, and sometimes simply forgets a mark. Here each mark's role comes from its
context (a mark after a space and before a word opens, whatever its glyph), and an
unbalanced quote is closed at the end of its paragraph, so it can never swallow the
rest of the article. One pass over the characters.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_MARKS = frozenset('"\u201c\u201d\u201e\u201f\u00ab\u00bb')
# Two apostrophes stand for a double mark in some wire and archive text (''Yes,'' he said).
TWO_APOSTROPHES = "''"
MARK_TOKENS = DOUBLE_MARKS | {TWO_APOSTROPHES, "``"}
OPENING_GLYPHS = frozenset("\u201c\u201e\u201f\u00ab")
CLOSING_GLYPHS = frozenset("\u201d\u00bb")
# Characters after which a mark can open a quote, and before which one can close it.
_OPEN_AFTER = frozenset("([{\u2014\u2013\u2015-/:") | DOUBLE_MARKS | frozenset("\u2018'")
_CLOSE_BEFORE = frozenset(".,;:!?)]}\u2014\u2013\u2015-\u2026") | DOUBLE_MARKS | frozenset("\u2019'")
# "WALLACE: ..." at the start of a paragraph: a new turn of a transcript, not the
# continuation of the previous paragraph's quote.
TRANSCRIPT_TURN = re.compile(r"[A-Z][A-Z.'\- ]{1,30}:\s")
OPEN, CLOSE = 1, 2
_MARK_STARTS = frozenset("'") | DOUBLE_MARKS


@dataclass
class QuotedSpan:
    """Characters between a quote's marks: ``text[start:end]`` (marks excluded)."""

    start: int
    end: int
    closed: bool = True          # False when no closing mark was found (closed at a paragraph end)
    paragraphs: int = 1          # > 1 when the quote runs on over paragraphs


def mark_width(text: str, i: int) -> int:
    """1 or 2 when a double quotation mark starts at ``i`` (2 for two apostrophes), else 0."""
    if text[i] in DOUBLE_MARKS:
        return 1
    if text.startswith(TWO_APOSTROPHES, i) and not text.startswith(TWO_APOSTROPHES, i + 1) and (i == 0 or text[i - 1] != "'"):
        return 2
    return 0


def mark_role(text: str, i: int, is_open: bool, width: int = 1) -> int:
    """Whether the mark at ``i`` opens or closes a quote, judged from its neighbours."""
    left = text[i - 1] if i > 0 else "\n"
    right = text[i + width] if i + width < len(text) else "\n"
    can_open = (left.isspace() or left in _OPEN_AFTER) and not right.isspace()
    can_close = (right.isspace() or right in _CLOSE_BEFORE) and not left.isspace()
    if can_open != can_close:
        return OPEN if can_open else CLOSE
    if text[i] in OPENING_GLYPHS:
        return OPEN
    if text[i] in CLOSING_GLYPHS:
        return CLOSE
    return CLOSE if is_open else OPEN


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line; a line break ends a paragraph for quoting."""
    bounds, start = [], 0
    for match in re.finditer(r"\n", text):
        if text[start : match.start()].strip():
            bounds.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        bounds.append((start, len(text)))
    return bounds


def _family(text: str, i: int) -> str:
    """Straight marks and curly ones nest inside each other: an article quoting a passage
    with straight marks keeps the passage's own curly quotations inside it."""
    return "straight" if text[i] in "\"'" else "curly"


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    spans: list[QuotedSpan] = []
    pending: QuotedSpan | None = None       # a quote left open at the previous paragraph's end
    pending_family = ""
    for par_start, par_end in paragraph_bounds(text):
        first = par_start
        while first < par_end and text[first].isspace():
            first += 1
        opened: int | None = None            # content start of the open outer quote
        family = ""
        nested = 0
        carried: QuotedSpan | None = None
        i = first
        if pending is not None:
            width = mark_width(text, first)
            continues = (
                width > 0
                and mark_role(text, first, False, width) == OPEN
                and _family(text, first) == pending_family
                and not TRANSCRIPT_TURN.match(text, first + width)
            )
            if continues:
                carried, opened, family = pending, first + width, pending_family
                carried.paragraphs += 1
                i = first + width
            else:
                pending.start, pending.end = _trim(text, pending.start, pending.end)
                spans.append(pending)
            pending = None
        while i < par_end:
            width = mark_width(text, i) if text[i] in _MARK_STARTS else 0
            if not width:
                i += 1
                continue
            role = mark_role(text, i, opened is not None, width)
            mark_family = _family(text, i)
            if role == OPEN:
                if opened is None:
                    opened, family = i + width, mark_family
                elif mark_family != family and nested == 0:
                    nested = 1                   # a quotation inside the quotation
                else:                            # the earlier quote never closed: end it here
                    _close(spans, text, carried, opened, i, closed=False)
                    carried, nested = None, 0
                    opened, family = i + width, mark_family
            elif opened is not None:
                if nested:
                    nested = 0
                else:
                    _close(spans, text, carried, opened, i, closed=True)
                    opened, carried = None, None
            i += width
        if opened is not None:
            if carried is None:
                carried = QuotedSpan(opened, par_end, closed=False)
            carried.end, carried.closed = par_end, False
            pending, pending_family = carried, family
    if pending is not None:
        pending.start, pending.end = _trim(text, pending.start, pending.end)
        spans.append(pending)
    return [s for s in spans if s.end > s.start]


def _close(spans: list[QuotedSpan], text: str, carried: QuotedSpan | None, content_start: int, at: int, closed: bool) -> None:
    if carried is not None:
        carried.end = at
        carried.closed = closed
        carried.start, carried.end = _trim(text, carried.start, carried.end)
        spans.append(carried)
        return
    start, end = _trim(text, content_start, at)
    spans.append(QuotedSpan(start, end, closed=closed))
