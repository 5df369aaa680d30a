"""Read queries behind the HTTP API and the analyst page (SQLAlchemy Core, bound parameters).

Every list query returns a ``Page`` (items + total + limit + offset). Filters are built
as SQLAlchemy expressions, so a value such as ``' OR 1=1 --`` is always data, never SQL.
Cross-article results (stories, timelines, negotiations) are the stories stage's:
the routes call ``dateline.stories.queries`` (and ``dateline.stories.browse``) directly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.engine import Connection

from dateline.model import Document
from dateline.store import schema

D = schema.documents.c
E = schema.events.c
Q = schema.quotes.c
N = schema.entities.c
A = schema.document_authors.c

MAX_LIMIT = 500


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "limit": self.limit, "offset": self.offset, "items": self.items}


def clamp_limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def contains_ci(column: Any, text: str) -> ColumnElement[bool]:
    """Case-insensitive substring match; LIKE wildcards in ``text`` are escaped."""
    return func.lower(column).contains(text.lower(), autoescape=True)


def _page(conn: Connection, query: Select[Any], limit: int, offset: int) -> Page:
    total = conn.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    limit = clamp_limit(limit)
    offset = max(0, int(offset))
    rows = conn.execute(query.limit(limit).offset(offset)).all()
    return Page([dict(r._mapping) for r in rows], total, limit, offset)


# -- documents -----------------------------------------------------------------------

DOCUMENT_SUMMARY = (D.id, D.doc, D.url, D.title, D.outlet, D.published, D.page_date, D.anchor_date,
                    D.dateline, D.agency, D.story_id, D.ingested_at)


def list_documents(conn: Connection, limit: int = 50, offset: int = 0, q: str | None = None,
                   outlet: str | None = None, author: str | None = None, story: str | None = None) -> Page:
    query = select(*DOCUMENT_SUMMARY).order_by(D.anchor_date.desc().nulls_last(), D.id)
    if q:
        query = query.where(or_(contains_ci(D.title, q), contains_ci(D.body_text, q)))
    if outlet:
        query = query.where(D.outlet == outlet)
    if author:
        query = query.where(D.id.in_(select(A.doc_id).where(A.name == author)))
    if story:
        query = query.where(D.story_id == story)
    page = _page(conn, query, limit, offset)
    _attach_authors(conn, page.items)
    return page


def _attach_authors(conn: Connection, items: list[dict[str, Any]]) -> None:
    ids = [item["id"] for item in items]
    authors: dict[str, list[str]] = {i: [] for i in ids}
    if ids:
        for row in conn.execute(select(A.doc_id, A.name).where(A.doc_id.in_(ids))):
            authors[row.doc_id].append(row.name)
    for item in items:
        item["authors"] = authors.get(item["id"], [])


def count_documents(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(schema.documents)).scalar_one()


def get_document_row(conn: Connection, doc_id: str) -> dict[str, Any] | None:
    """The stored JSON document plus its store-only columns (story id, ingest time)."""
    row = conn.execute(select(D.data, D.story_id, D.ingested_at).where(D.id == doc_id)).first()
    if row is None:
        return None
    return {"document": row.data, "story_id": row.story_id, "ingested_at": row.ingested_at}


def get_document(conn: Connection, doc_id: str) -> Document | None:
    row = conn.execute(select(D.data).where(D.id == doc_id)).first()
    return Document.from_dict(row.data) if row else None


# -- events --------------------------------------------------------------------------


@dataclass
class EventFilter:
    """The analyst's event filters; every field optional, all combined with AND."""

    types: list[str] = field(default_factory=list)
    actor: str | None = None           # substring of the source or target name
    country: str | None = None         # source or target country
    source_country: str | None = None
    target_country: str | None = None
    dyad: str | None = None            # "USA-RUS": either direction
    date_from: str | None = None
    date_to: str | None = None
    factuality: str | None = None
    min_confidence: float | None = None
    q: str | None = None               # substring of the evidence sentence
    doc_id: str | None = None
    story: str | None = None
    background: bool | None = None     # True: only events recounted from before the news; False: only news
    min_killed: int | None = None      # at least this many killed stated with the event

    def conditions(self) -> list[ColumnElement[bool]]:
        conds: list[ColumnElement[bool]] = []
        if self.types:
            conds.append(E.type.in_([t.upper() for t in self.types]))
        if self.actor:
            conds.append(or_(contains_ci(E.source_name, self.actor), contains_ci(E.target_name, self.actor)))
        if self.country:
            code = self.country.upper()
            conds.append(or_(E.source_country == code, E.target_country == code))
        if self.source_country:
            conds.append(E.source_country == self.source_country.upper())
        if self.target_country:
            conds.append(E.target_country == self.target_country.upper())
        if self.dyad:
            conds.append(_dyad_condition(self.dyad))
        conds.extend(self._date_and_quality())
        if self.doc_id:
            conds.append(E.doc_id == self.doc_id)
        if self.story:
            conds.append(E.doc_id.in_(select(D.id).where(D.story_id == self.story)))
        return conds

    def _date_and_quality(self) -> list[ColumnElement[bool]]:
        conds: list[ColumnElement[bool]] = []
        if self.date_from:
            conds.append(E.date >= self.date_from)
        if self.date_to:
            # "2025-10" as an upper bound includes every day of October (compared at its precision).
            conds.append(func.substr(E.date, 1, len(self.date_to)) <= self.date_to)
        if self.factuality:
            conds.append(E.factuality == self.factuality.lower())
        if self.min_confidence is not None:
            conds.append(E.confidence >= self.min_confidence)
        if self.q:
            conds.append(contains_ci(E.evidence, self.q))
        if self.background is not None:  # NULL (stored before the column) counts as news
            conds.append(E.background.is_(True) if self.background
                         else or_(E.background.is_(False), E.background.is_(None)))
        if self.min_killed is not None:
            conds.append(E.killed >= self.min_killed)
        return conds


def _dyad_condition(dyad: str) -> ColumnElement[bool]:
    parts = [p.strip().upper() for p in dyad.replace(",", "-").replace(">", "-").split("-") if p.strip()]
    if len(parts) != 2:
        # Not a dyad: match nothing rather than everything.
        return E.id.is_(None)
    a, b = parts
    return or_(and_(E.source_country == a, E.target_country == b),
               and_(E.source_country == b, E.target_country == a))


EVENT_COLUMNS = (E.id, E.doc_id, E.idx, E.type, E.mode, E.cameo, E.source_name, E.source_country,
                 E.source_sector, E.target_name, E.target_country, E.target_sector, E.sources, E.targets,
                 E.date, E.date_text, E.place_name, E.place_country, E.lat, E.lon, E.evidence, E.start,
                 E.end, E.factuality, E.confidence, E.merged_id, E.background, E.casualties, E.killed,
                 E.injured, E.arrested, E.displaced)


def list_events(conn: Connection, filters: EventFilter, limit: int = 50, offset: int = 0) -> Page:
    query = (
        select(*EVENT_COLUMNS, D.title.label("doc_title"), D.outlet.label("doc_outlet"),
               D.anchor_date.label("doc_date"))
        .join_from(schema.events, schema.documents, E.doc_id == D.id)
        .where(*filters.conditions())
        .order_by(E.date.desc().nulls_last(), E.doc_id, E.idx)
    )
    return _page(conn, query, limit, offset)


def event_timeline(conn: Connection, filters: EventFilter, granularity: str = "month") -> list[dict[str, Any]]:
    """Event counts per period and type (events without a date are left out), kept while the
    database is unchanged per filter (the SQL of its conditions), as the network is: a scan
    of every matching event that the analyst page asks for on each view."""
    from dateline.api import cache

    conditions = filters.conditions()
    return cache.cached_where(conn, "timeline", conditions, granularity,
                              lambda: _event_timeline(conn, conditions, granularity))


def _event_timeline(conn: Connection, conditions: list[Any], granularity: str) -> list[dict[str, Any]]:
    width = {"year": 4, "month": 7, "day": 10}.get(granularity, 7)
    period = func.substr(E.date, 1, width).label("period")
    query = (
        select(period, E.type, func.count().label("count"))
        .where(E.date.is_not(None), func.length(E.date) >= width, *conditions)
        .group_by(period, E.type)
        .order_by(period, E.type)
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def event_network(conn: Connection, filters: EventFilter, max_edges: int = 300) -> dict[str, Any]:
    """Who acts on whom: one edge per (source, target, type) with its count."""
    query = (
        select(E.source_name, E.source_country, E.target_name, E.target_country, E.type,
               func.count().label("count"))
        .where(E.source_name.is_not(None), E.target_name.is_not(None), *filters.conditions())
        .group_by(E.source_name, E.source_country, E.target_name, E.target_country, E.type)
        .order_by(func.count().desc())
        .limit(max_edges)
    )
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for row in conn.execute(query):
        for name, country in ((row.source_name, row.source_country), (row.target_name, row.target_country)):
            node = nodes.setdefault(name, {"id": name, "country": country, "degree": 0})
            node["degree"] += row.count
        edges.append({"source": row.source_name, "target": row.target_name, "type": row.type, "count": row.count})
    return {"nodes": sorted(nodes.values(), key=lambda n: -n["degree"]), "edges": edges}


def event_facets(conn: Connection) -> dict[str, Any]:
    """Values the filter form offers: types, factuality values, countries seen (kept while
    the database is unchanged: four scans of the events table on every analyst page)."""
    from dateline.api import cache

    return cache.cached(conn, "facets", (), lambda: _event_facets(conn))


def _event_facets(conn: Connection) -> dict[str, Any]:
    types = [r[0] for r in conn.execute(select(E.type).group_by(E.type).order_by(E.type))]
    facts = [r[0] for r in conn.execute(select(E.factuality).where(E.factuality.is_not(None))
                                        .group_by(E.factuality).order_by(E.factuality))]
    countries = {r[0] for r in conn.execute(select(E.source_country).group_by(E.source_country)) if r[0]}
    countries |= {r[0] for r in conn.execute(select(E.target_country).group_by(E.target_country)) if r[0]}
    return {"types": types, "factuality": facts, "countries": sorted(countries)}


# -- actors and quotes ---------------------------------------------------------------


def list_actors(conn: Connection, limit: int = 50, offset: int = 0, q: str | None = None,
                country: str | None = None, kind: str | None = None) -> Page:
    # One row per entity (canonical name and kind), with the code its articles give: see
    # store.queries.actors_query.
    query = (
        select(N.name, func.max(N.country).label("country"), func.max(N.sector).label("sector"), N.kind,
               func.count().label("mentions"), func.count(func.distinct(N.doc_id)).label("documents"))
        .group_by(N.name, N.kind)
        .order_by(func.count(func.distinct(N.doc_id)).desc(), N.name)
    )
    if q:
        query = query.where(contains_ci(N.name, q))
    if country:
        query = query.where(N.country == country.upper())
    if kind:
        query = query.where(N.kind == kind)
    return _page(conn, query, limit, offset)


def list_quotes(conn: Connection, limit: int = 50, offset: int = 0, speaker: str | None = None,
                q: str | None = None, doc_id: str | None = None, kind: str | None = None) -> Page:
    query = (
        select(Q.id, Q.doc_id, Q.idx, Q.text, Q.kind, Q.speaker_name, Q.speaker_mention, Q.speaker_country,
               Q.speaker_sector, Q.cue, Q.start, Q.end, D.title.label("doc_title"),
               D.anchor_date.label("doc_date"))
        .join_from(schema.quotes, schema.documents, Q.doc_id == D.id)
        .order_by(D.anchor_date.desc().nulls_last(), Q.doc_id, Q.idx)
    )
    if speaker:
        query = query.where(or_(contains_ci(Q.speaker_name, speaker), contains_ci(Q.speaker_mention, speaker)))
    if q:
        query = query.where(contains_ci(Q.text, q))
    if doc_id:
        query = query.where(Q.doc_id == doc_id)
    if kind:
        query = query.where(Q.kind == kind)
    return _page(conn, query, limit, offset)
