"""Word classes more than one stage reads: pronouns by class and case, month names.

The words are data (``data/lexicon/words.toml``, see its README); each stage selects
what it needs by meaning, so the events stage, the nlp components and extraction
never list the same words again with different members. Here at the top of the
package, not under ``dateline.nlp``, because extraction reads the months and
importing ``dateline.nlp`` loads spaCy.
"""
from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from dateline.settings import DATA_DIR

CLASSES = ("first", "second", "male", "female", "neuter", "plural", "relative")
CASES = ("subject", "object", "determiner", "independent", "reflexive")
NOT_REFLEXIVE = CASES[:4]

with open(DATA_DIR / "lexicon" / "words.toml", "rb") as _handle:
    _WORDS = tomllib.load(_handle)

# form -> (class, cases)
_PRONOUNS: dict[str, tuple[str, frozenset[str]]] = {
    form: (spec[0], frozenset(spec[1:])) for form, spec in _WORDS["pronouns"].items()}

MONTHS: tuple[str, ...] = tuple(_WORDS["calendar"]["months"])          # "january" ... "december"
MONTH_ABBREVIATIONS: dict[str, int] = dict(_WORDS["calendar"]["month_abbreviations"])  # "sept" -> 9


def pronouns(*classes: str, cases: Iterable[str] = CASES) -> frozenset[str]:
    """The pronouns of any of ``classes`` in any of ``cases`` (lower case).

    ``pronouns("male", "female")`` is every form of "he" and "she";
    ``pronouns("plural", "neuter", cases=("subject", "object"))`` is they, them, it."""
    unknown = set(classes) - set(CLASSES) or set(cases) - set(CASES)
    if unknown:
        raise ValueError(f"no pronoun class or case {sorted(unknown)}")
    wanted = set(cases)
    return frozenset(form for form, (cls, form_cases) in _PRONOUNS.items() if cls in classes and form_cases & wanted)


def pronoun_genders() -> dict[str, str]:
    """Every form of "he" -> "m", of "she" -> "f"."""
    return {form: "m" if cls == "male" else "f" for form, (cls, _) in _PRONOUNS.items() if cls in ("male", "female")}


def possessive_determiners() -> dict[str, str]:
    """The third-person possessives before a noun ("his office") -> what they stand for:
    ``person``, ``neuter`` or ``plural``."""
    return {form: "person" if cls in ("male", "female") else cls for form, (cls, cases) in _PRONOUNS.items()
            if "determiner" in cases and cls in ("male", "female", "neuter", "plural")}


_MONTH_NUMBERS = MappingProxyType({**{name: number for number, name in enumerate(MONTHS, start=1)},
                                   **MONTH_ABBREVIATIONS})


def month_numbers() -> Mapping[str, int]:
    """'january' -> 1, 'jan' -> 1, 'sept' -> 9 ... (lower case; one read-only table, as the
    time-expression resolver looks words up in it for every candidate)."""
    return _MONTH_NUMBERS
