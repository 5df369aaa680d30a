"""Coreference within a document, by rules over the parse: pronouns and definite
descriptions linked to the actor they stand for, for quotes and events alike.

The spaCy component ``dateline_coref`` runs after ``dateline_actors`` and adds to
``doc._.mentions`` (kept sorted by start, never overlapping a name mention):
  ``Mention(kind="pronoun")``      he/she/him/his/her, they/them/their, it/its
  ``Mention(kind="description")``  "the minister", "the company", "the country", "his office",
                                   "the two leaders"
Later stages read them through ``actor_at`` / ``resolve_pronoun`` as any other mention.
The description mentions the actors component made itself ("the minister" -> the last
minister) are marked ``kind="description"`` and checked with the same agreement rules:
a link to a person the text gives no title or sector ("the senator" -> a singer) is
re-resolved or dropped.

The rules, in the order they decide (``resolve.py``):
- Agreement. he/she: a person (gender from an honorific before a name, Mr/Ms/Sir/Queen...,
  or from the pronouns already resolved to that person; never from first names).
  they/their: a group, organisation or country named in the plural ("officials", "the
  Coalition Forces"); it/its: an organisation or country, or a group named in the singular
  ("the government"). Cities never. Object "it"/"them" ("rejected it") and reflexives
  ("itself") are left alone: they nearly always mean a thing, or are bound in their clause. A subject noun phrase
  that names no actor ("the bill", "the senator" left unlinked, "officials") competes
  too: when it is the likeliest antecedent the pronoun stays unresolved.
- Salience. The subject of a clause above the pronoun in its own sentence ("The senator
  said he ..."), not the subject of the pronoun's own verb ("Putin praised him"); then
  the main subject of the previous sentence; then the only fitting actor of the pronoun's
  sentence, then of the previous one; then the sentence before (pronouns reach back two
  sentences, paragraphs or not; past that, only the one person the last five sentences
  name; descriptions six). "it"/"its" take a subject
  only (things are named everywhere else in a sentence). A possessor named in passing
  ("at Epstein's mansion") is no antecedent by recency.
- Ambiguity. Two different fitting actors with equal claim (two subjects neither of them
  the main clause's, two objects) leave the pronoun unresolved rather than guessed.
- Quotes. Inside quotation marks a third-person pronoun is neither the quote's speaker nor
  the one spoken to (subject and object of the main verb outside the marks, or of the
  sentence before when the quote goes on past its attribution); first person (I, we) is
  the speaker and left to the quotes component.
- No cataphora: only actors named before the pronoun; a pronoun in a fronted clause whose
  main clause names a fitting person after it ("Before he left, Putin said") is left alone.
- Expletive "it" ("it is expected that", "it seems") is no mention.

Pairs: "the two leaders", "both sides" become one group actor whose id is
``pair:<id1>+<id2>`` (name "A and B"; country and sector when both share them); its
members are ``pair_members(doc, actor_id)``. "they" after a sentence whose main subject
is two named people ("Trump and Xi met. They agreed") is that pair.
Gender: from an honorific, from a gendered title ("Spokeswoman X", "Queen Elizabeth"),
or from the pronouns already resolved to that person.
Descriptions come from ``data/coref/descriptions.tsv``.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from dateline.nlp.coref.resolve import PAIRS_KEY, UNRESOLVED_KEY, CorefResolver, load_descriptions

__all__ = ["Component", "pair_members", "declined"]


@Language.factory("dateline_coref", default_config={},
                  requires=["doc._.actors", "doc._.mentions"], assigns=["doc._.mentions", "doc._.actors"])
def make_component(nlp: Language, name: str) -> "Component":
    return Component()


class Component:
    """Adds pronoun and description mentions to ``doc._.mentions``."""

    def __init__(self) -> None:
        self.descriptions = load_descriptions()

    def __call__(self, doc: Doc) -> Doc:
        if doc._.mentions is None:
            return doc   # no actors component before: nothing to refer back to
        CorefResolver(doc, self.descriptions).run()
        return doc


def pair_members(doc: Doc, actor_id: str) -> list[str]:
    """The ids of the two actors a ``pair:`` actor ("the two leaders") stands for."""
    return list((doc.user_data.get(PAIRS_KEY) or {}).get(actor_id, []))


def declined(doc: Doc, token_i: int) -> bool | None:
    """True when the component read this pronoun and left it unresolved on purpose
    (ambiguous, or pointing to something that is no actor); None when it did not run."""
    found = doc.user_data.get(UNRESOLVED_KEY)
    return None if found is None else token_i in found
