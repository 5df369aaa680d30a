"""Event merging: events of different articles that report one happening become one
merged event, with every mention kept as provenance and GDELT-like counts.

A new event joins a merged event when they have the same type, a compatible dyad
(the same parties; or, with more similar evidence, a party more or less, as when one
report codes the mediator as a party; symmetric types in either direction), dates that agree
at the precision they share (intervals overlap: 2025-07 holds 2025-07-23, 2025-05 and
2025-07 do not meet), compatible places, no disjoint negotiation issues, the same
negation, and evidence similar enough (rapidfuzz) for how precise the dates are.
Candidates come from indexed ranges (type + party + date window, one per date width), so merging a new
article costs the same whatever the size of the archive. A merged event's fields are
an aggregate of its mentions, recomputed from them alone when one is added or removed.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, utils
from sqlalchemy import delete, insert, select, union, update
from sqlalchemy.engine import Connection

from dateline.model import SYMMETRIC_TYPES, ActorRef, Document, Event, normalise_text
from dateline.store import schema as store_schema
from dateline.stories.cues import cue_pattern, issues_in, thresholds
from dateline.stories.merged import parties_of as _parties
from dateline.stories.merged import refresh
from dateline.stories.names import name_overlap
from dateline.stories.schema import event_mentions, merged_events, merged_parties, story_documents
from dateline.stories.text import date_interval, date_precision, days_before, sentence_around, trigger_clause

_PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "none": 0}


@dataclass
class MentionSpec:
    """One event of one document, as the merger compares it."""

    doc_id: str
    idx: int
    type: str
    source_key: str
    target_key: str
    source_country: str | None
    target_country: str | None
    date: str | None
    date_lo: str
    date_hi: str
    place_name: str | None
    place_country: str | None
    factuality: str
    issues: list[str] = field(default_factory=list)
    evidence: str = ""
    start: int = 0
    end: int = 0
    confidence: float = 0.5
    outlet: str | None = None
    anchor_date: str | None = None
    counted: bool = True

    @property
    def precision(self) -> str:
        return date_precision(self.date)


def actor_key(ref: ActorRef) -> str:
    """An actor as merging compares it: its country code, else its normalised name."""
    # "+" joins parties in keys; a name is cut to fit the indexed party columns.
    return (ref.country or normalise_text(ref.name or "")).strip().replace("+", " ")[:100]


def dyad_keys(event: Event) -> tuple[str, str]:
    sources = sorted({k for k in map(actor_key, event.source) if k})
    targets = sorted({k for k in map(actor_key, event.target) if k})
    if event.type in SYMMETRIC_TYPES:
        return "+".join(sorted(set(sources) | set(targets))), ""
    return "+".join(sources), "+".join(targets)


def mention_spec(doc: Document, idx: int, event: Event, counted: bool = True,
                 issues_file: str | None = None) -> MentionSpec | None:
    """The comparable form of ``event``, or None when it has no date and its article none either
    (``issues_file``: the user's extra issues, ``Settings.stories.issues_file``)."""
    art = doc.article
    interval = date_interval(event.date)
    date = event.date if interval else None
    if interval is None:
        anchor = date_interval(art.anchor_date)
        if anchor is None:
            return None
        # Undated: it happened on or shortly before the day the article reports it.
        interval = (days_before(anchor[0], thresholds()["merge"]["undated_window_days"]), anchor[1])
    source_key, target_key = dyad_keys(event)
    place = event.place
    # The issues of the act itself: the clause of its trigger, else its evidence or sentence.
    context = (issues_in(trigger_clause(event.evidence, event.trigger), issues_file) or
               issues_in(event.evidence or sentence_around(art.text, event.start, event.end), issues_file))
    return MentionSpec(
        doc_id=doc.id, idx=idx, type=event.type, source_key=source_key, target_key=target_key,
        source_country=next((a.country for a in event.source if a.country), None),
        target_country=next((a.country for a in event.target if a.country), None),
        date=date, date_lo=interval[0], date_hi=interval[1],
        place_name=place.name if place else None, place_country=place.country if place else None,
        factuality=event.factuality or "asserted", issues=context,
        evidence=event.evidence or "", start=event.start, end=event.end,
        confidence=float(event.confidence if event.confidence is not None else 0.5),
        outlet=art.outlet, anchor_date=art.anchor_date, counted=counted,
    )


# -- finding the merged event a mention belongs to --------------------------------------

# How far before a new event's first day a merged event of each date width may start
# and still overlap it: each width is its own tight index range.
_SPAN_REACH = {"day": 0, "window": 7, "month": 31, "year": 366}


def type_family(event_type: str) -> tuple[str, ...]:
    """The types a mention of ``event_type`` may merge with (settings: merge.families), itself first."""
    for family in thresholds()["merge"].get("families", []):
        if event_type in family:
            return (event_type, *(t for t in family if t != event_type))
    return (event_type,)


@lru_cache(maxsize=1)
def _family_cue() -> Any:
    return cue_pattern(thresholds()["merge"].get("family_cues", []))


def names_the_talks(evidence: str | None) -> bool:
    """Whether an evidence says it is about the talks (what lets CONSULT and AGREE meet)."""
    pattern = _family_cue()
    return bool(pattern and evidence and pattern.search(evidence))


# "at the Istanbul talks", "during the second round of negotiations": the talks as the
# venue of an agreement, not as what was agreed.
_VENUE = re.compile(r"\b(?:at|during|after|on the sidelines of|in)\s+(?:the\s+)?(?:[\w-]+\s+){0,4}?"
                    r"(?:talks|negotiations|meeting|summit|round)\b", re.IGNORECASE)


def _reports_the_talks(spec: MentionSpec, merged: Any) -> bool:
    """Whether two mentions of different types of one family report one round of talks:
    both name the talks, and the one not of the family's first type (the AGREE) agrees on
    the talks themselves ("agreed at the round to keep negotiating") with no issue of its
    own. "agreed at the talks to swap prisoners" or "... to carry out further exchanges"
    is a deal of its own: the talks are only its venue, and PLOVER codes it apart."""
    if not (names_the_talks(spec.evidence) and names_the_talks(merged.evidence)):
        return False
    family = next((f for f in thresholds()["merge"].get("families", []) if spec.type in f), [spec.type])
    other = (spec.evidence, spec.issues) if spec.type != family[0] else (merged.evidence, merged.issues)
    return not other[1] and names_the_talks(_VENUE.sub(" ", other[0] or ""))


def _candidates(conn: Connection, spec: MentionSpec) -> list[Any]:
    parties = _parties(spec)
    if not parties:
        return []
    mp = merged_parties.c
    family = type_family(spec.type) if names_the_talks(spec.evidence) else (spec.type,)
    # One SELECT per date width, united: each is a tight range of the lookup index
    # (type, party, span, date_lo). ORed into one WHERE, SQLite used the index for type and
    # party only and read every merged event of the pair ever stored (filing grew with
    # the archive).
    windows = [select(mp.merged_id).where(mp.type.in_(family), mp.party.in_(sorted(parties)), mp.span == span,
                                          mp.date_lo >= days_before(spec.date_lo, reach),
                                          mp.date_lo <= spec.date_hi, mp.date_hi >= spec.date_lo)
               for span, reach in _SPAN_REACH.items()]
    ids = select(union(*windows).subquery().c.merged_id).limit(200)
    return conn.execute(select(merged_events).where(merged_events.c.id.in_(ids))).all()


def dyad_fit(spec: MentionSpec, merged: Any) -> str | None:
    """``exact`` when both code the same parties, ``overlap`` when they plausibly name one
    happening with a party more or less (a mediator coded as a party), else None."""
    if spec.source_key == merged.source_key and spec.target_key == merged.target_key:
        return "exact"
    if spec.type in SYMMETRIC_TYPES or spec.type != merged.type:  # across a family: the parties decide
        mine, theirs = _parties(spec), _parties(merged)
        shared = mine & theirs
        if mine <= theirs or theirs <= mine or len(shared) >= 2:
            return "overlap"
        same_place = bool(spec.place_name and merged.place_name and
                          normalise_text(spec.place_name) == normalise_text(merged.place_name))
        return "overlap" if shared and same_place else None
    sources_meet = _meet(spec.source_key, merged.source_key)
    targets_meet = _meet(spec.target_key, merged.target_key)
    return "overlap" if sources_meet and targets_meet else None


def _meet(a: str, b: str) -> bool:
    """Two "+"-joined party keys name a party in common, or one of them is unknown."""
    return not a or not b or bool(set(a.split("+")) & set(b.split("+")))


def _compatible(spec: MentionSpec, merged: Any) -> bool:
    if (spec.factuality == "negated") != (merged.factuality == "negated"):
        return False
    if spec.place_country and merged.place_country and spec.place_country != merged.place_country:
        return False
    if spec.place_name and merged.place_name:
        similarity = fuzz.token_set_ratio(spec.place_name, merged.place_name, processor=utils.default_process)
        if similarity < thresholds()["merge"]["min_place_similarity"]:
            return False
    # A demand about prisoners and a demand about territory are two statements.
    return not (spec.issues and merged.issues and not set(spec.issues) & set(merged.issues))


def _threshold(spec: MentionSpec, merged: Any, fit: str) -> float:
    config = thresholds()["merge"]
    shared = min(_PRECISION_RANK[spec.precision], _PRECISION_RANK[date_precision(merged.date)])
    name = {3: "day", 2: "month", 1: "year", 0: "undated"}[shared]
    threshold = float(config[f"min_similarity_{name}"])
    if spec.type in config["verbal_types"]:
        threshold += config["verbal_bonus"]
    if fit != "exact":
        threshold += config["partial_dyad_bonus"]
    return threshold


def _similarity(conn: Connection, spec: MentionSpec, merged_id: str) -> tuple[float, bool, str]:
    """Best evidence similarity to the merged event's mentions, whether one is from the same
    document, and how far the articles are about the same people and places."""
    e = event_mentions.c
    rows = conn.execute(select(e.evidence, e.doc_id).where(e.merged_id == merged_id).limit(8)).all()
    best = max((fuzz.token_set_ratio(spec.evidence, r.evidence or "", processor=utils.default_process)
                for r in rows), default=0.0)
    same_doc = any(r.doc_id == spec.doc_id for r in rows)
    return best, same_doc, "strong" if same_doc else subject_agreement(conn, spec.doc_id, {r.doc_id for r in rows})


_AGREEMENT = ("none", "weak", "strong")


def subject_agreement(conn: Connection, doc_id: str, others: set[str]) -> str:
    """How far ``doc_id`` and every article of ``others`` name the same specific actors and
    places: ``strong``, ``weak`` or ``none`` (the weakest pair decides).

    Real news of one day holds many same-type events between the same few countries
    ("USA ACCUSE GBR" on a royal interview and on an FBI arrest); like words and a like
    date are not enough to call them one happening unless the articles are about the
    same people and places. Every report must agree, not one: otherwise one loose
    match lets a merged event chain through unrelated articles.
    """
    sd = story_documents.c
    names = dict(conn.execute(select(sd.doc_id, sd.names).where(sd.doc_id.in_(others | {doc_id}))).all())
    config = thresholds()["merge"]
    level = "strong"
    for other in others - {doc_id}:
        if not names.get(doc_id) or not names.get(other):
            continue  # an article that names no one specific cannot tell; the words decide
        shared, overlap = name_overlap(names.get(doc_id), names.get(other))
        pair = ("strong" if shared >= config["strong_shared_names"] or overlap >= config["strong_name_overlap"]
                else "weak" if shared >= config["min_shared_names"] or overlap >= config["min_name_overlap"]
                else "none")
        level = min(level, pair, key=_AGREEMENT.index)
    return level


def find_merged(conn: Connection, spec: MentionSpec) -> tuple[str | None, float]:
    """The merged event ``spec`` reports, with the evidence similarity, or (None, 0)."""
    best: tuple[tuple[bool, int, float], str, float] | None = None
    for merged in _candidates(conn, spec):
        if merged.type != spec.type and not _reports_the_talks(spec, merged):
            continue
        fit = dyad_fit(spec, merged)
        if fit is None or not _compatible(spec, merged):
            continue
        similarity, same_doc, subject = _similarity(conn, spec, merged.id)
        if subject == "none":
            continue
        threshold = _threshold(spec, merged, fit)
        if subject == "weak":
            threshold += thresholds()["merge"]["weak_subject_bonus"]
        # Two events of one article are one happening only when told in like words.
        if same_doc:
            threshold = max(threshold, 70.0)
        # Same parties first; then the more widely reported happening (a stray coding of
        # a side remark must not draw reports away from the event most outlets carry).
        rank = (fit == "exact", merged.mentions, similarity)
        if similarity >= threshold and (best is None or rank > best[0]):
            best = (rank, merged.id, similarity)
    return (best[1], best[2]) if best else (None, 0.0)


# -- writing (a merged event's own row: dateline.stories.merged) ---------------------------

def add_mention(conn: Connection, spec: MentionSpec, merged_id: str | None = None) -> str | None:
    """File ``spec`` under its merged event (found, given, or new); returns the merged id."""
    similarity = 100.0
    if merged_id is None:
        merged_id, similarity = find_merged(conn, spec)
    if merged_id is None:
        if not spec.counted:
            return None  # a re-post's event that its original never had: nothing new to count
        merged_id = hashlib.sha1(f"{spec.doc_id}:{spec.idx}".encode()).hexdigest()[:16]
        similarity = 100.0
    row = {k: v for k, v in vars(spec).items() if k not in {"source_country", "target_country"}}
    # Values go as execution parameters: the compiled statement is cached, nothing is coerced.
    conn.execute(insert(event_mentions), {"merged_id": merged_id, "similarity": round(similarity, 1), **row})
    refresh(conn, merged_id, spec)
    e = store_schema.events.c
    conn.execute(update(store_schema.events).where(e.doc_id == spec.doc_id, e.idx == spec.idx)
                 .values(merged_id=merged_id))
    return merged_id


def remove_document(conn: Connection, doc_id: str) -> None:
    """Take a document's mentions out of their merged events (before it is filed again)."""
    e = event_mentions.c
    affected = [r.merged_id for r in conn.execute(select(e.merged_id).where(e.doc_id == doc_id).distinct())]
    if not affected:
        return
    conn.execute(delete(event_mentions).where(e.doc_id == doc_id))
    for merged_id in affected:
        refresh(conn, merged_id)


def merge_document(conn: Connection, doc: Document, repost_of: str | None,
                   issues_file: str | None = None) -> list[str]:
    """File every event of ``doc``; a re-post's events join its original's, uncounted."""
    remove_document(conn, doc.id)
    originals = _original_mentions(conn, repost_of) if repost_of else []
    merged_ids = []
    for idx, event in enumerate(doc.events):
        spec = mention_spec(doc, idx, event, counted=repost_of is None, issues_file=issues_file)
        if spec is None:
            continue
        merged_id = add_mention(conn, spec, _same_report(spec, originals))
        if merged_id:
            merged_ids.append(merged_id)
    return merged_ids


def _original_mentions(conn: Connection, original: str) -> list[Any]:
    e = event_mentions.c
    return conn.execute(select(e.merged_id, e.type, e.evidence).where(e.doc_id == original)).all()


def _same_report(spec: MentionSpec, originals: list[Any]) -> str | None:
    """The merged event of the original's event that this re-posted event repeats."""
    best: tuple[float, str] | None = None
    for row in originals:
        if row.type != spec.type:
            continue
        similarity = fuzz.token_set_ratio(spec.evidence, row.evidence or "", processor=utils.default_process)
        if similarity >= 80 and (best is None or similarity > best[0]):
            best = (similarity, row.merged_id)
    return best[1] if best else None
