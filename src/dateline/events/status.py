"""Status of an event: whether it is news or recounted background, whether it happened.

- Background: an event the article recounts from before the news. Its own clause's time
  expression ends well before the article's date ("met in 2019", "talks held in May and
  June" in a July article), or the trigger is marked as earlier ("previous talks", "their
  last meeting") or the clause is the relative of "the last time ...".
- Not asserted: a cancelled, failed or unreached act ("a meeting that was cancelled",
  "failed to reach a deal", "a deal remained out of reach") is negated; an act in an
  if/unless clause is possible, and so is an act someone wants, asks, allows or trains
  another to do ("Beijing wants Trump to eliminate the tariffs", "for Damascus to allow
  the U.N. to deliver aid", "training the opposition to fight IS"): the infinitive with a
  subject of its own names an act still to come, not one that happened.
Word lists are the codebook's roles (``cancel``, ``earlier``); nothing here is per sentence.
"""
from __future__ import annotations

import calendar
from datetime import date as Date, timedelta

from spacy.tokens import Token

from dateline.events.codebook import Codebook
from dateline.model import TimeExpression

# Time well before the article's date: more than this many days before it.
BACKGROUND_GAP_DAYS = 14
TIME_NOUNS = frozenset({"time", "occasion"})
# Object-control verbs whose infinitive names an act wanted, asked, allowed or prepared of
# the object, not one done (English grammar's closed class; a purpose infinitive, "used
# tear gas to disperse the crowd", is an act done and is not among them).
WANTING_VERBS = frozenset({"want", "like", "wish", "need", "ask", "urge", "call", "push", "press", "pressure",
                           "allow", "permit", "let", "expect", "encourage", "invite", "train", "persuade",
                           "convince", "tell", "advise", "require", "see", "help", "enable"})


def date_end(value: str | None) -> Date | None:
    """The last day an ISO value of any precision can stand for ("2019" -> 2019-12-31)."""
    if not value:
        return None
    try:
        parts = [int(p) for p in value[:10].split("-")]
    except ValueError:
        return None
    try:
        if len(parts) == 1:
            return Date(parts[0], 12, 31)
        if len(parts) == 2:
            return Date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
        return Date(*parts[:3])
    except ValueError:
        return None


def before_news(time: TimeExpression | None, anchor: str | None) -> bool:
    """The time expression ends more than two weeks before the article's date."""
    if time is None or not anchor:
        return False
    ends = [date_end(v) for v in ([time.value] if time.value else []) + list(time.values or [])]
    ends = [e for e in ends if e is not None]
    start = date_end(str(anchor)[:10])
    if not ends or start is None:
        return False
    return max(ends) < start - timedelta(days=BACKGROUND_GAP_DAYS)


def marked_earlier(trigger: Token, cb: Codebook) -> bool:
    """'previous talks', 'their last meeting', 'an earlier round of talks'."""
    earlier = cb.role("earlier")
    return any(c.dep_ in {"amod", "advmod"} and c.lower_ in earlier for c in trigger.children)


def time_clause_head(head: Token) -> Token | None:
    """'The last time the two leaders [met] was in 2019': the clause that dates the event."""
    if head.dep_ == "relcl" and head.head.lemma_.lower() in TIME_NOUNS:
        return head.head.head
    return None


def _cancels(verb: Token, cancel: frozenset[str]) -> bool:
    if verb.lemma_.lower() in cancel:
        return True
    return verb.lemma_.lower() == "call" and any(c.dep_ == "prt" and c.lower_ == "off" for c in verb.children)


def cancelled(trigger: Token, clause_head: Token, cb: Codebook) -> bool:
    """The act was called off, failed or stayed out of reach."""
    cancel = cb.role("cancel")
    for child in trigger.children:  # "a meeting that was cancelled", "the summit, postponed ..."
        if child.dep_ in {"relcl", "acl"} and _cancels(child, cancel):
            return True
    governor = trigger.head
    if trigger.dep_ in {"dobj", "nsubjpass", "nsubj"} and _cancels(governor, cancel):
        return True  # "cancelled the talks", "the talks were called off", "the talks collapsed"
    if trigger.dep_ == "nsubj" and governor.lemma_.lower() == "remain" and any(
            t.lower_ in {"elusive", "reach"} for t in governor.subtree):
        return True  # "a deal remained out of reach / elusive"
    head = clause_head
    while head.dep_ == "xcomp" and head.head.i != head.i:
        head = head.head
        if _cancels(head, cancel):
            return True  # "failed to reach a deal"
    return False


# Nouns whose "of" phrase names an act expected, hoped or feared, not one that happened
# ("expectations of a trade deal", "the prospect of talks", "fears of a crackdown").
HEDGE_NOUNS = frozenset({"expectation", "hope", "prospect", "possibility", "chance", "likelihood", "odds",
                         "fear", "risk", "danger", "speculation", "rumor", "rumour", "talk", "idea", "threat"})


def unrealised(head: Token, cb: Codebook) -> bool:
    """The trigger's clause is a condition, an act wanted of someone else, or an act a
    hedge noun only expects."""
    return conditional_clause(head) or wanted_of_another(head, cb) or hedged_noun(head)


def hedged_noun(head: Token) -> bool:
    """'expectations of a China-US trade deal': the noun event hangs on a hedge noun's 'of'."""
    if head.pos_ not in {"NOUN", "PROPN"} or head.dep_ != "pobj" or head.head.lower_ != "of":
        return False
    governor = head.head.head
    return governor.pos_ == "NOUN" and governor.lemma_.lower() in HEDGE_NOUNS


def wanted_of_another(head: Token, cb: Codebook) -> bool:
    """'wants Trump to eliminate', 'would like to see China agree', 'for X to allow':
    an infinitive or bare verb whose subject is not its governor's. Orders ('ordered the
    army to withdraw') are left to the causative rule, which codes the order's giver."""
    governor = head.head
    if head.dep_ not in {"xcomp", "ccomp", "advcl", "acl"} or governor.i == head.i:
        return False
    if governor.lemma_.lower() in cb.role("causative") or head.tag_ != "VB":
        return False
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)
    own_subject = any(c.dep_ in {"nsubj", "nsubjpass"} for c in head.children)
    wanting = governor.lemma_.lower() in WANTING_VERBS
    object_control = wanting and any(c.dep_ in {"dobj", "dative"} for c in governor.children)
    return (infinitive or wanting) and own_subject or object_control


def conditional_clause(head: Token) -> bool:
    """The trigger's own clause is the condition of an if/unless sentence."""
    current = head
    for _ in range(4):
        if current.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in current.children):
            return True
        if current.dep_ not in {"xcomp", "conj", "aux"} or current.head.i == current.i:
            return False
        current = current.head
    return False
