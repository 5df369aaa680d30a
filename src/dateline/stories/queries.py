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
``negotiations(store, parties=["RUS", "UKR"], mediators=None, issues=None, date_from, date_to)``
    ``{"parties", "mediators", "issues": [{"issue", "title", "agreement", "positions":
    [{"party", "role", "stance", "since", "changes", "history", "evidence"}], "agreed_on"}]}``:
    per issue, each party's current stance, when it changed and the evidence of every
    span of the same stance; ``agreed_on``: dates every party stated an agreement.
    Mediators not given are found: third parties in talks with every party, or whose
    statements address every party. ``negotiation_rows(result)`` flattens it for tables.
    Also ``negotiations(conn, dyad="RUS-UKR", issue=None, limit=50, offset=0)`` ->
    ``{"items": [one per issue, with "dyad" and "mediators"], "total"}``; no dyad: the
    busiest pairs.
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
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from typing import Any

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.engine import Connection

from dateline.stories import ensure_tables
from dateline.stories.cues import issue_titles
from dateline.stories.names import name_overlap
from dateline.stories.dedup import estimated_jaccard
from dateline.stories.schema import (
    event_mentions,
    merged_events,
    negotiation_positions,
    stories,
    story_documents,
)
from dateline.stories.text import date_interval

STANCE_ORDER = ("agreement", "offer", "concession", "demand", "rejection")


@contextmanager
def _connect(target: Any) -> Iterator[Connection]:
    """A connection from a ``Store``, an ``Engine`` or a ``Connection`` (used as is)."""
    if isinstance(target, Connection):
        yield target
        return
    engine = target if isinstance(target, Engine) else target.engine
    if not isinstance(target, Engine):
        ensure_tables(target)
    with engine.connect() as conn:
        yield conn


def _key_has(column: Any, code: str) -> Any:
    """``column`` (a "+"-joined party key) names ``code``."""
    return or_(column == code, column.like(f"{code}+%"), column.like(f"%+{code}"), column.like(f"%+{code}+%"))


def _day_bounds(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    low = date_interval(date_from)
    high = date_interval(date_to)
    return (low[0] if low else None), (high[1] if high else None)


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


# -- negotiations ----------------------------------------------------------------------

def negotiations(store: Any, parties: list[str] | None = None, mediators: list[str] | None = None,
                 issues: list[str] | None = None, date_from: str | None = None,
                 date_to: str | None = None, *, dyad: str | None = None, issue: str | None = None,
                 limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    """Each party's (and mediator's) stance per issue over time, with changes and evidence.

    The API's form ``negotiations(conn, dyad="RUS-UKR", issue="territory", limit, offset)``
    is accepted too and returns ``{"items": [...], "total": n}`` with one item per issue
    (``dyad``, ``issue``, ``title``, ``agreement``, ``positions``); without parties or
    dyad, the pairs with the most positions are tracked.
    """
    if dyad:
        parties = [p for p in dyad.replace(",", "-").replace("+", "-").split("-") if p.strip()]
    if issue:
        issues = [issue]
    with _connect(store) as conn:
        groups = [_normalise_group(parties)] if parties else _busiest_pairs(conn)
        results = [_track_group(conn, group, mediators, issues, date_from, date_to) for group in groups]
    if parties and dyad is None and limit is None:
        return results[0]
    items = [dict(item, dyad="-".join(result["parties"]), mediators=result["mediators"])
             for result in results for item in result["issues"]]
    end = None if limit is None else offset + limit
    return {"items": items[offset:end], "total": len(items)}


def _normalise_group(parties: list[str]) -> list[str]:
    return list(dict.fromkeys(p.strip().upper() if len(p.strip()) == 3 else p.strip() for p in parties))


def _busiest_pairs(conn: Connection, top: int = 10) -> list[list[str]]:
    """The pairs of parties that take the most positions towards each other."""
    n = negotiation_positions.c
    rows = conn.execute(select(n.party, n.counterpart, func.count().label("k"))
                        .where(n.counterpart.is_not(None), n.counted.is_(True))
                        .group_by(n.party, n.counterpart)).all()
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    for row in rows:
        for other in row.counterpart.split("+"):
            if other != row.party:
                counts[tuple(sorted((row.party, other)))] += row.k
    return [list(pair) for pair, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


def _track_group(conn: Connection, group: list[str], mediators: list[str] | None, issues: list[str] | None,
                 date_from: str | None, date_to: str | None) -> dict[str, Any]:
    found_mediators = list(dict.fromkeys([m.upper() for m in mediators or []] + _mediators(conn, group)))
    rows = _positions(conn, group, found_mediators, issues, date_from, date_to)
    titles = issue_titles()
    by_issue: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_issue[row.issue][row.party].append(row)
    order = {label: i for i, label in enumerate(titles)}
    result = []
    for label in sorted(by_issue, key=lambda label: order.get(label, len(order))):
        positions = [_party_track(party, party_rows, "party" if party in group else "mediator")
                     for party, party_rows in by_issue[label].items()]
        positions.sort(key=lambda p: (p["role"] != "party", _party_rank(group, p["party"])))
        agreed = _agreed_on(group, positions)
        result.append({"issue": label, "title": titles.get(label, label), "agreement": bool(agreed),
                       "agreed_on": agreed, "positions": positions})
    return {"parties": group, "mediators": found_mediators, "issues": result}


def _party_rank(group: list[str], party: str) -> int:
    return group.index(party) if party in group else len(group)


def _mediators(conn: Any, group: list[str]) -> list[str]:
    """Third parties at the table: in talks (CONSULT) with every party of the group, or
    whose statements address every party (hosts, mediators)."""
    if len(group) < 2:
        return []
    found: list[str] = []
    m = merged_events.c
    talks = select(m.source_key).where(m.type == "CONSULT", *[_key_has(m.source_key, p) for p in group]).distinct()
    for row in conn.execute(talks):
        found.extend(p for p in row.source_key.split("+") if p not in group and p not in found)
    n = negotiation_positions.c
    query = select(n.party, n.counterpart).where(n.counterpart.is_not(None), n.party.not_in(group),
                                                 _key_has(n.counterpart, group[0])).distinct()
    for row in conn.execute(query):
        if set(group) <= set((row.counterpart or "").split("+")) and row.party not in found:
            found.append(row.party)
    return found


def _positions(conn: Any, group: list[str], mediators: list[str], issues: list[str] | None,
               date_from: str | None, date_to: str | None) -> list[Any]:
    n = negotiation_positions.c
    sd = story_documents.c
    query = (select(negotiation_positions, sd.anchor_date.label("article_date"), sd.title)
             .select_from(negotiation_positions).outerjoin(story_documents, sd.doc_id == n.doc_id)
             .where(n.party.in_(group + mediators), n.counted.is_(True)))
    if issues:
        query = query.where(n.issue.in_(issues))
    low, high = _day_bounds(date_from, date_to)
    allowed = set(group) | set(mediators)
    rows = [r for r in conn.execute(query.order_by(n.date, n.doc_id, n.origin, n.idx))
            if (r.counterpart is None or set(r.counterpart.split("+")) <= allowed)
            and _in_range(r.date, low, high)]
    # A statement that names no counterpart ("Beijing vowed countermeasures") belongs to
    # this negotiation only when its article is about the other side too: China's answer
    # to EU duties is no position towards the United States.
    undirected = {r.doc_id for r in rows if r.counterpart is None}
    involved = _parties_of_documents(conn, undirected) if undirected else {}
    return [r for r in rows if r.counterpart is not None
            or (set(group) - {r.party}) & involved.get(r.doc_id, set())]


def _parties_of_documents(conn: Any, doc_ids: set[str]) -> dict[str, set[str]]:
    """Every party a document's events and positions name."""
    found: dict[str, set[str]] = defaultdict(set)
    e = event_mentions.c
    for row in conn.execute(select(e.doc_id, e.source_key, e.target_key).where(e.doc_id.in_(doc_ids))):
        found[row.doc_id].update(p for key in (row.source_key, row.target_key) for p in (key or "").split("+") if p)
    n = negotiation_positions.c
    for row in conn.execute(select(n.doc_id, n.party, n.counterpart).where(n.doc_id.in_(doc_ids))):
        found[row.doc_id].add(row.party)
        found[row.doc_id].update(p for p in (row.counterpart or "").split("+") if p)
    return found


def _in_range(value: str | None, low: str | None, high: str | None) -> bool:
    interval = date_interval(value)
    if interval is None:
        return not (low or high)
    return (low is None or interval[1] >= low) and (high is None or interval[0] <= high)


def _party_track(party: str, rows: list[Any], role: str) -> dict[str, Any]:
    """Spans of one stance in date order; the last span is the current stance."""
    spans: list[dict[str, Any]] = []
    for row in sorted(rows, key=lambda r: (r.date or "", r.article_date or "", STANCE_ORDER.index(r.stance)
                                           if r.stance in STANCE_ORDER else 9)):
        evidence = {"text": row.evidence, "doc_id": row.doc_id, "outlet": row.outlet, "date": row.date,
                    "origin": row.origin, "speaker": row.speaker, "start": row.start, "end": row.end,
                    "merged_id": row.merged_id, "position_id": getattr(row, "id", None)}
        if spans and spans[-1]["stance"] == row.stance:
            span = spans[-1]
            span["until"] = row.date or span["until"]
            if not any(e["text"] == evidence["text"] and e["doc_id"] == evidence["doc_id"] for e in span["evidence"]):
                span["evidence"].append(evidence)
            continue
        spans.append({"stance": row.stance, "since": row.date, "until": row.date, "evidence": [evidence]})
    current = spans[-1]
    changes = [{"date": later["since"], "from": earlier["stance"], "to": later["stance"]}
               for earlier, later in pairwise(spans)]
    return {"party": party, "role": role, "stance": current["stance"], "since": current["since"],
            "changes": changes, "history": spans, "evidence": current["evidence"][0]["text"],
            "position_id": current["evidence"][0]["position_id"]}


def _agreed_on(group: list[str], positions: list[dict[str, Any]]) -> list[str]:
    """Dates on which every party of the group stated an agreement on the issue."""
    dates: list[set[str]] = []
    for party in group:
        track = next((p for p in positions if p["party"] == party), None)
        if track is None:
            return []
        dates.append({e["date"] for span in track["history"] if span["stance"] == "agreement"
                      for e in span["evidence"] if e["date"]})
    return sorted(set.intersection(*dates)) if len(group) >= 2 and dates else []


def negotiation_rows(result: dict[str, Any], width: int = 160) -> list[dict[str, Any]]:
    """One row per issue and party, for tables."""
    rows = []
    for issue in result["issues"]:
        for position in issue["positions"]:
            history = " -> ".join(f"{span['stance']} ({span['since'] or '?'})" for span in position["history"])
            sources = {e["outlet"] or e["doc_id"] for span in position["history"] for e in span["evidence"]}
            evidence = position["evidence"] or ""
            rows.append({
                "issue": issue["title"], "agreed": ", ".join(issue["agreed_on"]),
                "party": position["party"], "role": position["role"],
                "stance": position["stance"], "since": position["since"], "history": history,
                "changed": len(position["changes"]), "sources": len(sources),
                "evidence": evidence if len(evidence) <= width else evidence[:width - 1] + "…",
            })
    return rows


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
