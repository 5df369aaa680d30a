"""The PLOVER event coder: the spaCy component ``dateline_events``.

It runs last, after actors, timex, geo and quotes, and sets ``doc._.events``. Per
sentence: find the triggers (``triggers``), read source and target off the parse
(``parties``, over the ``arguments`` index), set type, mode and CAMEO root from the codebook, factuality from
auxiliaries and negation, background and date from the clause (``status``, ``context``),
evidence as the clause's character span (``clauses``), and a confidence from how complete
the match was (``scoring``); drafts are merged and completed in ``drafts``.
Everything is one pass over the tokens plus short walks in the parse: O(tokens).
"""
from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dateline.events.arguments import FIRST_PERSON, ActorIndex, Dyad, Found, pronoun_in
from dateline.events.casualties import CASUALTY_TYPES, casualties_in
from dateline.events.clauses import (
    BACKGROUND_PREPS, char_span_of, clause_head_of, clause_tokens, dateline_prefix, near_anchor, obliged, passive, speakers,
)
from dateline.events.codebook import COOPERATIVE_TYPES, HOSTILE_TYPES, Codebook, load_codebook
from dateline.events.context import Places, Times, conditional, factuality, pick_time, same_day
from dateline.events.drafts import (
    PLACE_SOURCE_TYPES, Draft, draft_confidence, fill_from_place, home_country, implied_state, intent_type, merge, protest_demands, says_internal, self_dyad,
)
from dateline.events.parties import VERBAL_TYPES, Parties, same_actors
from dateline.events.relevance import draft_relevant, sentence_discarded, story_discarded
from dateline.events.scoring import final_confidence
from dateline.events.review import review
from dateline.events.status import before_news, cancelled, marked_earlier, time_clause_head, unrealised
from dateline.events.triggers import Trigger, find_triggers
from dateline.model import ActorRef, Event

@Language.factory("dateline_events", default_config={"min_confidence": 0.0, "intent_events": True,
                                                     "cameo_lexicon": False},
                  requires=["doc._.actors", "doc._.mentions", "doc._.times", "doc._.places", "doc._.quotes"],
                  assigns=["doc._.events"])
def make_component(nlp: Language, name: str, min_confidence: float, intent_events: bool,
                   cameo_lexicon: bool) -> "EventCoder":
    return EventCoder(min_confidence=min_confidence, intent_events=intent_events, cameo_lexicon=cameo_lexicon)


class EventCoder:
    """Sets ``doc._.events``: every event the body states, with its evidence."""

    def __init__(self, min_confidence: float = 0.0, intent_events: bool = True, cameo_lexicon: bool = False):
        self.min_confidence = min_confidence
        self.intent_events = intent_events
        # off by default: curated, it helps the tuned parts but still adds wrong events on
        # the held-out ones (measured in data/events/README.md)
        self.codebook = load_codebook(cameo=cameo_lexicon)

    def __call__(self, doc: Doc) -> Doc:
        events = code_events(doc, self.codebook, self.intent_events)
        doc._.events = [e for e in events if e.confidence >= self.min_confidence]
        return doc


def code_events(doc: Doc, cb: Codebook | None = None, intent_events: bool = True,
                trace: list[dict] | None = None) -> list[Event]:
    """``trace``: a list that gets one entry per trigger seen (coded, changed or dropped, and
    why), for ``dateline explain``; None (the default) costs nothing."""
    cb = cb or load_codebook()
    coder = _DocCoder(doc, cb, intent_events, trace)
    return coder.run()


class _DocCoder:
    def __init__(self, doc: Doc, cb: Codebook, intent_events: bool, trace: list[dict] | None = None):
        self.trace = trace
        self.doc = doc
        self.cb = cb
        self.intent_events = intent_events
        self.text = doc.text  # Doc.text joins every token anew on each access: read it once
        self.prefix_end = dateline_prefix(doc, self.text)
        self.index = ActorIndex(doc, speakers(doc), skip_before=self.prefix_end)
        self.focus_date: str | None = None
        self.times = Times(doc)
        self.places = Places(doc, self.text)
        self.dyad = Dyad()
        self.parties = Parties(doc, cb, self.index, self.dyad, self.prefix_end)
        self.last_date: str | None = None
        self.report = cb.role("report")

    def run(self) -> list[Event]:
        events: list[Event] = []
        if story_discarded(self.text):
            self._note(None, "dropped", "the text matches a discard pattern of the whole story (discards.tsv)")
            return events
        self.dyad.see([(i, self.index.by_token[i]) for i in self.index.mention_start if i not in self.index.places])
        for sent in self.doc.sents:
            if sentence_discarded(sent):
                self._note(sent, "dropped", "the sentence matches a discard pattern (discards.tsv)")
                continue
            counts: list[dict] | None = None
            sentence_events: list[Event] = []
            sentence_drafts: list[Draft] = []
            for draft in self._sentence(sent):
                event = self._event(draft, sent)  # fills parties from the place: judge after it
                if self_dyad(event.source, event.target) and not says_internal(sent):
                    event.target = []  # "their first meeting" read as Russia -> Russia: the other side is unknown
                    self._note(sent, "changed", "target left unknown: the same actor as the source, and no "
                               "word says the act is internal", draft)
                if draft_relevant(event.type, event.source, event.target, self.doc,
                                  draft.source.how, draft.target.how, passive(draft.trigger.head)):
                    if event.type in CASUALTY_TYPES:
                        counts = casualties_in(sent) if counts is None else counts
                        event.casualties = [dict(c) for c in counts]
                    sentence_events.append(event)
                    sentence_drafts.append(draft)
                else:
                    self._note(sent, "dropped", "no political actor on either side (or no source for an act "
                               "that needs one)", draft)
            for event, draft in zip(sentence_events, sentence_drafts):
                raw = event.confidence
                event.confidence = final_confidence(event.confidence, event.factuality,
                                                    bool(event.source and event.target), len(sentence_events) - 1)
                self._note(sent, "coded", "", draft, event=event, raw=raw, others=len(sentence_events) - 1)
            events.extend(sentence_events)
        return review(events, self.doc)

    # -- one sentence ---------------------------------------------------------
    def _sentence(self, sent: Span) -> list[Draft]:
        triggers, matches = find_triggers(sent, self.cb, self.index)
        drafts, claimed = self._reported_obligations(sent)
        for trigger in triggers:
            if trigger.token.i in claimed or trigger.head.i in claimed:
                self._note(sent, "dropped", "part of a reported obligation ('X said Y must ...'), coded as "
                           "X's REQUEST", trigger=trigger)
                continue
            drafts.extend(self._drafts(trigger, matches, sent))
        demands = protest_demands(drafts)
        if self.trace is not None:
            for draft in (d for d in drafts if not any(x is d for x in demands)):
                self._note(sent, "dropped", "what protesters demand is their protest's content", draft)
        drafts = demands
        foreground = [d for d in drafts if not d.background]
        kept = [d for d in drafts if not d.background or not foreground
                or (d.source.how == "explicit" and d.target.how == "explicit"
                    and d.source.countries and d.target.countries)
                or self._dated_before_news(d, sent)]
        # violence and protest with no side named may still take the place they happen in
        merged = merge([d for d in kept if d.source or d.target or d.type in PLACE_SOURCE_TYPES])
        if self.trace is not None:
            self._note_dropped_drafts(sent, drafts, kept, merged)
        return merged

    def _note_dropped_drafts(self, sent: Span, drafts: list[Draft], kept: list[Draft], merged: list[Draft]) -> None:
        for draft in drafts:
            if not any(k is draft for k in kept):
                self._note(sent, "dropped", "a background clause beside the sentence's news", draft)
            elif not (draft.source or draft.target or draft.type in PLACE_SOURCE_TYPES):
                self._note(sent, "dropped", "neither a source nor a target found in the parse", draft)
            elif not any(m is draft for m in merged):
                self._note(sent, "dropped", f"merged into the sentence's other {draft.type} of the same source", draft)

    def _note(self, sent: Span | None, verdict: str, reason: str, draft: "Draft | None" = None,
              trigger: Trigger | None = None, event: Event | None = None, **parts: object) -> None:
        """One line of the trace (``dateline explain``): nothing is done without one."""
        if self.trace is None:
            return
        trigger = trigger or (draft.trigger if draft else None)
        item: dict = {"verdict": verdict, "reason": reason,
                      "sentence": [sent.start_char, sent.end_char] if sent is not None else None}
        if trigger is not None:
            item.update(trigger=trigger.token.text, via=trigger.via, pattern=trigger.entry.id,
                        rationale=getattr(trigger.entry, "rationale", None))
        if draft is not None:
            item.update(type=draft.type, pattern=draft.entry.id, factuality=draft.factuality,
                        source_how=draft.source.how if draft.source else None,
                        target_how=draft.target.how if draft.target else None,
                        source=[r.name for r in draft.source.refs], target=[r.name for r in draft.target.refs],
                        specific=draft.entry.specificity > 0, background=draft.background, derived=draft.derived)
        if event is not None:
            item.update(start=event.start, end=event.end, confidence=event.confidence)
        item.update(parts)
        self.trace.append(item)

    def _shared_time(self, verb: Token, sent: Span, trigger_char: int):
        """'At their meetings in May, both sides agreed ... and exchanged drafts': a fronted
        adjunct of the first verb belongs to every verb coordinated with it."""
        head = verb.head
        for child in head.children:
            if child.dep_ in {"prep", "npadvmod"} and child.i < head.i:
                start, end = char_span_of(self.doc, {t.i for t in child.subtree}, sent)
                time = pick_time(self.times, (start, end), None, trigger_char)
                if time is not None:
                    return time
        return None

    def _governing_clause_time(self, noun: Token, sent: Span):
        """A noun event takes the time of the clause it is part of ("talks held in May yielded
        agreements on swaps": the agreements are of May), not of other clauses."""
        verb = noun.head
        for _ in range(6):  # up to the verb that has a subject: the clause ("talks ... yielded progress, restricted to agreements")
            finite = verb.pos_ in {"VERB", "AUX"} and any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)
            own_clause = verb.dep_ in {"relcl", "ccomp", "parataxis"} or (
                verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children))  # participles share it
            if finite or verb.head.i == verb.i or own_clause:
                break
            verb = verb.head
        if verb.pos_ not in {"VERB", "AUX"}:
            return None
        start, end = char_span_of(self.doc, clause_tokens(verb, noun), sent)
        return pick_time(self.times, (start, end), None, noun.idx)

    def _dated_before_news(self, draft: Draft, sent: Span) -> bool:
        """A scene-setting clause with its own past date ("Crimea, which was annexed in 2014"):
        an event of its own, kept and marked background."""
        start, end = char_span_of(self.doc, draft.tokens, sent)
        return before_news(pick_time(self.times, (start, end), None, draft.trigger.token.idx),
                           self.doc._.anchor_date)

    def _drafts(self, trigger: Trigger, matches: dict, sent: Span) -> list[Draft]:
        entry = trigger.entry
        clause_head = clause_head_of(trigger)
        draft = Draft(entry=entry, type=entry.type, trigger=trigger, clause_head=clause_head, mode=entry.mode)
        draft.source = self.parties.source(trigger, sent)
        draft.target = self.parties.target(trigger, sent, draft.source)
        if entry.intent:
            draft.type, draft.basis = intent_type(trigger.token, matches, self.cb)
        mood_tokens = [trigger.token] + ([trigger.light] if trigger.light is not None else [])
        draft.factuality = factuality(mood_tokens, self.cb)
        if cancelled(trigger.token, clause_head, self.cb):
            draft.factuality = "negated"  # called off, failed, out of reach: it did not happen
        elif draft.factuality == "asserted" and unrealised(clause_head, self.cb):
            draft.factuality = "possible"  # "if Iran attacks ...", "wants X to ...": not a report
        draft.background = self._background(clause_head)
        draft.mode = draft.mode or self._mode(draft)
        out = [draft]
        if draft.factuality == "negated" and draft.type in COOPERATIVE_TYPES:
            rule = self.cb.entry("rule.negated-cooperation")
            draft.entry, draft.type, draft.mode = replace(entry, id=f"{rule.id}:{entry.id}", type="REJECT",
                                                          cameo=rule.cameo), "REJECT", None
            draft.factuality = "asserted"  # refusing ("will not discuss") is itself an act: an asserted REJECT
        elif (self.intent_events and draft.factuality == "future" and not entry.intent
              and draft.type not in VERBAL_TYPES):
            hostile = draft.type in HOSTILE_TYPES or (draft.type == "RETREAT" and conditional(trigger.token))
            rule = self.cb.entry("rule.intent-hostile" if hostile else "rule.intent-cooperate")
            intent = replace(draft, entry=replace(rule, id=f"{rule.id}:{entry.id}"), type=rule.type,
                             factuality="asserted", derived=True, mode=None)
            out.append(intent)
        for item in out:
            self.parties.fill_dyad(item)
            item.tokens = self._evidence_tokens(item, sent)
            item.confidence = draft_confidence(item)
        return out

    def _reported_obligations(self, sent: Span) -> tuple[list[Draft], set[int]]:
        """'X said Y must do Z' -> X REQUEST Y; 'X wants Y to do Z', 'X would like to see Y
        do Z' -> X REQUEST Y (a wish for another's act: CAMEO 10). The complement's own event
        is absorbed."""
        drafts, claimed = [], set()
        deontic = self.cb.role("deontic")
        desire = self.cb.role("desire")
        for verb in sent:
            lemma = verb.lemma_.lower()
            if verb.pos_ != "VERB" or (lemma not in self.report and lemma not in desire):
                continue
            rule = self.cb.entry("rule.reported-obligation" if lemma in self.report else "rule.wish")
            for comp in self._requested_acts(verb, lemma in desire, deontic):
                subject = next((c for c in comp.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subject is not None and pronoun_in(subject, FIRST_PERSON):
                    continue
                if subject is None and lemma in desire:
                    continue  # "Kyiv wants to lay the groundwork": its own intent, no one asked
                draft = self._request_draft(rule, verb, comp, subject, sent)
                if draft is not None:
                    drafts.append(draft)
                    claimed.update({comp.i} | {c.i for c in comp.children if c.dep_ in {"dobj", "xcomp"}})
        return drafts, claimed

    @staticmethod
    def _requested_acts(verb: Token, wish: bool, deontic: frozenset[str]) -> list[Token]:
        if not wish:
            return [c for c in verb.children if c.dep_ == "ccomp" and obliged(c, deontic)]
        out = [c for c in verb.children if c.dep_ == "ccomp"]
        for xcomp in (c for c in verb.children if c.dep_ == "xcomp" and c.lemma_.lower() == "see"):
            out += [c for c in xcomp.children if c.dep_ == "ccomp"]  # "would like to see China agree"
        return [c for c in out if c.pos_ in {"VERB", "AUX"}]

    def _request_draft(self, rule, verb: Token, comp: Token, subject: Token | None, sent: Span) -> Draft | None:
        trigger = Trigger(rule, verb, verb)
        draft = Draft(entry=rule, type="REQUEST", trigger=trigger, clause_head=verb)
        draft.source = self.parties.source(trigger, sent)
        draft.target = self.parties.resolve(subject, sent) if subject is not None else Found()
        if draft.target and draft.source and same_actors(draft.source.refs, draft.target.refs):
            return None
        draft.factuality = factuality([verb], self.cb)
        draft.background = self._background(verb)
        draft.mode = self._mode(draft, comp)
        self.parties.fill_dyad(draft)
        draft.tokens = self._evidence_tokens(draft, sent)
        draft.confidence = draft_confidence(draft)
        return draft

    # -- arguments --------------------------------------------------------------

    # -- circumstances ----------------------------------------------------------
    def _background(self, head: Token) -> bool:
        """A clause that sets the scene (relative, temporal, purpose) rather than reporting."""
        subordinators = self.cb.role("subordinator")
        speech = self.cb.role("speech_noun")
        current = head
        for _ in range(12):
            dep = current.dep_
            if dep == "relcl" and current.head.lemma_.lower() not in speech:
                return True
            if dep in {"advcl", "acl"}:
                marks = {c.lower_ for c in current.children if c.dep_ in {"mark", "aux"}}
                if marks & subordinators or "to" in marks:
                    return True
            if dep == "pcomp" and current.head.lower_ in BACKGROUND_PREPS:
                return True
            if dep == "pobj" and current.head.lower_ in BACKGROUND_PREPS:
                return True
            if current.head.i == current.i:
                return False
            current = current.head
        return False

    def _mode(self, draft: Draft, extra: Token | None = None) -> str | None:
        cues = self.cb.modes.get(draft.type)
        if not cues:
            return None
        head = extra if extra is not None else draft.clause_head
        for token in head.subtree:
            mode = cues.get(token.lemma_.lower()) or cues.get(token.lower_)
            if mode:
                return mode
        return None

    def _evidence_tokens(self, draft: Draft, sent: Span) -> set[int]:
        tokens = clause_tokens(draft.clause_head, draft.trigger.token)
        for found in (draft.source, draft.target):
            tokens.update(t.i for t in found.tokens if sent.start <= t.i < sent.end)
        return {i for i in tokens if sent.start <= i < sent.end and i >= self.prefix_end}

    def _event(self, draft: Draft, sent: Span) -> Event:
        start, end = char_span_of(self.doc, draft.tokens, sent)
        trigger = draft.trigger
        words = [trigger.light.text, trigger.token.text] if trigger.via == "light" and trigger.light is not None \
            else [trigger.token.text]
        dating = time_clause_head(draft.clause_head)
        if dating is not None:  # "the last time they met was in 2019": the copula's clause dates it
            start_d, end_d = char_span_of(self.doc, clause_tokens(dating, draft.trigger.token), sent)
            time = pick_time(self.times, (start_d, end_d), None, trigger.token.idx)
        else:
            time = pick_time(self.times, (start, end), None, trigger.token.idx)
            if time is None and draft.clause_head.dep_ == "conj":
                time = self._shared_time(draft.clause_head, sent, trigger.token.idx)
            if time is None and trigger.via in {"noun", "light", "acl"}:
                time = self._governing_clause_time(trigger.token, sent)
        background = (before_news(time, self.doc._.anchor_date) or dating is not None
                      or marked_earlier(trigger.token, self.cb))
        date, date_text = None, None
        if time is not None:
            date = time.value or (time.values[0] if time.values else None)
            date_text = time.text
            self.last_date = date
        elif same_day(sent) and self.last_date:
            date, date_text = self.last_date, "the same day"
        elif not background:  # the day the article is about, else the article's own date
            date = self.focus_date or self.doc._.anchor_date or None
        if time is not None and date and near_anchor(date, self.doc._.anchor_date):
            self.focus_date = date
        clause = self.doc.char_span(start, end, alignment_mode="expand") or sent
        local = self.places.for_clause(clause, trigger.token.idx if trigger.token.pos_ != "VERB" else None)
        place = local or self.places.dateline()
        home = (local or self.places.any_in(clause) or self.places.dateline())
        country = home.country if home is not None and home.country else self.dyad.leading()
        implied_state(draft, country, self.cb)
        home_country(draft, country, self.dyad.dominant())
        fill_from_place(draft, local or self.places.any_in(clause))
        return Event(
            type=draft.type, mode=draft.mode, cameo=draft.entry.cameo,
            source=[_copy(r) for r in draft.source.refs], target=[_copy(r) for r in draft.target.refs],
            date=date, date_text=date_text, place=replace(place) if place else None,
            evidence=self.text[start:end], start=start, end=end, factuality=draft.factuality,
            confidence=draft.confidence, trigger=" ".join(words), pattern=draft.entry.id, issues=[],
            background=background,
        )


def _copy(ref: ActorRef) -> ActorRef:
    return replace(ref)
