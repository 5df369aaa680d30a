"""Flat, typed rows of the store for analysis: what ``dateline export`` writes and what
``dateline.open(db).events(...)`` returns.

Each table has one dataclass whose field names are the export's column names (stable:
documented in the README, renamed never). The events row follows GDELT's event table
where they overlap (date, source/target country and sector, CAMEO root, place lat/lon,
source URL), so scripts written for GDELT adapt by renaming a few columns.
Filters are bound parameters, never spliced into SQL.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Engine, Select, and_, distinct, func, or_, select

from dateline.store import schema


@dataclass
class EventRow:
    event_id: str                  # "<doc_id>-<event_index>"
    doc_id: str
    event_index: int
    date: str | None               # YYYY-MM-DD, YYYY-MM or YYYY: as precise as the text allows
    year: int | None
    date_text: str | None
    article_date: str | None       # the article's published (else page) date
    plover_type: str
    plover_mode: str | None
    cameo_root: str | None
    source_name: str | None        # the first source actor (all of them in source_names)
    source_country: str | None     # ISO 3166-1 alpha-3 (GDELT: Actor1CountryCode)
    source_sector: str | None      # CAMEO role (GDELT: Actor1Type1Code)
    target_name: str | None
    target_country: str | None
    target_sector: str | None
    source_names: str | None       # every source actor, "; "-separated
    target_names: str | None
    place_name: str | None
    place_country: str | None
    place_lat: float | None        # GDELT: ActionGeo_Lat
    place_lon: float | None
    factuality: str | None         # asserted | negated | possible | future
    confidence: float | None
    background: bool | None        # recounted from before the news
    killed: int | None             # casualty counts stated with the event (ACLED: fatalities)
    injured: int | None
    arrested: int | None
    displaced: int | None
    casualties: str | None         # the words the counts come from, "; "-separated
    evidence: str | None           # the sentence stating the event
    evidence_start: int | None     # character offsets in the article body
    evidence_end: int | None
    source_url: str | None         # GDELT: SOURCEURL
    doc: str | None                # file name, JSON Lines id or WARC URI it came from
    title: str | None
    outlet: str | None
    reviewed: int | None = 0       # 1 when a person confirmed, rejected or edited it
    review_status: str | None = None  # confirmed | rejected | edited (edits are applied above)
    corrected: str | None = None   # analysts' corrections of its merging, stance or story ("; "-separated kinds)


@dataclass
class QuoteRow:
    quote_id: str
    doc_id: str
    quote_index: int
    text: str | None
    kind: str | None               # direct | partial | indirect
    speaker_name: str | None
    speaker_mention: str | None
    speaker_country: str | None
    speaker_sector: str | None
    cue: str | None
    start: int | None
    end: int | None
    article_date: str | None
    source_url: str | None
    doc: str | None
    title: str | None
    outlet: str | None


@dataclass
class ActorRow:
    """One canonical actor over the whole store (name, kind, country, sector)."""

    actor_name: str | None
    actor_kind: str | None
    country: str | None
    sector: str | None
    documents: int
    mentions: int
    first_date: str | None
    last_date: str | None


@dataclass
class DocumentRow:
    doc_id: str
    doc: str | None
    url: str | None
    title: str | None
    authors: str | None            # "; "-separated
    outlet: str | None
    published: str | None
    page_date: str | None
    article_date: str | None
    dateline: str | None
    agency: str | None
    paragraphs: int
    characters: int
    entities: int
    quotes: int
    events: int
    story_id: str | None
    ingested_at: str | None
    body: str | None


ROW_TYPES: dict[str, type] = {"events": EventRow, "quotes": QuoteRow, "actors": ActorRow, "documents": DocumentRow}


def columns(table: str) -> list[str]:
    return [f.name for f in fields(ROW_TYPES[table])]


# -- events ---------------------------------------------------------------------------

def events_query(type: str | None = None, country: str | None = None,
                 source_country: str | None = None, target_country: str | None = None,
                 actor: str | None = None, since: str | None = None, until: str | None = None,
                 factuality: str | None = None, min_confidence: float | None = None,
                 text: str | None = None, doc_id: str | None = None,
                 background: bool | None = None, min_killed: int | None = None) -> Select[Any]:
    e, d = schema.events.c, schema.documents.c
    conditions = []
    if type:
        conditions.append(e.type == type.upper())
    if country:
        conditions.append(or_(e.source_country == country.upper(), e.target_country == country.upper()))
    if source_country:
        conditions.append(e.source_country == source_country.upper())
    if target_country:
        conditions.append(e.target_country == target_country.upper())
    if actor:
        needle = f"%{_escape_like(actor.lower())}%"
        conditions.append(or_(func.lower(e.source_name).like(needle, escape="\\"),
                              func.lower(e.target_name).like(needle, escape="\\")))
    if since:
        conditions.append(e.date >= since)
    if until:
        # "2025-07" includes every day of July: compare against the upper end of the prefix.
        conditions.append(e.date <= until + "\uffff")
    if factuality:
        conditions.append(e.factuality == factuality)
    if min_confidence is not None:
        conditions.append(e.confidence >= min_confidence)
    if text:
        conditions.append(func.lower(e.evidence).like(f"%{_escape_like(text.lower())}%", escape="\\"))
    if doc_id:
        conditions.append(e.doc_id == doc_id)
    if background is not None:  # rows stored before the column existed count as news (NULL)
        conditions.append(e.background.is_(True) if background else or_(e.background.is_(False), e.background.is_(None)))
    if min_killed is not None:
        conditions.append(e.killed >= min_killed)
    query = (select(e, d.url, d.doc, d.title, d.outlet, d.anchor_date)
             .join(schema.documents, schema.documents.c.id == e.doc_id)
             .order_by(e.doc_id, e.idx))
    return query.where(and_(*conditions)) if conditions else query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def event_row(row: Any) -> EventRow:
    m = row._mapping
    return EventRow(
        event_id=f"{m['doc_id']}-{m['idx']}", doc_id=m["doc_id"], event_index=m["idx"],
        date=m["date"], year=_year(m["date"]), date_text=m["date_text"], article_date=m["anchor_date"],
        plover_type=m["type"], plover_mode=m["mode"], cameo_root=m["cameo"],
        source_name=m["source_name"], source_country=m["source_country"], source_sector=m["source_sector"],
        target_name=m["target_name"], target_country=m["target_country"], target_sector=m["target_sector"],
        source_names=_names(m["sources"]), target_names=_names(m["targets"]),
        place_name=m["place_name"], place_country=m["place_country"], place_lat=m["lat"], place_lon=m["lon"],
        factuality=m["factuality"], confidence=m["confidence"],
        background=None if m["background"] is None else bool(m["background"]),
        killed=m["killed"], injured=m["injured"], arrested=m["arrested"], displaced=m["displaced"],
        casualties="; ".join(c.get("text", "") for c in m["casualties"] or []) or None,
        evidence=m["evidence"],
        evidence_start=m["start"], evidence_end=m["end"], source_url=m["url"], doc=m["doc"],
        title=m["title"], outlet=m["outlet"],
    )


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def _names(actors: Any) -> str | None:
    names = [a.get("name") for a in actors or [] if isinstance(a, dict) and a.get("name")]
    return "; ".join(names) or None


# -- quotes, actors, documents ----------------------------------------------------------

def quotes_query(speaker: str | None = None, country: str | None = None, kind: str | None = None,
                 text: str | None = None, doc_id: str | None = None,
                 background: bool | None = None, min_killed: int | None = None) -> Select[Any]:
    q, d = schema.quotes.c, schema.documents.c
    conditions = []
    if speaker:
        needle = f"%{_escape_like(speaker.lower())}%"
        conditions.append(or_(func.lower(q.speaker_name).like(needle, escape="\\"),
                              func.lower(q.speaker_mention).like(needle, escape="\\")))
    if country:
        conditions.append(q.speaker_country == country.upper())
    if kind:
        conditions.append(q.kind == kind)
    if text:
        conditions.append(func.lower(q.text).like(f"%{_escape_like(text.lower())}%", escape="\\"))
    if doc_id:
        conditions.append(q.doc_id == doc_id)
    query = (select(q, d.url, d.doc, d.title, d.outlet, d.anchor_date)
             .join(schema.documents, schema.documents.c.id == q.doc_id).order_by(q.doc_id, q.idx))
    return query.where(and_(*conditions)) if conditions else query


def quote_row(row: Any) -> QuoteRow:
    m = row._mapping
    return QuoteRow(
        quote_id=f"{m['doc_id']}-{m['idx']}", doc_id=m["doc_id"], quote_index=m["idx"], text=m["text"],
        kind=m["kind"], speaker_name=m["speaker_name"], speaker_mention=m["speaker_mention"],
        speaker_country=m["speaker_country"], speaker_sector=m["speaker_sector"], cue=m["cue"],
        start=m["start"], end=m["end"], article_date=m["anchor_date"], source_url=m["url"], doc=m["doc"],
        title=m["title"], outlet=m["outlet"],
    )


def actors_query(country: str | None = None, sector: str | None = None, name: str | None = None) -> Select[Any]:
    en, d = schema.entities.c, schema.documents.c
    # One row per entity, keyed by its canonical name and kind: an article that could not code
    # a person ("Ana Ruiz" with no country) is still the same person as one that could, so the
    # row carries the code the articles give (max: a value over none).
    query = (select(en.name, en.kind, func.max(en.country).label("country"), func.max(en.sector).label("sector"),
                    func.count(distinct(en.doc_id)).label("documents"), func.count().label("mentions"),
                    func.min(d.anchor_date).label("first_date"), func.max(d.anchor_date).label("last_date"))
             .join(schema.documents, schema.documents.c.id == en.doc_id)
             .group_by(en.name, en.kind)
             .order_by(func.count().desc(), en.name, en.kind))
    if country:
        query = query.where(en.country == country.upper())
    if sector:
        query = query.where(en.sector == sector.upper())
    if name:
        query = query.where(func.lower(en.name).like(f"%{_escape_like(name.lower())}%", escape="\\"))
    return query


def actor_row(row: Any) -> ActorRow:
    m = row._mapping
    return ActorRow(actor_name=m["name"], actor_kind=m["kind"], country=m["country"], sector=m["sector"],
                    documents=m["documents"], mentions=m["mentions"], first_date=m["first_date"],
                    last_date=m["last_date"])


def documents_query() -> Select[Any]:
    d = schema.documents.c
    return select(d.id, d.data, d.story_id, d.ingested_at, d.anchor_date).order_by(d.id)


def document_row(row: Any) -> DocumentRow:
    m = row._mapping
    data = m["data"] or {}
    article = data.get("article") or {}
    body = article.get("body") or []
    text = "\n\n".join(body)
    return DocumentRow(
        doc_id=m["id"], doc=data.get("doc"), url=article.get("url"), title=article.get("title"),
        authors="; ".join(article.get("authors") or []) or None, outlet=article.get("outlet"),
        published=article.get("published"), page_date=article.get("page_date"), article_date=m["anchor_date"],
        dateline=article.get("dateline"), agency=article.get("agency"), paragraphs=len(body),
        characters=len(text), entities=len(data.get("entities") or []), quotes=len(data.get("quotes") or []),
        events=len(data.get("events") or []), story_id=m["story_id"], ingested_at=m["ingested_at"], body=text,
    )


BUILDERS = {"events": (events_query, event_row), "quotes": (quotes_query, quote_row),
            "actors": (actors_query, actor_row), "documents": (documents_query, document_row)}


def iter_rows(engine: Engine, table: str, limit: int | None = None, **filters: Any) -> Iterator[Any]:
    """The rows of ``table`` as dataclasses, streamed (constant memory on any store size)."""
    make_query, make_row = BUILDERS[table]
    query = make_query(**filters)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        reviews = _reviews_of(conn, table)
        corrected = _corrections_of(conn, table)
        result = conn.execution_options(yield_per=1000).execute(query)
        for row in result:
            made = make_row(row)
            if corrected and made.event_id in corrected:
                made.corrected = "; ".join(corrected[made.event_id])
            yield _reviewed(made, reviews) if reviews else made


def _corrections_of(conn: Any, table: str) -> dict[str, list[str]]:
    if table != "events":
        return {}
    from dateline.stories.corrections import corrected_events

    return corrected_events(conn)


def _reviews_of(conn: Any, table: str) -> dict[str, Any]:
    if table != "events":
        return {}
    from dateline.store.reviews import active_reviews

    return active_reviews(conn)


_EXPORT_NAMES = {"type": "plover_type", "mode": "plover_mode"}


def _reviewed(row: Any, reviews: dict[str, Any]) -> Any:
    """An event row with its human review laid over (rejected rows stay, marked rejected)."""
    review = reviews.get(row.event_id)
    if review is None:
        return row
    for name, value in (review.get("changes") or {}).items():
        name = _EXPORT_NAMES.get(name, name)
        if hasattr(row, name):
            setattr(row, name, value)
    row.reviewed, row.review_status = 1, review["status"]
    return row


def count_rows(engine: Engine, table: str) -> int:
    """How many rows ``table``'s export holds (for checks: export count == store count)."""
    query = BUILDERS[table][0]()
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()


class Rows(list):  # type: ignore[type-arg]
    """A list of typed rows that also turns into a pandas DataFrame (columns as exported)."""

    def __init__(self, table: str, rows: Any = ()):
        super().__init__(rows)
        self.table = table

    def to_pandas(self) -> Any:
        import pandas as pd

        return pd.DataFrame([vars(row) for row in self], columns=columns(self.table))
