"""The rules of ``dateline_coref`` over one parsed Doc (told in ``__init__.py``).

A ``Referent`` is one mention in text order (names from the actors component, then the
pronouns and descriptions resolved here, so "He said ... He added ..." chains). Each
pronoun or description is decided once, left to right, from what came before it.
"""
from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Token

from dateline.model import Actor, Mention
from dateline.nlp.actors.tables import ORG_KINDS
from dateline.nlp.coref.grammar import (
    BODY_KINDS, EXPLETIVE_HEADS, OBJECT_DEPS, PAIRS_KEY, PERSON_FORMS, POSSESSIVES, PRONOUN_REACH,
    RELATIVE_PRONOUNS, Referent, SOLE_PERSON_REACH, SUBJECT_DEPS, UNRESOLVED_KEY, ACTOR_STARTS_KEY, is_main_subject,
    own_verb_object, quote_spans, pronoun_class,
)
from dateline.nlp.coref.descriptions import Description, DescriptionReader, load_descriptions

__all__ = ["CorefResolver", "PAIRS_KEY", "UNRESOLVED_KEY", "load_descriptions"]   # what __init__.py reads


class CorefResolver(DescriptionReader):
    def __init__(self, doc: Doc, descriptions: dict[str, list[Description]]):
        self.doc = doc
        self.descriptions = descriptions
        self.actors: dict[str, Actor] = dict(doc._.actors or {})
        self.sents = list(doc.sents)
        self.sent_starts = [s.start for s in self.sents]
        self.quote_spans = quote_spans(doc.text)
        self.gender: dict[str, str] = {}
        self.referents: list[Referent] = []
        self.ref_starts: list[int] = []
        self.covered: dict[int, Referent] = {}   # token -> referent covering it
        self.kept: list[Mention] = []
        self.added: list[Mention] = []
        self.unresolved: set[int] = set()
        self.pairs: dict[str, list[str]] = {}

    # -- the pass -----------------------------------------------------------------------

    def run(self) -> None:
        self._read_mentions()
        for token in self.doc:
            if token.i in self.covered or self._owner_follows(token):
                continue
            if not self._description(token):
                self._pronoun(token)
        self._write()

    def _read_mentions(self) -> None:
        seen: set[str] = set()   # a description is a link back only to an actor named before it
        for mention in self.doc._.mentions or []:
            earlier = mention.actor in seen
            seen.add(mention.actor)
            span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            actor = self.actors.get(mention.actor)
            if span is None or actor is None or not len(span):
                self.kept.append(mention)
                continue
            if mention.kind == "name" and earlier and self._is_description(span, actor):
                mention = self._checked_description(mention, span, actor)
                if mention is None:
                    continue
            self.kept.append(mention)
            self._remember(mention.actor, span.start, span.end)
            self._gender_from_honorific(span, self.actors[mention.actor])

    def _write(self) -> None:
        mentions = sorted(self.kept + self.added, key=lambda m: m.start)
        used = {m.actor for m in mentions}
        self.doc._.actors = {k: a for k, a in self.actors.items() if k in used}
        self.doc._.mentions = mentions
        self.doc.user_data.pop(ACTOR_STARTS_KEY, None)
        self.doc.user_data[PAIRS_KEY] = self.pairs
        self.doc.user_data[UNRESOLVED_KEY] = self.unresolved

    def _remember(self, actor_id: str, start: int, end: int) -> None:
        head = self.doc[start:end].root
        referent = Referent(actor_id, start, end, self._sent_index(start), head.tag_ in ("NNS", "NNPS"),
                            self._quote_of(self.doc[start].idx) is not None)
        index = bisect_left(self.ref_starts, start)
        self.ref_starts.insert(index, start)
        self.referents.insert(index, referent)
        for i in range(start, end):
            self.covered[i] = referent

    def _add(self, actor_id: str, start: int, end: int, kind: str) -> None:
        span = self.doc[start:end]
        self.added.append(Mention(text=span.text, start=span.start_char, end=span.end_char, actor=actor_id, kind=kind))
        self._remember(actor_id, start, end)

    # -- pronouns -----------------------------------------------------------------------

    def _pronoun(self, token: Token) -> None:
        cls = pronoun_class(token)
        if cls is None or self._expletive(token):
            return
        if token.lower_ in ("it", "them") and token.dep_ not in SUBJECT_DEPS:
            return   # "rejected it", "to administer them": an object is nearly always a thing
        if token.lower_.endswith(("self", "selves")):
            return   # "the company itself", "defended himself": bound in its clause, no mention of its own
        actor = None if self._cataphoric(token, cls) else self._antecedent(token, cls, PERSON_FORMS.get(token.lower_))
        if actor is None:
            self.unresolved.add(token.i)
            return
        if cls == "person":
            self.gender.setdefault(actor, PERSON_FORMS[token.lower_])
        self._add(actor, token.i, token.i + 1, "pronoun")

    def _owner_follows(self, token: Token) -> bool:
        """ "his office": read at "office", as one description of the possessor's side."""
        if token.lower_ not in POSSESSIVES or token.i + 1 >= len(self.doc):
            return False
        rows = self.descriptions.get(self.doc[token.i + 1].lower_) or ()
        return any(r.refers == "owner" for r in rows)

    def _expletive(self, token: Token) -> bool:
        if token.lower_ != "it":
            return False
        if token.dep_ == "expl" or (token.dep_ in SUBJECT_DEPS and token.head.lemma_ in EXPLETIVE_HEADS):
            return True
        # "it is expected that ...", "it was decided to ...": a passive with the clause extraposed
        return token.dep_ == "nsubjpass" and any(c.dep_ in ("ccomp", "xcomp") for c in token.head.children)

    def _cataphoric(self, token: Token, cls: str) -> bool:
        """ "Before he left, Putin said ...": the pronoun looks ahead to the main clause."""
        for ancestor in token.ancestors:
            if ancestor.dep_ == "advcl" and ancestor.head.i > token.i:
                subject = next((c for c in ancestor.head.children if c.dep_ in SUBJECT_DEPS), None)
                if subject is not None and subject.i > token.i and (
                        subject.ent_type_ == "PERSON" or self._referent_at(subject) is not None):
                    return True
        return False

    def _antecedent(self, token: Token, cls: str, gender: str | None,
                    reach: int = PRONOUN_REACH) -> str | None:
        """Salience order; the first step with a verdict decides (an actor, or nothing)."""
        excluded = self._speaker_excluded(token) | self._own_subject(token)
        here = self._sent_index(token.i)
        steps = [lambda: self._clause_subject(token, cls, gender, excluded)]
        for back in range(1, reach + 1):
            if here - back < 0:
                break
            k = here - back
            steps.append(lambda k=k: self._sentence_subject(k, cls, gender, excluded))
            if cls == "neuter":
                continue   # "it" goes to a subject only: things ("the deal") are named everywhere else
            if back == 1:
                steps.append(lambda: self._only_fitting(here, cls, gender, excluded, before=token.i))
            steps.append(lambda k=k: self._only_fitting(k, cls, gender, excluded))
        if (here == 0 or reach == 0) and cls != "neuter":
            steps.append(lambda: self._only_fitting(here, cls, gender, excluded, before=token.i))
        if cls == "plural" and here > 0:
            steps.insert(1, lambda: self._named_pair(here - 1, excluded))   # "Trump and Xi met. They ..."
        if cls == "person" and reach == PRONOUN_REACH:
            steps.append(lambda: self._sole_person(here, gender, excluded, before=token.i))
        for step in steps:
            verdict = step()
            if verdict is not None:
                return verdict if verdict not in ("other", "ambiguous") else None
        return None

    def _named_pair(self, k: int, excluded: set[str]) -> str | None:
        """ "Trump and Xi met on Monday. They agreed ...": the main subject of the sentence
        before coordinates exactly two named people -> the pair of them."""
        sent = self.sents[k]
        subject = next((t for t in sent if t.dep_ in SUBJECT_DEPS and t.head.i == sent.root.i), None)
        if subject is None:
            return None
        heads = [subject] + [c for c in subject.children if c.dep_ == "conj"]
        referents = [self._referent_at(h) for h in heads]
        actors = [r.actor for r in referents if r is not None]
        if len(heads) != 2 or len(set(actors)) != 2 or set(actors) & excluded:
            return None
        if not all(self.actors.get(a) and self.actors[a].kind == "person" for a in actors):
            return None
        return self._pair_actor(actors[0], actors[1])

    def _sole_person(self, here: int, gender: str | None, excluded: set[str], before: int) -> str | None:
        """Past the usual reach: the one person (of the pronoun's gender) the last
        SOLE_PERSON_REACH sentences name; none when they name two or more."""
        first = self.sents[max(0, here - SOLE_PERSON_REACH)].start
        found = {r.actor for r in self._referents_in(first, before)
                 if r.actor not in excluded and self._fits(r, "person", gender)}
        others = {r.actor for r in self._referents_in(first, before)
                  if (a := self.actors.get(r.actor)) is not None and a.kind == "person"}
        return found.pop() if len(found) == 1 and len(others) == 1 else None

    def _own_subject(self, token: Token) -> set[str]:
        """ "Kerry praised him": never the subject of the pronoun's own verb."""
        verb = token.head.head if token.dep_ == "pobj" and token.head.dep_ == "prep" else token.head
        if not own_verb_object(token, verb):
            return set()
        subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        referent = self._referent_at(subject) if subject is not None else None
        return {referent.actor} if referent else set()

    def _clause_subject(self, token: Token, cls: str, gender: str | None, excluded: set[str]) -> str | None:
        """ "The senator said he ...": the subject of a clause above the pronoun, before it."""
        for ancestor in token.ancestors:
            subject = next((c for c in ancestor.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is None or subject.i > token.i or subject.left_edge.i <= token.i <= subject.right_edge.i:
                continue
            if own_verb_object(token, ancestor):
                continue   # "Putin praised him": not Putin
            if subject.lower_ in RELATIVE_PRONOUNS:
                if ancestor.dep_ != "relcl":
                    continue
                subject = ancestor.head   # "Fidan, who said he ...": who is Fidan
            verdict = self._verdict(subject, cls, gender, excluded)
            if verdict is not None:
                return verdict if not self._subject_between(subject, token, cls, gender, verdict) else "ambiguous"
        return None

    def _subject_between(self, subject: Token, token: Token, cls: str, gender: str | None, actor: str) -> bool:
        """ "Boesky said Epstein was a risk ... the humiliation he felt": another fitting subject
        stands nearer the pronoun than the clause subject found above it."""
        for referent in self._referents_in(subject.i + 1, token.i):
            root = self.doc[referent.start:referent.end].root
            if root.dep_ in SUBJECT_DEPS and referent.actor != actor and self._fits(referent, cls, gender):
                return True
        return False

    def _sentence_subject(self, k: int, cls: str, gender: str | None, excluded: set[str]) -> str | None:
        """The main subject of sentence k; other subjects only when they agree on one actor."""
        sent = self.sents[k]
        subjects = [t for t in sent if t.dep_ in SUBJECT_DEPS]
        subjects += [c for s in subjects for c in s.conjuncts if c.i > s.i]   # "Putin and Biden said"
        main = [s for s in subjects if is_main_subject(s, sent)]
        for group in (main, subjects):
            verdicts = {v for s in group if (v := self._verdict(s, cls, gender, excluded)) is not None}
            if len(verdicts) == 1:
                return verdicts.pop()
            if len(verdicts) > 1:
                return "ambiguous"
        return None

    def _only_fitting(self, k: int, cls: str, gender: str | None, excluded: set[str],
                      before: int | None = None) -> str | None:
        """The one fitting actor of sentence k (before the pronoun in its own sentence)."""
        sent = self.sents[k]
        quoted = before is not None and self._quote_of(self.doc[before].idx) is not None
        found = set()
        index = bisect_left(self.ref_starts, sent.start)
        while index < len(self.referents) and self.referents[index].start < (before if before is not None else sent.end):
            referent = self.referents[index]
            index += 1
            if before is not None and referent.inside_quote and not quoted:
                continue   # '"Biden is weak," he said': the quote names others than its speaker
            root = self.doc[referent.start:referent.end].root
            if root.dep_ == "poss" and root.pos_ != "PRON":
                continue   # "at Epstein's mansion": a possessor named in passing is no antecedent
            if referent.actor not in excluded and self._fits(referent, cls, gender):
                found.add(referent.actor)
        end = before if before is not None else sent.end
        if cls == "person" and found:   # a person the actors stage did not read still competes
            found |= {f"unread:{e.start}" for e in sent.ents
                      if e.label_ == "PERSON" and e.end <= end and e.root.i not in self.covered}
        if cls == "plural" and found:   # so do people named by a plain plural noun ("children", "teachers")
            found |= {f"unread:{t.i}" for t in self.doc[sent.start:end]
                      if t.tag_ == "NNS" and t.dep_ in SUBJECT_DEPS | OBJECT_DEPS and t.i not in self.covered}
        if len(found) == 1:
            return found.pop()
        return "ambiguous" if found else None

    def _verdict(self, head: Token, cls: str, gender: str | None, excluded: set[str]) -> str | None:
        """An actor id when the phrase headed here names a fitting actor; "other" when it
        fits but names no actor (the pronoun then points to it, not to an actor); else None."""
        referent = self._referent_at(head)
        if referent is not None:
            if referent.actor in excluded or not self._fits(referent, cls, gender):
                return None
            return referent.actor
        if head.i in self.unresolved and pronoun_class(head) == cls:
            return "other"   # the same pronoun left unresolved just before
        return "other" if self._plain_np_fits(head, cls) else None

    def _referent_at(self, head: Token) -> Referent | None:
        referent = self.covered.get(head.i)
        if referent is not None:
            return referent
        for child in head.children:   # "the leader, Vladimir Putin": the apposition names it
            if child.dep_ in ("appos", "compound", "flat") and child.i in self.covered:
                return self.covered[child.i]
        return None

    def _plain_np_fits(self, head: Token, cls: str) -> bool:
        """A noun phrase naming no actor that could still be what the pronoun means."""
        if head.pos_ not in ("NOUN", "PROPN"):
            return False
        person = head.ent_type_ == "PERSON" or any(d.refers == "person" for d in self.descriptions.get(head.lower_, ()))
        if cls == "person":
            return person
        plural = head.tag_ in ("NNS", "NNPS")
        if cls == "plural":
            return plural
        return not plural and not person

    def _fits(self, referent: Referent, cls: str, gender: str | None) -> bool:
        actor = self.actors.get(referent.actor)
        if actor is None or referent.actor in self.pairs:
            return False
        if cls == "person":
            return actor.kind == "person" and self.gender.get(actor.id, gender) == gender
        if actor.kind == "place-as-actor":
            return actor.sector != "CVL"   # a city is a place, not a "they" or an "it"
        if cls == "plural":   # named in the plural: "officials", "the Coalition Forces"; not "the government"
            return actor.kind in BODY_KINDS | {"country"} and referent.plural
        return actor.kind in ORG_KINDS or actor.kind == "country" or (actor.kind == "group" and not referent.plural)

    def _speaker_excluded(self, token: Token) -> set[str]:
        """Inside quotation marks a third-person pronoun is not the quote's speaker or addressee."""
        quote = self._quote_of(token.idx)
        if quote is None:
            return set()
        here = self._sent_index(token.i)
        root = self.sents[here].root
        if quote[0] <= root.idx < quote[1]:
            # a quote going on past its attribution: '"You are in this job," Sasse told her. "He ..."'
            if here == 0 or quote[0] < self.sents[here].start_char:
                return set()
            root = self.sents[here - 1].root
            if self._quote_of(root.idx) is not None or not any(self._quote_of(t.idx) for t in self.sents[here - 1]):
                return set()
        # the speaker says "I", the one spoken to is "you": neither is "he" in the quote
        parties = [c for c in root.children if c.dep_ in SUBJECT_DEPS or c.dep_ in ("dobj", "dative")]
        return {r.actor for r in map(self._referent_at, parties) if r is not None}

    # -- positions ------------------------------------------------------------------------------

    def _referents_in(self, start: int, end: int) -> list[Referent]:
        index = bisect_left(self.ref_starts, start)
        out = []
        while index < len(self.referents) and self.referents[index].start < end:
            out.append(self.referents[index])
            index += 1
        return out

    def _sent_index(self, token_i: int) -> int:
        return bisect_left(self.sent_starts, token_i + 1) - 1

    def _quote_of(self, char: int) -> tuple[int, int] | None:
        index = bisect_left(self.quote_spans, (char + 1,)) - 1
        if index >= 0 and self.quote_spans[index][0] <= char < self.quote_spans[index][1]:
            return self.quote_spans[index]
        return None
