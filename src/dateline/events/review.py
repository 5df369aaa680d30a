"""Review of a document's coded events, once every sentence is coded.

What can only be judged with the whole article in view, after CAMEO/PLOVER practice:
- Home sides: police, courts and legislatures act within their own country unless the
  text names another ("Capitol Police worked with the FBI to investigate" is USA -> USA);
  protest, crackdowns and unattributed violence with a side the text leaves without a
  country happen in the country the story is about ("106 protesters have been killed"
  in a story about Iran is IRN -> IRN).
- Repeats: a definite noun ("the allegations", "the ministry's accusations", "the
  crackdown") that names an act of the same type and source the article already coded
  refers back to it; it is not a second event.
- Content of a request: an act asked or urged of another ("we will ask the court to open
  an investigation", "urged Serbia to withdraw its troops") is what the REQUEST asks, not
  an event of its own while it is only asked (not asserted).
- Confidence floor: events whose calibrated confidence is below ``keep_at_least`` of
  ``data/events/weights.json`` are dropped; the floor is chosen by
  ``bench/event_calibration.py`` on the tune parts (plover-dev and the annotated pages).
"""
from __future__ import annotations

from collections import Counter
from spacy.tokens import Doc

from dateline.events import scoring
from dateline.model import ActorRef, Event

HOME_SECTORS = frozenset({"COP", "JUD", "LEG"})
# Acts a domestic institution does to someone at home unless told otherwise.
HOME_ACT_TYPES = frozenset({"ACCUSE", "COERCE", "ASSAULT", "REQUEST", "REJECT", "CONCEDE", "SANCTION"})
# Acts that happen somewhere: the story's country stands for a side the text leaves open.
PLACED_TYPES = frozenset({"PROTEST", "ASSAULT", "COERCE"})
# Acts done to someone: without a target they are misread (see ``undirected``).
DIRECTED_TYPES = frozenset({"ACCUSE", "REQUEST", "SANCTION", "AID", "COOPERATE"})
DEFINITE = frozenset({"the", "this", "that", "these", "those", "its", "their", "his", "her"})
# A story is about one country when it has at least this share of the country mentions.
STORY_COUNTRY_SHARE = 0.4


def review(events: list[Event], doc: Doc) -> list[Event]:
    """The document's events completed, without repeats, above the confidence floor."""
    home = story_country(doc)
    out: list[Event] = []
    for event in events:
        complete_home_sides(event, home)
        event.confidence = scoring.reviewed_confidence(event)
        if repeats(event, out, doc):
            continue
        out.append(event)
    out = [e for e in out if not requested_content(e, out, doc)]
    return [e for e in out if kept(e) and not undirected(e)]


def undirected(event: Event) -> bool:
    """An act that is by nature done to someone (accusing, asking, sanctioning, aiding)
    coded with a known doer but no one it is done to: the parse missed its object ("the
    Arab League condemned the move", "holds appeal to voters"), and PLOVER codes no such
    event without its target. Acts that stand alone ("rejected the plan", "withdrew",
    "vowed to fight"), endorse a view ("agreed with the ruling") or name one party of a
    meeting ("the presidents of Chile and Peru met") are kept."""
    return event.type in DIRECTED_TYPES and bool(countries(event.source)) and not countries(event.target) \
        and not any(r.code for r in event.target)


def kept(event: Event) -> bool:
    if scoring.calibrating():  # the calibration script reads every raw score
        return True
    return event.confidence >= scoring.weights().get("keep_at_least", 0.0)


def countries(refs: list[ActorRef]) -> set[str]:
    return {r.country for r in refs if r.country}


def story_country(doc: Doc) -> str | None:
    """The country most mentioned, when it has a clear share of all country mentions."""
    actors = doc._.actors or {}
    counts: Counter[str] = Counter()
    for mention in doc._.mentions or []:
        actor = actors.get(mention.actor)
        if actor is not None and actor.country and len(actor.country) == 3:
            counts[actor.country] += 1
    for place in doc._.places or []:
        if place.country:
            counts[place.country] += 1
    if not counts:
        return None
    country, n = counts.most_common(1)[0]
    return country if n >= STORY_COUNTRY_SHARE * sum(counts.values()) and n >= 2 else None


def complete_home_sides(event: Event, home: str | None) -> None:
    source, target = countries(event.source), countries(event.target)
    institution = next((r for r in event.source if r.sector in HOME_SECTORS and r.country), None)
    if institution is not None and not target and event.type in HOME_ACT_TYPES:
        event.target = event.target + [ActorRef(name=institution.country, country=institution.country)]
        target = {institution.country}
    if home is None or event.type not in PLACED_TYPES:
        return
    if not source and (target <= {home}):
        event.source = event.source + [ActorRef(name=home, country=home)]
    if not target and (source <= {home} or not source):
        event.target = event.target + [ActorRef(name=home, country=home)]


def repeats(event: Event, earlier: list[Event], doc: Doc) -> bool:
    """A definite noun naming an act already coded with the same type and source."""
    if not _definite_noun(event, doc):
        return False
    source = countries(event.source)
    return any(e.type == event.type and countries(e.source) & source for e in earlier if e.start < event.start)


def requested_content(event: Event, events: list[Event], doc: Doc) -> bool:
    """An act not asserted inside the complement of a REQUEST's trigger."""
    if event.factuality == "asserted" or event.type == "REQUEST":
        return False
    token = _trigger_token(event, doc)
    if token is None:
        return False
    for request in events:
        if request.type != "REQUEST" or request is event:
            continue
        asker = _trigger_token(request, doc, last=False)
        if asker is not None and asker.i != token.i and token.sent.start == asker.sent.start and any(
                c.dep_ in {"xcomp", "ccomp", "dobj"} and token in c.subtree for c in asker.children):
            return True
    return False


def _trigger_token(event: Event, doc: Doc, last: bool = True):
    """The token of the event's trigger word inside its evidence."""
    span = doc.char_span(event.start, event.end, alignment_mode="expand")
    if span is None or not event.trigger:
        return None
    words = event.trigger.split()
    word = words[-1] if last else words[0]
    return next((t for t in span if t.text == word), None)


def _definite_noun(event: Event, doc: Doc) -> bool:
    token = _trigger_token(event, doc)
    if token is None or token.pos_ != "NOUN":
        return False
    return any(c.dep_ in {"det", "poss"} and (c.lower_ in DEFINITE or c.dep_ == "poss") for c in token.children)
