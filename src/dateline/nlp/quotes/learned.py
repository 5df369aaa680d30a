"""Attributions found through the cue patterns counted in PolNeAR (``learned_cues.tsv``).

A pattern is a lemma, its part of speech and one dependency of its children
("decry VERB dobj", "say VERB ccomp"); the counts say how often a token of that shape
was annotated as a cue whose content is that child's phrase. The hand-written passes
(quotations, that-clauses, "according to") run first; this one adds what they did not
take, for the patterns that are cues more often than not.

A mixin of ``Finder``, like ``ReportedSpeech``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from dateline.config import DATA_DIR
from dateline.nlp.quotes.candidates import Candidate
from dateline.nlp.quotes.frames import cue_text, subject_of
from dateline.nlp.quotes.lexicon import Lexicon
from dateline.nlp.quotes.marks import MARK_TOKENS
from dateline.nlp.quotes.reported import is_dateline, not_a_source

# A pattern fires when at least this share of its occurrences in train were cues, and it
# was a cue at least MIN_CUES times (rarer patterns are noise).
MIN_RATE = 0.2
MIN_RATE_UNLISTED = 0.5
MIN_CUES = 3


@dataclass(frozen=True)
class Pattern:
    cues: int
    seen: int

    @property
    def rate(self) -> float:
        return self.cues / self.seen if self.seen else 0.0


@lru_cache(maxsize=1)
def learned_patterns() -> dict[tuple[str, str, str], Pattern]:
    patterns = {}
    text = (DATA_DIR / "quotes" / "learned_cues.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith(("#", "lemma\t")):
            continue
        lemma, pos, dep, cues, seen = line.split("\t")[:5]
        patterns[(lemma, pos, dep)] = Pattern(int(cues), int(seen))
    return patterns


def firing(token: Token, min_rate: float = MIN_RATE) -> list[Token]:
    """The children of ``token`` that hold content under a learned pattern."""
    patterns = learned_patterns()
    out = []
    for child in token.children:
        # a preposition is keyed with its word ("talk VERB prep:about"), as the counts are
        dep = f"prep:{child.lower_}" if child.dep_ == "prep" else child.dep_
        pattern = patterns.get((token.lemma_.lower(), token.pos_, dep))
        if pattern is not None and pattern.cues >= MIN_CUES and pattern.rate >= min_rate and child.i > token.i:
            out.append(child)
    return out


class LearnedCues:
    doc: Doc
    text: str
    lexicon: Lexicon
    inside: list[int]
    paragraph_of: list[int]
    used_cues: set[int]

    def _same_paragraph(self, token: Token | None, anchor: Token) -> Token | None:  # defined by Finder
        raise NotImplementedError

    def _learned(self, taken: list[Candidate]) -> list[Candidate]:
        covered = _covered_chars(taken)
        found = []
        for token in self.doc:
            if token.i in self.used_cues or self.inside[token.i] >= 0 or token.pos_ not in ("VERB", "NOUN", "AUX"):
                continue
            # a verb of the hand-written cue list fires at MIN_RATE; any other word (often an
            # act rather than speech: "signed", "backed") only when train says it is mostly a cue
            known = self.lexicon.verb_class(token.lemma_) is not None
            children = firing(token, MIN_RATE if known else MIN_RATE_UNLISTED)
            if not children:
                continue
            candidate = self._learned_candidate(token, children)
            if candidate is None or _overlaps(covered, candidate):
                continue
            self.used_cues.add(token.i)
            found.append(candidate)
        return found

    def _learned_candidate(self, cue: Token, children: list[Token]) -> Candidate | None:
        here = self.paragraph_of[cue.i]
        first = min(_content_start(c) for c in children)
        last = max(c.right_edge.i for c in children)
        while first <= last and (self.doc[first].is_punct or self.doc[first].is_space) and self.doc[first].text not in MARK_TOKENS:
            first += 1
        while last >= first and (self.doc[last].is_punct or self.doc[last].is_space or self.paragraph_of[last] != here):
            last -= 1
        if last < first or self.paragraph_of[first] != here:
            return None
        quoted = sum(1 for i in range(first, last + 1) if self.inside[i] >= 0)
        # quoted words the quoted pass left (no cue of its list above them): "opposes “pay freezes”"
        kind = "partial" if quoted > 0.6 * (last - first + 1) else "indirect"
        speaker = self._same_paragraph(_owner(cue) if cue.pos_ == "NOUN" else subject_of(cue, nouns=self.lexicon.nouns), cue)
        if speaker is None or not_a_source(speaker) or speaker.pos_ not in ("PROPN", "NOUN", "PRON") or is_dateline(speaker):
            return None
        start, end = self.doc[first].idx, self.doc[last].idx + len(self.doc[last].text)
        return Candidate(start, end, kind, cue_text(cue), speaker_token=speaker)


def _owner(noun: Token) -> Token | None:
    """Who a noun cue belongs to: "the senator's [claim] that ..."."""
    return next((c for c in noun.lefts if c.dep_ == "poss"), None)


def _content_start(child: Token) -> int:
    """A prepositional content starts after the preposition, which belongs to the cue
    ("called for [an inquiry]", "talked about [the plan]")."""
    if child.dep_ == "prep":
        objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
        if objects:
            return objects[0].left_edge.i
    return child.left_edge.i


def _covered_chars(candidates: list[Candidate]) -> list[tuple[int, int]]:
    return sorted((c.start, c.end) for c in candidates)


def _overlaps(covered: list[tuple[int, int]], cand: Candidate) -> bool:
    for start, end in covered:
        if start < cand.end and cand.start < end:
            return True
    return False
