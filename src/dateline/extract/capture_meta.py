"""What a text capture says about its article besides the text: the authors, outlet and
dates of its head (masthead date bar, byline zone) and the author boxes and footers after
the text. ``extract.text`` finds where those parts are; this module reads them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dateline.extract import lines as L
from dateline.extract.headline import is_metadata, is_stamp
from dateline.extract.rules import load_rules


@dataclass
class Found:
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    published: str | None = None
    updated: str | None = None
    page_date: str | None = None
    related: list[str] = field(default_factory=list)
    bios: dict[str, str] = field(default_factory=dict)
    bio_outlet: str | None = None
    copyright_owner: str | None = None
    agency: str | None = None

    def add_authors(self, names: list[str]) -> None:
        for name in names:
            if name.lower() not in {n.lower() for n in self.authors}:
                self.authors.append(name)

    def add_bio(self, bio: L.Bio) -> None:
        self.bios.setdefault(bio.name, bio.text)
        self.bio_outlet = self.bio_outlet or bio.outlet


def read_masthead(lines: list[str], found: Found) -> None:
    for line in lines:
        kind = L.date_kind(line)
        if kind and found.page_date is None:
            note_date(kind, found, plain_is_published=False)


def read_byline_zone(lines: list[str], found: Found, common_words: frozenset[str] = frozenset()) -> None:
    """Between headline and lead: bylines ("By …", a bare name, a wire credit) and the
    stated publication and update dates, whatever else shares their lines. A bare name is
    read only when no line says "By …", and not when its last word stands in lower case
    elsewhere on the page (COMMON_WORDS): "More Options", "Tech Industry", "View Photos"
    are labels, while a surname is capitalised wherever it appears."""
    stated = any(L.parse_byline(line) for line in lines)
    for line in lines:
        bare = None if stated else _bare_byline(line)
        if bare and bare.authors[-1].split()[-1].lower() in common_words:
            bare = None
        byline = L.parse_byline(line, loose=True) or L.parse_credit(line) or bare
        if byline:
            found.add_authors(byline.authors)
            found.outlet = found.outlet or byline.outlet
            found.agency = found.agency or byline.agency
            found.published = found.published or byline.date
            if byline.date:
                continue
        kind = L.date_kind(line)
        if kind:
            note_date(kind, found, plain_is_published=True)
            continue
        published, updated = L.stamp_dates(line) if is_stamp(line) else (None, None)
        found.published = found.published or published
        found.updated = found.updated or updated


def _bare_byline(line: str) -> L.Byline | None:
    """ "Jane Doe" alone on a line of the byline zone, or with her outlet or role after a
    comma or bar ("Jane Doe, Tidewater Courier", "Jane Doe | Staff Writer")."""
    line = re.sub(r"\s*\|?\s*@\w{2,}$", "", line.strip())  # "Jane Doe @janedoe": the handle is no part of the name
    parts = re.split(r"\s*[,|]\s*", line, maxsplit=1)
    name, rest = parts[0], parts[1] if len(parts) > 1 else ""
    if not 2 <= len(name.split()) <= 3 or not L.looks_like_name(name) or L.ends_sentence(line) or is_metadata(name):
        return None
    if not rest:
        return L.Byline(authors=[L.tidy_name(name)])
    if L.words(rest) > 6 or any(ch.isdigit() for ch in rest) or not rest[:1].isupper():
        return None
    role = rest.lower() in load_rules().roles or rest.lower().split()[-1] in load_rules().roles
    return L.Byline(authors=[L.tidy_name(name)], outlet=None if role else rest.strip(" ."))


def note_date(kind: tuple[str, str], found: Found, plain_is_published: bool) -> None:
    label, iso = kind
    if label == "updated":
        found.updated = found.updated or iso
    elif label == "published" or plain_is_published:
        found.published = found.published or iso
    else:
        found.page_date = found.page_date or iso


def move_trailing_bios(body: list[str], found: Found) -> None:
    """An author bio closing the text ("Jane Doe is a reporter at ...") is not article text."""
    while len(body) > 1 and (bios := L.parse_bios(body[-1])):
        body.pop()
        for bio in bios:
            found.add_bio(bio)
            if not found.authors:
                found.add_authors([bio.name])


def read_tail(lines: list[str], found: Found) -> None:
    """Author boxes and footers after the body: bios, author names, the outlet."""
    box_names: list[str] = []
    for line in lines:
        if bios := L.parse_bios(line):
            for bio in bios:
                found.add_bio(bio)
                box_names.append(bio.name)
        elif glued := L.name_with_url(line):
            box_names.append(glued[0])
        elif owner := L.copyright_owner(line):
            found.copyright_owner = found.copyright_owner or owner
    if not found.authors:
        found.add_authors(box_names)
