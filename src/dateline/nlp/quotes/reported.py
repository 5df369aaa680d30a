"""Reported speech: that-clauses after a reporting verb, "according to", stance verbs
with their object, noun cues, parenthetical "X said", and transcript turns.

A mixin of ``Finder``: it reads the finder's document, quotation index, paragraph index
and the set of cue tokens already used by the quoted pass.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from dateline.lexicon import pronouns
from dateline.nlp.quotes.candidates import Candidate, object_of_to, trimmed
from dateline.nlp.quotes.frames import cue_text, frame_after, frame_before, subject_of
from dateline.nlp.quotes.lexicon import Lexicon, role_nouns
from dateline.nlp.quotes.marks import MARK_TOKENS

_TURN_AT_LINE = re.compile(r"([A-Z][A-Z.'\- ]{1,30}):\s+(?=\S)")


class ReportedSpeech:
    doc: Doc
    text: str
    lexicon: Lexicon
    inside: list[int]
    paragraph_of: list[int]
    paragraph_starts: list[int]
    used_cues: set[int]
    inherited_speaker: dict[int, Token]

    def _same_paragraph(self, token: Token | None, anchor: Token) -> Token | None:  # defined by Finder
        raise NotImplementedError

    def _reported(self) -> list[Candidate]:
        found = []
        for verb in self.doc:
            if verb.pos_ == "NOUN" and self.inside[verb.i] < 0 and verb.lemma_ in self.lexicon.nouns:
                candidate = self._noun_cue(verb)
                if candidate is not None:
                    found.append(candidate)
                continue
            if verb.pos_ == "ADJ" and self.inside[verb.i] < 0 and verb.lemma_.lower() in self.lexicon.adjectives:
                candidate = self._adjective_cue(verb)
                if candidate is not None:
                    self.used_cues.add(verb.i)
                    found.append(candidate)
                continue
            if verb.pos_ not in ("VERB", "AUX") or self.inside[verb.i] >= 0 or verb.i in self.used_cues:
                continue
            kind = self.lexicon.verb_class(verb.lemma_)
            if kind is None or kind == "naming":
                continue
            here = self.paragraph_of[verb.i]
            if kind == "stance":
                candidate = self._stance(verb)
            else:
                clause = next((c for c in verb.children if c.dep_ == "ccomp" and self.paragraph_of[c.i] == here), None)
                if clause is not None:
                    candidate = self._reported_clause(verb, clause, self.inherited_speaker.get(verb.i))
                elif kind == "speech":
                    candidate = self._parenthetical(verb)
                else:
                    candidate = None
            if candidate is not None:
                self.used_cues.add(verb.i)
                found.append(candidate)
        return found

    def _reported_clause(self, verb: Token, clause: Token, speaker: Token | None = None) -> Candidate | None:
        first, last = clause.left_edge.i, clause.right_edge.i
        here = self.paragraph_of[verb.i]
        while self.paragraph_of[first] != here:
            first += 1
        while self.paragraph_of[last] != here:
            last -= 1
        # the complementizer stays: PolNeAR's contents keep "that" (1,602 of 1,610 in train)
        while first <= last and (self.doc[first].is_punct or self.doc[first].is_space):
            first += 1
        last = _before_according_to(self.doc, first, last)
        last = _before_trailing_aside(self.doc, first, last)
        speaker = self._same_paragraph(speaker or subject_of(verb, nouns=self.lexicon.nouns), verb)
        second = self._second_act(verb, clause, first, last)
        if second is not None:  # "said he makes $41,000 and questioned how ...": two things said
            last = second.left_edge.i - 1
            if speaker is not None and not any(c.dep_ in ("nsubj", "nsubjpass") for c in second.children):
                self.inherited_speaker[second.i] = speaker
        while last >= first and (self.doc[last].is_punct or self.doc[last].is_space or self.doc[last].dep_ == "cc") \
                and self.doc[last].text not in MARK_TOKENS:
            last -= 1
        if last - first < 1:
            return None
        quoted = sum(1 for i in range(first, last + 1) if self.inside[i] >= 0)
        if quoted > 0.6 * (last - first + 1):
            return None  # quoted speech, handled (or deliberately left) by the quoted pass
        if speaker is None or self.inside[speaker.i] >= 0 or not_a_source(speaker):
            return None
        pieces = self._around_the_cue(verb, first, last)
        if pieces:
            return Candidate(pieces[0][0], pieces[-1][1], "indirect", cue_text(verb), speaker_token=speaker, pieces=pieces)
        start, end = self.doc[first].idx, self.doc[last].idx + len(self.doc[last].text)
        return Candidate(start, end, "indirect", cue_text(verb), speaker_token=speaker)

    def _around_the_cue(self, verb: Token, first: int, last: int) -> list[tuple[int, int]]:
        """ "the attacks, which the inquiry said were covered up": the clause's relative
        word opens it before the speaker and the cue; what was said is the relative word and
        the words after the cue, not the speaker's name."""
        if not (first < verb.i < last) or self.doc[first].lower_ not in _RELATIVE_WORDS:
            return []
        after = verb.i + 1
        while after <= last and self.doc[after].dep_ == "prt":
            after += 1
        if after > last:
            return []
        head = self.doc[first]
        tail = (self.doc[after].idx, self.doc[last].idx + len(self.doc[last].text))
        return [(head.idx, head.idx + len(head.text)), tail]

    def _second_act(self, verb: Token, clause: Token, first: int, last: int) -> Token | None:
        """A second reporting verb of the same speaker that the parser hung inside the
        reported clause: a subjectless verb joined to the clause ("... and questioned",
        "..., asserting that") that is a speech verb, or that has the cue's tense where the
        verb it joins has another ("said he makes ... and questioned"). The content stops
        before it, and the verb reports its own content with the cue's speaker."""
        for token in self.doc[clause.i + 1 : last + 1]:
            if token.dep_ not in ("conj", "advcl") or token.pos_ != "VERB" or token.i - first < 3:
                continue
            if not (first <= token.head.i <= last) or self.inside[token.i] >= 0:
                continue
            kind = self.lexicon.verb_class(token.lemma_)
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
            if subject is not None:
                # "..., while 22 percent said they might": another source's own attribution
                if kind in ("speech", "thought") and any(c.dep_ == "ccomp" for c in token.children) \
                        and not not_a_source(subject) and subject.i > clause.i:
                    return token
                continue
            speech = kind in ("speech", "naming") or (kind is not None and token.tag_ == "VBG" and token.dep_ == "advcl")
            cue_tense = token.dep_ == "conj" and token.tag_ == verb.tag_ != token.head.tag_ and kind is not None
            if speech or cue_tense:
                return token
        return None

    def _noun_cue(self, noun: Token) -> Candidate | None:
        """ "Trump's claim that he opposed the war": the that-clause, said by the possessor."""
        clause = next((c for c in noun.rights if c.dep_ in ("acl", "ccomp") and any(
            m.dep_ == "mark" and m.lower_ == "that" for m in c.lefts)), None)
        if clause is None:
            return None
        owner = next((c for c in noun.lefts if c.dep_ == "poss"), None) or self._maker_of(noun)
        if owner is None or self.inside[owner.i] >= 0:
            return None
        return self._reported_clause(noun, clause, speaker=owner)

    def _maker_of(self, noun: Token) -> Token | None:
        """ "X made the case that ...", "X issued a warning that ...", "the claim by X that":
        the subject of a verb that only delivers the noun, or the noun's "by" phrase. A verb
        that judges it ("rejected the claim that") names someone else's words: no owner."""
        by = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "by"), None)
        if by is not None:
            return next((c for c in by.children if c.dep_ == "pobj"), None)
        if noun.dep_ == "dobj" and noun.head.lemma_.lower() in _DELIVERING_VERBS:
            return subject_of(noun.head, nouns=self.lexicon.nouns)
        return None

    def _adjective_cue(self, adjective: Token) -> Candidate | None:
        """ "X was adamant that ...", "X made it clear that ...": the that-clause of a
        predicative adjective of certainty, held by the subject of its verb."""
        here = self.paragraph_of[adjective.i]
        # the parser hangs the clause on the adjective ("clear [that ...]", advcl) or on the
        # copula right after it ("was adamant [that ...]", ccomp of "was")
        hung = [c for c in adjective.rights if c.dep_ in ("ccomp", "advcl") and _has_that(c)]
        hung += [c for c in adjective.head.rights if c.dep_ == "ccomp" and c.left_edge.i == adjective.right_edge.i + 1]
        clause = next((c for c in hung if self.paragraph_of[c.i] == here), None)
        if clause is None or adjective.dep_ not in ("acomp", "ccomp", "oprd", "xcomp"):
            return None
        speaker = subject_of(adjective.head, nouns=self.lexicon.nouns)
        if speaker is None or not can_hold_a_view(speaker) or not_a_source(speaker):
            return None
        return self._reported_clause(adjective, clause, speaker=speaker)

    def _parenthetical(self, verb: Token) -> Candidate | None:
        """ "Lenox was a juggernaut, Mr. Clarke said, until it went bankrupt." when the parser
        did not hang the clause on the verb: the words before the comma are what was said."""
        speaker = self._same_paragraph(subject_of(verb, nouns=self.lexicon.nouns), verb)
        if speaker is None or any(c.dep_ in ("dobj", "xcomp", "dative") for c in verb.children):
            return None
        comma = min(speaker.left_edge.i, verb.i) - 1
        if comma < 1 or self.doc[comma].text != "," or not (verb.i - comma <= 8):
            return None
        said = frame_before(self.doc, comma, self.inside, limit=60)
        said = [t for t in said if not t.is_space]
        if len(said) < 3 or any(t.text in MARK_TOKENS for t in said):
            return None
        pieces = [(said[0].i, comma)]
        after = frame_after(self.doc, verb.i + 1, self.inside, limit=40)
        if len(after) > 2 and after[0].text == "," and not any(t.text in MARK_TOKENS for t in after):
            pieces.append(trimmed(self.doc, after[1].i, after[-1].i + 1))
        chars = [(self.doc[a].idx, self.doc[b - 1].idx + len(self.doc[b - 1].text)) for a, b in pieces if b > a]
        return Candidate(chars[0][0], chars[-1][1], "indirect", cue_text(verb), speaker_token=speaker,
                         pieces=chars if len(chars) > 1 else [])

    def _stance(self, verb: Token) -> Candidate | None:
        """ "Republicans praised the plan", "she refuses to release them": the object is the content."""
        objects = [c for c in verb.rights if c.dep_ in _STANCE_OBJECTS or (c.dep_ == "prep" and c.lower_ in _STANCE_PREPS)]
        if not objects:
            return None
        first, last = objects[0].left_edge.i, objects[-1].right_edge.i
        while first <= last and (self.doc[first].is_punct or self.doc[first].lower_ == "to" and self.doc[first].dep_ == "aux"):
            first += 1
        while last >= first and (self.doc[last].is_punct or self.doc[last].is_space):
            last -= 1
        here = self.paragraph_of[verb.i]
        if last < first or self.paragraph_of[last] != here or self.inside[first] >= 0:
            return None
        speaker = self._same_paragraph(subject_of(verb, nouns=self.lexicon.nouns), verb)
        if speaker is None or self.inside[speaker.i] >= 0 or not can_hold_a_view(speaker) or not_a_source(speaker):
            return None
        start, end = self.doc[first].idx, self.doc[last].idx + len(self.doc[last].text)
        return Candidate(start, end, "indirect", cue_text(verb), speaker_token=speaker)

    def _according_to(self) -> list[Candidate]:
        found = []
        for token in self.doc:
            if token.lower_ != "according" or token.i + 1 >= len(self.doc) or self.doc[token.i + 1].lower_ != "to":
                continue
            if self.inside[token.i] >= 0:
                continue
            source = object_of_to(token)
            if source is None:
                continue
            sent = token.sent
            if any(i in self.used_cues for i in range(sent.start, sent.end)):
                continue  # the sentence already reports someone's words: "X said ..., according to AFP"
            phrase_end = source.right_edge.i + 1
            pieces = [trimmed(self.doc, sent.start, token.i), trimmed(self.doc, phrase_end, sent.end)]
            pieces = [p for p in pieces if p[1] - p[0] > 1]
            if not pieces:
                continue
            chars = [(self.doc[a].idx, self.doc[b - 1].idx + len(self.doc[b - 1].text)) for a, b in pieces]
            found.append(Candidate(chars[0][0], chars[-1][1], "indirect", "according to",
                                   speaker_token=source, pieces=chars))
        return found

    def _transcript_lines(self) -> list[Candidate]:
        """Interview transcripts: a line opening with "NAME:" is that speaker's turn."""
        found = []
        for start in self.paragraph_starts:
            match = _TURN_AT_LINE.match(self.text, start)
            if match is None or sum(ch.isalpha() for ch in match.group(1)) < 2:
                continue
            end = self.text.find("\n", match.end())
            end = len(self.text) if end < 0 else end
            found.append(Candidate(match.end(), end, "direct", ":", speaker_chars=(start, start + len(match.group(1)))))
        return found


def _has_that(clause: Token) -> bool:
    return any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.lefts)


def _is_complementizer(token: Token, clause: Token) -> bool:
    return token.dep_ == "mark" and token.head.i == clause.i and token.lower_ in ("that", "if")


def _before_trailing_aside(doc: Doc, first: int, last: int) -> int:
    """A non-restrictive relative clause or apposition (", who ...", ", which ...") that
    closes the content and is longer than twice what comes before it: the writer's aside
    about the last noun, not what was said. A shorter one stays (the match does not
    depend on it either way)."""
    for i in range(first + 2, last):
        token = doc[i]
        if token.text != "," or not doc[i + 1].lower_ in ("who", "which", "whose", "where"):
            continue
        relative = doc[i + 1].head
        if relative.dep_ == "relcl" and relative.right_edge.i >= last and last - i > 2 * (i - first):
            return i - 1
    return last


def _before_according_to(doc: Doc, first: int, last: int) -> int:
    """A reported clause ends before a trailing ", according to X" (a second source)."""
    for i in range(first + 1, last):
        if doc[i].lower_ == "according" and doc[i + 1].lower_ == "to" and doc[i - 1].text == ",":
            return i - 2
    return last


_GROUP_NOUNS = frozenset({"republican", "democrat", "voter", "critic", "supporter", "opponent", "official",
                          "leader", "lawmaker", "expert", "economist", "analyst", "activist", "protester",
                          "government", "administration", "campaign", "party", "group", "committee", "poll",
                          "survey", "report", "study", "people", "american", "resident", "member", "candidate"})
_RELATIVE_WORDS = frozenset({"which", "who", "what", "whom"})
# Verbs that deliver a statement without judging it ("made the case", "issued a warning").
_DELIVERING_VERBS = frozenset({"make", "issue", "offer", "give", "repeat", "reiterate", "express", "voice",
                               "release", "put", "deliver", "echo", "renew", "press", "advance"})
_STANCE_OBJECTS = frozenset({"dobj", "xcomp", "ccomp", "oprd"})
_STANCE_PREPS = frozenset({"as", "for", "to", "on", "about", "against", "of", "with"})
_VIEW_PRONOUNS = pronouns("first", "second", "male", "female", "plural", cases=("subject",))


# Outside quotation marks "I", "you" and "we" are the writer and the reader of an opinion
# piece, not a source; expletives and generic people ("people think") name nobody.
_AUTHOR_OR_NOBODY = frozenset({"i", "you", "we", "it", "this", "that", "there", "what", "which", "one"})
_GENERIC = frozenset({"people", "everyone", "everybody", "anyone", "someone", "somebody", "nobody", "many", "some", "most"})


def not_a_source(token: Token) -> bool:
    if token.lower_ in _AUTHOR_OR_NOBODY:
        return True
    if token.ent_type_ in ("DATE", "TIME"):
        return True  # "Wednesday added ...": the parser took a time for the subject
    if any(c.dep_ == "prep" and any(o.lower_ in ("us", "you") for o in c.children) for c in token.children):
        return True  # "most of us", "some of you": the writer and the readers again
    specified = any(c.dep_ in ("prep", "acl", "relcl", "compound", "poss") for c in token.children)
    return token.lemma_.lower() in _GENERIC and not specified


def is_dateline(token: Token) -> bool:
    """The dateline ("CLEVELAND -- ...") says where, not who."""
    if not token.is_upper or len(token.text) < 2:
        return False
    line_start = token.doc.text.rfind("\n", 0, token.idx) + 1
    return token.idx - line_start < 40 and token.doc.text[line_start:token.idx].strip().replace(" ", "").isupper() | (token.idx == line_start)


def can_hold_a_view(token: Token, cue_nouns: frozenset[str] = frozenset()) -> bool:
    """Stance verbs need someone behind them: a name, a person pronoun, a role, a group or
    a document ("efforts to seek an end" has no holder of the view)."""
    if is_dateline(token):
        return False
    lemma = token.lemma_.lower()
    return (token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or token.pos_ == "PROPN"
            or token.lower_ in _VIEW_PRONOUNS or lemma in role_nouns() or lemma in _GROUP_NOUNS or lemma in cue_nouns)
