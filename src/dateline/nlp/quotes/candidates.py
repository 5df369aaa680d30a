"""An attribution found in a document before its speaker is resolved, and small helpers
shared by the quoted and the reported passes."""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token


@dataclass
class Candidate:
    """An attribution found but not yet tied to a resolved speaker."""

    start: int
    end: int
    kind: str
    cue: str | None = None
    speaker_token: Token | None = None
    speaker_chars: tuple[int, int] | None = None
    follows_previous: bool = False       # no source of its own: the quote before it goes on
    joins_previous: bool = False         # ... and is the rest of its sentence: one quote with it
    pieces: list[tuple[int, int]] = field(default_factory=list)  # content when not one stretch


def trimmed(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def object_of_to(according: Token) -> Token | None:
    to = according.doc[according.i + 1]
    for child in to.children:
        if child.dep_ == "pobj":
            return child
    for token in according.doc[according.i + 2 : according.i + 8]:
        if token.pos_ in ("PROPN", "NOUN"):
            return token
    return None
