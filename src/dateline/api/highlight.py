"""The article body cut into annotated segments, for highlighting actors, quotes and events.

Offsets in a Document point into ``Article.text`` (paragraphs joined by a blank line).
``annotate`` returns, per paragraph, the runs of text together with the annotations
covering each run; templates render each run as escaped text in a ``<span>``, so the
article's own characters never become markup.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from dateline.model import PARAGRAPH_SEPARATOR, Document, Event, Quote


@dataclass
class Annotation:
    key: str              # "m3", "q0", "e2": unique within the document
    kind: str             # actor | quote | event
    start: int
    end: int
    title: str            # the coding in one line, shown on hover without JavaScript
    coding: dict[str, Any] = field(default_factory=dict)


@dataclass
class Segment:
    text: str
    keys: list[str]
    kinds: list[str]
    title: str


def _actor_label(refs: list[Any]) -> str:
    if not refs:
        return "?"
    parts = []
    for ref in refs:
        code = "-".join(p for p in (ref.country, ref.sector) if p)
        parts.append(f"{ref.name} ({code})" if code else ref.name)
    return ", ".join(parts)


def event_coding(event: Event) -> dict[str, Any]:
    place = event.place
    return {
        "type": event.type, "mode": event.mode, "cameo": event.cameo,
        "source": _actor_label(event.source), "target": _actor_label(event.target),
        "date": event.date, "date_text": event.date_text,
        "place": (f"{place.name} ({place.country})" if place.country else place.name) if place else None,
        "factuality": event.factuality, "confidence": round(float(event.confidence or 0), 2),
        "trigger": event.trigger, "issues": list(event.issues or []),
    }


def event_title(event: Event) -> str:
    c = event_coding(event)
    bits = [f"{c['type']}: {c['source']} \u2192 {c['target']}", c["date"] or "undated"]
    if c["place"]:
        bits.append(c["place"])
    bits += [c["factuality"], f"confidence {c['confidence']:.2f}"]
    return " \u00b7 ".join(str(b) for b in bits)


def quote_title(quote: Quote) -> str:
    speaker = _actor_label([quote.speaker]) if quote.speaker else "unknown speaker"
    return f"{quote.kind} quote \u00b7 {speaker}" + (f" \u00b7 cue \u201c{quote.cue}\u201d" if quote.cue else "")


def _span(text: str, start: int, end: int, evidence: str | None) -> tuple[int, int] | None:
    """Valid offsets, or the evidence found in the text when the offsets are missing."""
    if 0 <= start < end <= len(text):
        return start, end
    if evidence:
        found = text.find(evidence)
        if found >= 0:
            return found, found + len(evidence)
    return None


def annotations(document: Document) -> list[Annotation]:
    text = document.article.text
    found: list[Annotation] = []
    for i, mention in enumerate(document.entities):
        actor = document.actors.get(mention.actor)
        span = _span(text, mention.start, mention.end, mention.text)
        if span:
            code = "-".join(p for p in ((actor.country, actor.sector) if actor else ()) if p)
            name = actor.name if actor else mention.text
            found.append(Annotation(f"m{i}", "actor", *span, f"actor \u00b7 {name}" + (f" ({code})" if code else ""),
                                    {"name": name, "code": code, "actor_kind": actor.kind if actor else None,
                                     "role": actor.title if actor else None}))
    for i, quote in enumerate(document.quotes):
        span = _span(text, quote.start, quote.end, quote.text)
        if span:
            found.append(Annotation(f"q{i}", "quote", *span, quote_title(quote),
                                    {"quote_kind": quote.kind, "speaker": _actor_label([quote.speaker]) if quote.speaker
                                     else None, "cue": quote.cue}))
    for i, event in enumerate(document.events):
        span = _span(text, event.start, event.end, event.evidence)
        if span:
            found.append(Annotation(f"e{i}", "event", *span, event_title(event), event_coding(event)))
    return found


def annotate(document: Document) -> list[list[Segment]]:
    """Per paragraph, the runs of text with the annotations that cover them."""
    anns = annotations(document)
    paragraphs = []
    offset = 0
    for body in document.article.body:
        start, end = offset, offset + len(body)
        paragraphs.append(_segments(body, start, [a for a in anns if a.start < end and a.end > start]))
        offset = end + len(PARAGRAPH_SEPARATOR)
    return paragraphs


def _segments(body: str, base: int, anns: list[Annotation]) -> list[Segment]:
    cuts = {0, len(body)}
    for ann in anns:
        cuts.add(max(0, ann.start - base))
        cuts.add(min(len(body), ann.end - base))
    points = sorted(cuts)
    segments = []
    for left, right in pairwise(points):
        covering = [a for a in anns if a.start - base < right and a.end - base > left]
        segments.append(Segment(body[left:right], [a.key for a in covering], sorted({a.kind for a in covering}),
                                "\n".join(a.title for a in covering)))
    return segments


def coding_table(document: Document) -> dict[str, dict[str, Any]]:
    """key -> coding, embedded as JSON for the page's click-to-inspect panel."""
    return {a.key: {**a.coding, "kind": a.kind, "title": a.title, "start": a.start, "end": a.end}
            for a in annotations(document)}
