"""The analyst's workbench over HTTP: aggregates, human review of events, map data.

``GET /api/aggregates``            counts of merged events per period and group.
``GET /api/map``                   merged events by place (points with coordinates, counts per country).
``GET /api/reviews/queue``         events nobody has reviewed, least confident first.
``GET /api/events/{id}/review``    an event's review in force and its history.
``POST /api/events/{id}/review``   confirm | reject | edit (write token required).
``DELETE /api/events/{id}/review`` undo the latest review (write token required).
"""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from dateline.api import aggregates, params
from dateline.api.auth import require_write_token
from dateline.api.routes import ISO_DATE, Conn, Filters
from dateline.store import reviews

router = APIRouter(prefix="/api")
DateParam = Annotated[str | None, Query(pattern=ISO_DATE, description="ISO date, month or year (inclusive)")]


class AggregateRow(BaseModel):
    period: str = Field(description="2025-07-23 (day), 2025-W30 (ISO week) or 2025-07 (month)")
    key: str = Field(description="the country, dyad (two codes, sorted), PLOVER type or quad class")
    events: int = Field(description="merged events: one per happening, however many articles report it")
    mentions: int = Field(description="article sentences reporting those events")
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    score: float | None = Field(description="mean cooperation-conflict weight (-10 conflict .. +10 cooperation)")
    articles_period: int = Field(description="stored articles dated in the period (coverage volume)")
    per_100_articles: float | None = Field(description="events per 100 articles of the period")


class AggregateAnswer(BaseModel):
    by: str
    per: str
    items: list[AggregateRow]


@router.get("/aggregates", tags=["aggregates"], response_model=AggregateAnswer,
            summary="Merged-event counts per period and country, dyad, type or quad class")
def get_aggregates(conn: Conn, by: Literal["country", "dyad", "type", "quad"] = "dyad",
                   per: Literal["day", "week", "month"] = "month", date_from: DateParam = None,
                   date_to: DateParam = None,
                   country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
                   dyad: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}-[A-Za-z]{3}$")] = None,
                   type: Annotated[list[str] | None, Query(description="PLOVER type(s)")] = None,
                   top: Annotated[int | None, Query(ge=1, le=200, description="only the N largest groups")] = None,
                   ) -> dict[str, Any]:
    """Counts of **merged** events (one per happening) with `mentions` beside them, the
    quad classes, a cooperation–conflict `score`, and `articles_period` (all stored
    articles of the period), so a spike in coverage is not read as a spike in conflict.
    Human reviews apply: rejected events are left out, edits count as edited."""
    items = aggregates.aggregate(conn, by, per, date_from, date_to, country.upper() if country else None,
                                 dyad, params.event_types(type) or None, top)
    return {"by": by, "per": per, "items": items}


class MapPlace(BaseModel):
    name: str
    country: str | None
    lat: float
    lon: float
    events: int = Field(description="merged events placed here")
    mentions: int
    quads: dict[str, int] = Field(description="events per quad class")
    quad: str = Field(description="the commonest quad class (the dot's colour)")


class MapEvent(BaseModel):
    id: str = Field(description="merged event id")
    type: str
    source_country: str | None
    target_country: str | None
    date: str | None
    date_lo: str | None
    mentions: int | None
    review_status: str | None = None


class MapAnswer(BaseModel):
    places: list[MapPlace]
    countries: dict[str, int] = Field(description="merged events per place country (for shading)")
    events: list[MapEvent] | None = Field(None, description="with ?place=: that place's merged events")


@router.get("/map", tags=["aggregates"], response_model=MapAnswer, response_model_exclude_none=True,
            summary="Merged events by place: points and per-country counts")
def get_map(conn: Conn, date_from: DateParam = None, date_to: DateParam = None,
            country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
            type: Annotated[list[str] | None, Query()] = None,
            place: Annotated[str | None, Query(max_length=200, description="list this place's events")] = None,
            ) -> dict[str, Any]:
    """`places`: one point per named place with coordinates (events, mentions, the commonest
    quad class); `countries`: events per place country (for shading); with `place`,
    `events` lists that place's merged events."""
    rows = aggregates.merged_rows(conn, date_from, date_to, country.upper() if country else None,
                                  params.event_types(type) or None)
    return map_data(conn, rows, place)


def map_data(conn: Any, rows: list[dict[str, Any]], place: str | None) -> dict[str, Any]:
    from sqlalchemy import select

    from dateline.store.schema import events

    coordinates: dict[str, tuple[float, float]] = {}
    names = sorted({r["place_name"] for r in rows if r.get("place_name")})
    for start in range(0, len(names), 500):
        query = (select(events.c.place_name, events.c.lat, events.c.lon)
                 .where(events.c.place_name.in_(names[start:start + 500]), events.c.lat.is_not(None)).distinct())
        for name, lat, lon in conn.execute(query):
            coordinates.setdefault(name, (lat, lon))
    points: dict[str, dict[str, Any]] = {}
    countries: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.get("place_country"):
            countries[row["place_country"]] += 1
        name = row.get("place_name")
        if not name or name not in coordinates:
            continue
        point = points.setdefault(name, {"name": name, "country": row.get("place_country"),
                                         "lat": coordinates[name][0], "lon": coordinates[name][1],
                                         "events": 0, "mentions": 0, "quads": defaultdict(int)})
        point["events"] += 1
        point["mentions"] += row.get("mentions") or 0
        point["quads"][aggregates.quad_of(row["type"]) or "other"] += 1
    for point in points.values():
        point["quad"] = max(point["quads"], key=point["quads"].get)
        point["quads"] = dict(point["quads"])
    answer: dict[str, Any] = {"places": sorted(points.values(), key=lambda p: -p["events"]),
                              "countries": dict(sorted(countries.items()))}
    if place:
        answer["events"] = [{k: r.get(k) for k in ("id", "type", "source_country", "target_country", "date",
                                                    "date_lo", "mentions", "review_status")}
                            for r in rows if r.get("place_name") == place][:200]
    return answer


# -- review ----------------------------------------------------------------------------


class ReviewBody(BaseModel):
    action: Literal["confirm", "reject", "edit"]
    changes: dict[str, Any] | None = Field(None, description=f"edit: fields among {', '.join(reviews.EDITABLE)}")
    note: str | None = Field(None, max_length=2000)
    reviewer: str | None = Field(None, max_length=120, description="who reviews (default: analyst)")


class QueueItem(BaseModel):
    event_id: str = Field(description="<document id>-<event index>")
    doc_id: str
    type: str
    source_name: str | None
    source_country: str | None
    target_name: str | None
    target_country: str | None
    date: str | None
    place_name: str | None
    factuality: str | None
    confidence: float | None
    evidence: str | None
    title: str | None
    outlet: str | None


class ReviewQueue(BaseModel):
    total: int | None = Field(description="not counted (the queue is read lazily)")
    limit: int
    offset: int
    items: list[QueueItem]


class Review(BaseModel):
    id: int
    event_id: str
    action: Literal["confirm", "reject", "edit"]
    changes: dict[str, Any] | None
    note: str | None
    reviewer: str
    at: str = Field(description="when (UTC, ISO 8601)")
    undone: bool
    status: str | None = Field(None, description="confirmed | rejected | edited (the review in force)")


class ReviewAnswer(BaseModel):
    event_id: str
    review: Review | None = Field(description="the review in force, or null")


class ReviewHistory(ReviewAnswer):
    history: list[Review] = Field(description="every action, oldest first (undone ones marked)")


@router.get("/reviews/queue", tags=["review"], response_model=ReviewQueue,
            summary="Events nobody has reviewed, least confident first")
def review_queue(conn: Conn, limit: params.Limit = 50, offset: params.Offset = 0) -> dict[str, Any]:
    items = reviews.queue(conn, limit, offset)
    return {"total": None, "limit": limit, "offset": offset, "items": items}


@router.get("/events/{event_id}/review", tags=["review"], response_model=ReviewHistory,
            summary="An event's review in force and its history")
def get_review(event_id: str, conn: Conn) -> dict[str, Any]:
    _known(conn, event_id)
    return {"event_id": event_id, "review": reviews.current(conn, event_id),
            "history": reviews.history(conn, event_id)}


@router.post("/events/{event_id}/review", tags=["review"], dependencies=[Depends(require_write_token)],
             response_model=ReviewAnswer,
             summary="Confirm, reject or edit a coded event (kept apart from the machine's coding)")
def post_review(event_id: str, body: ReviewBody, request: Request) -> dict[str, Any]:
    with request.app.state.engine.begin() as conn:
        _known(conn, event_id)
        try:
            review = reviews.add_review(conn, event_id, body.action, body.reviewer or "analyst",
                                        body.changes, body.note)
        except reviews.ReviewError as exc:
            raise HTTPException(422, str(exc)) from None
    return {"event_id": event_id, "review": review}


@router.delete("/events/{event_id}/review", tags=["review"], dependencies=[Depends(require_write_token)],
               response_model=ReviewAnswer,
               summary="Undo the event's latest review")
def delete_review(event_id: str, request: Request) -> dict[str, Any]:
    with request.app.state.engine.begin() as conn:
        _known(conn, event_id)
        try:
            review = reviews.undo(conn, event_id)
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from None
    return {"event_id": event_id, "review": review}


def _known(conn: Any, event_id: str) -> None:
    try:
        found = reviews.event_exists(conn, event_id)
    except reviews.ReviewError as exc:
        raise HTTPException(422, str(exc)) from None
    if not found:
        raise HTTPException(404, f"no event {event_id!r}")


# -- download of the current filter ------------------------------------------------------

DOWNLOAD_MAX = 20000
DOWNLOAD_COLUMNS = ("event_id", "date", "type", "mode", "source_name", "source_country", "target_name",
                    "target_country", "place_name", "place_country", "factuality", "confidence", "evidence",
                    "doc_id", "doc_title", "doc_outlet", "doc_date", "reviewed", "review_status")


@router.get("/events/download", tags=["events"], summary="The filtered events as a CSV or JSON file")
def download_events(conn: Conn, filters: Filters,
                    format: Literal["csv", "json"] = "csv") -> Response:  # noqa: A002 - the API's word
    """Every event the filters select (at most 20,000), reviews applied, as a file download."""
    rows = _filtered_events(conn, filters)
    if format == "json":
        body = json.dumps(rows, ensure_ascii=False, default=str).encode("utf-8")
        media = "application/json"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=DOWNLOAD_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        body, media = buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="dateline-events.{format}"'})


def _filtered_events(conn: Any, filters: Any) -> list[dict[str, Any]]:
    from dateline.api import queries

    found = reviews.active_reviews(conn)
    rows: list[dict[str, Any]] = []
    while len(rows) < DOWNLOAD_MAX:
        page = queries.list_events(conn, filters, queries.MAX_LIMIT, len(rows)).items
        for item in page:
            event_id = f"{item['doc_id']}-{item['idx']}"
            rows.append(reviews.apply({"event_id": event_id, **item}, found.get(event_id)))
        if len(page) < queries.MAX_LIMIT:
            break
    return rows


# -- corrections of the cross-article structure ------------------------------------------

CorrectionKind = Literal["merge-stories", "split-story", "move-position", "merge-events", "split-event"]


class CorrectionBody(BaseModel):
    """One analyst correction, named as the pages show things."""

    kind: CorrectionKind
    story: str | None = Field(None, max_length=64, description="merge-stories: the story that stays")
    other_story: str | None = Field(None, max_length=64, description="merge-stories: the story whose articles join it")
    doc_id: str | None = Field(None, max_length=64, description="split-story: the article that leaves its story; "
                               "merge-stories: an article of the story that joins (instead of other_story)")
    event: str | None = Field(None, max_length=80,
                              description="merge-events: the event (<doc>-<idx>) whose merged event stays; "
                                          "split-event: the event that leaves its merged event")
    other_event: str | None = Field(None, max_length=80, description="merge-events: the event whose merged event joins")
    position: int | None = Field(None, ge=0, description="move-position: the position id (negotiation tracker)")
    to: str | None = Field(None, max_length=120, description="move-position: the party that really holds it")
    by: str | None = Field(None, max_length=120, description="who corrects (default: analyst)")


class Correction(BaseModel):
    id: int
    kind: str
    detail: dict[str, Any] = Field(description="what it names, by documents and event indexes (survives rebuilds)")
    author: str | None
    created: str


class CorrectionList(BaseModel):
    items: list[Correction]


@router.get("/corrections", tags=["corrections"], response_model=CorrectionList,
            summary="Analysts' corrections of stories, merged events and positions, oldest first")
def list_corrections(request: Request) -> dict[str, Any]:
    from dateline.stories import corrections

    return {"items": corrections.list_all(request.app.state.store)}


@router.post("/corrections", tags=["corrections"], response_model=Correction,
             dependencies=[Depends(require_write_token)],
             summary="Merge or split stories and merged events, or move a position to the other party")
def post_correction(body: CorrectionBody, request: Request) -> dict[str, Any]:
    """Stored apart from the machine's output and applied now; re-applied after re-ingest and
    `dateline stories --rebuild`; exports flag the events it touches (`corrected`)."""
    from dateline.stories import corrections

    store = request.app.state.store
    named = body.model_dump(exclude={"kind", "by"})
    try:
        detail = corrections.resolve(store, body.kind, **named)
    except LookupError as exc:
        raise HTTPException(404 if "no such" in str(exc) or "not in" in str(exc) else 422, str(exc)) from None
    return corrections.add(store, body.kind, detail, body.by or "analyst")


class Undone(BaseModel):
    id: int
    undone: bool


@router.delete("/corrections/{correction_id}", tags=["corrections"], dependencies=[Depends(require_write_token)],
               response_model=Undone,
               summary="Undo a correction (the stories tables are rebuilt without it)")
def delete_correction(correction_id: int, request: Request) -> dict[str, Any]:
    from dateline.stories import corrections

    if not corrections.undo(request.app.state.store, correction_id):
        raise HTTPException(404, f"no correction {correction_id}")
    return {"id": correction_id, "undone": True}


# -- explain -------------------------------------------------------------------------------


class ExplainedEvent(BaseModel):
    event: int
    event_id: str
    type: str
    mode: str | None
    evidence: str
    trigger: str | None = Field(description="the word(s) that cued the event")
    pattern: str | None = Field(description="the codebook entry that matched (data/events/codebook.jsonl)")
    rationale: str | None = Field(description="what that entry covers")
    argument_rule: dict[str, Any] = Field(description="how the trigger was read (via) and how each side was found")
    source: list[dict[str, Any]]
    target: list[dict[str, Any]]
    date: str = Field(description="the date and where it comes from")
    place: str = Field(description="the place and where it comes from")
    factuality: str
    background: bool
    confidence: dict[str, Any] = Field(description="the weights that add up to the raw score, and the calibrated value")
    changed: list[str] | None = None
    merged: dict[str, Any] | None = Field(None, description="its merged event and why it is one happening with the others")


class DroppedTrigger(BaseModel):
    sentence: str | None
    trigger: str | None
    pattern: str | None
    type: str | None
    reason: str


class Explanation(BaseModel):
    doc_id: str | None = None
    title: str | None = None
    anchor_date: str | None = None
    story: dict[str, Any] | None = Field(None, description="its story and why it is in it")
    text: str | None = None
    events: list[ExplainedEvent]
    dropped: list[DroppedTrigger] | None = Field(None, description="triggers seen and dropped, with the reason")
    sentences: list[dict[str, Any]] | None = None


@router.get("/documents/{doc_id}/explain", tags=["explain"], response_model=Explanation, response_model_exclude_none=True,
            summary="Why each event of a document was coded, and why the document is in its story")
def explain_document(doc_id: str, request: Request,
                     event: Annotated[int | None, Query(ge=0, description="only this event (its index)")] = None,
                     ) -> dict[str, Any]:
    """The pattern and trigger of each event, how each side, the date and the place were
    found, the parts of its confidence and its merged event; the story's reason; and the
    triggers the coder saw and dropped. Re-runs the coder on the stored text (about a second)."""
    from dateline.stories import explain

    try:
        return explain.explain_document(request.app.state.store, doc_id, event)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/explain", tags=["explain"], response_model=Explanation, response_model_exclude_none=True,
            summary="Code a typed-in text and say why: events, and every trigger seen and dropped")
def explain_text(text: Annotated[str, Query(min_length=1, max_length=5000)],
                 date: DateParam = None) -> dict[str, Any]:
    from dateline.stories import explain

    return explain.explain_text(text, date)
