"""Negotiation positions: which party takes which stance on which issue, from events AND quotes.

Events give the stance by their PLOVER type (REQUEST = demand, AGREE = offer, or
agreement when both sides agree, CONCEDE = concession, REJECT = rejection; table
``[event_types]`` of data/stories/stances.toml). Quotes give it by their cue and words
(``[quote_cues]``), the speaker's country being the party. The issue comes from the
cue words of data/stories/issues.toml in the event's evidence or the quote, else in
the sentence around it. A precondition ("no territorial talks until a ceasefire")
turns the stance on the issue it names into a demand.

Reading both events and quotes keeps the tracker useful whichever of the coder and
the quote finder finds a statement.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from dateline.model import Document, Event, Quote
from dateline.stories.cues import issues, issues_in, stances
from dateline.stories.merge import actor_key
from dateline.stories.text import date_interval, date_precision, sentence_around, sentence_bounds, trigger_clause


@dataclass
class Position:
    doc_id: str
    origin: str            # "event" | "quote"
    idx: int
    party: str
    counterpart: str | None
    issue: str
    stance: str
    date: str | None
    evidence: str
    start: int
    end: int
    outlet: str | None
    speaker: str | None = None
    merged_id: str | None = None
    counted: bool = True


def issue_stances(text: str, stance: str, context: str = "", issues_file: str | None = None) -> dict[str, str]:
    """Issue label -> stance for a statement of ``stance``: issues of ``text``, else the
    issues of ``context`` named nearest to ``text`` within it.

    Preconditions (data/stories/stances.toml): an issue the statement asks for first
    is demanded; one it puts off until later is left out; a demand with a
    precondition stands on the precondition alone. ``issues_file``: the user's extra
    issues (``Settings.stories.issues_file``).
    """
    found = issues_in(text, issues_file)
    source = text
    if not found and context:
        found, source = nearest_issues(context, text, issues_file), context
    kinds = {label: _precondition_kind(source, label, issues_file) for label in found}
    required = [label for label, kind in kinds.items() if kind == "requires"]
    result = {}
    for label, kind in kinds.items():
        if kind == "requires":
            result[label] = "demand"
        elif kind is None and not (stance == "demand" and required):
            result[label] = stance
    return result


def nearest_issues(context: str, text: str, issues_file: str | None = None) -> list[str]:
    """Issues of ``context`` whose cue is closest to where ``text`` stands in it (ties: all)."""
    at = context.find(text) if text else -1
    span = (at, at + len(text)) if at >= 0 else (0, len(context))
    distance: dict[str, int] = {}
    for issue in issues(issues_file):
        for match in issue.pattern.finditer(context):
            gap = max(span[0] - match.end(), match.start() - span[1], 0)
            distance[issue.label] = min(gap, distance.get(issue.label, gap))
    if not distance:
        return []
    nearest = min(distance.values())
    return [label for label, gap in distance.items() if gap == nearest]


def _precondition_kind(text: str, label: str, issues_file: str | None) -> str | None:
    """``requires`` / ``conditional`` when the issue is named right after such a word, else None."""
    lowered = text.lower()
    issue = next(i for i in issues(issues_file) if i.label == label)
    words = stances()
    for match in issue.pattern.finditer(text):
        before = lowered[max(0, match.start() - 60):match.start()]
        for kind in ("requires", "conditional"):
            # The precondition word, then at most five words, then the issue's cue.
            if any(re.search(rf"\b{re.escape(cue)}\b(?:\s+\S+){{0,5}}\s*$", before) for cue in words[kind]):
                return kind
    return None


def _event_stance(event: Event) -> str | None:
    stance = stances()["event_types"].get(event.type)
    if stance is None:
        return None
    if event.factuality == "negated":
        # "will not discuss territory", "did not agree to a truce": a refusal when its
        # words say so; any other negated act states no position.
        rejection = stances()["quote_cues"].get("rejection")
        said = event.evidence or ""
        return "rejection" if rejection is not None and rejection.search(said) else None
    if event.type == "AGREE" and _parties_on_both_sides(event):
        return "agreement"
    return stance


def _parties_on_both_sides(event: Event) -> bool:
    # "Both sides agreed": the coder puts every party of a symmetric act in the source.
    return len({k for k in map(actor_key, event.source) if k}) >= 2


def quote_stance(quote: Quote, context: str) -> str | None:
    """Stance of a quote: its cue, then its words (an indirect or partial quote: its sentence too)."""
    return _quote_stance(quote, context)[0]


def _quote_stance(quote: Quote, context: str) -> tuple[str | None, bool]:
    """(stance, whether it came from the sentence around the quote rather than the quote).

    A refusal in the cue or the words decides first ("insisted that a summit was
    premature" turns the summit down). Then the cue verb, the speaker's own act, then the
    words of the quote; then the quote stage's stance of the cue (``Quote.stance``, from
    CAMEO's verb classes, where "wants" expresses intent to cooperate: a tracker reads
    "Beijing wants the tariffs lifted" as a demand, as this stage's cue words do)."""
    cues = stances()["quote_cues"]
    texts = [quote.cue or "", quote.text or ""]
    refusal = cues.get("rejection")
    if refusal is not None and any(refusal.search(t) for t in texts if t):
        return "rejection", False
    for text in texts:
        stance = _stance_in(text, cues)
        if stance:
            return stance, False
    if quote.stance in _STANCES:
        return quote.stance, False
    if quote.kind != "direct":
        return _stance_in(context, cues), True
    return None, False


_STANCES = ("rejection", "demand", "agreement", "offer")


def _stance_in(text: str, cues: dict) -> str | None:
    for stance in _STANCES:
        pattern = cues.get(stance)
        if pattern is not None and text and pattern.search(text):
            return stance
    return None


def _statement_date(event_date: str | None, doc: Document) -> str | None:
    """When a position was stated: the event's date to the month at least, else the article's.

    A year alone on a demand or a refusal is nearly always a background date of its
    sentence ("the regions Moscow annexed in 2022"), not when the position was taken.
    """
    if date_precision(event_date) in ("day", "month"):
        return event_date
    return doc.article.anchor_date or (event_date if date_interval(event_date) else None)




def positions_of(doc: Document, counted: bool = True, merged_ids: dict[int, str] | None = None,
                 issues_file: str | None = None) -> list[Position]:
    """Every position a document states, from its events and its quotes."""
    from_events = [p for idx, ev in enumerate(doc.events) for p in _event_positions(doc, idx, ev, issues_file)]
    from_quotes = [p for idx, q in enumerate(doc.quotes)
                   for p in _quote_positions(doc, idx, q, from_events, issues_file)]
    found = [p for p in from_events if not _said_by_another(p, from_quotes)] + from_quotes
    for position in found:
        position.counted = counted
        if position.origin == "event" and merged_ids:
            position.merged_id = merged_ids.get(position.idx)
    return found


def _said_by_another(position: Position, quoted: list[Position]) -> bool:
    """An event position inside a quote that gives the same issue to its speaker.

    The speaker of a statement holds the position it states ("The ministry in Moscow
    said …, repeating its demand for a withdrawal" is Moscow's demand); an event coded
    inside those words with another party as its source is the coder's misreading of
    who holds it, and would put one side's demand on the other side's track.
    """
    return any(q.start <= position.start and position.end <= q.end + 1 and q.issue == position.issue
               and q.party != position.party for q in quoted)


def _stated_by_another(doc: Document, quote: Quote, party: str, issue: str, stance: str,
                       from_events: list[Position]) -> bool:
    """An event of the quote's sentence gives this stance on this issue to another party."""
    begin, stop = sentence_bounds(doc.article.text, quote.start, quote.end)
    return any(p.issue == issue and p.stance == stance and p.party != party and begin <= p.start < stop
               for p in from_events)


# "..., repeating its demand", "..., adding that": a participle after a comma continues
# the statement of the clause before it, whose speaker it keeps.
_PARTICIPLE = re.compile(r"^[a-z]+ing$")
# "its negotiators", "their delegation": a possessive speaker names a body of the party
# the sentence is about, the actor of its main clause.
_POSSESSIVE = re.compile(r"^(?:its|their)\s", re.IGNORECASE)


def _recounted(text: str, quote: Quote) -> bool:
    """"a week after its negotiators had said that ...": a past-perfect cue recounts an
    earlier statement, whose date the article does not give; dated by the article it
    would stand as the party's newest stance."""
    cue = (quote.cue or "").strip().lower()
    if not cue:
        return False
    begin, _ = sentence_bounds(text, quote.start, quote.end)
    lowered = text.lower()
    at = lowered.rfind(cue, begin, quote.start)
    return at > 0 and bool(re.search(r"\bhad\s+(?:\w+\s+){0,2}$", lowered[max(begin, at - 40):at]))


def quote_party(doc: Document, quote: Quote) -> str:
    """The party holding a quote's statement: its speaker's, except where the sentence
    says better whose it is (a participial continuation, a possessive speaker)."""
    party = actor_key(quote.speaker) if quote.speaker else ""
    text = doc.article.text
    begin, _ = sentence_bounds(text, quote.start, quote.end)
    cue = (quote.cue or "").strip().lower()
    if _PARTICIPLE.match(cue):
        at = text.lower().rfind(cue, begin, quote.start)
        if at > begin and text[begin:at].rstrip().endswith(","):
            return _earlier_speaker(doc, quote, begin, at) or party
    mention = (quote.speaker.mention or "") if quote.speaker else ""
    if _POSSESSIVE.match(mention):
        return _main_actor(doc, begin, quote.start) or party
    return party


def _earlier_speaker(doc: Document, quote: Quote, begin: int, before: int) -> str | None:
    """The party of the last statement of the sentence that ends before ``before``: a quote's
    speaker, else the single source of an event."""
    quoted = [q for q in doc.quotes if q is not quote and q.speaker and begin <= q.start and q.end <= before]
    if quoted:
        return actor_key(max(quoted, key=lambda q: q.end).speaker) or None
    acted = [e for e in doc.events if begin <= e.start < before and _single_source(e)]
    return _single_source(max(acted, key=lambda e: e.start)) if acted else None


def _main_actor(doc: Document, begin: int, before: int) -> str | None:
    """The single source of the sentence's first event, when it starts before ``before``."""
    acted = [e for e in doc.events if begin <= e.start < before and _single_source(e)]
    return _single_source(min(acted, key=lambda e: e.start)) if acted else None


def _single_source(event: Event) -> str | None:
    keys = {k for k in map(actor_key, event.source) if k}
    return next(iter(keys)) if len(keys) == 1 else None


def _event_positions(doc: Document, idx: int, event: Event, issues_file: str | None) -> list[Position]:
    stance = _event_stance(event)
    if stance is None:
        return []
    context = sentence_around(doc.article.text, event.start, event.end)
    by_issue = _labelled_issues(event, stance) or _issues_in_words(event, stance, context, issues_file)
    sources = list(dict.fromkeys(k for k in map(actor_key, event.source) if k))
    targets = list(dict.fromkeys(k for k in map(actor_key, event.target) if k))
    if stance == "agreement":
        sources = list(dict.fromkeys(sources + targets))
    found = []
    for party in sources:
        others = [t for t in (sources + targets if stance == "agreement" else targets) if t != party]
        counterpart = "+".join(sorted(set(others))) or None
        for issue, issue_stance in by_issue.items():
            found.append(Position(
                doc.id, "event", idx, party, counterpart, issue, issue_stance,
                _statement_date(event.date, doc), event.evidence or context, event.start, event.end,
                doc.article.outlet,
            ))
    return found


def _labelled_issues(event: Event, stance: str) -> dict[str, str]:
    """The issues the event's record already names (a hand-coded or corrected event);
    the coder names none, so its events take theirs from the words."""
    return {label: stance for label in event.issues or []}


def _issues_in_words(event: Event, stance: str, context: str, issues_file: str | None) -> dict[str, str]:
    said = trigger_clause(event.evidence or "", event.trigger)
    by_issue = issue_stances(said or event.evidence or context, stance, event.evidence or context, issues_file)
    if not by_issue and event.evidence:
        by_issue = issue_stances(event.evidence, stance, context, issues_file)
    return by_issue


def _quote_positions(doc: Document, idx: int, quote: Quote, from_events: list[Position],
                     issues_file: str | None) -> list[Position]:
    speaker = quote.speaker
    party = quote_party(doc, quote)
    if not party or _recounted(doc.article.text, quote):
        return []
    context = sentence_around(doc.article.text, quote.start, quote.end)
    stance, borrowed = _quote_stance(quote, context)
    if stance is None:
        return []
    by_issue = issue_stances(quote.text or "", stance, context, issues_file)
    if borrowed:
        # A stance read from the sentence, not from the quote or its cue, is the sentence's:
        # "Russia rejected Ukraine's call for a ceasefire" is Russia's rejection, and the
        # quote finder's "a ceasefire" (Ukraine's call) does not make it Ukraine's.
        by_issue = {issue: s for issue, s in by_issue.items()
                    if not _stated_by_another(doc, quote, party, issue, s, from_events)}
    return [
        Position(doc.id, "quote", idx, party, None, issue, issue_stance, doc.article.anchor_date,
                 quote.text or "", quote.start, quote.end, doc.article.outlet,
                 speaker=speaker.mention or speaker.name if speaker else None)
        for issue, issue_stance in by_issue.items()
    ]
