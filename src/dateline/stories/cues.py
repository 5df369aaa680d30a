"""Data files of the stories stage (``data/stories/*.toml``), loaded once and compiled.

Cue syntax (issues.toml, stances.toml): case-insensitive whole words; a trailing ``*``
matches any word ending; a cue starting with ``re:`` is a regular expression.
Users extend the issue list with their own TOML file: ``Settings.stories.issues_file``
(``[stories] issues_file`` or ``DATELINE_ISSUES``, resolved by ``dateline.settings``),
which the store hands the stories stage and the stage passes here as ``extra_file``;
its tables are merged over the packaged ones. Nothing here reads the environment.

``thresholds()`` are the stage's calibrated constants (data, like the events stage's
weights): changing one changes derived tables, so they are not per-run settings.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from dateline.config import DATA_DIR

STORIES_DATA = DATA_DIR / "stories"


def _read(path: Path) -> dict[str, Any]:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=1)
def thresholds() -> dict[str, Any]:
    return _read(STORIES_DATA / "thresholds.toml")


def cue_pattern(cues: list[str]) -> re.Pattern[str] | None:
    """One regex matching any of ``cues`` (syntax in the module docstring)."""
    parts = []
    for cue in cues:
        if cue.startswith("re:"):
            parts.append(f"(?:{cue[3:]})")
            continue
        words = [re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "") for w in cue.split()]
        parts.append(r"\b" + r"\s+".join(words) + (r"" if cue.endswith("*") else r"\b"))
    if not parts:
        return None
    # Case-insensitive except inside regex cues that ask for capitals ("re:" cues are
    # matched case-sensitively by their own group below).
    return re.compile("|".join(parts), re.IGNORECASE)


@dataclass(frozen=True)
class Issue:
    label: str
    title: str
    pattern: re.Pattern[str]


@lru_cache(maxsize=4)
def issues(extra_file: str | None = None) -> tuple[Issue, ...]:
    """The issue labels with their compiled cues: packaged, then the user's file merged over."""
    table: dict[str, dict[str, Any]] = {k: dict(v) for k, v in _read(STORIES_DATA / "issues.toml")["issues"].items()}
    if extra_file:
        for label, spec in (_read(Path(extra_file)).get("issues") or {}).items():
            merged = table.setdefault(label, {"title": label, "cues": []})
            merged["title"] = spec.get("title", merged.get("title", label))
            merged["cues"] = list(merged.get("cues", [])) + list(spec.get("cues", []))
    found = []
    for label, spec in table.items():
        pattern = _issue_pattern(spec.get("cues") or [])
        if pattern is not None:
            found.append(Issue(label, spec.get("title", label), pattern))
    return tuple(found)


def _issue_pattern(cues: list[str]) -> re.Pattern[str] | None:
    # Regex cues keep their own case (they look for capitalised names); word cues ignore it.
    words = [c for c in cues if not c.startswith("re:")]
    regexes = [c[3:] for c in cues if c.startswith("re:")]
    parts = []
    word_pattern = cue_pattern(words)
    if word_pattern is not None:
        parts.append(f"(?i:{word_pattern.pattern})")
    parts.extend(f"(?:{r})" for r in regexes)
    return re.compile("|".join(parts)) if parts else None


def issues_in(text: str, extra_file: str | None = None) -> list[str]:
    """Issue labels whose cues occur in ``text``, in the data file's order."""
    return [issue.label for issue in issues(extra_file) if issue.pattern.search(text)]


def issue_titles(extra_file: str | None = None) -> dict[str, str]:
    return {issue.label: issue.title for issue in issues(extra_file)}


@lru_cache(maxsize=1)
def stances() -> dict[str, Any]:
    """Stance data: event type -> stance, compiled quote cues per stance, precondition words
    (``requires``: the issue after them is asked for first; ``conditional``: it comes later)."""
    data = _read(STORIES_DATA / "stances.toml")
    quote_cues = {stance: cue_pattern(cues) for stance, cues in data["quote_cues"].items()}
    return {
        "event_types": dict(data["event_types"]),
        "quote_cues": {k: v for k, v in quote_cues.items() if v is not None},
        "requires": [c.lower() for c in data["precondition"]["requires"]],
        "conditional": [c.lower() for c in data["precondition"]["conditional"]],
    }
