"""The Doc extension attributes Dateline's components read and write.

spaCy's way: a component adds what it finds to the ``Doc`` (``doc._.quotes``) instead of
returning side data. Values are the typed records of ``dateline.model``.

Set before the pipeline runs (by ``dateline.pipeline``):
  ``doc._.anchor_date``  ISO date relative expressions resolve against, or None
  ``doc._.dateline``     the place named in the article's dateline, or None
Filled by the components:
  ``doc._.actors``    dict[str, Actor]        dateline_actors
  ``doc._.mentions``  list[Mention]           dateline_actors (names), dateline_coref (pronouns, descriptions)
  ``doc._.times``     list[TimeExpression]    dateline_timex
  ``doc._.places``    list[Place]             dateline_geo
  ``doc._.quotes``    list[Quote]             dateline_quotes
  ``doc._.events``    list[Event]             dateline_events
"""
from __future__ import annotations

from spacy.tokens import Doc

DOC_ATTRIBUTES = ("anchor_date", "dateline", "actors", "mentions", "times", "places", "quotes", "events")


def register_extensions() -> None:
    for name in DOC_ATTRIBUTES:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
