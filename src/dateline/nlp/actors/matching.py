"""The PhraseMatchers of the actors component, built once per pipeline, and the tests a
match must pass to count (a Phoenix name needs capitalised words; a lone common word is none)."""
from __future__ import annotations

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from dateline.nlp.actors.tables import NAME_LABELS, RoleWord, Tables


class Matchers:
    """The two PhraseMatchers of one pipeline's vocabulary: aliases (exact case) and roles."""

    def __init__(self, nlp, tables: Tables):
        self.aliases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.roles = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.phoenix = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.alias_of: dict[int, str] = {}
        self.phoenix_of: dict[int, str] = {}
        self.role_of: dict[int, RoleWord] = {}
        for alias in tables.aliases:
            key = nlp.vocab.strings.add("A:" + alias)
            self.alias_of[key] = alias
            self.aliases.add("A:" + alias, [nlp.make_doc(alias)])
        self.common_words = common_words(nlp)
        aliases = list(tables.phoenix)
        for alias, pattern in zip(aliases, nlp.tokenizer.pipe(aliases, batch_size=1000)):
            key = nlp.vocab.strings.add("P:" + alias)
            self.phoenix_of[key] = alias
            self.phoenix.add("P:" + alias, [pattern])
        for phrase, role in tables.roles.items():
            key = nlp.vocab.strings.add("R:" + phrase)
            self.role_of[key] = role
            # Abbreviations tokenize by case ("gen." vs "Gen."): one pattern per spelling.
            spellings = {phrase, phrase.title(), phrase.capitalize(), phrase.upper()}
            self.roles.add("R:" + phrase, [nlp.make_doc(text) for text in sorted(spellings)])


def common_words(nlp) -> frozenset[str]:
    """English verbs, adjectives and adverbs (WordNet's index in spaCy's English lemmatizer):
    a lone capitalised one ("Trade", "Gaunt") is a word, not an actor. Nouns are left out,
    WordNet lists surnames and places among them (Hamilton, Luther)."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    return frozenset(w for pos in ("verb", "adj", "adv") for w in index.get(pos, []) if "_" not in w)


def phoenix_match_counts(doc: Doc, start: int, end: int) -> bool:
    """A Phoenix name (matched case-folded) counts where the text capitalises each of its
    words, and a one-word name only inside a person or organisation entity: "Trade" or
    "Hamilton" at a sentence start or as a place is no actor."""
    if not all(t.text[:1].isupper() or not t.is_alpha for t in doc[start:end]):
        return False
    return end - start > 1 or doc[start].ent_type_ in NAME_LABELS
