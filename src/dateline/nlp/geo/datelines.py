"""The article's dateline as a place: the extractor's, else a wire dateline anywhere in the
lead ("By Nate Raymond. BOSTON (Reuters) -"), put first among the places."""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc

from dateline.model import Place
from dateline.nlp.geo.gazetteer import Entry
from dateline.nlp.geo.lookup import dateline_text, lookup, place_of



# A wire dateline anywhere in the lead: a place in capitals, an optional qualifier after a
# comma, then the agency in brackets or a dash, at the start of the text or of a sentence
# or line ("By Nate Raymond. BOSTON (Reuters) -", "ATLANTA (AP) An aide", "GAZA CITY —").
LEAD_DATELINE = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))(?P<place>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3})"
    r"(?P<qualifier>,[^()\n—–]{1,40}?)?\s*(?:\([A-Z][\w.&' /-]{0,30}\)|—|–|--)")
LEAD_CHARS = 400


def _lead_dateline(doc: Doc) -> tuple[str, int] | None:
    """(dateline text, offset of its place) found in the lead, when the extractor found none."""
    for match in LEAD_DATELINE.finditer(doc.text[:LEAD_CHARS]):
        name = match.group("place")
        if sum(ch.isalpha() for ch in name) >= 3 and lookup(name):
            qualifier = match.group("qualifier") or ""
            return name + (qualifier if lookup(name + qualifier) else ""), match.start("place")
    return None


def with_dateline(doc: Doc, mentions: list[Place]) -> list[Place]:
    text = dateline_text(doc._.dateline)
    if not text and (lead := _lead_dateline(doc)):
        text, offset = lead
        return _dateline_at(mentions, lookup(text), offset, len(text.partition(",")[0]))
    if not text:
        return mentions
    entry = lookup(text)
    if entry is None:
        return mentions
    place_name = text.partition(",")[0].strip()
    opening = doc.text[:len(place_name) + 40].lower()
    if opening.lstrip().startswith(place_name.lower()):
        return _dateline_at(mentions, entry, doc.text.lower().index(place_name.lower()), len(place_name))
    return [place_of(entry, role="dateline")] + mentions


def _dateline_at(mentions: list[Place], entry: Entry, start: int, length: int) -> list[Place]:
    """The dateline place first, the mention at its offsets (if any) becoming it."""
    for index, mention in enumerate(mentions):
        if mention.start == start:
            mentions[index] = replace(mention, role="dateline")
            return [mentions[index]] + mentions[:index] + mentions[index + 1:]
    return [place_of(entry, start=start, end=start + length, role="dateline")] + mentions
