"""The outlet of an HTML page: the site's own name, not a host fragment or a handle.

Pages name themselves in several places: ``og:site_name``, the JSON-LD publisher,
``application-name``, the suffix of ``<title>`` ("Headline - Sputnik International") and
the ``twitter:site`` handle. Some of them hold only a host fragment ("nj", "@politifact")
or a handle ("SputnikInt"); those are kept only when no place gives a real name.
"""
from __future__ import annotations

import re
from typing import Any

from lxml import etree

from dateline.extract import lines as L

_METAS = etree.XPath("//meta[@content][@property or @name]")
_KEYS = ("og:site_name", "application-name", "twitter:site")
_PUBLISHER = re.compile(r'"publisher"\s*:\s*\[?\s*\{[^{}]*?"name"\s*:\s*"(?P<name>[^"]{2,80})"')
_SEGMENTS = re.compile(r"\s+[|–—:-]\s+|\s*\|\s*")
_HANDLE = re.compile(r"^@|^[a-z0-9_.-]+$|^[A-Za-z]*[a-z][A-Z][A-Za-z]*$|^[\w-]+\.[a-z]{2,}$")  # "@x", "oregonlive", "SputnikInt"
_NOT_NAMES = re.compile(r"(?i)\b(copyright|all rights reserved|home|homepage|index)\b|^\W*\d{4}\W*$")
MAX_WORDS = 6


def choose_outlet(tree: Any, html: str, title_suffix: str | None, fallback: str | None) -> str | None:
    """The name most of the page's self-descriptions agree on ("U.S." in og:site_name loses
    to "Reuters" in the handle and the title); a real name before a handle or host; of
    spellings of one name, the one with its spaces ("CTV News" over "CTVNews")."""
    meta = _metas(tree)
    candidates = [meta.get("og:site_name"), _publisher(html), meta.get("application-name"), title_suffix,
                  fallback, meta.get("twitter:site")]
    # one vote per distinct spelling: trafilatura's site name often repeats og:site_name
    names = list(dict.fromkeys(name for raw in candidates if (name := _tidy(raw))))
    if not names:
        return None
    keys = [_key(name) for name in names]

    def rank(i: int) -> tuple[int, bool, int]:
        support = sum(1 for j, key in enumerate(keys) if j != i and _agree(keys[i], key))
        return support, not _HANDLE.search(names[i]), -i

    best = max(range(len(names)), key=rank)
    spellings = [names[i] for i in range(len(names)) if keys[i] == keys[best] and not _HANDLE.search(names[i])]
    return max(spellings, key=L.words) if spellings else names[best].lstrip("@")


def _key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.lower())


def _agree(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 3 and (a in b or b in a))


def _metas(tree: Any) -> dict[str, str]:
    """The first content of each meta tag we read, in one pass over the page's meta tags."""
    found: dict[str, str] = {}
    for element in _METAS(tree):
        key = element.get("property") or element.get("name") or ""
        if key in _KEYS and key not in found:
            found[key] = element.get("content", "")
    return found


def _publisher(html: str) -> str | None:
    if '"publisher"' not in html:  # most pages: no JSON-LD publisher, skip the regex
        return None
    match = _PUBLISHER.search(html)
    return match.group("name") if match else None


def _tidy(raw: str | None) -> str | None:
    """ "Autoracing | F1 | Indy | MotoGP" -> "Autoracing"; names too long or not names -> None."""
    text = " ".join((raw or "").split())
    if re.match(r"(?i)^https?://", text):  # a URL as the name: its host
        text = re.sub(r"(?i)^https?://(www\.)?", "", text).split("/")[0]
    if not text:
        return None
    text = _SEGMENTS.split(text)[0].strip()
    if not text or _NOT_NAMES.search(text) or L.words(text) > MAX_WORDS:
        return None
    return text
