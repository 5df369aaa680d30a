"""Reading an event's parties off the parse: the source and target of one trigger.

``Parties`` walks from a trigger to its subject, agent, objects and prepositional
targets, and resolves each phrase to actors through the document's ``ActorIndex``:
pronouns (the clause's subject, then the actors component's ``resolve_pronoun``),
first person inside quotes (the speaker), "both sides" (the dyad in focus).
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from dateline.events.arguments import (
    ANAPHOR_NOUNS, FIRST_PERSON, RELATIVE_PRONOUNS, THIRD_PERSON, ActorIndex, Dyad, Found, pronoun_in,
)
from dateline.events.clauses import agent_of, complement_subjects, complements, prep_objects
from dateline.events.codebook import Codebook
from dateline.events.context import helper
from dateline.events.drafts import DOMESTIC_TYPES, LOCATIVE_TARGET_TYPES, Draft
from dateline.events.triggers import Trigger
from dateline.events.relevance import role_sector
from dateline.lexicon import pronouns
from dateline.model import SYMMETRIC_TYPES, ActorRef

_resolve_pronoun = helper("dateline.nlp.actors", "resolve_pronoun")
VERBAL_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "AGREE"})
GENERIC_TARGET_PREPS = ("to", "with", "against", "on", "at", "into", "in", "from", "over", "toward", "towards")
DIRECTED_PREPS = ("to", "with", "against", "on", "from", "over", "toward", "towards")
PURPOSE_TARGET_TYPES = frozenset({"PROTEST", "ASSAULT"})
# Acts only a state (or an IGO) performs: an unnamed doer is a country in focus.
STATE_ONLY_TYPES = frozenset({"SANCTION"})
PERSONAL_PRONOUNS = pronouns("male", "female")


class Parties:
    """Source and target of the triggers of one document."""

    def __init__(self, doc: Doc, cb: Codebook, index: ActorIndex, dyad: Dyad, prefix_end: int):
        self.doc = doc
        self.cb = cb
        self.index = index
        self.dyad = dyad
        self.prefix_end = prefix_end
        self.report = cb.role("report")

    def source(self, trigger: Trigger, sent: Span) -> Found:
        if trigger.via == "noun":
            return self._noun_agent(trigger.token, sent)
        if trigger.via == "acl" and trigger.light is not None:
            agent = agent_of(trigger.light)
            found = self.resolve(agent, sent) if agent is not None else Found()
            return found or self._noun_agent(trigger.token, sent)
        return self._verb_subject(trigger.head, sent, depth=0)

    def _noun_agent(self, noun: Token, sent: Span) -> Found:
        for child in noun.children:
            if child.dep_ == "poss":
                return self.resolve(child, sent)
        for child in noun.children:
            if child.dep_ in {"prep", "agent"} and child.lower_ in {"by", "from"}:
                pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
                if pobj is not None:
                    return self.resolve(pobj, sent)
        refs = [(c, self.index.ref(c)) for c in noun.children if c.dep_ in {"compound", "amod"}]
        refs = [(c, r) for c, r in refs if r is not None]
        if refs:
            return Found([r for _, r in refs], [c for c, _ in refs])
        return Found()

    def _verb_subject(self, verb: Token, sent: Span, depth: int) -> Found:
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "csubj"} and c.i >= self.prefix_end]
        if subjects:  # the one nearest the verb ("ISTANBUL: Delegations ... returned")
            subject = min(subjects, key=lambda c: abs(verb.i - c.i))
            return self.resolve(subject, sent) or self._possessor(subject, sent) or unresolved(subject)
        agent = agent_of(verb)
        if agent is not None:
            return self.resolve(agent, sent)
        if depth > 4 or verb.head.i == verb.i:
            return Found()
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            return Found()  # a passive without its "by" phrase names no doer
        governing = misparsed_coordination(verb)
        if governing is not None:  # "closed sites and arrested bloggers", "arrested" read as a modifier
            return self._verb_subject(governing, sent, depth + 1)
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
                    return self.resolve(objects[0], sent)
            if verb.dep_ == "conj":  # "X has been indicted ... and will resign": the shared subject
                passive = [c for c in head.children if c.dep_ == "nsubjpass"]
                if passive and not any(c.dep_ in {"nsubj", "csubj"} for c in head.children):
                    return self.resolve(passive[0], sent)
            return self._verb_subject(head, sent, depth + 1)
        return Found()

    def target(self, trigger: Trigger, sent: Span, source: Found) -> Found:
        places = trigger.entry.type in LOCATIVE_TARGET_TYPES
        for token in self._target_candidates(trigger):
            found = self.resolve(token, sent, places) or named_object(token)
            if found and not same_actors(found.refs, source.refs):
                return without_own(found, source)
        return Found()

    def _target_candidates(self, trigger: Trigger) -> list[Token]:
        entry, noun = trigger.entry, trigger.token
        out: list[Token] = []
        if trigger.via in {"noun", "acl"}:
            out += prep_objects(noun, entry.targets or ("with", "between", "against", "on", "to"))
            if trigger.light is not None:  # "the truce signed [between A and B]", "tariffs imposed [on X]"
                out += prep_objects(trigger.light, entry.targets or ("with", "between", "against", "on", "to"))
            out += complement_subjects(noun)
            return out
        verb = trigger.head
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in self.cb.role("causative"):
            out += [c for c in verb.head.children if c.dep_ in {"dobj", "dative"}]  # the one made to act
        if trigger.via == "verb":
            out += [c for c in verb.children if c.dep_ == "nsubjpass"]
            if misparsed_coordination(verb) is not None:
                out.append(verb.head)  # the noun it was read as modifying is its object
        out += [c for c in verb.children if c.dep_ in {"dobj", "dative"} and c.i != noun.i]
        if entry.prep:  # "called for [sanctions against X]", "insisted on ..."
            out += prep_objects(verb, (entry.prep,))
        out += complement_subjects(verb)
        out += prep_objects(verb, entry.targets)
        frames = entry.intent or entry.type in VERBAL_TYPES
        for comp in complements(verb) if frames else ():  # "threatened to ban [X]", "refused to deploy troops in [X]"
            out += [c for c in comp.children if c.dep_ in {"dobj", "dative"}]
            out += prep_objects(comp, GENERIC_TARGET_PREPS + ("for",))
        if trigger.via == "light":
            out += prep_objects(noun, entry.targets or DIRECTED_PREPS)
            out += [noun]
        generic = GENERIC_TARGET_PREPS if trigger.entry.type in LOCATIVE_TARGET_TYPES else DIRECTED_PREPS
        out += prep_objects(verb, generic)
        if entry.type in PURPOSE_TARGET_TYPES:  # "staged a hunger strike to protest against [X]"
            for clause in (c for c in verb.children if c.dep_ in {"advcl", "xcomp"}):
                if clause.tag_ == "VBG" or any(a.dep_ == "aux" and a.lower_ == "to" for a in clause.children):
                    out += [c for c in clause.children if c.dep_ in {"dobj", "dative"}]
                    out += prep_objects(clause, DIRECTED_PREPS)
        return out

    def resolve(self, token: Token | None, sent: Span, places: bool = False) -> Found:
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
        return self.resolve(owner, sent) if owner is not None else Found()

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
            if subject is None or subject.i == token.i or pronoun_in(subject, THIRD_PERSON | FIRST_PERSON):
                continue
            if subject.i < token.i:
                found = self.index.in_phrase(subject)
                if found:
                    return Found(found.refs, [], "pronoun")
        # the actors component's coreference before the coder's own nearest-subject guesses
        actor = _resolve_pronoun(self.doc, token) if _resolve_pronoun is not None else None
        if actor is not None and actor.owner:
            return Found([actor.ref()], [], "pronoun")
        found = self.index.subject_actor_before(sent, token.i)
        if found:
            return found
        return self.index.last_actor_before(token.i)

    def fill_dyad(self, draft: Draft) -> None:
        """'Both sides' and symmetric events: the dyad in focus completes missing parties."""
        symmetric = draft.type in SYMMETRIC_TYPES
        if symmetric and len(draft.source.countries) >= 2 and not draft.target.countries:
            draft.target = Found(list(draft.source.refs), [], draft.source.how)
            return
        if draft.type in STATE_ONLY_TYPES and draft.target.countries and not draft.source.countries:
            self._imposer_in_focus(draft)
            return
        if draft.target.countries or draft.background:
            return
        if draft.target:
            # named but stateless ("Karen guerrillas", "investigating WeWork", "charged Assange"):
            # the named side is kept and takes the story's country, never another country in focus
            return
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

    def _imposer_in_focus(self, draft: Draft) -> None:
        """'Tariffs on Chinese goods were increased': only a state imposes a sanction, so an
        unnamed imposer is the other country of the dyad in focus, when the target is in it."""
        pair = self.dyad.pair(min_count=2)
        targets = draft.target.countries
        others = [r for r in pair if r.owner not in targets]
        if len(others) == 1 and len(others) < len(pair):
            draft.source = Found(others, [], "dyad")


def misparsed_coordination(verb: Token) -> Token | None:
    """A finite past verb parsed as the modifier of a coordinated object ("closed sites and
    [arrested] bloggers", spaCy: amod of "bloggers"): the verb it is coordinated with."""
    if verb.dep_ != "amod" or verb.tag_ not in {"VBD", "VBN"} or verb.head.dep_ != "conj":
        return None
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    if before is None or before.dep_ != "cc":  # "and the arrested bloggers" is a modifier
        return None
    noun = verb.head
    while noun.dep_ == "conj" and noun.head.i != noun.i:
        noun = noun.head
    if noun.i != verb.head.i and noun.dep_ in {"dobj", "pobj"} and noun.head.pos_ == "VERB":
        return noun.head
    return None


AGENT_ENTITIES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# Singular nouns that name one person, who may be a party ("a man was charged", "the suspect").
PERSON_NOUNS = frozenset({"man", "woman", "boy", "girl", "teenager", "suspect", "defendant", "gunman",
                          "attacker", "assailant", "protester", "activist", "journalist", "soldier", "officer"})


def unresolved(subject: Token) -> Found:
    """A subject the actors component could not name ("Islamic fundamentalists"): kept by its words.

    Only people and groups: a plural noun or a named entity, never a pronoun or a thing in
    the singular ("the question would be discussed")."""
    if subject.pos_ not in {"NOUN", "PROPN"} or subject.lemma_.lower() in ANAPHOR_NOUNS:
        return Found()
    if not (subject.tag_ in {"NNS", "NNPS"} or subject.ent_type_ in AGENT_ENTITIES
            or subject.lemma_.lower() in PERSON_NOUNS):  # "a New York man pleaded guilty"
        return Found()
    words = [t for t in subject.subtree if t.dep_ not in {"relcl", "acl", "appos", "punct"}]
    name = subject.doc[words[0].i: words[-1].i + 1].text if words else subject.text
    return Found([ActorRef(name=name, mention=name, sector=role_sector(words or [subject]))], [subject], "text")


NAMED_OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "pobj"})


def named_object(token: Token) -> Found:
    """A person or company the actors component left unnamed, as the object ("investigating
    WeWork", "Assange was charged"): kept by its name, so that it can take the story's country."""
    if token.dep_ not in NAMED_OBJECT_DEPS or token.ent_type_ not in {"PERSON", "ORG"} or token.pos_ != "PROPN":
        return Found()
    return unresolved(token)


def same_actors(a: list[ActorRef], b: list[ActorRef]) -> bool:
    return bool(a) and {(r.actor or r.name, r.owner) for r in a} == {(r.actor or r.name, r.owner) for r in b}


def without_own(found: Found, source: Found) -> Found:
    """A target without the source's own country, when it names others too."""
    countries = {r.owner for r in source.refs if r.owner}
    others = [r for r in found.refs if r.owner not in countries]
    return Found(others, found.tokens, found.how) if others and len(others) < len(found.refs) else found
