"""Attributions in one parsed document: quoted speech first, then reported speech.

One pass over the quotations and one over the tokens; every look-around is bounded
(a sentence, a dozen tokens, a few steps up the parse), so the cost grows with the
length of the text, never with its square.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from spacy.tokens import Doc, Token

from dateline.lexicon import pronouns
from dateline.model import ActorRef, Quote
from dateline.nlp.quotes.candidates import Candidate, object_of_to, trimmed
from dateline.nlp.quotes.frames import (
    DASHES,
    SENTENCE_END,
    cue_text,
    frame_after,
    frame_before,
    governing_cue,
    paragraph_index,
    subject_of,
)
from dateline.nlp.quotes.lexicon import Lexicon, load_lexicon, stance_of
from dateline.nlp.quotes.marks import (
    MARK_TOKENS,
    TRANSCRIPT_TURN,
    QuotedSpan,
    find_quoted_spans,
    paragraph_bounds,
)
from dateline.nlp.quotes.learned import LearnedCues
from dateline.nlp.quotes.reported import ReportedSpeech, can_hold_a_view, not_a_source
from dateline.nlp.quotes.speakers import Speaker, SpeakerResolver

_PRONOUNS = pronouns("first", "male", "female", "plural", cases=("subject",))
_SKIP_SUBJECTS = frozenset({"it", "this", "that", "there", "which", "what"})
_MARK_CHARS = "\"\u201c\u201d\u201e\u201f\u00ab\u00bb'"
_MIN_WORDS_ORPHAN = 4
_MAX_JOIN_GAP_WORDS = 20


class Finder(ReportedSpeech, LearnedCues):
    def __init__(self, doc: Doc, actor_at=None, lexicon: Lexicon | None = None, keep_orphans: bool = True):
        self.doc = doc
        self.text = doc.text
        self.lexicon = lexicon or load_lexicon()
        self.keep_orphans = keep_orphans
        self.resolver = SpeakerResolver(doc, actor_at)
        self.spans = find_quoted_spans(self.text)
        self.inside = self._index_quotes()
        self.used_cues: set[int] = set()
        self.inherited_speaker: dict[int, Token] = {}  # a second reporting verb -> the first one's speaker
        self.paragraph_of = paragraph_index(doc)
        self.paragraph_starts = [start for start, _ in paragraph_bounds(self.text)]

    # -- driver ---------------------------------------------------------------------
    def run(self) -> list[Quote]:
        candidates = [c for c in (self._quoted(i, s) for i, s in enumerate(self.spans)) if c is not None]
        candidates += self._reported()
        candidates += self._according_to()
        candidates += self._transcript_lines()
        candidates += self._learned(candidates)
        candidates = sorted((c for c in candidates if c.end > c.start and not _speaker_inside(c)), key=lambda c: c.start)
        return self._resolve(_drop_overlaps(candidates))

    def _index_quotes(self) -> list[int]:
        inside = [-1] * len(self.doc)
        k = 0
        for token in self.doc:
            while k < len(self.spans) and self.spans[k].end <= token.idx:
                k += 1
            if k < len(self.spans) and self.spans[k].start <= token.idx < self.spans[k].end:
                inside[token.i] = k
        return inside

    # -- quoted speech --------------------------------------------------------------
    def _quoted(self, index: int, span: QuotedSpan) -> Candidate | None:
        tokens = self.doc.char_span(span.start, span.end, alignment_mode="expand")
        if tokens is None or not len(tokens) or not any(t.is_alpha for t in tokens):
            return None
        turn = TRANSCRIPT_TURN.match(self.text, span.start, span.end)
        if turn and turn.end() < span.end:
            return Candidate(turn.end(), span.end, "direct", ":", speaker_chars=(span.start, turn.end() - 2))
        kind = self._quote_kind(span, tokens.start)
        if self._resumes_previous(tokens.start):
            return Candidate(span.start, span.end, "direct", follows_previous=True, joins_previous=True)
        found = self._cue_in_tree(tokens.start, tokens.end)
        if found is not None:
            cue, path_child = found
            if kind == "partial":
                covered = _share_inside(path_child, tokens.start, tokens.end)
                if path_child.dep_ == "ccomp" and covered < 0.6:
                    return None  # a quoted fragment of reported speech: the reported pass takes the clause
                if not _argument_of_cue(path_child) or cue.i in self.used_cues:
                    return None  # a title in quotation marks near a cue, or a cue already taken
                start, end = self._complement(cue, span)
            else:
                start, end = span.start, span.end
            self.used_cues.add(cue.i)
            speaker = self._same_paragraph(subject_of(cue, allow_inversion=cue.i > tokens.end, nouns=self.lexicon.nouns), cue)
            speaker = speaker or self._name_near(cue)
            return Candidate(start, end, kind, cue_text(cue), speaker_token=speaker)
        if kind == "partial":
            return self._partial_by_frame(span, tokens.start) or self._quoted_words_of_subject(span, tokens)
        return self._quoted_by_frame(span, tokens.start, tokens.end)

    def _partial_by_frame(self, span: QuotedSpan, first: int) -> Candidate | None:
        """ 'called the day “the dawn of ...”' when the parse lost the link: a naming verb just
        before the marks. Anything else in marks without such a verb is a title or scare quote."""
        before = [t for t in frame_before(self.doc, first - 1, self.inside, limit=5) if t.text not in MARK_TOKENS]
        for token in reversed(before):
            if self.lexicon.verb_class(token.lemma_) == "naming" and token.pos_ == "VERB" and token.i not in self.used_cues:
                speaker = self._same_paragraph(subject_of(token, nouns=self.lexicon.nouns) or _sentence_subject(token), token)
                if speaker is None or self.text[max(0, token.idx - 3) : token.idx].lower() == "so-":
                    return None  # "the so-called ...": nobody is quoted
                self.used_cues.add(token.i)
                return Candidate(span.start, span.end, "partial", cue_text(token), speaker_token=speaker)
        return None

    def _quoted_words_of_subject(self, span: QuotedSpan, tokens) -> Candidate | None:
        """Quoted words in a clause whose verb has a holder of a view for subject ("opposes “pay
        freezes”", "loves “Modern Family”"): PolNeAR counts them; copulas and titles in marks do not count."""
        verb = tokens.root.head
        hops = 0
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i and hops < 4:
            verb, hops = verb.head, hops + 1
        if verb.pos_ not in ("VERB", "AUX") or self.inside[verb.i] >= 0 or verb.i in self.used_cues:
            return None
        if verb.lemma_ == "be":
            return None
        words = [t for t in tokens if t.is_alpha]
        if sum(t.is_title for t in words) > 0.5 * len(words):
            return None  # a title in marks ("told “Good Morning America”")
        subject = self._same_paragraph(subject_of(verb, nouns=self.lexicon.nouns), verb)
        if subject is None or not can_hold_a_view(subject) or not_a_source(subject):
            return None
        return Candidate(span.start, span.end, "partial", cue_text(verb), speaker_token=subject)

    def _complement(self, cue: Token, span: QuotedSpan) -> tuple[int, int]:
        """What a naming cue says, quoted words and all: 'called [Trump a “liar” and a “bully”]'."""
        args = [c for c in cue.rights if _argument_of_cue(c) and self.paragraph_of[c.i] == self.paragraph_of[cue.i]
                and c.left_edge.idx < span.end]  # what comes after the quoted words ("on Monday") is not said
        if not args:
            return span.start, span.end
        first, last = trimmed(self.doc, _past_preposition(args[0]), args[-1].right_edge.i + 1)
        if last <= first:
            return span.start, span.end
        start, end = self.doc[first].idx, self.doc[last - 1].idx + len(self.doc[last - 1].text)
        # never cut inside the marks: the quoted words are whole, with their marks
        start, end = min(start, span.start - 1), max(end, span.end + 1)
        return max(0, start), min(len(self.text), end)

    def _resumes_previous(self, first: int) -> bool:
        """ “A,” he said, “b ...” or “A,” but “b ...”: the second part finishes the sentence
        the first began (same speaker, one quote)."""
        # up to 40 words between: '“The risk,” said E. L., an economist who directs ..., “is that ...”'
        before = frame_before(self.doc, first - 1, self.inside, limit=40)
        words = [t for t in before if t.text not in MARK_TOKENS]
        start = before[0].i if before else first - 1
        previous = start - 1
        while previous >= 0 and (self.doc[previous].text in MARK_TOKENS or self.doc[previous].is_space):
            previous -= 1
        if previous < 0 or self.inside[previous] < 0 or "\n" in self.text[self.doc[previous].idx : self.doc[first].idx]:
            return False
        if all(t.is_punct or t.lower_ in ("but", "and", "or") for t in words):
            return True
        if words[-1].lower_ not in (",", ":", "--", "\u2014", "but", "and"):
            return False
        cues = [t for t in words if self.lexicon.verb_class(t.lemma_) and t.pos_ in ("VERB", "AUX")]
        return bool(cues) and all(t.i in self.used_cues for t in cues)

    def _quote_kind(self, span: QuotedSpan, first_token: int) -> str:
        first_alpha = next((ch for ch in self.text[span.start : span.start + 40] if ch.isalpha()), "")
        before = frame_before(self.doc, first_token - 1, self.inside)
        before = [t for t in before if t.text not in MARK_TOKENS]
        opens_clause = not before or before[-1].text in (",", ":")
        return "direct" if first_alpha.isupper() and (opens_clause or span.paragraphs > 1) else "partial"

    def _cue_in_tree(self, first: int, end: int) -> tuple[Token, Token] | None:
        """The reporting verb above the quotation in the parse: quoted text is usually its object."""
        outside = range(first, end)
        roots = [t for t in self.doc[first:end]
                 if (not (first <= t.head.i < end) or t.head.i == t.i) and not (t.is_punct or t.is_space)]
        # the sentence holding the quote's end first: "“...,” Fidan told reporters"
        closes_sentence = self._ends_sentence(first, end)
        for token in sorted(roots, key=lambda t: -t.i):
            found = governing_cue(token, outside, self.lexicon, self.paragraph_of)
            if found is None or found[0].i in self.used_cues:
                continue
            if found[0].i >= end and closes_sentence:
                continue  # the parser joined two sentences: '“... kidding.” To which she said'
            return found
        return None

    def _ends_sentence(self, first: int, end: int) -> bool:
        """The quotation ends its sentence and the next one starts right after it."""
        if self.doc[end - 1].text not in SENTENCE_END:
            return False
        after = [t for t in frame_after(self.doc, end, self.inside, limit=3) if t.text not in MARK_TOKENS]
        return bool(after) and after[0].is_title and after[0].pos_ != "PROPN" and after[0].lower_ not in _PRONOUNS

    def _quoted_by_frame(self, span: QuotedSpan, first: int, end: int) -> Candidate:
        after = [t for t in frame_after(self.doc, end, self.inside) if t.text not in MARK_TOKENS]
        if self._ends_sentence(first, end):
            after = []  # the next sentence is not this quote's frame
        for token in after[:8]:
            if token.lower_ == "according" and token.i + 1 < len(self.doc):
                return Candidate(span.start, span.end, "direct", "according to", speaker_token=object_of_to(token))
            if self.lexicon.verb_class(token.lemma_) and token.pos_ in ("VERB", "AUX") and token.i not in self.used_cues:
                self.used_cues.add(token.i)
                speaker = self._same_paragraph(subject_of(token, allow_inversion=True, nouns=self.lexicon.nouns), token)
                return Candidate(span.start, span.end, "direct", cue_text(token),
                                 speaker_token=speaker or self._name_near(token))
        if after and after[0].text.lstrip(_MARK_CHARS) in DASHES and len(after) > 1:
            names = [t for t in after[1:] if t.pos_ == "PROPN" or t.is_title]
            if names:
                return Candidate(span.start, span.end, "direct", after[0].text.lstrip(_MARK_CHARS),
                                 speaker_chars=(after[1].idx, names[-1].idx + len(names[-1].text)))
        before = [t for t in frame_before(self.doc, first - 1, self.inside) if t.text not in MARK_TOKENS]
        if not before:
            before = self._previous_line_if_colon(first)
        if before:
            for token in reversed(before):
                if self.lexicon.verb_class(token.lemma_) and token.pos_ in ("VERB", "AUX") and token.i not in self.used_cues:
                    self.used_cues.add(token.i)
                    inverted = token.i == before[0].i and token.i + 1 < first and self.doc[token.i + 1].pos_ == "PROPN"
                    speaker = self.doc[token.i + 1] if inverted else subject_of(token, nouns=self.lexicon.nouns)  # "Said Ellis: ..."
                    return Candidate(span.start, span.end, "direct", cue_text(token),
                                     speaker_token=self._same_paragraph(speaker, token))
            if before[-1].text == ":":
                named = [t for t in before if t.ent_type_ in ("PERSON", "ORG")]
                subjects = [t for t in before if t.dep_ == "nsubj" and t.lower_ not in _SKIP_SUBJECTS]
                if named or subjects:
                    return Candidate(span.start, span.end, "direct", ":", speaker_token=(subjects or named)[-1])
        return Candidate(span.start, span.end, "direct", follows_previous=True)

    def _name_near(self, cue: Token, reach: int = 8) -> Token | None:
        """When the parse gives the cue no subject: the closest name beside it, outside quotes
        ('“...,” said Rep. Ann Lee (D-Md.), ...')."""
        here = self.paragraph_of[cue.i]
        for distance in range(1, reach + 1):
            for i in (cue.i + distance, cue.i - distance):
                if 0 <= i < len(self.doc) and self.paragraph_of[i] == here and self.inside[i] < 0:
                    token = self.doc[i]
                    if token.ent_type_ in ("PERSON", "ORG") and token.ent_iob_ != "O":
                        while token.i + 1 < len(self.doc) and self.doc[token.i + 1].ent_iob_ == "I":
                            token = self.doc[token.i + 1]
                        return token
        return None

    def _same_paragraph(self, token: Token | None, anchor: Token) -> Token | None:
        """The speaker token if it can be one: in the cue's paragraph and not inside a quotation."""
        if token is None or self.paragraph_of[token.i] != self.paragraph_of[anchor.i] or self.inside[token.i] >= 0:
            return None
        return token

    def _previous_line_if_colon(self, first: int) -> list[Token]:
        """'Trump said:' closing the paragraph before a quotation that fills its own."""
        i = first - 1
        while i >= 0 and (self.doc[i].is_space or self.doc[i].text in MARK_TOKENS):
            i -= 1
        if i < 0 or self.doc[i].text != ":" or self.inside[i] >= 0:
            return []
        return frame_before(self.doc, i + 1, self.inside)

    # -- speakers -------------------------------------------------------------------
    def _resolve(self, candidates: list[Candidate]) -> list[Quote]:
        quotes: list[Quote] = []
        last: tuple[Quote, int] | None = None   # the last quoted speech and its paragraph
        recent: tuple[ActorRef, int] | None = None  # the last speaker named and their paragraph
        for cand in candidates:
            paragraph = bisect_right(self.paragraph_starts, cand.start) - 1
            if cand.follows_previous:
                if last is not None and last[1] == paragraph and (cand.joins_previous or self._short_gap(last[0].end, cand.start)):
                    _extend(last[0], self.text, cand)
                    continue
                if last is not None and last[1] >= paragraph - 1:
                    quote = self._quote(cand, _copy(last[0].speaker), last[0].cue)
                    quotes.append(quote)
                    last = (quote, paragraph)
                    continue
                if not self.keep_orphans or len(self.text[cand.start:cand.end].split()) < _MIN_WORDS_ORPHAN:
                    continue
                if recent is not None and recent[1] >= paragraph - 1:  # the speaker of the lines just before
                    quotes.append(self._quote(cand, replace(recent[0]), None))
                    continue
            speaker = self._speaker(cand)
            if speaker is not None:
                recent = (speaker.ref, paragraph)
            elif cand.kind == "direct" and recent is not None and recent[1] >= paragraph - 1:
                quotes.append(self._quote(cand, replace(recent[0]), cand.cue))  # "..., he went on to say"
                continue
            quote = self._quote(cand, speaker.ref if speaker else None, cand.cue)
            quotes.append(quote)
            if cand.kind == "direct":
                last = (quote, paragraph)
        return quotes

    def _short_gap(self, end: int, start: int) -> bool:
        """Only "X said" between two quotations: one quote told in two parts. A longer aside
        ("X said after the hearing ended.") closes the first; the next is a quote of its own."""
        return len(self.text[end:start].split()) <= _MAX_JOIN_GAP_WORDS

    def _speaker(self, cand: Candidate) -> Speaker | None:
        if cand.speaker_chars is not None:
            return self.resolver.named_text(*cand.speaker_chars)
        if cand.speaker_token is not None:
            return self.resolver.from_token(cand.speaker_token)
        return None

    def _quote(self, cand: Candidate, speaker, cue: str | None) -> Quote:
        if cand.pieces:
            text = " ".join(self.text[a:b] for a, b in cand.pieces)
        else:
            text = self.text[cand.start:cand.end]
        return Quote(text=text, kind=cand.kind, speaker=speaker, cue=cue, start=cand.start, end=cand.end,
                     stance=stance_of(cue))


_ARGUMENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "oprd", "attr", "acomp", "advcl", "dep", "parataxis", "npadvmod"})


def _past_preposition(arg: Token) -> int:
    """Where a naming cue's content starts: after "as" ("described as [“...”]"), which
    belongs to the cue."""
    if arg.dep_ == "prep" and arg.i + 1 <= arg.right_edge.i:
        return arg.i + 1
    return arg.left_edge.i


def _sentence_subject(token: Token) -> Token | None:
    """The named subject of the sentence's main clause, before ``token``."""
    for candidate in token.sent:
        if candidate.i >= token.i:
            break
        if candidate.dep_ == "nsubj" and candidate.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            return candidate
    return None


def _argument_of_cue(child: Token) -> bool:
    """Whether the quotation sits in what the cue verb says ("described as “...”", "called it “...”")."""
    return child.dep_ in _ARGUMENT_DEPS or (child.dep_ == "prep" and child.lower_ == "as")


def _share_inside(token: Token, first: int, end: int) -> float:
    subtree = range(token.left_edge.i, token.right_edge.i + 1)
    return sum(1 for i in subtree if first <= i < end) / max(1, len(subtree))


def _speaker_inside(cand: Candidate) -> bool:
    """The words taken for the speaker are part of the content ("known as the “Black
    Death”"): a name given to something, nobody's words."""
    token = cand.speaker_token
    return cand.kind == "partial" and token is not None and not cand.pieces and cand.start <= token.idx < cand.end


def _drop_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep one attribution per stretch of text (sorted by start): the first found wins."""
    kept: list[Candidate] = []
    for cand in candidates:
        if kept and cand.start < kept[-1].end and not kept[-1].pieces:
            overlap = min(cand.end, kept[-1].end) - cand.start
            if overlap > 0.5 * min(cand.end - cand.start, kept[-1].end - kept[-1].start):
                continue
        kept.append(cand)
    return kept


def _extend(quote: Quote, text: str, cand: Candidate) -> None:
    quote.text = f"{quote.text} {text[cand.start:cand.end]}"
    quote.end = cand.end


def _copy(speaker: ActorRef | None) -> ActorRef | None:
    return replace(speaker) if speaker is not None else None
