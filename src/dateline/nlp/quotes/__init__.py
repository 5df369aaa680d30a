"""Quotes and attribution: who said what, with the cue that says so.

``dateline_quotes`` runs after ``dateline_actors`` and sets ``doc._.quotes`` to a list
of ``dateline.model.Quote``: direct quotations, partial ones inside a sentence
(described as “bloody and costly”), and reported speech ("insisting that ...",
"according to AFP"), each with its speaker (the resolved actor and the words that
named it here), cue and character offsets into ``doc.text``.
"""
from __future__ import annotations

import logging

from spacy.language import Language
from spacy.tokens import Doc

from dateline.model import Quote
from dateline.nlp.quotes.finder import Finder
from dateline.nlp.quotes.marks import QuotedSpan, find_quoted_spans

log = logging.getLogger(__name__)

__all__ = ["Component", "QuotedSpan", "find_quoted_spans", "find_quotes"]


@Language.factory("dateline_quotes", default_config={"keep_orphans": True},
                  requires=["doc.sents", "token.dep", "token.pos", "doc._.actors", "doc._.mentions"],
                  assigns=["doc._.quotes"])
def make_component(nlp: Language, name: str, keep_orphans: bool = True) -> Component:
    return Component(keep_orphans=keep_orphans)


def find_quotes(doc: Doc, keep_orphans: bool = True) -> list[Quote]:
    """Every attribution in a parsed Doc (speakers resolved through the actors, if any)."""
    from dateline.nlp import actors

    actor_at = getattr(actors, "actor_at", None)
    return Finder(doc, actor_at=actor_at, keep_orphans=keep_orphans).run()


class Component:
    def __init__(self, keep_orphans: bool = True):
        self.keep_orphans = keep_orphans

    def __call__(self, doc: Doc) -> Doc:
        try:
            doc._.quotes = find_quotes(doc, self.keep_orphans)
        except Exception:  # one odd text must not cost the document its actors and events
            log.warning("quotes: skipped a document after an internal error", exc_info=True)
            doc._.quotes = []
        return doc
