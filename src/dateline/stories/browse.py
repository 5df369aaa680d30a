"""The stories stage's reads in the pages' terms: counts for paging, a negotiation's
moves, a bounded "same story" list for very large stories.

``dateline.stories.queries`` answers the questions; this module adds what a paged HTTP
view needs on top of them (a total, the flattened moves of a track) without a second
implementation of any. Every function takes the request's open ``Connection``.

``count_stories(conn, min_articles=1)``
    how many stories ``queries.list_stories`` pages over.
``negotiation_tracks(conn, dyad=None, issue=None, limit=50, offset=0)``
    ``{"items", "total"}``: ``queries.negotiations``' items, each with ``moves``
    (``party, stance, date, evidence, doc_id``: one per stance span, in date order).
``related_in_story(conn, doc_id, limit, window=())``
    ``queries.related_documents`` (``id, title, outlet, anchor_date``, ``relation`` and the link in words, ``why``); for a story of
    more than ``LARGE_STORY`` articles, whose ranking costs more than a page may spend,
    its newest members meeting ``window`` (conditions on ``documents.anchor_date``) instead.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from dateline.store import schema as store_schema
from dateline.stories import queries
from dateline.stories.schema import stories, story_documents

LARGE_STORY = 150


def count_stories(conn: Connection, min_articles: int = 1) -> int:
    return conn.execute(select(func.count()).select_from(stories)
                        .where(stories.c.articles >= min_articles)).scalar_one()


def negotiation_tracks(conn: Connection, dyad: str | None = None, issue: str | None = None,
                       limit: int = 50, offset: int = 0, issues_file: str | None = None) -> dict[str, Any]:
    result = queries.negotiations(conn, dyad=dyad, issue=issue, limit=limit, offset=offset, issues_file=issues_file)
    return {"items": [dict(item, moves=_moves(item)) for item in result["items"]], "total": result["total"]}


def _moves(track: dict[str, Any]) -> list[dict[str, Any]]:
    """Each party's stance spans as moves: when it took the stance and its first evidence."""
    moves = []
    for position in track.get("positions", []):
        for span in position.get("history", []):
            first = (span.get("evidence") or [{}])[0]
            moves.append({"party": position["party"], "stance": span.get("stance"), "date": span.get("since"),
                          "evidence": first.get("text"), "doc_id": first.get("doc_id")})
    moves.sort(key=lambda move: move["date"] or "")
    return moves


def related_in_story(conn: Connection, doc_id: str, limit: int = 6,
                     window: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    story_id = conn.execute(select(story_documents.c.story_id).where(story_documents.c.doc_id == doc_id)).scalar()
    if story_id is None:
        return []
    size = conn.execute(select(stories.c.articles).where(stories.c.id == story_id)).scalar()
    if not (size and size > LARGE_STORY):
        # The link in words ("same story: 3 shared events, 2 shared names (0.30 overlap)"), not
        # only its kind: "same story" alone left readers guessing why two pieces are one story.
        return [{"id": r["id"], "title": r["title"], "outlet": r["outlet"], "anchor_date": r["anchor_date"],
                 "relation": r["relation"], "why": r["why"]}
                for r in queries.related_documents(conn, doc_id, limit=limit)]
    return _nearest_in_story(conn, doc_id, story_id, limit, window)


def _nearest_in_story(conn: Connection, doc_id: str, story_id: str, limit: int,
                      window: tuple[Any, ...]) -> list[dict[str, Any]]:
    """One limited query on the documents' (story_id, anchor_date) index (the reader's)."""
    d = store_schema.documents.c
    query = (select(d.id, d.title, d.outlet, d.anchor_date).where(d.story_id == story_id, d.id != doc_id, *window)
             .order_by(d.anchor_date.desc().nulls_last()).limit(limit))
    return [dict(r._mapping) | {"why": "same story"} for r in conn.execute(query)]
