"""The dateline of a lead paragraph: "Istanbul (TDI): ...", "SHARM EL-SHEIKH, Egypt — ...",
"WASHINGTON (AP) — ...", "HEMPSTEAD, N.Y., Sept. 26 (UPI) — ...", "(Reuters) - ...".

Returns the place (the city, without region or country, in title case when the page
shouts it) and the agency in parentheses. The dateline stays in the body text: it is
part of the article as published and later stages read it there.
"""
from __future__ import annotations

import re

from dateline.lexicon import MONTHS

_PLACE_WORD = r"[A-ZÀ-Þ][\w'’.À-ÿ-]*"
_LINKER = r"(?:el|al|de|du|la|le|es|da|do|di|of|upon|on|the|d'|'s)"
_PLACE = rf"{_PLACE_WORD}(?:[ -](?:{_PLACE_WORD}|{_LINKER}(?=[ -][A-ZÀ-Þ]))){{0,3}}"
_REGION = r"(?:,\s*[A-Z][\w.'’ -]{1,25}?){0,2}"
_MONTHS = rf"(?:{'|'.join(name[:3].title() for name in MONTHS)})[a-z]*\.?"  # "Sept", "Nov.", "March"
_WHEN = rf"(?:,?\s*{_MONTHS}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"
_AGENCY = r"\((?P<agency>[A-Za-z][\w.&/' -]{1,30})\)"
_SEP = r"\s*(?P<sep>:|--|[—–―-])\s*"
_LINKER_WORD = re.compile(r"el|al|de|du|la|le|es|da|do|di|of|upon|on|the")
_DATELINE = re.compile(rf"^(?P<place>{_PLACE}){_REGION}{_WHEN}\s*(?:{_AGENCY})?{_SEP}(?=\S)")
# "SEVILLE, March 12. The assembly ..." / "ROME, Spain, Nov. 3 (AP). ...": a shouted place and a date, then a full stop.
_DATED = re.compile(rf"^(?P<place>{_PLACE}){_REGION},?\s*{_MONTHS}\s+\d{{1,2}}(?:,\s*\d{{4}})?\s*(?:{_AGENCY})?\s*\.\s+(?=[A-Z“\"])")
_AGENCY_ONLY = re.compile(rf"^{_AGENCY}{_SEP}(?=\S)")
# "(CNN) President ..." / "(CNN)President ...": an agency credit opening the lead with no dash.
_AGENCY_LEAD = re.compile(r"^\((?P<agency>[A-Z][A-Za-z.&]{1,14})\)\s*(?=[A-Z“\"])")
# Words that open a sentence with a dash or colon but name no place.
_NOT_PLACES = frozenset({"update", "updated", "breaking", "exclusive", "analysis", "opinion", "editorial", "note",
                         "editor's note", "watch", "live", "photos", "video", "comment", "correction", "meanwhile",
                         "first", "also", "but", "and", "so", "yes", "no", "q", "a"})


def parse_dateline(paragraph: str) -> tuple[str | None, str | None]:
    """(place, agency) named at the start of PARAGRAPH, each None when absent."""
    text = paragraph.strip()
    only_agency = _AGENCY_ONLY.match(text) or _AGENCY_LEAD.match(text)
    if only_agency:
        return None, only_agency.group("agency").strip()
    match = _DATELINE.match(text)
    if not match:
        dated = _DATED.match(text)
        place = dated.group("place").strip() if dated else ""
        if dated and place.upper() == place and place.lower() not in _NOT_PLACES:
            return _tidy(place), (dated.group("agency") or "").strip() or None
        return None, None
    place, agency = match.group("place").strip(), match.group("agency")
    if place.lower() in _NOT_PLACES or not _plausible(place, agency, match.group("sep")):
        return None, None
    return _tidy(place), agency.strip() if agency else None


def _plausible(place: str, agency: str | None, separator: str) -> bool:
    """Shouted places ("WASHINGTON") and places before an agency are datelines; a mixed-case
    run of words before a dash is one only when short and followed by a dash, not a colon."""
    letters = [c for c in place if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 1:
        return True
    if agency:
        return True
    return separator in "—–―" and len(place.split()) <= 3


def _tidy(place: str) -> str:
    if place.upper() != place:
        return place
    def word(match: re.Match[str]) -> str:
        text = match.group(0)
        return text if match.start() and _LINKER_WORD.fullmatch(text) else text.capitalize()

    return re.sub(r"[A-Za-zÀ-ÿ]+", word, place.lower())
