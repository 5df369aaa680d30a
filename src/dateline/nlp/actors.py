"""Actors: every mention of a person, organisation, country or institution resolved to a
canonical actor (placeholder: filled in by its issue)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from dateline.model import Actor


@Language.factory("dateline_actors", default_config={"user_actors": ""})
def make_component(nlp: Language, name: str, user_actors: str) -> "Component":
    return Component()


class Component:
    def __call__(self, doc: Doc) -> Doc:
        doc._.actors = {}
        doc._.mentions = []
        return doc


def actor_at(doc: Doc, start_char: int, end_char: int) -> Actor | None:
    """The actor named by the mention that overlaps [start_char, end_char) the most.

    Later components (quotes, events) look up speakers, sources and targets this way.
    """
    best, best_overlap = None, 0
    for mention in doc._.mentions or []:
        overlap = min(end_char, mention.end) - max(start_char, mention.start)
        if overlap > best_overlap:
            best, best_overlap = mention.actor, overlap
    return (doc._.actors or {}).get(best) if best else None
