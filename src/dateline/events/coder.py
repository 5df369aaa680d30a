"""The PLOVER event coder: the spaCy component ``dateline_events``.

It runs last, after actors, timex, geo and quotes, and sets ``doc._.events``. Per
sentence: find the triggers (``triggers``), read source and target off the parse
(``arguments``), set type, mode and CAMEO root from the codebook, factuality from
auxiliaries and negation, date and place from the clause (``context``), evidence as
the clause's character span, and a confidence from how complete the match was.
Everything is one pass over the tokens plus short walks in the parse: O(tokens).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dateline.events.arguments import (
    FIRST_PERSON, RELATIVE_PRONOUNS, THIRD_PERSON, ANAPHOR_NOUNS, ActorIndex, Dyad, Found, pronoun_in,
)
from dateline.events.codebook import COOPERATIVE_TYPES, HOSTILE_TYPES, Codebook, Entry, load_codebook
from dateline.events.casualties import CASUALTY_TYPES, casualties_in
from dateline.events.scoring import final_confidence, raw_score
from dateline.events.review import review
from dateline.events.relevance import draft_relevant, sentence_discarded, story_discarded
from dateline.events.context import Places, Times, conditional, factuality, helper, pick_time, same_day
from dateline.events.status import before_news, cancelled, marked_earlier, time_clause_head, unrealised
from dateline.events.triggers import Trigger, find_triggers
from dateline.model import SYMMETRIC_TYPES, ActorRef, Event

_resolve_pronoun = helper("dateline.nlp.actors", "resolve_pronoun")
VERBAL_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "AGREE"})
PRUNED_DEPS = frozenset({"advcl", "relcl", "parataxis", "cc", "mark"})
GENERIC_TARGET_PREPS = ("to", "with", "against", "on", "at", "into", "in", "from", "over", "toward", "towards")
PURPOSE_TARGET_TYPES = frozenset({"PROTEST", "ASSAULT"})
# Unattributed violence and protest are coded to the country where they happen (PLOVER/CAMEO
# practice); police, troops and protesters act within their own country unless told otherwise.
PLACE_SOURCE_TYPES = frozenset({"ASSAULT", "COERCE", "PROTEST"})
DOMESTIC_TYPES = frozenset({"PROTEST", "COERCE", "CONCEDE"})  # a curfew lifted, a strike called off: at home
DIRECTED_PREPS = ("to", "with", "against", "on", "from", "over", "toward", "towards")
# Where "in X" names whom the act is done to ("lifted the curfew in Montenegro"), not a venue.
LOCATIVE_TARGET_TYPES = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "CONCEDE", "SANCTION", "AID", "PROTEST",
                                   "RETREAT", "THREATEN"})
PERSONAL_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
BACKGROUND_PREPS = frozenset({"after", "before", "since", "following", "until", "despite", "amid"})
# Words by which a text says an act stays within one actor ("internal talks", "its own
# citizens", "among themselves"); without one, source = target is a misread argument.
INTERNAL_WORDS = frozenset({"internal", "internally", "domestic", "domestically", "own", "themselves",
                            "itself", "intra", "infighting", "rival", "rivals", "factions", "faction"})


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
        # off by default: on plover-dev and the seed pages it adds as many wrong events as
        # right ones (see data/events/README.md); analysts turn it on for wider coverage
        self.codebook = load_codebook(cameo=cameo_lexicon)

    def __call__(self, doc: Doc) -> Doc:
        events = code_events(doc, self.codebook, self.intent_events)
        doc._.events = [e for e in events if e.confidence >= self.min_confidence]
        return doc


@dataclass
class Draft:
    """An event being assembled from one trigger."""

    entry: Entry
    type: str
    trigger: Trigger
    clause_head: Token
    source: Found = field(default_factory=Found)
    target: Found = field(default_factory=Found)
    factuality: str = "asserted"
    background: bool = False
    tokens: set[int] = field(default_factory=set)
    mode: str | None = None
    derived: bool = False
    confidence: float = 0.5
    basis: str | None = None     # the type of the intended act, for intents ("prepared to impose martial law")


def code_events(doc: Doc, cb: Codebook | None = None, intent_events: bool = True) -> list[Event]:
    cb = cb or load_codebook()
    coder = _DocCoder(doc, cb, intent_events)
    return coder.run()


class _DocCoder:
    def __init__(self, doc: Doc, cb: Codebook, intent_events: bool):
        self.doc = doc
        self.cb = cb
        self.intent_events = intent_events
        self.text = doc.text  # Doc.text joins every token anew on each access: read it once
        self.prefix_end = _dateline_prefix(doc, self.text)
        self.index = ActorIndex(doc, _speakers(doc), skip_before=self.prefix_end)
        self.focus_date: str | None = None
        self.times = Times(doc)
        self.places = Places(doc, self.text)
        self.dyad = Dyad()
        self.last_date: str | None = None
        self.report = cb.role("report")

    def run(self) -> list[Event]:
        events: list[Event] = []
        if story_discarded(self.text):
            return events
        self.dyad.see([(i, self.index.by_token[i]) for i in self.index.mention_start if i not in self.index.places])
        for sent in self.doc.sents:
            if sentence_discarded(sent):
                continue
            counts: list[dict] | None = None
            sentence_events: list[Event] = []
            for draft in self._sentence(sent):
                event = self._event(draft, sent)  # fills parties from the place: judge after it
                if _self_dyad(event.source, event.target) and not _says_internal(sent):
                    event.target = []  # "their first meeting" read as Russia -> Russia: the other side is unknown
                if draft_relevant(event.type, event.source, event.target, self.doc,
                                  draft.source.how, draft.target.how, _passive(draft.trigger.head)):
                    if event.type in CASUALTY_TYPES:
                        counts = casualties_in(sent) if counts is None else counts
                        event.casualties = [dict(c) for c in counts]
                    sentence_events.append(event)
            for event in sentence_events:
                event.confidence = final_confidence(event.confidence, event.factuality,
                                                    bool(event.source and event.target), len(sentence_events) - 1)
            events.extend(sentence_events)
        return review(events, self.doc)

    # -- one sentence ---------------------------------------------------------
    def _sentence(self, sent: Span) -> list[Draft]:
        triggers, matches = find_triggers(sent, self.cb, self.index)
        drafts, claimed = self._reported_obligations(sent)
        for trigger in triggers:
            if trigger.token.i in claimed or trigger.head.i in claimed:
                continue
            drafts.extend(self._drafts(trigger, matches, sent))
        drafts = _protest_demands(drafts)
        foreground = [d for d in drafts if not d.background]
        kept = [d for d in drafts if not d.background or not foreground
                or (d.source.how == "explicit" and d.target.how == "explicit"
                    and d.source.countries and d.target.countries)
                or self._dated_before_news(d, sent)]
        return _merge([d for d in kept if d.source or d.target])

    def _shared_time(self, verb: Token, sent: Span, trigger_char: int):
        """'At their meetings in May, both sides agreed ... and exchanged drafts': a fronted
        adjunct of the first verb belongs to every verb coordinated with it."""
        head = verb.head
        for child in head.children:
            if child.dep_ in {"prep", "npadvmod"} and child.i < head.i:
                start, end = _span(self.doc, {t.i for t in child.subtree}, sent)
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
        start, end = _span(self.doc, _clause_tokens(verb, noun), sent)
        return pick_time(self.times, (start, end), None, noun.idx)

    def _dated_before_news(self, draft: Draft, sent: Span) -> bool:
        """A scene-setting clause with its own past date ("Crimea, which was annexed in 2014"):
        an event of its own, kept and marked background."""
        start, end = _span(self.doc, draft.tokens, sent)
        return before_news(pick_time(self.times, (start, end), None, draft.trigger.token.idx),
                           self.doc._.anchor_date)

    def _drafts(self, trigger: Trigger, matches: dict, sent: Span) -> list[Draft]:
        entry = trigger.entry
        clause_head = _clause_head(trigger)
        draft = Draft(entry=entry, type=entry.type, trigger=trigger, clause_head=clause_head, mode=entry.mode)
        draft.source = self._source(trigger, sent)
        draft.target = self._target(trigger, sent, draft.source)
        if entry.intent:
            draft.type, draft.basis = _intent_type(trigger.token, matches, self.cb)
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
            self._fill_dyad(item)
            item.tokens = self._evidence_tokens(item, sent)
            item.confidence = _confidence(item)
        return out

    def _reported_obligations(self, sent: Span) -> tuple[list[Draft], set[int]]:
        """'X said Y must do Z' -> X REQUEST Y (the complement's own event is absorbed)."""
        drafts, claimed = [], set()
        deontic = self.cb.role("deontic")
        rule = self.cb.entry("rule.reported-obligation")
        for verb in sent:
            if verb.lemma_.lower() not in self.report or verb.pos_ != "VERB":
                continue
            for comp in verb.children:
                if comp.dep_ != "ccomp" or not _obliged(comp, deontic):
                    continue
                subject = next((c for c in comp.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subject is not None and pronoun_in(subject, FIRST_PERSON):
                    continue
                trigger = Trigger(rule, verb, verb)
                draft = Draft(entry=rule, type="REQUEST", trigger=trigger, clause_head=verb)
                draft.source = self._source(trigger, sent)
                draft.target = self._resolve(subject, sent) if subject is not None else Found()
                if draft.target and draft.source and _same(draft.source.refs, draft.target.refs):
                    continue
                draft.factuality = factuality([verb], self.cb)
                draft.background = self._background(verb)
                draft.mode = self._mode(draft, comp)
                self._fill_dyad(draft)
                draft.tokens = self._evidence_tokens(draft, sent)
                draft.confidence = _confidence(draft)
                drafts.append(draft)
                claimed.update({comp.i} | {c.i for c in comp.children if c.dep_ in {"dobj", "xcomp"}})
        return drafts, claimed

    # -- arguments --------------------------------------------------------------
    def _source(self, trigger: Trigger, sent: Span) -> Found:
        if trigger.via == "noun":
            return self._noun_agent(trigger.token, sent)
        if trigger.via == "acl" and trigger.light is not None:
            agent = _agent(trigger.light)
            found = self._resolve(agent, sent) if agent is not None else Found()
            return found or self._noun_agent(trigger.token, sent)
        return self._verb_subject(trigger.head, sent, depth=0)

    def _noun_agent(self, noun: Token, sent: Span) -> Found:
        for child in noun.children:
            if child.dep_ == "poss":
                return self._resolve(child, sent)
        for child in noun.children:
            if child.dep_ in {"prep", "agent"} and child.lower_ in {"by", "from"}:
                pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
                if pobj is not None:
                    return self._resolve(pobj, sent)
        refs = [(c, self.index.ref(c)) for c in noun.children if c.dep_ in {"compound", "amod"}]
        refs = [(c, r) for c, r in refs if r is not None]
        if refs:
            return Found([r for _, r in refs], [c for c, _ in refs])
        return Found()

    def _verb_subject(self, verb: Token, sent: Span, depth: int) -> Found:
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "csubj"} and c.i >= self.prefix_end]
        if subjects:  # the one nearest the verb ("ISTANBUL: Delegations ... returned")
            subject = min(subjects, key=lambda c: abs(verb.i - c.i))
            return self._resolve(subject, sent) or self._possessor(subject, sent) or _unresolved(subject)
        agent = _agent(verb)
        if agent is not None:
            return self._resolve(agent, sent)
        if depth > 4 or verb.head.i == verb.i:
            return Found()
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            return Found()  # a passive without its "by" phrase names no doer
        head = verb.head
        if verb.dep_ == "relcl" or (verb.dep_ == "acl" and verb.tag_ == "VBG"):
            found = self.index.in_phrase(head)
            if not found and verb.dep_ == "acl" and head.dep_ == "dobj":
                # "issued a declaration demanding ...": the issuer is the source
                return self._verb_subject(head.head, sent, depth + 1)
            return found
        if verb.dep_ in {"xcomp", "conj", "acomp", "advcl", "auxpass"} and head.pos_ in {"VERB", "AUX", "ADJ"}:
            if verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children):
                return Found()
            if verb.dep_ == "xcomp":
                objects = [c for c in head.children if c.dep_ in {"dobj", "dative"}]
                if objects and head.lemma_.lower() in self.cb.role("causative"):
                    return self._verb_subject(head, sent, depth + 1)  # "ordered X to suspend": the orderer acts
                if objects:  # object control: "urged Kigali to honour"
                    return self._resolve(objects[0], sent)
            if verb.dep_ == "conj":  # "X has been indicted ... and will resign": the shared subject
                passive = [c for c in head.children if c.dep_ == "nsubjpass"]
                if passive and not any(c.dep_ in {"nsubj", "csubj"} for c in head.children):
                    return self._resolve(passive[0], sent)
            return self._verb_subject(head, sent, depth + 1)
        return Found()

    def _target(self, trigger: Trigger, sent: Span, source: Found) -> Found:
        places = trigger.entry.type in LOCATIVE_TARGET_TYPES
        for token in self._target_candidates(trigger):
            found = self._resolve(token, sent, places)
            if found and not _same(found.refs, source.refs):
                return _without(found, source)
        return Found()

    def _target_candidates(self, trigger: Trigger) -> list[Token]:
        entry, noun = trigger.entry, trigger.token
        out: list[Token] = []
        if trigger.via in {"noun", "acl"}:
            out += _prep_objects(noun, entry.targets or ("with", "between", "against", "on", "to"))
            out += _complement_subjects(noun)
            return out
        verb = trigger.head
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in self.cb.role("causative"):
            out += [c for c in verb.head.children if c.dep_ in {"dobj", "dative"}]  # the one made to act
        if trigger.via == "verb":
            out += [c for c in verb.children if c.dep_ == "nsubjpass"]
        out += [c for c in verb.children if c.dep_ in {"dobj", "dative"} and c.i != noun.i]
        if entry.prep:  # "called for [sanctions against X]", "insisted on ..."
            out += _prep_objects(verb, (entry.prep,))
        out += _complement_subjects(verb)
        out += _prep_objects(verb, entry.targets)
        frames = entry.intent or entry.type in VERBAL_TYPES
        for comp in _complements(verb) if frames else ():  # "threatened to ban [X]", "refused to deploy troops in [X]"
            out += [c for c in comp.children if c.dep_ in {"dobj", "dative"}]
            out += _prep_objects(comp, GENERIC_TARGET_PREPS + ("for",))
        if trigger.via == "light":
            out += _prep_objects(noun, entry.targets or DIRECTED_PREPS)
            out += [noun]
        generic = GENERIC_TARGET_PREPS if trigger.entry.type in LOCATIVE_TARGET_TYPES else DIRECTED_PREPS
        out += _prep_objects(verb, generic)
        if entry.type in PURPOSE_TARGET_TYPES:  # "staged a hunger strike to protest against [X]"
            for clause in (c for c in verb.children if c.dep_ in {"advcl", "xcomp"}):
                if clause.tag_ == "VBG" or any(a.dep_ == "aux" and a.lower_ == "to" for a in clause.children):
                    out += [c for c in clause.children if c.dep_ in {"dobj", "dative"}]
                    out += _prep_objects(clause, DIRECTED_PREPS)
        return out

    def _resolve(self, token: Token | None, sent: Span, places: bool = False) -> Found:
        """The actors a subject or object phrase stands for, through pronouns and 'both sides'."""
        if token is None:
            return Found()
        lower = token.lower_
        if lower in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
            return self.index.in_phrase(token.head.head)
        if pronoun_in(token, FIRST_PERSON):
            speaker = self.index.speaker(token) or self._reporter(token, sent)
            return Found([speaker], [], "pronoun") if speaker else Found()
        phrase = self.doc[token.left_edge.i: token.right_edge.i + 1].text.lower()
        if any(anaphor in phrase for anaphor in self.cb.anaphors):
            pair = self.dyad.pair()
            if pair:
                return Found(pair, [], "dyad")
        found = self.index.in_phrase(token, places=places)
        if found:
            return found
        definite = any(c.lower_ in {"the", "this", "that"} for c in token.children)
        if pronoun_in(token, THIRD_PERSON) or (token.lemma_.lower() in ANAPHOR_NOUNS and definite):
            return self._antecedent(token, sent)
        return Found()

    def _possessor(self, subject: Token, sent: Span) -> Found:
        """'their forces withdrew': the forces of whoever 'their' stands for."""
        owner = next((c for c in subject.children if c.dep_ == "poss"), None)
        return self._resolve(owner, sent) if owner is not None else Found()

    def _reporter(self, token: Token, sent: Span) -> ActorRef | None:
        for ancestor in token.ancestors:
            if ancestor.lemma_.lower() in self.report:
                subject = next((c for c in ancestor.children if c.dep_ == "nsubj"), None)
                if subject is not None and not pronoun_in(subject, FIRST_PERSON):
                    found = self.index.in_phrase(subject)
                    if found:
                        return found.refs[0]
        root = sent.root
        if root.lemma_.lower() in self.report:
            subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                found = self.index.in_phrase(subject)
                if found:
                    return found.refs[0]
        return None

    def _antecedent(self, token: Token, sent: Span) -> Found:
        found = self._antecedent_candidate(token, sent)
        return found if self._fits_pronoun(token, found) else Found()

    def _fits_pronoun(self, token: Token, found: Found) -> bool:
        """'he', 'him', 'her' stand for a person, never a country or a body ("called him")."""
        if not found or token.lower_ not in PERSONAL_PRONOUNS:
            return True
        actors = self.doc._.actors or {}
        return all(ref.actor in actors and actors[ref.actor].kind == "person" for ref in found.refs)

    def _antecedent_candidate(self, token: Token, sent: Span) -> Found:
        for ancestor in token.ancestors:
            subject = next((c for c in ancestor.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subject is None or subject is token or pronoun_in(subject, THIRD_PERSON | FIRST_PERSON):
                continue
            if subject.i < token.i:
                found = self.index.in_phrase(subject)
                if found:
                    return Found(found.refs, [], "pronoun")
        found = self.index.subject_actor_before(sent, token.i)
        if found:
            return found
        actor = _resolve_pronoun(self.doc, token) if _resolve_pronoun is not None else None
        if actor is not None and actor.owner:
            return Found([actor.ref()], [], "pronoun")
        return self.index.last_actor_before(token.i)

    def _fill_dyad(self, draft: Draft) -> None:
        """'Both sides' and symmetric events: the dyad in focus completes missing parties."""
        symmetric = draft.type in SYMMETRIC_TYPES
        if symmetric and len(draft.source.countries) >= 2 and not draft.target.countries:
            draft.target = Found(list(draft.source.refs), [], draft.source.how)
            return
        if draft.target.countries or draft.background:
            return
        if draft.target and (draft.type in DOMESTIC_TYPES or draft.type == "ASSAULT"):
            return  # named but stateless victims ("Karen guerrillas"): left to the domestic rule
        pair = self.dyad.pair()
        if not pair:
            return
        if not draft.source.countries and symmetric and draft.trigger.via != "verb":
            draft.source = Found(pair, [], "dyad")
            draft.target = Found(list(pair), [], "dyad")
            return
        if draft.source.countries and draft.source.how != "dyad":
            others = [r for r in pair if r.owner not in draft.source.countries]
            if others:
                draft.target = Found(others, [], "dyad")

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
        tokens = _clause_tokens(draft.clause_head, draft.trigger.token)
        for found in (draft.source, draft.target):
            tokens.update(t.i for t in found.tokens if sent.start <= t.i < sent.end)
        return {i for i in tokens if sent.start <= i < sent.end and i >= self.prefix_end}

    def _event(self, draft: Draft, sent: Span) -> Event:
        start, end = _span(self.doc, draft.tokens, sent)
        trigger = draft.trigger
        words = [trigger.light.text, trigger.token.text] if trigger.via == "light" and trigger.light is not None \
            else [trigger.token.text]
        dating = time_clause_head(draft.clause_head)
        if dating is not None:  # "the last time they met was in 2019": the copula's clause dates it
            start_d, end_d = _span(self.doc, _clause_tokens(dating, draft.trigger.token), sent)
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
        if time is not None and date and _near_anchor(date, self.doc._.anchor_date):
            self.focus_date = date
        clause = self.doc.char_span(start, end, alignment_mode="expand") or sent
        local = self.places.for_clause(clause, trigger.token.idx if trigger.token.pos_ != "VERB" else None)
        place = local or self.places.dateline()
        _fill_from_place(draft, local or self.places.any_in(clause))
        return Event(
            type=draft.type, mode=draft.mode, cameo=draft.entry.cameo,
            source=[_copy(r) for r in draft.source.refs], target=[_copy(r) for r in draft.target.refs],
            date=date, date_text=date_text, place=replace(place) if place else None,
            evidence=self.text[start:end], start=start, end=end, factuality=draft.factuality,
            confidence=draft.confidence, trigger=" ".join(words), pattern=draft.entry.id, issues=[],
            background=background,
        )


# -- helpers ------------------------------------------------------------------
def _speakers(doc: Doc) -> dict[int, ActorRef]:
    """Token -> speaker for tokens inside attributed quotes (for 'we' and 'I')."""
    out: dict[int, ActorRef] = {}
    for quote in doc._.quotes or []:
        if quote.speaker is None or not getattr(quote.speaker, "country", None):
            continue
        span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if span is not None:
            for token in span:
                out[token.i] = quote.speaker
    return out


def _dateline_prefix(doc: Doc, text: str) -> int:
    """Tokens of a leading dateline ("ISTANBUL (TDI):", "SHARM EL-SHEIKH, Egypt —"): no actors there."""
    dateline = (doc._.dateline or "").strip().lower()
    if not dateline or len(doc) == 0:
        return 0
    head = text[:80].lower()
    if not head.startswith(dateline.split(",")[0].strip()):
        return 0
    for token in doc[:20]:
        if token.text in {"—", "–", "-", "--", ":", "):"} or token.text.endswith(":"):
            return token.i + 1
    return 0


def _near_anchor(date: str, anchor: str | None) -> bool:
    """A day-precise date within ten days before the article's date: the news' own day."""
    if not anchor or len(date) < 10:
        return False
    from datetime import date as Date

    try:
        gap = (Date.fromisoformat(str(anchor)[:10]) - Date.fromisoformat(date[:10])).days
    except ValueError:
        return False
    return 0 <= gap <= 10


AGENT_ENTITIES = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def _unresolved(subject: Token) -> Found:
    """A subject the actors component could not name ("Islamic fundamentalists"): kept by its words.

    Only people and groups: a plural noun or a named entity, never a pronoun or a thing in
    the singular ("the question would be discussed")."""
    if subject.pos_ not in {"NOUN", "PROPN"} or subject.lemma_.lower() in ANAPHOR_NOUNS:
        return Found()
    if not (subject.tag_ in {"NNS", "NNPS"} or subject.ent_type_ in AGENT_ENTITIES):
        return Found()
    words = [t for t in subject.subtree if t.dep_ not in {"relcl", "acl", "appos", "punct"}]
    name = subject.doc[words[0].i: words[-1].i + 1].text if words else subject.text
    return Found([ActorRef(name=name, mention=name)], [subject], "text")


def _fill_from_place(draft: Draft, place) -> None:
    """Parties the text leaves without a country: the clause's place, else the other side's country."""
    country = place.country if place is not None else None
    ref = ActorRef(name=place.name, country=country) if country else None
    if not draft.target.countries and ref is not None and draft.type in LOCATIVE_TARGET_TYPES:
        draft.target = Found(draft.target.refs + [ref], draft.target.tokens, "place")
    if not draft.source.countries and ref is not None and draft.type in PLACE_SOURCE_TYPES:
        draft.source = Found(draft.source.refs + [ref], draft.source.tokens, "place")
    territorial = draft.mode in {"annex", "occupy", "seize"}  # taking land is done to another, never at home
    if not territorial and (draft.type in DOMESTIC_TYPES or draft.basis in DOMESTIC_TYPES
                            or (draft.type == "ASSAULT" and draft.target)):
        if draft.source.countries and not draft.target.countries:
            draft.target = Found(draft.target.refs + _country_refs(draft.source), draft.target.tokens, "place")
        elif draft.target.countries and not draft.source.countries and draft.type == "PROTEST":
            draft.source = Found(draft.source.refs + _country_refs(draft.target), draft.source.tokens, "place")


def _country_refs(found: Found) -> list[ActorRef]:
    return [ActorRef(name=c, country=c) for c in sorted(found.countries)]


def _passive(verb: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((p for p in child.children if p.dep_ == "pobj"), None)
    return None


def _prep_objects(head: Token, preps: tuple[str, ...] | list[str]) -> list[Token]:
    out = []
    for prep in preps:
        for child in head.children:
            if child.dep_ in {"prep", "dative", "agent", "prt"} and child.lower_ == prep:
                out += [p for p in child.children if p.dep_ == "pobj"]
    return out


def _complements(verb: Token) -> list[Token]:
    """Infinitive complements, through aspectual verbs ("prepared to resume shelling")."""
    out, frontier = [], [c for c in verb.children if c.dep_ == "xcomp"]
    for _ in range(3):
        out += frontier
        frontier = [c for t in frontier for c in t.children if c.dep_ == "xcomp"]
    return out


def _complement_subjects(head: Token) -> list[Token]:
    out = []
    for child in head.children:
        if child.dep_ in {"ccomp", "acl", "xcomp"}:
            out += [c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return out


SEMI_MODALS = frozenset({"need", "have"})  # obligation only as "need to" / "have to" + verb


def _obliged(comp: Token, deontic: frozenset[str]) -> bool:
    """Obligation in reported content: 'must', 'should', 'have to', or a mandative subjunctive
    ('that Israel ease the restrictions': a base-form verb after a singular subject)."""
    if any(c.dep_ == "aux" and c.lower_ in deontic - SEMI_MODALS for c in comp.children):
        return True
    if (comp.tag_ == "VB" and not any(c.dep_ in {"aux", "auxpass"} for c in comp.children)
            and any(c.dep_ == "mark" and c.lower_ == "that" for c in comp.children)
            and any(c.dep_ == "nsubj" and c.tag_ in {"NNP", "NN"} for c in comp.children)):
        return True
    return comp.lemma_.lower() in deontic & SEMI_MODALS and any(c.dep_ == "xcomp" for c in comp.children)


def _intent_type(token: Token, matches: dict, cb: Codebook) -> tuple[str, str | None]:
    """AGREE, or THREATEN when the intended act is hostile ('vowed to fight')."""
    for child in token.children:
        infinitive = child.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in child.children)
        if child.dep_ in {"xcomp", "ccomp"} or infinitive:  # "sworn to fight" (parsed as advcl)
            while child.i not in matches and any(c.dep_ == "xcomp" for c in child.children):
                child = next(c for c in child.children if c.dep_ == "xcomp")  # "prepared to resume shelling"
            entry = matches.get(child.i)
            if entry is None:
                entry = next((matches[o.i] for o in child.children if o.dep_ in {"dobj"} and o.i in matches), None)
            if entry is not None:
                return ("THREATEN" if entry.type in HOSTILE_TYPES else "AGREE"), entry.type
            # the verb cues only hostile acts even where its pattern's conditions fail ("sworn to fight")
            types = {e.type for e in cb.by_lemma.get(child.lemma_.lower(), ()) if e.pos == "VERB"}
            if types and types <= HOSTILE_TYPES:
                return "THREATEN", None
        if child.dep_ == "prep":
            for pobj in child.children:
                entry = matches.get(pobj.i)
                if entry is not None and entry.type in HOSTILE_TYPES:
                    return "THREATEN", entry.type
    return "AGREE", None


def _clause_head(trigger: Trigger) -> Token:
    if trigger.via == "light" and trigger.light is not None:
        return trigger.light
    return trigger.token


def _clause_tokens(head: Token, trigger: Token) -> set[int]:
    """The clause around the trigger: the head's subtree without other clauses hung on it."""
    out: set[int] = set()
    stack = [head]
    while stack:
        token = stack.pop()
        out.add(token.i)
        for child in token.children:
            if child.i == trigger.i or child.i in out:
                stack.append(child)
                continue
            if child.dep_ in PRUNED_DEPS or (child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}):
                continue
            if child.dep_ == "prep" and child.lower_ in BACKGROUND_PREPS and token.i == head.i:
                continue
            stack.append(child)
    if trigger.i not in out:  # a noun trigger outside the verb's clause
        out.update(t.i for t in trigger.subtree)
    return out


def _span(doc: Doc, tokens: set[int], sent: Span) -> tuple[int, int]:
    if not tokens:
        return sent.start_char, sent.end_char
    first, last = min(tokens), max(tokens)
    while first < last and (doc[first].is_punct or doc[first].dep_ in {"cc", "mark"}):
        first += 1
    while last > first and doc[last].is_punct and doc[last].text not in {")", "”", '"'}:
        last -= 1
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _same(a: list[ActorRef], b: list[ActorRef]) -> bool:
    return bool(a) and {(r.actor or r.name, r.owner) for r in a} == {(r.actor or r.name, r.owner) for r in b}


def _self_dyad(source: list[ActorRef], target: list[ActorRef]) -> bool:
    """One actor on both sides ("AGREE Pashinyan -> Pashinyan", "CONSULT Russia -> Russia").
    Only the same actor id counts: a leader acting on his own country ("promised to
    democratize Serbia"), or across sectors (government -> court, police -> citizens), is a
    domestic act and kept; several parties on both sides is how symmetric acts are written."""
    if len(source) != 1 or len(target) != 1:
        return False
    return bool(source[0].actor) and source[0].actor == target[0].actor


def _says_internal(sent: Span) -> bool:
    return any(t.lower_ in INTERNAL_WORDS or t.lower_.startswith("intra-") for t in sent)


def _without(found: Found, source: Found) -> Found:
    """A target without the source's own country, when it names others too."""
    countries = {r.owner for r in source.refs if r.owner}
    others = [r for r in found.refs if r.owner not in countries]
    return Found(others, found.tokens, found.how) if others and len(others) < len(found.refs) else found


def _copy(ref: ActorRef) -> ActorRef:
    return replace(ref)


def _confidence(draft: Draft) -> float:
    raw = raw_score(draft.trigger.via, draft.entry.specificity > 0,
                    draft.source.how if draft.source else None, draft.target.how if draft.target else None,
                    draft.background, draft.derived)
    return raw  # final_confidence calibrates it once the sentence's events are known


def _protest_demands(drafts: list[Draft]) -> list[Draft]:
    """What protesters demand is the content of their protest, not an event of its own."""
    protests = [d.clause_head for d in drafts if d.type == "PROTEST"]
    if not protests:
        return drafts
    return [d for d in drafts if d.type != "REQUEST"
            or not any(p.i != d.clause_head.i and d.clause_head in p.subtree for p in protests)]


def _merge(drafts: list[Draft]) -> list[Draft]:
    """One event per type and source in a sentence: 'said X must ... and urged Y to ...'."""
    out: list[Draft] = []
    for draft in drafts:
        countries = {r.owner for r in draft.source.refs}
        twin = next((d for d in out if d.type == draft.type and d.factuality == draft.factuality
                     and d.derived == draft.derived
                     and ({r.owner for r in d.source.refs} == countries or not countries
                          or not d.source.refs)), None)
        if twin is None:
            out.append(draft)
            continue
        twin.tokens |= draft.tokens
        if not twin.source:
            twin.source = draft.source
        if not twin.target or (twin.target.how != "explicit" and draft.target.how == "explicit" and draft.target):
            twin.target = draft.target or twin.target
        twin.confidence = max(twin.confidence, draft.confidence)
        twin.mode = twin.mode or draft.mode
    return out
