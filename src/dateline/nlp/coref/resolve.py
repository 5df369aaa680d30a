"""The rules of ``dateline_coref`` over one parsed Doc (told in ``__init__.py``).

A ``Referent`` is one mention in text order (names from the actors component, then the
pronouns and descriptions resolved here, so "He said ... He added ..." chains). Each
pronoun or description is decided once, left to right, from what came before it.
"""
from __future__ import annotations

import csv
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from dateline.model import Actor, Mention
from dateline.nlp.actors.tables import ORG_KINDS

PAIRS_KEY = "dateline_coref_pairs"            # doc.user_data: pair actor id -> [member ids]
UNRESOLVED_KEY = "dateline_coref_unresolved"  # doc.user_data: token indices read and left alone
_ACTOR_STARTS_KEY = "dateline_actor_starts"   # the actors helpers' search cache: stale once we add

PERSON_FORMS = {"he": "m", "him": "m", "his": "m", "himself": "m",
                "she": "f", "her": "f", "hers": "f", "herself": "f"}
PLURAL_FORMS = frozenset({"they", "them", "their", "theirs", "themselves"})
NEUTER_FORMS = frozenset({"it", "its", "itself"})
POSSESSIVES = {"his": "person", "her": "person", "its": "neuter", "their": "plural"}
# Honorifics that say a person's gender (the only evidence besides resolved pronouns).
MALE_HONORIFICS = frozenset({"mr", "sir", "king", "prince", "lord", "emir", "sheikh", "monsieur", "señor"})
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "madam", "madame", "dame", "lady", "queen", "princess"})
# "It is expected that ...", "it seems", "it remains unclear": no referent.
EXPLETIVE_HEADS = frozenset({"be", "seem", "appear", "remain", "become", "take", "matter", "happen", "rain",
                             "look", "sound", "feel", "mean", "cost"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
OPEN_QUOTES, CLOSE_QUOTES = "\u201c\u00ab", "\u201d\u00bb"
_QUOTE_MARKS = re.compile("[\u201c\u201d\u00ab\u00bb\"]|\n\n")
PRONOUN_REACH = 2       # sentences back a pronoun may look
DESCRIPTION_REACH = 6   # and a description
BODY_KINDS = ORG_KINDS | {"group"}


@dataclass(frozen=True)
class Description:
    phrase: str
    refers: str      # person | body | country | owner | pair
    sector: str


@lru_cache(maxsize=1)
def load_descriptions() -> dict[str, list[Description]]:
    text = resources.files("dateline.data").joinpath("coref/descriptions.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader((ln for ln in text.splitlines() if not ln.startswith("#")), delimiter="\t")
    table: dict[str, list[Description]] = {}
    for row in rows:
        phrase = row["phrase"].strip().lower()
        table.setdefault(phrase, []).append(Description(phrase, row["refers"].strip(), (row["sector"] or "").strip()))
    return table


@dataclass
class Referent:
    actor: str
    start: int          # token span
    end: int
    sent: int
    plural: bool        # named in the plural ("officials"): not "it"
    inside_quote: bool


class CorefResolver:
    def __init__(self, doc: Doc, descriptions: dict[str, list[Description]]):
        self.doc = doc
        self.descriptions = descriptions
        self.actors: dict[str, Actor] = dict(doc._.actors or {})
        self.sents = list(doc.sents)
        self.sent_starts = [s.start for s in self.sents]
        self.quote_spans = _quote_spans(doc.text)
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
        self.doc.user_data.pop(_ACTOR_STARTS_KEY, None)
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
        for step in steps:
            verdict = step()
            if verdict is not None:
                return verdict if verdict not in ("other", "ambiguous") else None
        return None

    def _own_subject(self, token: Token) -> set[str]:
        """ "Kerry praised him": never the subject of the pronoun's own verb."""
        verb = token.head.head if token.dep_ == "pobj" and token.head.dep_ == "prep" else token.head
        if not _own_verb_object(token, verb):
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
            if _own_verb_object(token, ancestor):
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
        main = [s for s in subjects if _is_main_subject(s, sent)]
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

    # -- descriptions ---------------------------------------------------------------------

    def _description(self, token: Token) -> bool:
        """ "the company", "his office", "the two leaders" at this token: True when read."""
        if token.pos_ not in ("NOUN", "PROPN") or not token.is_lower:
            return False
        nxt = self.doc[token.i + 1] if token.i + 1 < len(self.doc) else None
        if nxt is not None and (nxt.pos_ in ("NOUN", "PROPN") or nxt.lower_ == "of"):
            return False   # "the company's"? no: "the company spokesman", "the group of seven"
        rows = self.descriptions.get(token.lower_)
        if not rows:
            return False
        before = [t.lower_ for t in self.doc[max(0, token.i - 2): token.i]]
        possessor = before[-1] if before else ""
        start = token.i - 1
        if possessor in POSSESSIVES and any(r.refers == "owner" for r in rows):
            actor = self._owner(self.doc[token.i - 1])
        elif before[-2:] == ["the", "two"] or possessor == "both":
            row = next((r for r in rows if r.refers == "pair"), None)
            start = token.i - (1 if possessor == "both" else 2)
            actor = self._pair(token, row) if row else None
        elif possessor == "the" and token.tag_ in ("NN", "NNP"):
            row = next((r for r in rows if r.refers in ("person", "body", "country")), None)
            actor = self._described(token, row) if row else None
        else:
            return False
        if start < 0 or any(i in self.covered for i in range(start, token.i)):
            return False
        if actor is None:
            self.unresolved.add(token.i)
            return True
        self._add(actor, start, token.i + 1, "description")
        return True

    def _owner(self, possessive: Token) -> str | None:
        cls = POSSESSIVES[possessive.lower_]
        if possessive.i in self.covered:
            return self.covered[possessive.i].actor
        return self._antecedent(possessive, cls, PERSON_FORMS.get(possessive.lower_))

    def _described(self, token: Token, row: Description, exclude: str | None = None) -> str | None:
        fits = lambda r: r.actor != exclude and self._fits_description(r, row)   # noqa: E731
        here = self._sent_index(token.i)
        for k in range(here, max(-1, here - DESCRIPTION_REACH - 1), -1):
            sent = self.sents[k]
            found = [r for r in self._referents_in(sent.start, min(sent.end, token.i)) if fits(r)]
            if not found:
                continue
            actors = {r.actor for r in found}
            if len(actors) == 1:
                return actors.pop()
            subjects = {r.actor for r in found if self.doc[r.start:r.end].root.dep_ in SUBJECT_DEPS}
            return subjects.pop() if len(subjects) == 1 else found[-1].actor
        return None

    def _fits_description(self, referent: Referent, row: Description) -> bool:
        actor = self.actors.get(referent.actor)
        if actor is None or referent.actor in self.pairs:
            return False
        if row.sector and actor.sector and actor.sector != row.sector:
            return False
        if row.refers == "person":
            if actor.kind in ("group", "country"):
                # "an Israeli official ... the official": the actors component codes an unnamed
                # official as the government's actor (a group, or the country actor with sector GOV)
                return row.phrase == "official" and not referent.plural
            return actor.kind == "person" and bool(actor.sector or actor.title)
        if row.refers == "country":
            return actor.kind == "country" or (actor.kind == "place-as-actor" and actor.sector != "CVL")
        return actor.kind in BODY_KINDS and not (row.phrase == "company" and actor.kind != "org")

    def _pair(self, token: Token, row: Description) -> str | None:
        """ "The two leaders": the two actors named in the window before, when exactly two."""
        here = self._sent_index(token.i)
        first = self.sents[max(0, here - PRONOUN_REACH)].start
        people = row.phrase in ("leaders", "men", "women", "presidents", "ministers")
        countries = row.phrase in ("countries", "nations", "governments")
        order: list[str] = []
        for referent in reversed(self._referents_in(first, token.i)):
            actor = self.actors.get(referent.actor)
            if actor is None or referent.actor in self.pairs or referent.actor in order:
                continue
            if (people and actor.kind != "person") or (countries and actor.kind not in ("country", "group")):
                continue
            if actor.kind == "place-as-actor" and actor.sector == "CVL":
                continue
            order.append(referent.actor)
        if len(order) != 2:
            return None
        return self._pair_actor(order[1], order[0])

    def _pair_actor(self, first: str, second: str) -> str:
        a, b = self.actors[first], self.actors[second]
        pair_id = f"pair:{first}+{second}"
        if pair_id not in self.actors:
            same = lambda x, y: x if x == y else None   # noqa: E731
            self.actors[pair_id] = Actor(id=pair_id, name=f"{a.name} and {b.name}", kind="group",
                                         country=same(a.country, b.country), sector=same(a.sector, b.sector),
                                         code=same(a.code, b.code))   # members: pair_members(), not aliases
            self.pairs[pair_id] = [first, second]
        return pair_id

    # -- the actors component's own descriptions ----------------------------------------------

    def _is_description(self, span: Span, actor: Actor) -> bool:
        """ "the senator" linked by the actors component: a definite common noun, no name."""
        if any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for t in span):
            return False   # "the Jordanian government": the adjective names whose it is
        if any(t.is_title and t.i > span.start for t in span):
            return False
        if span.root.lower_ in actor.name.lower().split():
            return False
        return span.start > 0 and self.doc[span.start - 1].lower_ == "the"

    def _checked_description(self, mention: Mention, span: Span, actor: Actor) -> Mention | None:
        """The link kept when it agrees, re-resolved here when not, dropped when nothing fits."""
        rows = self.descriptions.get(span.root.lower_) or self.descriptions.get(span.text.lower()) or []
        row = next((r for r in rows if r.refers in ("person", "body", "country")), None)
        if row is None:
            refers = {"person": "person", "country": "country"}.get(actor.kind, "body")   # "the regime" -> Syria
            row = Description(span.root.lower_, refers, "")
        referent = Referent(actor.id, span.start, span.end, self._sent_index(span.start), False, False)
        if self._fits_description(referent, row):
            return Mention(mention.text, mention.start, mention.end, mention.actor, "description")
        other = self._described(span.root, row, exclude=actor.id)
        if other is None:
            self.unresolved.add(span.root.i)
            return None
        return Mention(mention.text, mention.start, mention.end, other, "description")

    def _gender_from_honorific(self, span: Span, actor: Actor) -> None:
        if actor.kind != "person" or actor.id in self.gender or span.start == 0:
            return
        word = self.doc[span.start - 1].lower_.rstrip(".")
        if word in MALE_HONORIFICS:
            self.gender[actor.id] = "m"
        elif word in FEMALE_HONORIFICS:
            self.gender[actor.id] = "f"

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


def _own_verb_object(token: Token, verb: Token) -> bool:
    """The pronoun is an object of this very verb ("praised him", "spoke to him")."""
    if token.head.i == verb.i and token.dep_ in OBJECT_DEPS:
        return True
    return token.dep_ == "pobj" and token.head.dep_ == "prep" and token.head.head.i == verb.i


def _is_main_subject(subject: Token, sent: Span) -> bool:
    head = subject
    while head.dep_ == "conj":
        head = head.head
    verb = head.head
    return verb.i == sent.root.i or (verb.dep_ == "conj" and verb.head.i == sent.root.i)


def _quote_spans(text: str) -> list[tuple[int, int]]:
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
