"""Word classes, limits and parse tests the coreference rules share: pronoun forms,
honorifics, how far back a pronoun or a description looks, what a subject is."""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from dateline.lexicon import possessive_determiners, pronoun_genders, pronouns
from dateline.nlp.actors.tables import ORG_KINDS


PAIRS_KEY = "dateline_coref_pairs"            # doc.user_data: pair actor id -> [member ids]
UNRESOLVED_KEY = "dateline_coref_unresolved"  # doc.user_data: token indices read and left alone
ACTOR_STARTS_KEY = "dateline_actor_starts"   # the actors helpers' search cache: stale once we add

PERSON_FORMS = pronoun_genders()
PLURAL_FORMS = pronouns("plural")
NEUTER_FORMS = pronouns("neuter")
POSSESSIVES = possessive_determiners()
# Honorifics that say a person's gender (the only evidence besides resolved pronouns).
MALE_HONORIFICS = frozenset({"mr", "sir", "king", "prince", "lord", "emir", "sheikh", "monsieur", "señor"})
# Words of a person's title or apposition that tell their gender ("Spokeswoman X",
# "His mother, Queen Elizabeth"): read when no honorific stands before the name.
FEMALE_TITLE_WORDS = frozenset({"spokeswoman", "chairwoman", "congresswoman", "businesswoman", "councilwoman",
                                "queen", "princess", "duchess", "empress", "baroness", "countess", "actress",
                                "mother", "wife", "daughter", "sister", "widow", "grandmother", "first lady"})
MALE_TITLE_WORDS = frozenset({"spokesman", "chairman", "congressman", "businessman", "councilman", "king",
                              "prince", "duke", "emperor", "baron", "count", "father", "husband", "son",
                              "brother", "widower", "grandfather"})
# How far back a pronoun looks for a person when none is within PRONOUN_REACH: the one
# person named in these sentences ("Persson ... [two sentences on the evidence] ... She said").
SOLE_PERSON_REACH = 5
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "madam", "madame", "dame", "lady", "queen", "princess"})
# "It is expected that ...", "it seems", "it remains unclear": no referent.
EXPLETIVE_HEADS = frozenset({"be", "seem", "appear", "remain", "become", "take", "matter", "happen", "rain",
                             "look", "sound", "feel", "mean", "cost"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})
RELATIVE_PRONOUNS = pronouns("relative", cases=("subject", "object"))
OPEN_QUOTES, CLOSE_QUOTES = "\u201c\u00ab", "\u201d\u00bb"
_QUOTE_MARKS = re.compile("[\u201c\u201d\u00ab\u00bb\"]|\n\n")
PRONOUN_REACH = 2       # sentences back a pronoun may look
DESCRIPTION_REACH = 6   # and a description
BODY_KINDS = ORG_KINDS | {"group"}


@dataclass
class Referent:
    actor: str
    start: int          # token span
    end: int
    sent: int
    plural: bool        # named in the plural ("officials"): not "it"
    inside_quote: bool



def pronoun_class(token: Token) -> str | None:
    """person | plural | neuter for a third-person pronoun ("US" the country is none)."""
    if not (token.pos_ == "PRON" or token.tag_ in ("PRP", "PRP$")):
        return None
    word = token.lower_
    if word in PERSON_FORMS:
        return "person"
    if word in PLURAL_FORMS:
        return "plural"
    if word in NEUTER_FORMS:
        return "neuter"
    return None


def own_verb_object(token: Token, verb: Token) -> bool:
    """The pronoun is an object of this very verb ("praised him", "spoke to him")."""
    if token.head.i == verb.i and token.dep_ in OBJECT_DEPS:
        return True
    return token.dep_ == "pobj" and token.head.dep_ == "prep" and token.head.head.i == verb.i


def is_main_subject(subject: Token, sent: Span) -> bool:
    head = subject
    while head.dep_ == "conj":
        head = head.head
    verb = head.head
    return verb.i == sent.root.i or (verb.dep_ == "conj" and verb.head.i == sent.root.i)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (curly pairs; straight marks toggled per paragraph)."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for match in _QUOTE_MARKS.finditer(text):
        char, i = match.group(), match.start()
        if char == "\n\n":
            opened = None   # an unclosed quote stops at the paragraph
        elif char in OPEN_QUOTES and opened is None:
            opened = i
        elif char in CLOSE_QUOTES and opened is not None:
            spans.append((opened, i + 1))
            opened = None
        elif char == '"':
            if opened is None:
                opened = i
            else:
                spans.append((opened, i + 1))
                opened = None
    return spans
