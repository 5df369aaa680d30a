"""The language of an article, and whether the nlp stage can code it.

Detected with py3langid (a maintained langid.py; its model ships inside the wheel) on the
start of the body. Uncertain or too-short text stays unknown (None) rather than guessed:
an unknown language is analysed as usual, a confidently detected one the nlp stage does
not code gets a note on the article (and is not analysed), so it never yields nothing
silently. Settings in ``data/extract/language.toml``.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from dateline.model import Article


@lru_cache(maxsize=1)
def _settings() -> dict[str, Any]:
    return tomllib.loads(resources.files("dateline.data").joinpath("extract/language.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of TEXT, or None when there is too little text or the guess is unsure."""
    limits = _settings()["thresholds"]
    sample = text[: limits["sample_chars"]]
    if sum(ch.isalpha() for ch in sample) < limits["min_letters"]:
        return None
    code, probability = _identifier().classify(sample)
    return code if probability >= limits["min_confidence"] else None


def coded_languages() -> frozenset[str]:
    return frozenset(_settings()["coded"])


def is_coded(article: Article) -> bool:
    """Can the nlp stage analyse this article? Unknown languages are given the benefit of the doubt."""
    return article.language is None or article.language in coded_languages()


def add_language(article: Article) -> None:
    """Set ``article.language`` (unless the input stated it) and note a language we do not code."""
    article.language = article.language or detect_language(article.text)
    if not is_coded(article):
        article.notes.append(uncoded_note(article.language or ""))


def uncoded_note(language: str) -> str:
    coded = ", ".join(sorted(coded_languages()))
    return (f"language '{language}': not analysed (actors, quotes and events are coded in {coded} only); "
            "the article itself is extracted")
