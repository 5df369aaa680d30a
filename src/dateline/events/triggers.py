"""Event triggers: which tokens of a sentence cue an event, by one pass over the tokens.

Each token's lemma is looked up in the codebook's index (a dict), and the few entries
found are checked against the token's dependents (particle, preposition, object
words). A noun cues an event only when something anchors it to an actor or an act:
a light verb ("staged rallies"), a possessive ("Russia's demand"), an agent ("launched
by Russia") or a participant phrase ("talks with Kinshasa"). A trigger inside the
complement of another trigger ("agreed to lift the embargo") is absorbed by it.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from dateline.events.arguments import ActorIndex
from dateline.events.codebook import Codebook, Entry

VERB_TAGS = frozenset({"VERB"})
NOUN_POS = frozenset({"NOUN", "PROPN"})
OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "attr", "oprd", "dative"})
COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "dobj", "acomp", "attr", "oprd", "acl", "nsubjpass", "conj"})
PASS_THROUGH = frozenset({"pobj", "pcomp", "prep"})
PERSONAL_OBJECTS = frozenset({"him", "her", "them", "us", "me"})


@dataclass
class Trigger:
    """A matched entry at a token, and the token whose arguments the event takes."""

    entry: Entry
    token: Token            # the word that matched (verb, noun or adjective)
    head: Token             # where source and target are read: the verb (or the noun itself)
    light: Token | None = None  # the light verb that carries a noun event ("staged" rallies)
    via: str = "verb"       # verb | light | noun | acl


def lemma_keys(token: Token) -> list[str]:
    """The lemma, then crude de-inflections of the word for the lemmatizer's slips."""
    lower = token.lower_
    keys = [token.lemma_.lower(), lower]
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", ""), ("ed", "e"), ("d", ""), ("es", ""), ("s", ""),
                         ("ing", ""), ("ing", "e")):
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 3:
            keys.append(lower[: -len(suffix)] + repl)
    return keys


def _pos_ok(entry: Entry, token: Token) -> bool:
    if entry.pos == "RULE":
        return False  # applied by the coder's own rules, never matched on a word
    if entry.pos == "VERB":
        return token.pos_ == "VERB" or (token.tag_.startswith("VB") and token.pos_ != "AUX")
    if entry.pos == "NOUN":
        if token.pos_ not in NOUN_POS:
            return False
        return not entry.plural or token.tag_ in {"NNS", "NNPS"} or token.lower_.endswith("s")
    if entry.pos == "ADJ":
        return token.pos_ in {"ADJ", "VERB"}
    return True


def _objects(token: Token) -> list[Token]:
    out = [c for c in token.children if c.dep_ in OBJECT_DEPS]
    return out + [c for o in out for c in o.children if c.dep_ == "conj"]


def complement_words(token: Token) -> set[str]:
    """Lemmas around a trigger that the codebook's ``with`` lists test."""
    words: set[str] = set()

    def noun_words(noun: Token) -> None:
        words.update({noun.lemma_.lower(), noun.lower_})
        for child in noun.children:
            if child.dep_ in {"compound", "amod", "nmod"}:
                words.update({child.lemma_.lower(), child.lower_})
            elif child.dep_ == "prep" and child.lower_ in {"of", "on", "for"}:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        words.update({pobj.lemma_.lower(), pobj.lower_})
                        words.update(c.lemma_.lower() for c in pobj.children if c.dep_ in {"compound", "amod"})

    if token.pos_ in NOUN_POS:
        for child in token.children:
            if child.dep_ in {"compound", "amod", "nmod"}:
                words.update({child.lemma_.lower(), child.lower_})
            elif child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        noun_words(pobj)
        if token.dep_ == "compound":
            words.add(token.head.lemma_.lower())
        return words
    for child in token.children:
        if child.dep_ in OBJECT_DEPS:
            noun_words(child)
            for conj in child.children:
                if conj.dep_ == "conj":
                    noun_words(conj)
        elif child.dep_ in {"prep", "agent", "prt"}:
            for pobj in child.children:
                if pobj.dep_ in {"pobj", "pcomp"}:
                    noun_words(pobj)
        elif child.dep_ in {"xcomp", "ccomp"}:
            words.add(child.lemma_.lower())
            for grand in child.children:
                if grand.dep_ in OBJECT_DEPS:
                    noun_words(grand)
    return words


def _has_prep(token: Token, prep: str) -> bool:
    """The preposition hangs on the trigger, or (misattached) within its object phrase."""
    if any(c.lower_ == prep and c.dep_ in {"prep", "agent", "dative", "prt"} for c in token.children):
        return True
    frontier = _objects(token)
    for _ in range(3):
        if any(t.lower_ == prep and t.dep_ in {"prep", "advmod", "prt"} for t in frontier):
            return True
        frontier = [c for t in frontier for c in t.children if c.dep_ not in {"relcl", "acl", "ccomp"}]
    return False


def _has_child(token: Token, deps: set[str], words: set[str] | frozenset[str] | None = None) -> bool:
    return any(c.dep_ in deps and (words is None or c.lower_ in words or c.lemma_.lower() in words)
               for c in token.children)


def _object_names_actor(token: Token, entry: Entry, index: ActorIndex) -> bool:
    heads = _objects(token)
    if entry.prep:
        heads += [p for c in token.children if c.dep_ == "prep" and c.lower_ == entry.prep
                  for p in c.children if p.dep_ == "pobj"]
    for head in heads:
        if head.lower_ in PERSONAL_OBJECTS or head.ent_type_ in {"PERSON", "GPE", "NORP", "ORG"}:
            return True
        if index.in_phrase(head):
            return True
    return False


def governor(noun: Token) -> tuple[Token | None, str]:
    """The verb a noun hangs from and how: ('obj'|'pobj'|'subj'), through conjunctions."""
    while noun.dep_ in {"conj", "compound"} and noun.head.i != noun.i and noun.head.pos_ in NOUN_POS:
        noun = noun.head  # "a mediation effort", "rallies and marches"
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN" and head.head.dep_ in {"dobj", "pobj"}:
        noun, head = head.head, head.head.head  # "launched ten days of war games"
    if noun.dep_ in {"dobj", "nsubjpass", "attr", "oprd"} and head.pos_ in {"VERB", "AUX"}:
        return head, "obj"
    if noun.dep_ == "pobj" and head.dep_ in {"prep", "agent"} and head.head.pos_ in {"VERB", "AUX", "ADJ"}:
        return head.head, "pobj"
    if noun.dep_ == "nsubj" and head.pos_ in {"VERB", "AUX"}:
        return head, "subj"
    return None, ""


def match_entry(token: Token, cb: Codebook, index: ActorIndex) -> Entry | None:
    """The most specific codebook entry whose conditions the token meets."""
    seen, best = set(), None
    for key in lemma_keys(token):
        for entry in cb.by_lemma.get(key, ()):
            if entry.id in seen or not _pos_ok(entry, token):
                continue
            seen.add(entry.id)
            if _conditions_met(entry, token, index) and (best is None or entry.specificity > best.specificity):
                best = entry
        if seen:
            break  # the first key that names entries decides (the lemma before guesses)
    return best


def _followed_by(token: Token, phrases: tuple[str, ...]) -> bool:
    """The words right after the token begin with one of the phrases (a fixed expression the
    parse attaches unreliably: "pleaded guilty Monday", "pleaded not guilty")."""
    after = " ".join(t.lower_ for t in token.doc[token.i + 1: token.i + 4])
    return any(after == p or after.startswith(p + " ") for p in phrases)


def _conditions_met(entry: Entry, token: Token, index: ActorIndex) -> bool:
    children = list(token.children)
    if entry.follows and not _followed_by(token, entry.follows):
        return False
    if entry.prt and not any(c.lower_ == entry.prt and c.dep_ in {"prt", "prep", "advmod", "compound:prt"}
                             for c in children):
        return False
    if entry.prep and not _has_prep(token, entry.prep):
        return False
    if entry.requires_prep and not any(c.lower_ in entry.requires_prep and c.dep_ == "prep" for c in children):
        return False
    if entry.with_words or entry.without:
        words = complement_words(token)
        if entry.with_words and not entry.with_words & words or entry.without & words:
            return False
    if entry.obj_ent and not any(o.ent_type_ in entry.obj_ent or index.is_place(o) for o in _objects(token)):
        return False
    if entry.gov:
        verb, _ = governor(token)
        if verb is None or verb.lemma_.lower() not in entry.gov and verb.lower_ not in entry.gov:
            return False
    has_obj = bool(_objects(token))
    has_xcomp = _has_child(token, {"xcomp", "ccomp"})
    if entry.requires_obj and not has_obj:
        return False
    if entry.requires_xcomp and not has_xcomp:
        return False
    if entry.requires_xcomp_or_obj and not (has_obj or has_xcomp):
        return False
    if entry.requires_obj_or_with and not (has_obj or _has_child(token, {"prep"}, {"with", "against"})):
        return False
    if entry.requires_xcomp_or_obj_actor and not (has_xcomp or _object_names_actor(token, entry, index)):
        return False
    if entry.obj_actor and not _object_names_actor(token, entry, index):
        return False
    if entry.no_predicate and _has_child(token, {"oprd", "xcomp", "ccomp", "acomp"}):
        return False  # "called the decision a landmark": naming, not a phone call
    return True


def find_triggers(sent: Span, cb: Codebook, index: ActorIndex) -> tuple[list[Trigger], dict[int, Entry]]:
    """Every anchored, unabsorbed trigger of a sentence (and all raw matches by token)."""
    matches: dict[int, Entry] = {}
    for token in sent:
        if token.is_alpha and not in_a_name(token):
            entry = match_entry(token, cb, index)
            if entry is not None:
                matches[token.i] = entry
    light = cb.role("light")
    triggers: list[Trigger] = []
    for i, entry in matches.items():
        token = sent.doc[i]
        if absorbed_by(token, matches, light) is not None:
            continue
        if entry.pos != "NOUN":
            triggers.append(Trigger(entry, token, token))
            continue
        trigger = _anchor_noun(token, entry, matches, light, index, cb.role("report"), cb.role("occur"))
        if trigger is not None:
            triggers.append(trigger)
    return triggers, matches


# Entity labels of names whose words are no acts: "the Volatiles Investigating Polar
# Exploration Rover", "Commercial Orbital Transportation Services", "the Galileo probe".
# Not EVENT: spaCy labels "the Istanbul talks" so, and the talks are the event.
NAME_LABELS = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "FAC"})


def in_a_name(token: Token) -> bool:
    """A word inside a multi-word name of a body, product, work or building."""
    if token.ent_type_ not in NAME_LABELS:
        return False
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return end - start > 1


def absorbed_by(token: Token, matches: dict[int, Entry], light: frozenset[str] = frozenset()) -> Token | None:
    """The trigger whose complement this token sits in ("agreed to [lift] the embargo")."""
    current = token
    while current.dep_ in PASS_THROUGH and current.head.i != current.i:
        if current.dep_ == "prep" and current.lower_ in DURING_PREPS - {"in"}:
            return None  # "killed during protests": the occasion, an event of its own
        current = current.head
        if current.i in matches and current.i != token.i:
            return current
    # through aspectual verbs: "prepared to [resume] shelling", "threatened to [begin] strikes"
    while (current.dep_ == "xcomp" and current.head.i not in matches and current.head.dep_ == "xcomp"
           and current.head.lemma_.lower() in light):
        current = current.head
    if current.dep_ in COMPLEMENT_DEPS and current.head.i != current.i:
        head = current.head
        if current.dep_ == "ccomp" and current.i < head.i:
            return None  # fronted content ("X did Y, a charge Z denies"): its own event
        if head.i in matches and head.i != token.i:
            if current.dep_ == "conj" and (token.pos_ != "NOUN" or matches[head.i].pos != "NOUN"):
                return None  # coordinated verbs are events of their own
            if current.dep_ == "acl" and token.pos_ == "VERB" and token.tag_ == "VBN" and matches[head.i].pos == "NOUN":
                return None  # "the invasion launched by ..." is handled as the noun's anchor
            return head
    return None


def _anchor_noun(noun: Token, entry: Entry, matches: dict[int, Entry], light: frozenset[str],
                 index: ActorIndex, report: frozenset[str] = frozenset(),
                 occur: frozenset[str] = frozenset()) -> Trigger | None:
    """A noun is an event when a light verb, an agent or its participants tie it to the text."""
    verb, how = governor(noun)
    is_light = verb is not None and (verb.lemma_.lower() in light or verb.lower_ in light)
    if verb is not None and how in {"obj", "pobj"} and (entry.gov or is_light):
        return Trigger(entry, noun, verb, light=verb, via="light")
    if entry.gov:
        return None
    for child in noun.children:
        if child.dep_ == "acl" and child.pos_ == "VERB" and child.lemma_.lower() in light:
            return Trigger(entry, noun, noun, light=child, via="acl")
    anchored = _anchored_by_happening(noun, verb, occur)
    if anchored is not None:
        return Trigger(entry, noun, noun, light=anchored, via="acl") if anchored.i != noun.i \
            else Trigger(entry, noun, noun, via="noun")
    object_of_other_verb = (verb is not None and how == "obj" and noun.dep_ == "dobj" and not is_light
                            and verb.lemma_.lower() not in report)  # "reiterated its demand" anchors it
    if not object_of_other_verb and (_has_child(noun, {"poss"}) or _has_child(noun, {"prep", "agent"}, {"by", "from"})):
        return Trigger(entry, noun, noun, via="noun")  # "Russia's demand", "calls by X"
    if not object_of_other_verb and any(c.dep_ in {"compound", "amod"} and index.ref(c) is not None
                                        and not index.is_place(c) for c in noun.children):
        return Trigger(entry, noun, noun, via="noun")  # "the Russian invasion"
    if verb is not None and _has_child(noun, {"prep"}, set(entry.targets) | {"on", "over", "with", "between"}):
        return Trigger(entry, noun, noun, via="noun")  # "agreements on prisoner swaps"
    return None


CASUALTY_VERBS = frozenset({"kill", "injure", "wound", "die", "arrest", "detain", "hurt"})
DURING_PREPS = frozenset({"during", "amid", "in"})  # "in" only after a casualty verb


def _anchored_by_happening(noun: Token, verb: Token | None, occur: frozenset[str]) -> Token | None:
    """An event noun the sentence says happened: the token that anchors it, else None.

    - subject of a verb of happening ("the protests began", "tariffs were increased"):
      the noun itself;
    - a participle on the noun with its agent or a verb of happening ("tariffs imposed by
      China", "the truce signed on Friday"): the participle, whose agent is the source;
    - the occasion of casualties ("nine people were killed during protests"): the noun."""
    if noun.dep_ in {"nsubj", "nsubjpass"} and noun.head.pos_ in {"VERB", "AUX"} \
            and noun.head.lemma_.lower() in occur:
        return noun
    for child in noun.children:
        if child.dep_ == "acl" and child.tag_ == "VBN" and (
                child.lemma_.lower() in occur or any(c.dep_ == "agent" for c in child.children)):
            return child
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ in DURING_PREPS and head.head.lemma_.lower() in CASUALTY_VERBS:
        return noun
    return None
