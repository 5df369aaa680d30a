"""The analyst's workbench over HTTP: aggregates, map data, downloads, explanations.

``GET /api/aggregates``               counts of merged events per period and group.
``GET /api/map``                      merged events by place (points with coordinates, counts per country).
``GET /api/events/download``          the filtered events as a CSV or JSON file.
``GET /api/documents/{id}/explain``   why each event of a document was coded; ``GET /api/explain``.

Review of events and corrections of stories are ``dateline.api.review``'s routes, included
here. Aggregates and map data are kept per database state (``dateline.api.cache``).
"""
from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from dateline.api import aggregates, cache, mapdata, params, review
from dateline.api.routes import ISO_DATE, Conn, Filters
from dateline.store import reviews

router = APIRouter(prefix="/api")
router.include_router(review.router)
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
                   ) -> Response:
    """Counts of **merged** events (one per happening) with `mentions` beside them, the
    quad classes, a cooperation–conflict `score`, and `articles_period` (all stored
    articles of the period), so a spike in coverage is not read as a spike in conflict.
    Human reviews apply: rejected events are left out, edits count as edited."""
    code = country.upper() if country else None
    types = tuple(params.event_types(type) or ())
    body = cache.cached(conn, "aggregates", (by, per, date_from, date_to, code, dyad, types, top),
                        lambda: _json(AggregateAnswer, {"by": by, "per": per, "items": aggregates.aggregate(
                            conn, by, per, date_from, date_to, code, dyad, list(types) or None, top)}))
    return Response(body, media_type="application/json")


def _json(model: type[BaseModel], answer: dict[str, Any], exclude_none: bool = False) -> bytes:
    """The answer checked against its response model and encoded once: a cached answer is
    sent as these bytes (thousands of rows took longer to validate and encode than to count)."""
    return model.model_validate(answer).model_dump_json(exclude_none=exclude_none).encode("utf-8")


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
            ) -> Response:
    """`places`: one point per named place with coordinates (events, mentions, the commonest
    quad class); `countries`: events per place country (for shading); with `place`,
    `events` lists that place's merged events."""
    code = country.upper() if country else None
    types = tuple(params.event_types(type) or ())
    body = cache.cached(conn, "map", (date_from, date_to, code, types, place),
                        lambda: _json(MapAnswer, mapdata.map_data(conn, date_from, date_to, code,
                                                                  list(types) or None, place), exclude_none=True))
    return Response(body, media_type="application/json")


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
