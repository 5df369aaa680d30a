"""Stories, timelines and negotiations for the API and the pages.

The stories stage (``dateline.stories``) owns story clusters, merged events and
negotiation positions; its read functions (``dateline.stories.queries``) answer, on the
request's connection. While its tables are empty for a view (or a query fails) these
fall back to what the per-document tables already hold: ``documents.story_id`` for
clusters and the coded events for a timeline and a per-dyad record of moves.

Every function answers one normalised shape whichever source answered:
stories ``{story_id, title, documents, outlets, first_date, last_date}``; negotiation
tracks ``{dyad, issue, title, agreement, positions: [{party, role, stance, since,
evidence}], moves: [{party, stance, date, evidence, doc_id}]}``.
"""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from dateline.api.queries import D, E, Page, clamp_limit
from dateline.stories import queries as stories_queries
from dateline.stories import schema as tables

log = logging.getLogger(__name__)

# Event types that move a negotiation (fallback only): positions, offers, refusals, pressure.
NEGOTIATION_TYPES = ("AGREE", "CONSULT", "CONCEDE", "REQUEST", "REJECT", "RETREAT", "THREATEN")
NO_ISSUE = "(no issue label)"
MAX_DYADS = 8


def _call(name: str, *args: Any, **kwargs: Any) -> Any:
    """The stories stage's answer, or None when it fails (the page must still work)."""
    function = getattr(stories_queries, name)
    conn = args[0] if args and isinstance(args[0], Connection) else None
    try:
        # The request's own connection (one per request: a second one per request starved the
        # pool under load); on PostgreSQL in a savepoint, so a failure leaves it usable.
        if conn is not None and conn.dialect.name == "postgresql":
            with conn.begin_nested():
                return function(*args, **kwargs)
        return function(*args, **kwargs)
    except Exception:
        log.exception("dateline.stories.queries.%s failed; using the fallback", name)
        return None


# -- story clusters -------------------------------------------------------------------


def list_stories(store: Any, conn: Connection, limit: int = 50, offset: int = 0) -> Page:
    """Stories with more than one article, most recently reported first."""
    limit, offset = clamp_limit(limit), max(0, offset)
    rows = _call("list_stories", conn, limit=limit, offset=offset, min_articles=2)
    if rows is not None:
        total = conn.execute(select(func.count()).select_from(tables.stories)
                             .where(tables.stories.c.articles >= 2)).scalar_one()
        items = [{"story_id": r["id"], "title": r.get("title"), "documents": r.get("articles"),
                  "outlets": r.get("outlets"), "first_date": r.get("first_date"), "last_date": r.get("last_date"),
                  "canonical_doc_id": r.get("canonical_doc_id")} for r in rows]
        return Page(items, total, limit, offset)
    return _fallback_stories(conn, limit, offset)


def _fallback_stories(conn: Connection, limit: int, offset: int) -> Page:
    grouped = (
        select(D.story_id, func.count().label("documents"), func.count(func.distinct(D.outlet)).label("outlets"),
               func.min(D.anchor_date).label("first_date"), func.max(D.anchor_date).label("last_date"))
        .where(D.story_id.is_not(None)).group_by(D.story_id).having(func.count() >= 2)
    )
    total = conn.execute(select(func.count()).select_from(grouped.subquery())).scalar_one()
    rows = conn.execute(grouped.order_by(func.max(D.anchor_date).desc(), D.story_id).limit(limit).offset(offset))
    items = [dict(r._mapping) for r in rows]
    firsts = _first_articles(conn, [i["story_id"] for i in items])
    for item in items:
        first = firsts.get(item["story_id"], {})
        item["title"], item["canonical_doc_id"] = first.get("title"), first.get("id")
    return Page(items, total, limit, offset)


def _first_articles(conn: Connection, story_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each story's earliest article stands for it."""
    found: dict[str, dict[str, Any]] = {}
    if story_ids:
        query = (select(D.story_id, D.id, D.title).where(D.story_id.in_(story_ids))
                 .order_by(D.anchor_date.asc().nulls_last()))
        for row in conn.execute(query):
            found.setdefault(row.story_id, {"id": row.id, "title": row.title})
    return found


def story_detail(conn: Connection, story_id: str) -> dict[str, Any] | None:
    docs = [dict(r._mapping) for r in conn.execute(
        select(D.id, D.title, D.outlet, D.anchor_date).where(D.story_id == story_id)
        .order_by(D.anchor_date.asc().nulls_last(), D.id))]
    if not docs:
        return None
    return {"story_id": story_id, "title": docs[0]["title"], "documents": docs,
            "timeline": story_timeline(conn, story_id)}


def story_timeline(conn: Connection, story_id: str) -> list[dict[str, Any]]:
    """The story's events in date order: merged events when the stories stage has them."""
    try:
        merged = _merged_timeline(conn, story_id)
    except Exception:
        log.debug("no merged events for story %s", story_id, exc_info=True)
        merged = []
    if merged:
        return merged
    query = (
        select(E.doc_id, E.idx, E.type, E.date, E.source_name, E.source_country, E.target_name, E.target_country,
               E.evidence, E.factuality, E.confidence)
        .where(E.doc_id.in_(select(D.id).where(D.story_id == story_id)))
        .order_by(E.date.asc().nulls_last(), E.doc_id, E.idx)
    )
    return [dict(r._mapping) | {"mentions": 1} for r in conn.execute(query)]


def _merged_timeline(conn: Connection, story_id: str) -> list[dict[str, Any]]:
    m, em = tables.merged_events.c, tables.event_mentions.c
    in_story = select(em.merged_id).where(em.doc_id.in_(select(D.id).where(D.story_id == story_id)))
    query = (select(m.id, m.doc_id, m.type, m.date, m.date_lo, m.date_hi, m.source_key, m.target_key, m.evidence,
                    m.factuality, m.confidence, m.mentions, m.sources, m.articles)
             .where(m.id.in_(in_story)).order_by(m.date_lo, m.date_hi, m.id))
    return [{**dict(r._mapping), "date": r.date or r.date_lo, "source_name": r.source_key,
             "target_name": r.target_key or None} for r in conn.execute(query)]


def related_in_story(store: Any, conn: Connection, doc_id: str, story_id: str | None, limit: int = 6,
                     window: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """Other stored articles of the document's story, best first.

    The stories stage ranks every member of the story; for a very large story that costs
    more than a page may spend, so there the nearest members in the date ``window`` come
    from one indexed, limited query instead."""
    if not _story_too_large(conn, story_id):
        rows = _call("related_documents", conn, doc_id, limit=limit)
        if rows:
            return [{"id": r["doc_id"], "title": r.get("title"), "outlet": r.get("outlet"),
                     "anchor_date": r.get("anchor_date"), "why": r.get("relation") or "same story"} for r in rows]
    if not story_id:
        return []
    query = (select(D.id, D.title, D.outlet, D.anchor_date).where(D.story_id == story_id, D.id != doc_id, *window)
             .order_by(D.anchor_date.desc().nulls_last()).limit(limit))
    return [dict(r._mapping) | {"why": "same story"} for r in conn.execute(query)]


LARGE_STORY = 150


def _story_too_large(conn: Connection, story_id: str | None) -> bool:
    if not story_id:
        return False
    try:
        size = conn.execute(select(tables.stories.c.articles).where(tables.stories.c.id == story_id)).scalar()
    except Exception:  # noqa: BLE001 - no stories tables on this store yet
        return False
    return bool(size and size > LARGE_STORY)


def merged_timeline(store: Any, conn: Connection, parties: list[str], types: list[str], date_from: str | None,
                    date_to: str | None, min_mentions: int, limit: int, offset: int) -> Page:
    """Events across articles in date order: the stories stage's merged events when it has
    them (one row per happening, with mention counts), else the coded events themselves."""
    limit, offset = clamp_limit(limit), max(0, offset)
    cap = offset + limit + 1
    rows = _call("timeline", conn, actors=parties or None, types=types or None, date_from=date_from,
                 date_to=date_to, min_mentions=min_mentions, limit=cap)
    if rows:
        return Page(list(rows)[offset:offset + limit], min(cap, len(rows)), limit, offset)
    query = (select(E.doc_id, E.idx, E.type, E.date, E.source_name, E.source_country, E.target_name,
                    E.target_country, E.evidence, E.factuality, E.confidence).where(E.date.is_not(None))
             .order_by(E.date, E.doc_id, E.idx))
    for party in parties:
        query = query.where((E.source_country == party) | (E.target_country == party))
    if types:
        query = query.where(E.type.in_(types))
    if date_from:
        query = query.where(E.date >= date_from)
    if date_to:
        query = query.where(func.substr(E.date, 1, len(date_to)) <= date_to)
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = [dict(r._mapping) | {"mentions": 1} for r in conn.execute(query.limit(limit).offset(offset))]
    return Page(items, total, limit, offset)


# -- negotiations ---------------------------------------------------------------------


def _parties(dyad: str | None) -> list[str]:
    return [p.strip().upper() for p in (dyad or "").replace(",", "-").replace("+", "-").split("-") if p.strip()]


def negotiations(store: Any, conn: Connection, dyad: str | None = None, issue: str | None = None,
                 limit: int = 50, offset: int = 0) -> Page:
    """Per dyad and issue: each party's current stance and its moves over time."""
    limit, offset = clamp_limit(limit), max(0, offset)
    tracks = _staged_tracks(store, conn, dyad, issue)
    if not tracks:
        tracks = _fallback_tracks(conn, dyad, issue)
    return Page(tracks[offset:offset + limit], len(tracks), limit, offset)


def _staged_tracks(store: Any, conn: Connection, dyad: str | None, issue: str | None) -> list[dict[str, Any]]:
    dyads = [_parties(dyad)] if dyad else _busiest_dyads(conn)
    tracks = []
    for parties in dyads:
        if len(parties) < 2:
            continue
        result = _call("negotiations", conn, parties, issues=[issue] if issue else None)
        for item in (result or {}).get("issues", []):
            tracks.append(_track_from_stage("-".join(parties), item))
    return tracks


def _busiest_dyads(conn: Connection) -> list[list[str]]:
    n = tables.negotiation_positions.c
    try:
        rows = conn.execute(select(n.party, n.counterpart, func.count().label("n"))
                            .where(n.counterpart.is_not(None), n.counted.is_(True))
                            .group_by(n.party, n.counterpart).order_by(func.count().desc()).limit(200)).all()
    except Exception:  # noqa: BLE001 - tables not created on this store yet
        return []
    counts: dict[tuple[str, ...], int] = {}
    for row in rows:
        pair = tuple(sorted({row.party, *row.counterpart.split("+")}))
        if 2 <= len(pair) <= 3:
            counts[pair] = counts.get(pair, 0) + row.n
    return [list(pair) for pair, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:MAX_DYADS]]


def _track_from_stage(dyad: str, item: dict[str, Any]) -> dict[str, Any]:
    positions, moves = [], []
    for p in item.get("positions", []):
        positions.append({"party": p["party"], "role": p.get("role"), "stance": p.get("stance"),
                          "since": p.get("since"), "evidence": p.get("evidence"), "position_id": p.get("position_id")})
        for span in p.get("history", []):
            first = (span.get("evidence") or [{}])[0]
            moves.append({"party": p["party"], "stance": span.get("stance"), "date": span.get("since"),
                          "evidence": first.get("text"), "doc_id": first.get("doc_id")})
    moves.sort(key=lambda m: m["date"] or "")
    return {"dyad": dyad, "issue": item.get("issue"), "title": item.get("title") or item.get("issue"),
            "agreement": bool(item.get("agreement")), "positions": positions, "moves": moves}


def _fallback_tracks(conn: Connection, dyad: str | None, issue: str | None) -> list[dict[str, Any]]:
    """Without the stories stage: coded events between two countries, grouped per dyad and issue."""
    query = (
        select(E.doc_id, E.idx, E.type, E.date, E.source_country, E.target_country, E.evidence)
        .where(E.type.in_(NEGOTIATION_TYPES), E.source_country.is_not(None), E.target_country.is_not(None),
               E.source_country != E.target_country)
        .order_by(E.date.asc().nulls_last())
        .limit(2000)  # bounded: an archive-wide view is the stories stage's job
    )
    rows = [dict(r._mapping) for r in conn.execute(query)]
    issues = _event_issues(conn, {r["doc_id"] for r in rows})
    wanted = "-".join(sorted(_parties(dyad))) if dyad else None
    tracks: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        pair = "-".join(sorted((row["source_country"], row["target_country"])))
        if wanted and pair != wanted:
            continue
        for label in issues.get((row["doc_id"], row["idx"])) or [NO_ISSUE]:
            if issue and label.lower() != issue.lower():
                continue
            track = tracks.setdefault((pair, label), {"dyad": pair, "issue": label, "title": label,
                                                      "agreement": False, "positions": [], "moves": []})
            track["moves"].append({"party": row["source_country"], "stance": row["type"], "date": row["date"],
                                   "evidence": row["evidence"], "doc_id": row["doc_id"]})
    for track in tracks.values():
        latest: dict[str, dict[str, Any]] = {}
        for move in track["moves"]:
            latest[move["party"]] = move
        track["positions"] = [{"party": p, "role": "party", "stance": m["stance"], "since": m["date"],
                               "evidence": m["evidence"]} for p, m in latest.items()]
    return sorted(tracks.values(), key=lambda t: -len(t["moves"]))


def _event_issues(conn: Connection, doc_ids: set[str]) -> dict[tuple[str, int], list[str]]:
    """Issue labels live only in the documents' JSON: read them for the documents involved."""
    labels: dict[tuple[str, int], list[str]] = {}
    ids = sorted(doc_ids)[:500]
    for start in range(0, len(ids), 100):
        for row in conn.execute(select(D.id, D.data).where(D.id.in_(ids[start:start + 100]))):
            for idx, event in enumerate((row.data or {}).get("events") or []):
                if event.get("issues"):
                    labels[(row.id, idx)] = list(event["issues"])
    return labels
