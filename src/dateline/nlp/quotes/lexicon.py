"""The cue words, read once from ``dateline/data/quotes``."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from dateline.config import DATA_DIR


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, str]            # lemma -> class (speech | thought | evidence | naming)
    nouns: frozenset[str]
    adjectives: frozenset[str] = frozenset()  # "adamant that ...", "made clear that ..."

    def verb_class(self, lemma: str) -> str | None:
        return self.verbs.get(lemma.lower())


def _rows(name: str) -> list[list[str]]:
    text = (DATA_DIR / "quotes" / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    verbs = {row[0].strip(): (row[1].strip() if len(row) > 1 else "speech") for row in _rows("cue_verbs.tsv")}
    nouns = frozenset(row[0].strip() for row in _rows("cue_nouns.tsv"))
    adjectives = frozenset(row[0].strip() for row in _rows("cue_adjectives.tsv"))
    return Lexicon(verbs=verbs, nouns=nouns, adjectives=adjectives)


@lru_cache(maxsize=1)
def role_nouns() -> frozenset[str]:
    return frozenset(row[0].strip() for row in _rows("role_nouns.txt"))


@lru_cache(maxsize=1)
def stance_forms() -> dict[str, str]:
    """Cue word as written -> stance class (derived from CAMEO by scripts/derive_quote_stance.py)."""
    return {row[0].strip(): row[1].strip() for row in _rows("stance_verbs.tsv") if len(row) > 1}


def stance_of(cue: str | None) -> str | None:
    """The stance a cue gives its quote: "rejected" -> rejection; "said" -> None."""
    if not cue:
        return None
    forms = stance_forms()
    words = cue.lower().split()
    return next((forms[w] for w in words if w in forms), None)
