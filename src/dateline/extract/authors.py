"""Clean author strings, wherever the extractor found them (meta tags, JSON-LD, bylines).

"Analysis by Jane Doe" -> "Jane Doe"; "CNN Editor-at-large" and "AP Sports Writer" are
roles, not authors; "JANE DOE Associated Press" is an author and an agency;
"Jane Doe Florida Today" loses the outlet; a handle ("jdoe-r") or a phrase cut from
running text ("The Russian") is no author. Role words, agencies and credit prefixes are
the lists of ``data/extract/clutter.toml`` [byline].
"""
from __future__ import annotations

import re

from dateline.extract import lines as L
from dateline.extract.rules import load_rules

_SHOUTED_OUTLET = re.compile(r"^(?P<name>(?:[A-Z][a-z][\w'’.-]*\s+){1,3}[A-Z][a-z][\w'’.-]*)\s+[A-Z]{2,}(?:\s+[A-Z]{2,})*$")


def clean_authors(names: list[str], outlet: str | None) -> tuple[list[str], str | None]:
    """(the authors, an agency credited beside them or None)."""
    authors: list[str] = []
    agency: str | None = None
    for raw in names:
        names_found, found = clean_author(raw, outlet)
        agency = agency or found
        authors += [name for name in names_found if name.lower() not in {a.lower() for a in authors}]
    return authors, agency


def clean_author(raw: str, outlet: str | None) -> tuple[list[str], str | None]:
    """(the clean names in RAW, maybe none; an agency named with them or None)."""
    rules = load_rules()
    text = rules.credit_prefix.sub("", " ".join(raw.split())).strip(" ,;|")
    if not text:
        return [], None
    if rules.agency.match(text):
        return [text], None  # a wire story credited to the agency alone: that is its byline
    if credit := L.parse_credit(text):
        return credit.authors, credit.agency
    text = _without_role(_without_outlet(text, outlet))
    if not text or " " not in text or re.match(r"^The\s+\S+$", text):
        return [], None  # a role alone, a handle or user name, "The Russian" cut from a sentence
    return [L.tidy_name(text)], None


def _without_role(text: str) -> str | None:
    """ "Jane Doe, Staff Writer" -> "Jane Doe"; "CNN Editor-at-large", "Staff" -> None."""
    rules = load_rules()
    words = text.split()
    for i in range(len(words)):
        if " ".join(words[i:]).lower().strip(" .") in rules.roles:
            head = " ".join(words[:i]).strip(" ,|-")
            if not head or rules.agency.match(head) or head.isupper() and " " not in head:
                return None  # the role of an outlet's staff, no name
            return head
    return text


def _without_outlet(text: str, outlet: str | None) -> str:
    """ "Jane Doe Florida Today" (the page's outlet), "Jane Doe USA TODAY" (a shouted outlet) -> "Jane Doe"."""
    if outlet and text.lower().endswith(" " + outlet.lower()) and L.words(text) > L.words(outlet):
        return text[: -len(outlet)].strip(" ,|-")
    shouted = _SHOUTED_OUTLET.match(text)
    return shouted.group("name") if shouted else text
