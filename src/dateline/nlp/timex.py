"""Time expressions resolved against the article's anchor date. (placeholder: filled in by its issue)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("dateline_timex", default_config={})
def make_component(nlp: Language, name: str) -> "Component":
    return Component()


class Component:
    def __call__(self, doc: Doc) -> Doc:
        doc._.times = []
        return doc
