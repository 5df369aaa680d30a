"""Reading the stories tables: timelines, negotiation positions, story clusters.

The CLI, the HTTP API and the web page call these; each takes a ``Store`` (or an
``Engine``, or an open ``Connection``) and returns plain dicts and lists (JSON-ready).

``timeline(store, actors=["RUS", "UKR"], types=["CONSULT"], date_from="2025-05", date_to="2025-09")``
    merged events in date order: ``id, date, date_lo, date_hi, type, source, target,
    place, place_country, evidence, doc_id, mentions, sources, articles, outlets, issues,
    factuality``. ``actors``: every one given must be a party (source or target);
    ``min_mentions`` hides merged events only re-posts reported.
``mentions(store, merged_id)``
    the provenance of one merged event: ``doc_id, idx, outlet, title, anchor_date, date,
    evidence, start, end, confidence, counted``.
``negotiations(...)`` / ``negotiation_rows(result)``
    the negotiation tracker (``dateline.stories.tracker``, re-exported here).
``story_of(store, doc_id)``
    ``{"id", "canonical_doc_id", "title", "first_date", "last_date", "articles", "outlets",
    "documents": [{"doc_id", "title", "outlet", "anchor_date", "dup_group", "exact_of",
    "similarity", "canonical"}]}`` or None.
``story_detail(store, story_id)`` / ``story_timeline(store, story_id)``
    one story's row with ``documents`` and ``timeline``; its merged events in date order.
``related_documents(store, doc_id, limit=10)``
    other articles of its story, best first (exact re-posts, near-duplicates, then most
    shared merged events, then nearest in date): ``doc_id (= id), title, outlet,
    anchor_date, relation (= why), shared_events``.
``list_stories(store, limit=50, offset=0, min_articles=1)``
    stories newest first: ``id (= story_id), canonical_doc_id, title, first_date,
    last_date, articles (= documents), outlets``.

Tables (``dateline.stories.schema``): story_documents, story_bands, stories,
merged_events, event_mentions, negotiation_positions; ``events.merged_id`` and
``documents.story_id`` of the store point into them.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, or_, select

from dateline.stories.dedup import estimated_jaccard
from dateline.stories.names import name_overlap
from dateline.stories.reading import connect as _connect
from dateline.stories.reading import day_bounds as _day_bounds
from dateline.stories.reading import key_has as _key_has
from dateline.stories.schema import event_mentions, merged_events, stories, story_documents
from dateline.stories.tracker import negotiation_rows, negotiations


# -- timelines -------------------------------------------------------------------------

def timeline(store: Any, actors: list[str] | None = None, types: list[str] | None = None,
             date_from: str | None = None, date_to: str | None = None, min_mentions: int = 1,
             limit: int = 1000) -> list[dict[str, Any]]:
    """Merged events in date order with their best evidence and sources."""
    m = merged_events.c
    query = select(merged_events).where(m.mentions >= min_mentions)
    for actor in actors or []:
        query = query.where(or_(_key_has(m.source_key, actor), _key_has(m.target_key, actor)))
    if types:
        query = query.where(m.type.in_([t.upper() for t in types]))
    low, high = _day_bounds(date_from, date_to)
    if low:
        query = query.where(m.date_hi >= low)
    if high:
        query = query.where(m.date_lo <= high)
    query = query.order_by(m.date_lo, m.date_hi, m.id).limit(limit)
    with _connect(store) as conn:
        rows = conn.execute(query).all()
        outlets = _outlets(conn, [r.id for r in rows])
    return [_timeline_row(r, outlets.get(r.id, [])) for r in rows]


def _outlets(conn: Any, merged_ids: list[str]) -> dict[str, list[str]]:
    e = event_mentions.c
    found: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(merged_ids), 500):
        chunk = merged_ids[start:start + 500]
        query = (select(e.merged_id, e.outlet).where(e.merged_id.in_(chunk), e.counted.is_(True))
                 .distinct().order_by(e.merged_id, e.outlet))
        for row in conn.execute(query):
            if row.outlet and row.outlet not in found[row.merged_id]:
                found[row.merged_id].append(row.outlet)
    return found


def _timeline_row(row: Any, outlets: list[str]) -> dict[str, Any]:
    return {
        "id": row.id, "date": row.date or (row.date_lo if row.date_lo == row.date_hi else None),
        "date_lo": row.date_lo, "date_hi": row.date_hi, "type": row.type,
        "source": row.source_key, "target": row.target_key or None,
        "place": row.place_name, "place_country": row.place_country, "evidence": row.evidence,
        "doc_id": row.doc_id, "mentions": row.mentions, "sources": row.sources, "articles": row.articles,
        "outlets": outlets, "issues": row.issues or [], "factuality": row.factuality,
    }


def mentions(store: Any, merged_id: str) -> list[dict[str, Any]]:
    """Every report of one merged event: document, outlet, evidence and offsets."""
    e = event_mentions.c
    sd = story_documents.c
    query = (select(e.doc_id, e.idx, e.outlet, sd.title, e.anchor_date, e.date, e.evidence, e.start, e.end,
                    e.confidence, e.counted)
             .select_from(event_mentions).outerjoin(story_documents, sd.doc_id == e.doc_id)
             .where(e.merged_id == merged_id).order_by(e.anchor_date, e.doc_id, e.idx))
    with _connect(store) as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


# -- stories ---------------------------------------------------------------------------

def story_of(store: Any, doc_id: str) -> dict[str, Any] | None:
    """The story a document belongs to, with all its articles (canonical first)."""
    sd = story_documents.c
    with _connect(store) as conn:
        story_id = conn.execute(select(sd.story_id).where(sd.doc_id == doc_id)).scalar()
        if story_id is None:
            return None
        story = conn.execute(select(stories).where(stories.c.id == story_id)).first()
        docs = conn.execute(select(sd.doc_id, sd.title, sd.outlet, sd.anchor_date, sd.dup_group, sd.exact_of,
                                   sd.similarity, sd.link_reason, sd.link_score, sd.link_detail)
                            .where(sd.story_id == story_id)
                            .order_by(sd.anchor_date, sd.seq)).all()
    canonical = story.canonical_doc_id if story else None
    result = dict(story._mapping) if story else {"id": story_id}
    result["documents"] = [dict(d._mapping, canonical=d.doc_id == canonical) for d in docs]
    return result


def story_detail(store: Any, story_id: str) -> dict[str, Any] | None:
    """One story by id: its row, its articles and its merged events (the API's story page)."""
    sd = story_documents.c
    with _connect(store) as conn:
        story = conn.execute(select(stories).where(stories.c.id == story_id)).first()
        docs = conn.execute(select(sd.doc_id, sd.title, sd.outlet, sd.anchor_date, sd.dup_group, sd.exact_of,
                                   sd.similarity, sd.link_reason, sd.link_score, sd.link_detail)
                            .where(sd.story_id == story_id)
                            .order_by(sd.anchor_date, sd.seq)).all()
        if not docs:
            return None
        events = story_timeline(conn, story_id)
    result = dict(story._mapping) if story else {"id": story_id}
    canonical = result.get("canonical_doc_id")
    result["story_id"] = story_id
    result["documents"] = [dict(d._mapping, id=d.doc_id, canonical=d.doc_id == canonical) for d in docs]
    result["timeline"] = events
    return result


def story_timeline(store: Any, story_id: str) -> list[dict[str, Any]]:
    """The merged events the story's articles report, in date order."""
    sd = story_documents.c
    e = event_mentions.c
    m = merged_events.c
    in_story = select(e.merged_id).where(e.doc_id.in_(select(sd.doc_id).where(sd.story_id == story_id)))
    with _connect(store) as conn:
        rows = conn.execute(select(merged_events).where(m.id.in_(in_story))
                            .order_by(m.date_lo, m.date_hi, m.id)).all()
        outlets = _outlets(conn, [r.id for r in rows])
    return [_timeline_row(r, outlets.get(r.id, [])) for r in rows]


def related_documents(store: Any, doc_id: str, limit: int = 10) -> list[dict[str, Any]]:
    """Other articles of the document's story, best first."""
    sd = story_documents.c
    e = event_mentions.c
    with _connect(store) as conn:
        me = conn.execute(select(sd.story_id, sd.dup_group, sd.anchor_date, sd.exact_of, sd.names, sd.signature)
                          .where(sd.doc_id == doc_id)).first()
        if me is None:
            return []
        others = conn.execute(select(sd.doc_id, sd.title, sd.outlet, sd.anchor_date, sd.dup_group, sd.exact_of,
                                     sd.names, sd.signature)
                              .where(sd.story_id == me.story_id, sd.doc_id != doc_id)).all()
        mine = select(e.merged_id).where(e.doc_id == doc_id)
        shared = dict(conn.execute(
            select(e.doc_id, func.count(func.distinct(e.merged_id)))
            .where(e.merged_id.in_(mine), e.doc_id != doc_id).group_by(e.doc_id)).all())
    rows = []
    for other in others:
        relation = ("re-post" if doc_id == other.exact_of or other.doc_id == me.exact_of
                    else "near-duplicate" if other.dup_group == me.dup_group else "same story")
        events = shared.get(other.doc_id, 0)
        names, overlap = name_overlap(me.names, other.names)
        similarity = estimated_jaccard(me.signature or [], other.signature or [])
        rows.append({"doc_id": other.doc_id, "id": other.doc_id, "title": other.title, "outlet": other.outlet,
                     "anchor_date": other.anchor_date, "relation": relation, "shared_events": events,
                     "shared_names": names, "similarity": round(similarity, 2),
                     "why": _why(relation, events, names, overlap, similarity)})
    rank = {"re-post": 0, "near-duplicate": 1, "same story": 2}
    rows.sort(key=lambda r: (rank[r["relation"]], -r["shared_events"],
                             _gap(r["anchor_date"], me.anchor_date), r["doc_id"]))
    return rows[:limit]


def _why(relation: str, events: int, names: int, overlap: float, similarity: float) -> str:
    """The link between two articles of one story in words: "same story: 3 shared events, 0.82 similarity"."""
    if relation != "same story":
        return f"{relation}: {similarity:.2f} similarity"
    parts = [f"{events} shared event{'s' if events != 1 else ''}"] if events else []
    if names:
        parts.append(f"{names} shared name{'s' if names != 1 else ''} ({overlap:.2f} overlap)")
    return "same story: " + (", ".join(parts) if parts else "linked through other articles of the story")


def _gap(a: str | None, b: str | None) -> int:
    from dateline.stories.text import days_between

    gap = days_between(a, b)
    return gap if gap is not None else 10**6


def list_stories(store: Any, limit: int = 50, offset: int = 0, min_articles: int = 1) -> list[dict[str, Any]]:
    """Stories, the most recently reported first."""
    s = stories.c
    query = (select(stories).where(s.articles >= min_articles)
             .order_by(s.last_date.desc().nulls_last(), s.id).limit(limit).offset(offset))
    with _connect(store) as conn:
        # story_id / documents: the names the API's fallback uses for the same values.
        return [dict(r._mapping, story_id=r.id, documents=r.articles) for r in conn.execute(query)]


__all__ = [
    "list_stories",
    "mentions",
    "negotiation_rows",
    "negotiations",
    "related_documents",
    "story_detail",
    "story_of",
    "story_timeline",
    "timeline",
]
