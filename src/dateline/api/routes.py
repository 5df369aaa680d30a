"""The JSON API under ``/api``: documents, events, actors, quotes, stories, negotiations.

Every list answers ``{"total", "limit", "offset", "items"}``; every filter value is a
bound parameter.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Connection

from dateline.api import queries, reader
from dateline.api.auth import require_write_token
from dateline.api.highlight import coding_table
from dateline.api.params import STORY_MIN_ARTICLES, Count, Limit, Offset, actor_kind, event_types, quote_kind
from dateline.api.params import factuality as check_factuality
from dateline.api.ingest import REQUEST_BODY_DOC, read_posted, record_of
from dateline.model import Document, Failure
from dateline.stories import browse as stories_browse
from dateline.stories import queries as stories_queries

router = APIRouter(prefix="/api")

ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
# Validation lives in api/params.py, shared with the pages and any new router.


def connection(request: Request) -> Iterator[Connection]:
    with request.app.state.engine.connect() as conn:
        yield conn


Conn = Annotated[Connection, Depends(connection)]


def event_filter(
    type: Annotated[list[str] | None, Query(description="PLOVER type(s), e.g. ACCUSE")] = None,
    actor: Annotated[str | None, Query(description="substring of the source or target actor's name")] = None,
    country: Annotated[str | None, Query(description="ISO 3166 alpha-3 of the source or target")] = None,
    source_country: str | None = None,
    target_country: str | None = None,
    dyad: Annotated[str | None, Query(description="two countries, either direction: USA-RUS")] = None,
    date_from: Annotated[str | None, Query(description="ISO date, month or year (inclusive)", pattern=ISO_DATE)] = None,
    date_to: Annotated[str | None, Query(description="ISO date, month or year (inclusive)", pattern=ISO_DATE)] = None,
    factuality: Annotated[str | None, Query(description="asserted | negated | possible | future")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    q: Annotated[str | None, Query(description="text in the evidence sentence")] = None,
    doc_id: str | None = None,
    story: str | None = None,
    background: Annotated[bool | None, Query(description="true: only events recounted from before the news; false: only news")] = None,
    min_killed: Annotated[int | None, Query(ge=0, description="at least this many killed stated with the event")] = None,
) -> queries.EventFilter:
    return queries.EventFilter(types=event_types(type), actor=actor or None, country=country or None,
                               source_country=source_country or None, target_country=target_country or None,
                               dyad=dyad or None, date_from=date_from or None, date_to=date_to or None,
                               factuality=check_factuality(factuality), min_confidence=min_confidence, q=q or None,
                               doc_id=doc_id or None, story=story or None, background=background,
                               min_killed=min_killed)


Filters = Annotated[queries.EventFilter, Depends(event_filter)]


# -- documents -----------------------------------------------------------------------


@router.get("/documents", tags=["documents"], summary="Stored documents, newest first")
def list_documents(conn: Conn, limit: Limit = 50, offset: Offset = 0,
                   q: Annotated[str | None, Query(description="text in the title or body")] = None,
                   outlet: Annotated[str | None, Query(description="outlet name, exactly")] = None,
                   author: Annotated[str | None, Query(description="author name, exactly")] = None,
                   story: Annotated[str | None, Query(description="story id")] = None) -> dict[str, Any]:
    return queries.list_documents(conn, limit, offset, q, outlet, author, story).to_dict()


@router.get("/documents/{doc_id}", tags=["documents"],
            summary="One document (output contract shape) with its entities, quotes and events")
def get_document(doc_id: str, conn: Conn, annotations: bool = False) -> dict[str, Any]:
    row = queries.get_document_row(conn, doc_id)
    if row is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    answer = {**row["document"], "story_id": row["story_id"], "ingested_at": row["ingested_at"]}
    if annotations:
        answer["annotations"] = coding_table(Document.from_dict(row["document"]))
    return answer


@router.post("/documents", tags=["documents"], status_code=201, openapi_extra=REQUEST_BODY_DOC,
             summary="Ingest a posted page (text or HTML) through the pipeline",
             description="A page already stored (same text) is kept as it is and returned (200, `created` "
                         "false) unless `replace` is true (`?replace=true` or a body field): then its "
                         "title, date, outlet, authors and source are overwritten by the posted ones.",
             dependencies=[Depends(require_write_token)],
             responses={400: {"description": "bad JSON"}, 401: {"description": "no or wrong token"},
                        403: {"description": "writes disabled, or a cross-site request"},
                        413: {"description": "too large"},
                        415: {"description": "unsupported content type"},
                        422: {"description": "no page, or nothing could be extracted"}})
async def post_document(request: Request) -> JSONResponse:
    posted = await read_posted(request, request.app.state.max_post_bytes)
    result, created = await request.app.state.ingestor.ingest(record_of(posted), replace=posted.replace)
    if isinstance(result, Failure):
        raise HTTPException(422, f"{result.stage}: {result.reason}")
    request.app.state.trending.invalidate()
    art = result.article
    body = {"id": result.id, "created": created, "doc": result.doc, "title": art.title, "outlet": art.outlet,
            "date": art.anchor_date, "actors": len(result.actors), "quotes": len(result.quotes),
            "events": len(result.events), "links": {"self": f"/api/documents/{result.id}",
                                                    "read": f"/read/{result.id}"}}
    return JSONResponse(body, status_code=201 if created else 200)


# -- events, actors, quotes ------------------------------------------------------------


@router.get("/events", tags=["events"], summary="Coded events with filters")
def list_events(conn: Conn, filters: Filters, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    page = queries.list_events(conn, filters, limit, offset).to_dict()
    from dateline.store.reviews import apply_to_event_items  # human reviews laid over the machine's coding

    page["items"] = apply_to_event_items(conn, page["items"])
    return page


@router.get("/events/timeline", tags=["events"], summary="Event counts per period and type")
def events_timeline(conn: Conn, filters: Filters,
                    granularity: Annotated[str, Query(pattern="^(day|month|year)$")] = "month") -> dict[str, Any]:
    return {"granularity": granularity, "items": queries.event_timeline(conn, filters, granularity)}


@router.get("/events/network", tags=["events"], summary="Who acts on whom: one node per canonical actor, typed edges")
def events_network(conn: Conn, filters: Filters, max_edges: Annotated[int, Query(ge=1, le=2000)] = 300) -> dict:
    """Nodes are canonical actors: countries and groups by code and sector ("RUS", "Russia" and
    "the Kremlin" are one node), persons by name; `label` is readable, `id` is the key edges use."""
    from dateline.api.aggregates import actor_network

    return actor_network(conn, filters.conditions(), max_edges)


@router.get("/events/facets", tags=["events"], summary="Values the filters can take")
def events_facets(conn: Conn) -> dict[str, Any]:
    return queries.event_facets(conn)


@router.get("/actors", tags=["actors"], summary="Actors by the number of documents naming them")
def list_actors(conn: Conn, limit: Limit = 50, offset: Offset = 0, q: str | None = None,
                country: str | None = None, kind: str | None = None) -> dict[str, Any]:
    return queries.list_actors(conn, limit, offset, q, country, actor_kind(kind)).to_dict()


@router.get("/quotes", tags=["quotes"], summary="Quotes, by speaker or text")
def list_quotes(conn: Conn, limit: Limit = 50, offset: Offset = 0,
                speaker: Annotated[str | None, Query(description="text in the speaker's name or mention")] = None,
                q: str | None = None, doc_id: str | None = None, kind: str | None = None) -> dict[str, Any]:
    return queries.list_quotes(conn, limit, offset, speaker, q, doc_id, quote_kind(kind)).to_dict()


# -- stories and negotiations ------------------------------------------------------------


@router.get("/stories", tags=["stories"], summary="Story clusters (same story across outlets)")
def list_stories(conn: Conn, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    items = stories_queries.list_stories(conn, limit, offset, min_articles=STORY_MIN_ARTICLES)
    total = stories_browse.count_stories(conn, min_articles=STORY_MIN_ARTICLES)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get("/stories/{story_id}", tags=["stories"], summary="A story: its articles and event timeline")
def get_story(story_id: str, conn: Conn) -> dict[str, Any]:
    story = stories_queries.story_detail(conn, story_id)
    if story is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return story


@router.get("/timeline", tags=["stories"],
            summary="Events across articles in date order (merged events: one row per happening)")
def timeline(conn: Conn,
             actor: Annotated[list[str] | None, Query(description="country code(s) that must be a party")] = None,
             type: Annotated[list[str] | None, Query(description="PLOVER type(s)")] = None,
             date_from: Annotated[str | None, Query(pattern=ISO_DATE)] = None,
             date_to: Annotated[str | None, Query(pattern=ISO_DATE)] = None,
             min_mentions: Count = 1, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    parties = [a.strip().upper() for value in (actor or []) for a in value.split(",") if a.strip()]
    types = [t.strip().upper() for value in (type or []) for t in value.split(",") if t.strip()]
    if not all(code.isalnum() for code in parties + types):
        # Codes are letters and digits; anything else (LIKE wildcards included) names no actor.
        return {"total": 0, "limit": limit, "offset": offset, "items": []}
    cap = offset + limit + 1  # one more than the page: the total says whether a next page exists
    rows = stories_queries.timeline(conn, actors=parties or None, types=types or None, date_from=date_from,
                                    date_to=date_to, min_mentions=min_mentions, limit=cap)
    page = {"total": min(cap, len(rows)), "limit": limit, "offset": offset, "items": rows[offset:offset + limit]}
    from dateline.store.reviews import apply_to_timeline  # human reviews laid over the machine's coding

    page["items"] = apply_to_timeline(conn, page["items"])
    return page


@router.get("/negotiations", tags=["stories"], summary="Negotiation tracker: moves per dyad and issue")
def list_negotiations(request: Request, conn: Conn,
                      dyad: Annotated[str | None, Query(description="parties, e.g. RUS-UKR")] = None,
                      issue: str | None = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    from dateline.api import cache

    issues_file = request.app.state.settings.stories.issues_file  # the titles of the user's issues
    # Kept while the database is unchanged: with no dyad the analyst page's panel reads
    # every position of the busiest pairs, which grows with the archive.
    tracks = cache.cached(conn, "negotiations", (dyad, issue, limit, offset, issues_file),
                          lambda: stories_browse.negotiation_tracks(conn, dyad, issue, limit, offset,
                                                                    issues_file=issues_file))
    return {"total": tracks["total"], "limit": limit, "offset": offset, "items": tracks["items"]}


@router.get("/trending", tags=["reader"], summary="Actors and event types trending in the newest articles")
def trending(request: Request, conn: Conn) -> dict[str, Any]:
    value = request.app.state.trending.get(conn)
    return {"window": value["window"],
            "actors": [vars(t) | {"change_label": t.change_label} for t in value["actors"]],
            "events": [vars(t) | {"change_label": t.change_label} for t in value["events"]]}


@router.get("/latest", tags=["reader"], summary="The newest stored articles")
def latest(conn: Conn, limit: Annotated[int, Query(ge=1, le=100)] = 10) -> dict[str, Any]:
    items = reader.latest(conn, limit)
    return {"total": len(items), "limit": limit, "offset": 0, "items": items}
