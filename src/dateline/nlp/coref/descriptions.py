"""Definite descriptions linked back to an actor, by the rows of
``data/coref/descriptions.tsv`` (what a head noun can stand for)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

from dateline.model import Actor, Mention
from dateline.nlp.coref.grammar import (
    BODY_KINDS, DESCRIPTION_REACH, FEMALE_HONORIFICS, FEMALE_TITLE_WORDS, MALE_HONORIFICS, MALE_TITLE_WORDS, PERSON_FORMS, POSSESSIVES,
    PRONOUN_REACH, Referent, SUBJECT_DEPS,
)


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




class DescriptionReader:
    """Definite descriptions ("the minister", "his office", "the two leaders"), mixed into
    ``CorefResolver``: reads its referents, actors and sentences."""

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
        title_words = set((actor.title or "").lower().split())
        if title_words & FEMALE_TITLE_WORDS:
            self.gender[actor.id] = "f"   # "Spokeswoman X", "Queen Elizabeth": the title tells, no honorific needed
            return
        if title_words & MALE_TITLE_WORDS:
            self.gender[actor.id] = "m"
            return
        word = self.doc[span.start - 1].lower_.rstrip(".")
        if word in MALE_HONORIFICS:
            self.gender[actor.id] = "m"
        elif word in FEMALE_HONORIFICS:
            self.gender[actor.id] = "f"
