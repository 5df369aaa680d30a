"""Analysts' corrections over HTTP: review of coded events and corrections of the
cross-article structure, both stored apart from the machine's output.

``GET /api/reviews/queue``              events nobody has reviewed, least confident first.
``GET /api/events/{id}/review``         an event's review in force and its history.
``POST /api/events/{id}/review``        confirm | reject | edit (write token required).
``DELETE /api/events/{id}/review``      undo the latest review (write token required).
``GET|POST /api/corrections``           merge or split stories and merged events, move a position.
``DELETE /api/corrections/{id}``        undo a correction (write token required).

Its router is included in ``dateline.api.workbench``'s (the app includes that one).
"""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from dateline.api import params
from dateline.api.auth import require_write_token
from dateline.api.routes import Conn
from dateline.store import reviews

router = APIRouter()


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
