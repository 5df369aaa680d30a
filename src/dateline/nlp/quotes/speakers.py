"""Who said it: the words that name a quote's source -> ``ActorRef``.

The actors component (when present) gives the canonical actor of a mention through
``actor_at``; otherwise spaCy's entities stand in. Pronouns ("he", "they") and bare
roles ("the official") point back to a speaker named earlier: to the person mentioned
most recently for "he"/"she", to the last fitting speaker for the rest.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from dateline.lexicon import possessive_determiners, pronouns
from dateline.model import ActorRef
from dateline.nlp.quotes.lexicon import role_nouns

PERSON_PRONOUNS = pronouns("male", "female", cases=("subject", "object"))
GROUP_PRONOUNS = pronouns("plural", "neuter", cases=("subject", "object"))
FIRST_PERSON = pronouns("first", "second", cases=("subject", "object"))
POSSESSIVE_PRONOUNS = {form: "person" if kind == "person" else "group" for form, kind in possessive_determiners().items()}
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_LEFT_DEPS = frozenset({"compound", "amod", "det", "poss", "nmod", "nummod", "case", "punct", "quantmod", "advmod"})
_PREP_WORDS = frozenset({"of", "from", "at", "for", "with", "in"})
_MAX_MENTION = 12
_GROUP_WORDS = frozenset({"group", "movement", "organisation", "organization", "militia", "party", "faction"})


@dataclass
class Speaker:
    ref: ActorRef
    start: int
    end: int
    person: bool
    plural: bool = False


def mention_span(token: Token) -> Span:
    """The noun phrase naming a speaker, without relative clauses or appositions."""
    doc = token.doc
    left = token.i
    for child in token.lefts:
        if child.dep_ in _LEFT_DEPS:
            left = min(left, child.left_edge.i)
    left = max(left, token.i - _MAX_MENTION // 2)
    right = token.i + 1
    if token.ent_iob_ != "O":
        right = max(right, _entity_end(token))
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ in _PREP_WORDS and child.right_edge.i + 1 - left <= _MAX_MENTION:
            if child.i == right:
                right = child.right_edge.i + 1
        elif child.dep_ in ("compound", "flat") and child.i == right:
            right = child.i + 1
        elif child.dep_ == "appos" and child.left_edge.i == right and child.ent_type_ == "PERSON":
            right = _entity_end(child)           # "the opposition leader Tomas Berger"
    while left < right - 1 and doc[left].is_punct:
        left += 1
    while right > left + 1 and doc[right - 1].is_punct:
        right -= 1
    return doc[left:right]


def _entity_end(token: Token) -> int:
    doc = token.doc
    i = token.i + 1
    while i < len(doc) and doc[i].ent_iob_ == "I":
        i += 1
    return i


class SpeakerResolver:
    """Resolves speaker phrases in text order, remembering who spoke before."""

    def __init__(self, doc: Doc, actor_at=None):
        self.doc = doc
        self.actor_at = actor_at
        self.history: list[Speaker] = []
        persons = [e for e in doc.ents if e.label_ == "PERSON"]
        self._person_starts = [e.start_char for e in persons]
        self._persons = persons
        self._full_names: dict[str, str] = {}
        for ent in persons:  # surname -> the longest name the text gives that person
            key = ent[-1].lower_
            if len(ent.text) > len(self._full_names.get(key, "")):
                self._full_names[key] = ent.text

    # -- entry points ---------------------------------------------------------------
    def from_token(self, token: Token) -> Speaker | None:
        span = mention_span(token)
        return self.from_span(span, head=token)

    def from_span(self, span: Span, head: Token | None = None) -> Speaker | None:
        head = head or span.root
        word = head.lower_
        if len(span) == 1 and word in FIRST_PERSON:  # the writer or the reader: nobody to resolve
            return Speaker(ActorRef(name=span.text, mention=span.text), span.start_char, span.end_char, person=True)
        if len(span) == 1 and (word in PERSON_PRONOUNS or word in GROUP_PRONOUNS) and self._resolved(span):
            # the coreference component resolved this pronoun (a mention of its own)
            return self._remember(Speaker(self._ref_for(span, span.text), span.start_char, span.end_char,
                                          person=word in PERSON_PRONOUNS, plural=word in ("they", "them")))
        if len(span) == 1 and (word in PERSON_PRONOUNS or word in GROUP_PRONOUNS) and _declined(self.doc, head):
            # coreference found no single fitting antecedent: unresolved rather than a guess
            return self._remember(Speaker(ActorRef(name=span.text, mention=span.text), span.start_char,
                                          span.end_char, person=word in PERSON_PRONOUNS))
        if len(span) == 1 and word in PERSON_PRONOUNS:
            return self._remember(self._person_before(span.start_char, span.text))
        if len(span) == 1 and word in GROUP_PRONOUNS:
            return self._remember(self._group_before(span.text, plural=word != "it"))
        speaker = self._named(span, head)
        return self._remember(speaker)

    def named_text(self, start: int, end: int) -> Speaker | None:
        """A speaker named by characters (a transcript's "PENCE:", a dash signature)."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        text = self.doc.text[start:end]
        ref = self._ref_for(span, text)
        if ref.actor is None and ref.name.isupper():
            ref.name = self._full_names.get(ref.name.split()[-1].lower(), ref.name.title())
        return self._remember(Speaker(ref, start, end, person=True))

    def same_as_last(self, start: int) -> Speaker | None:
        before = [s for s in self.history if s.start < start]
        return before[-1] if before else None

    # -- resolution ---------------------------------------------------------------
    def _named(self, span: Span, head: Token) -> Speaker | None:
        first = span[0].lower_
        if first in POSSESSIVE_PRONOUNS and len(span) > 1 and self._resolved(span):  # coreference: "his office"
            return Speaker(self._ref_for(span, span.text), span.start_char, span.end_char, person=False)
        if first in POSSESSIVE_PRONOUNS and len(span) > 1:  # "his office", "their spokesman"
            owner = (self._person_before(span.start_char, first) if POSSESSIVE_PRONOUNS[first] == "person"
                     else self._group_before(first, plural=first == "their"))
            ref = ActorRef(name=span.text, mention=span.text)
            if owner is not None:
                ref.country, ref.sector = owner.ref.country, owner.ref.sector
            return Speaker(ref, span.start_char, span.end_char, person=False)
        ref = self._ref_for(span, span.text)
        if ref.country is None:
            self._borrow_group_country(span, ref)
        person = head.ent_type_ == "PERSON"
        plural = head.tag_ in ("NNS", "NNPS")
        if ref.actor is None and first == "the" and head.lower_ in role_nouns() and not _has_name(span):
            earlier = self._fitting(span)
            if earlier is not None:
                return Speaker(replace(earlier.ref, mention=span.text), span.start_char, span.end_char, earlier.person, plural)
        return Speaker(ref, span.start_char, span.end_char, person=person, plural=plural)

    def _ref_for(self, span: Span, mention: str) -> ActorRef:
        actor = self.actor_at(self.doc, span.start_char, span.end_char) if self.actor_at else None
        if actor is not None:
            return ActorRef(name=actor.name, country=actor.owner, sector=actor.sector, actor=actor.id, mention=mention,
                            code=actor.code)
        names = [e for e in span.ents if e.label_ in NAME_LABELS and e.end == span.end]
        if names:
            name = max(names, key=len)
            text = self._full_names.get(name[-1].lower_, name.text) if name.label_ == "PERSON" else name.text
            return ActorRef(name=text, mention=mention)
        return ActorRef(name=_strip_article(mention), mention=mention)

    def _resolved(self, span: Span) -> bool:
        """A pronoun ("he", "his office") the actors stage already linked to an actor."""
        return self.actor_at is not None and self.actor_at(self.doc, span[0].idx, span[0].idx + len(span[0])) is not None

    def _borrow_group_country(self, span: Span, ref: ActorRef) -> None:
        """ "officials from the group": the group is the organisation named last before."""
        words = [t.lower_ for t in span]
        if not any(w in _GROUP_WORDS and i > 0 and words[i - 1] == "the" for i, w in enumerate(words)):
            return
        actors = self.doc._.actors or {}
        for mention in reversed(self.doc._.mentions or []):
            actor = actors.get(mention.actor)
            if mention.start < span.start_char and actor is not None and actor.kind in ("org", "group") and actor.country:
                ref.country, ref.sector = actor.country, actor.sector
                return

    def _person_before(self, start: int, mention: str) -> Speaker | None:
        i = bisect_left(self._person_starts, start) - 1
        if i < 0:
            return None
        ent = self._persons[i]
        # a person who was the subject of a clause is likelier to be "he" than one named in passing
        for j in range(i, max(-1, i - 4), -1):
            if self._persons[j].root.dep_ in ("nsubj", "nsubjpass"):
                ent = self._persons[j]
                break
        ref = self._ref_for(ent, ent.text)
        ref.mention = mention
        return Speaker(ref, start, start + len(mention), person=True)

    def _group_before(self, mention: str, plural: bool) -> Speaker | None:
        for speaker in reversed(self.history):
            if not speaker.person and (speaker.plural == plural or not plural):
                return Speaker(replace(speaker.ref, mention=mention), speaker.start, speaker.end, False, plural)
        return None

    def _fitting(self, span: Span) -> Speaker | None:
        words = {t.lower_ for t in span if not t.is_stop and not t.is_punct} - {span.root.lower_}
        for speaker in reversed(self.history):
            said = set((speaker.ref.mention or speaker.ref.name).lower().split())
            if words & said or span.root.lower_ in said:
                return speaker
        for speaker in reversed(self.history):
            if speaker.person:
                return speaker
        return None

    def _remember(self, speaker: Speaker | None) -> Speaker | None:
        if speaker is not None:
            self.history.append(speaker)
        return speaker


def _declined(doc: Doc, token: Token) -> bool:
    """The coreference component read this pronoun and left it unresolved on purpose."""
    try:
        from dateline.nlp.coref import declined
    except ImportError:
        return False
    return bool(declined(doc, token.i))


def _has_name(span: Span) -> bool:
    return any(t.ent_type_ in ("PERSON", "ORG") for t in span)


def _strip_article(text: str) -> str:
    for article in ("the ", "a ", "an ", "The ", "A ", "An "):
        if text.startswith(article):
            return text[len(article):]
    return text
