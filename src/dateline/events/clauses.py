"""Parse helpers of the event coder: clause extent, evidence span, agents, complements.

Pure functions of spaCy tokens, shared by the trigger, argument and status steps.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from dateline.events.triggers import Trigger
from dateline.model import ActorRef

PRUNED_DEPS = frozenset({"advcl", "relcl", "parataxis", "cc", "mark"})
BACKGROUND_PREPS = frozenset({"after", "before", "since", "following", "until", "despite", "amid"})
SEMI_MODALS = frozenset({"need", "have"})  # obligation only as "need to" / "have to" + verb


def speakers(doc: Doc) -> dict[int, ActorRef]:
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


def dateline_prefix(doc: Doc, text: str) -> int:
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


def near_anchor(date: str, anchor: str | None) -> bool:
    """A day-precise date within ten days before the article's date: the news' own day."""
    if not anchor or len(date) < 10:
        return False
    from datetime import date as Date

    try:
        gap = (Date.fromisoformat(str(anchor)[:10]) - Date.fromisoformat(date[:10])).days
    except ValueError:
        return False
    return 0 <= gap <= 10


def passive(verb: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)


def agent_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((p for p in child.children if p.dep_ == "pobj"), None)
    return None


def prep_objects(head: Token, preps: tuple[str, ...] | list[str]) -> list[Token]:
    out = []
    for prep in preps:
        for child in head.children:
            if child.dep_ in {"prep", "dative", "agent", "prt"} and child.lower_ == prep:
                out += [p for p in child.children if p.dep_ == "pobj"]
    return out


def complements(verb: Token) -> list[Token]:
    """Infinitive complements, through aspectual verbs ("prepared to resume shelling")."""
    out, frontier = [], [c for c in verb.children if c.dep_ == "xcomp"]
    for _ in range(3):
        out += frontier
        frontier = [c for t in frontier for c in t.children if c.dep_ == "xcomp"]
    return out


def complement_subjects(head: Token) -> list[Token]:
    out = []
    for child in head.children:
        if child.dep_ in {"ccomp", "acl", "xcomp"}:
            out += [c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return out


def obliged(comp: Token, deontic: frozenset[str]) -> bool:
    """Obligation in reported content: 'must', 'should', 'have to', or a mandative subjunctive
    ('that Israel ease the restrictions': a base-form verb after a singular subject)."""
    if any(c.dep_ == "aux" and c.lower_ in deontic - SEMI_MODALS for c in comp.children):
        return True
    if (comp.tag_ == "VB" and not any(c.dep_ in {"aux", "auxpass"} for c in comp.children)
            and any(c.dep_ == "mark" and c.lower_ == "that" for c in comp.children)
            and any(c.dep_ == "nsubj" and c.tag_ in {"NNP", "NN"} for c in comp.children)):
        return True
    return comp.lemma_.lower() in deontic & SEMI_MODALS and any(c.dep_ == "xcomp" for c in comp.children)


def clause_head_of(trigger: Trigger) -> Token:
    if trigger.via == "light" and trigger.light is not None:
        return trigger.light
    return trigger.token


def clause_tokens(head: Token, trigger: Token) -> set[int]:
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


def char_span_of(doc: Doc, tokens: set[int], sent: Span) -> tuple[int, int]:
    if not tokens:
        tokens = {t.i for t in sent}
    first, last = min(tokens), max(tokens)
    # Paragraph breaks are tokens of their own (is_space): evidence never starts or ends on one.
    while first < last and (doc[first].is_punct or doc[first].is_space or doc[first].dep_ in {"cc", "mark"}):
        first += 1
    while last > first and (doc[last].is_space or doc[last].is_punct and doc[last].text not in {")", "”", '"'}):
        last -= 1
    return doc[first].idx, doc[last].idx + len(doc[last].text)
