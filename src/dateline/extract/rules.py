"""The line rules of ``data/extract/clutter.toml``, compiled once per process."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Rules:
    thresholds: dict[str, int]
    drop: AnyOf
    related_prefix: re.Pattern[str]
    related_header: re.Pattern[str]
    end: AnyOf
    byline_prefix: re.Pattern[str]
    roles: frozenset[str]
    credit: re.Pattern[str]
    agency: re.Pattern[str]
    credit_prefix: re.Pattern[str]
    bio: re.Pattern[str]


class AnyOf:
    """Many line patterns as two regexes: the ones anchored at the line start are tried
    with ``match`` (one attempt per line, not one per character, which made the joined
    alternation the slowest part of the HTML post-filter) and the rest with ``search``."""

    def __init__(self, patterns: list[str]):
        anchored = [p[1:] for p in patterns if p.startswith("^")]
        floating = [p for p in patterns if not p.startswith("^")]
        self._anchored = re.compile("|".join(f"(?:{p})" for p in anchored), re.IGNORECASE) if anchored else None
        self._floating = re.compile("|".join(f"(?:{p})" for p in floating), re.IGNORECASE) if floating else None

    def search(self, text: str) -> re.Match[str] | None:
        found = self._anchored.match(text) if self._anchored else None
        if found or self._floating is None or len(text) > self.FLOATING_MAX_CHARS:
            return found
        return self._floating.search(text)

    # Clutter found mid-line (cookie banners, photo credits) sits in short lines; searching
    # every long paragraph for it was most of the text extractor's time.
    FLOATING_MAX_CHARS = 400


def _any(patterns: list[str]) -> AnyOf:
    return AnyOf(patterns)


def _words(items: list[str]) -> str:
    return "|".join(re.escape(i).replace(r"\ ", r"\s+") for i in sorted(items, key=len, reverse=True))


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    data: dict[str, Any] = tomllib.loads(
        resources.files("dateline.data").joinpath("extract/clutter.toml").read_text(encoding="utf-8"))
    name = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|der|da|al|el|bin|ibn)){1,4}"
    verbs, jobs = _words(data["bio"]["verbs"]), _words(data["bio"]["jobs"])
    # "<Name> is an Associate Editor at ..." or "<Name> covers diplomacy for <Outlet>".
    bio = (rf"^(?P<name>{name})(?:\s*\([^)]*\))?\s+(?:{verbs})\s+"
           rf"(?P<rest>(?:.{{0,200}}?\b(?i:{jobs})s?\b|(?i:[a-z ,&'-]){{2,80}}\s(?:for|at|with)\s+[A-Z]).*)$")
    return Rules(
        thresholds=dict(data["thresholds"]),
        drop=_any(data["drop"]["patterns"]),
        related_prefix=re.compile(rf"^(?:{_words(data['related']['prefixes'])})\s*(?:[:：|»›>–—-]+)\s*(?P<headline>\S.*)$", re.IGNORECASE),
        related_header=re.compile(rf"^(?:{_words(data['related']['headers'])})\s*[:：]?$", re.IGNORECASE),
        end=_any(data["end"]["patterns"]),
        byline_prefix=re.compile(rf"^(?:{_words(data['byline']['prefixes'])})\s*[:：]?\s+(?P<rest>\S.*)$", re.IGNORECASE),
        roles=frozenset(r.lower() for r in data["byline"]["roles"]),
        # "JANE DOE Associated Press", "Jane Doe and John Roe, AP", "Jane Doe, Ap Sports Writer".
        credit=re.compile(rf"^(?P<names>.+?)[,\s]+(?P<agency>{_words(data['byline']['agencies'])})(?P<role>\s+[\w ]{{2,40}})?$",
                          re.IGNORECASE),
        agency=re.compile(rf"^(?:{_words(data['byline']['agencies'])})$", re.IGNORECASE),
        credit_prefix=re.compile(rf"^(?:{_words(data['byline']['credit_prefixes'])})\s*:?\s+", re.IGNORECASE),
        bio=re.compile(bio),
    )
