"""The PLOVER event coder. (placeholder: filled in by its issue)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("dateline_events", default_config={"min_confidence": 0.0})
def make_component(nlp: Language, name: str, min_confidence: float) -> "Component":
    return Component()


class Component:
    def __call__(self, doc: Doc) -> Doc:
        doc._.events = []
        return doc
