"""Story clusters: near-duplicates, plus articles that report the same recent happening.

A new document joins the story of its near-duplicate (or exact original) when that keeps
the story within ``max_story_days``, else starts its own; then two links join stories (the smaller one is relabelled):
- every dated merged event it shares with another story's article, when the event
  happened within ``event_link_days`` of both articles (background mentions of old
  events, an invasion years ago, never chain unrelated stories together);
- articles of the same weeks that name the same specific actors and places (people,
  bodies, towns: ``specific_names``; at least ``min_shared_names`` of them and a name
  overlap of ``names_threshold``) and also share content words: the same happening
  told in other words. Topic words alone never join two articles: two unrelated
  pieces on "talks" and "sanctions" share words, not the people and places they name.
  Candidates come from MinHash minima of the content words stored as index keys *per
  week*, so the lookup only ever sees the articles of three weeks.

Each document keeps why it joined its story (``link_reason``, ``link_score`` and the
words ``link_detail`` of story_documents), so the reader and the API can say it.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from dateline.store import schema as store_schema
from dateline.stories.cues import thresholds
from dateline.stories.names import name_overlap
from dateline.stories.schema import event_mentions, merged_events, stories, story_bands, story_documents
from dateline.stories.text import date_interval, days_between

_LETTERS = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy's list; no model is loaded

    return frozenset(STOP_WORDS)


def topic_words(title: str | None, text: str = "", text_words: list[str] | None = None) -> list[str]:
    """The content words of an article (title and body, lowercased, stop words out), sorted."""
    stop = _stop_words()
    words = _LETTERS.findall((title or "").lower())
    words += [w for w in (text_words if text_words is not None else _LETTERS.findall(text.lower())) if len(w) >= 4]
    return sorted({w for w in words if w.isalpha() and w not in stop})


def _week(anchor_date: str | None) -> int | None:
    interval = date_interval(anchor_date)
    return dt.date.fromisoformat(interval[0]).toordinal() // 7 if interval else None


def topic_keys(words: list[str], anchor_date: str | None, week: int | None = None) -> list[str]:
    """Index keys of an article's topic: its MinHash minima, within its week."""
    from dateline.stories.dedup import minhash_values

    week = _week(anchor_date) if week is None else week
    if week is None or not words:
        return []
    values = minhash_values(set(words), thresholds()["stories"]["topic_num_perm"], seed=11)
    return [f"t{week}:{i}:{v}" for i, v in enumerate(values)]


def link_of_duplicate(match: Any, doc_id: str) -> dict[str, Any]:
    """The link columns of a newly filed document from its duplicate match."""
    if match.story_id == doc_id:
        return {"link_reason": None, "link_score": None, "link_detail": None}
    reason = "re-post" if match.exact_of else "near-duplicate"
    score = match.similarity if match.similarity is not None else 1.0
    return {"link_reason": reason, "link_score": score, "link_detail": f"{reason}: {score:.2f} similarity"}


def record_link(conn: Connection, doc_id: str, reason: str, score: float, detail: str) -> None:
    """Keep why ``doc_id`` is in its story (the strongest link wins: duplicates never lose theirs)."""
    sd = story_documents.c
    current = conn.execute(select(sd.link_reason, sd.link_score).where(sd.doc_id == doc_id)).one()
    if current.link_reason in ("re-post", "near-duplicate"):
        return
    if current.link_reason == reason and (current.link_score or 0) >= score:
        return
    if current.link_reason == "shared events" and reason == "shared names":
        return
    conn.execute(update(story_documents).where(sd.doc_id == doc_id)
                 .values(link_reason=reason, link_score=round(score, 3), link_detail=detail))


def link_by_topic(conn: Connection, doc_id: str) -> str:
    """Join the stories of articles of the same weeks naming the same people and places."""
    sd = story_documents.c
    me = conn.execute(select(sd.story_id, sd.topic_words, sd.anchor_date, sd.names)
                      .where(sd.doc_id == doc_id)).one()
    week = _week(me.anchor_date)
    words = set(me.topic_words or [])
    if week is None or not words:
        return me.story_id
    config = thresholds()["stories"]
    mine = topic_keys(sorted(words), None, week=week)
    keys = [f"t{w}:{key.split(':', 1)[1]}" for w in (week - 1, week, week + 1) for key in mine]
    # One expanding parameter for the ~200 keys: cheaper to build than a literal per key.
    candidates = (select(story_bands.c.doc_id)
                  .where(story_bands.c.band.in_(bindparam("keys", expanding=True))).distinct())
    rows = conn.execute(select(sd.doc_id, sd.story_id, sd.topic_words, sd.anchor_date, sd.names)
                        .where(sd.doc_id.in_(candidates), sd.doc_id != doc_id, sd.story_id != me.story_id),
                        {"keys": keys}).all()
    story_id = me.story_id
    # Each other story is joined (or refused) once, however many of its articles match:
    # one query per candidate article made filing quadratic in the size of big stories.
    settled: set[str] = {story_id}
    for row in rows:
        if row.story_id in settled:
            continue
        other = set(row.topic_words or [])
        jaccard = len(words & other) / len(words | other) if other else 0.0
        shared, overlap = name_overlap(me.names, row.names)
        if (jaccard >= config["topic_threshold"] and shared >= config["min_shared_names"]
                and overlap >= config["names_threshold"]
                and _within(row.anchor_date, me.anchor_date, config["event_link_days"])):
            # Merges only rewrite the two stories involved, and both are settled after
            # it, so an unsettled row's story id is still current.
            story_id = merge_stories(conn, story_id, row.story_id)
            record_link(conn, doc_id, "shared names", overlap,
                        f"same story: {shared} shared names, {overlap:.2f} name overlap, {jaccard:.2f} word overlap")
            settled |= {row.story_id, story_id}
    return story_id


def set_story(conn: Connection, doc_id: str, story_id: str) -> None:
    conn.execute(update(story_documents).where(story_documents.c.doc_id == doc_id).values(story_id=story_id))
    d = store_schema.documents.c
    conn.execute(update(store_schema.documents).where(d.id == doc_id).values(story_id=story_id))


def link_by_events(conn: Connection, doc_id: str, anchor_date: str | None, merged_ids: list[str]) -> str:
    """Join the stories of articles reporting the same recent events as ``doc_id``; its story id."""
    sd = story_documents.c
    story_id = conn.execute(select(sd.story_id).where(sd.doc_id == doc_id)).scalar_one()
    if not merged_ids or not anchor_date:
        return story_id
    window = thresholds()["stories"]["event_link_days"]
    m = merged_events.c
    recent = [r.id for r in conn.execute(select(m.id, m.date, m.date_lo).where(m.id.in_(set(merged_ids))))
              if r.date and _within(r.date_lo, anchor_date, window)]
    if not recent:
        return story_id
    e = event_mentions.c
    rows = conn.execute(
        select(sd.story_id, e.anchor_date, m.date_lo, e.merged_id)
        .select_from(event_mentions)
        .join(story_documents, sd.doc_id == e.doc_id)
        .join(merged_events, m.id == e.merged_id)
        .where(e.merged_id.in_(recent), sd.story_id != story_id)
        .distinct()
    ).all()
    linked = [r for r in rows if _within(r.date_lo, r.anchor_date, window)]
    for other in sorted({r.story_id for r in linked}):
        story_id = merge_stories(conn, story_id, other)
    if linked:
        count = len({r.merged_id for r in linked})
        record_link(conn, doc_id, "shared events", count,
                    f"same story: {count} shared event{'s' if count != 1 else ''}")
    return story_id


def _within(event_day: str | None, article_day: str | None, window: int) -> bool:
    gap = days_between(event_day, article_day)
    return gap is not None and gap <= window


def merge_stories(conn: Connection, a: str, b: str) -> str:
    """Make stories ``a`` and ``b`` one (relabel the smaller); returns the id kept.

    Stories are not joined when together they would span more than ``max_story_days``.
    """
    if a == b:
        return a
    sd = story_documents.c
    spans = {s: conn.execute(select(func.count(), func.min(sd.anchor_date), func.max(sd.anchor_date))
                             .where(sd.story_id == s)).one() for s in (a, b)}
    dates = [d for s in (a, b) for d in spans[s][1:] if d]
    if dates and (days_between(min(dates), max(dates)) or 0) > thresholds()["stories"]["max_story_days"]:
        return a
    size = {s: spans[s][0] for s in (a, b)}
    keep, drop = (a, b) if (size[a], b) >= (size[b], a) else (b, a)
    conn.execute(update(story_documents).where(sd.story_id == drop).values(story_id=keep))
    d = store_schema.documents.c
    conn.execute(update(store_schema.documents).where(d.story_id == drop).values(story_id=keep))
    conn.execute(delete(stories).where(stories.c.id == drop))
    return keep


def refresh_story(conn: Connection, story_id: str) -> None:
    """Recompute one story's row from its documents (canonical: earliest, then longest)."""
    sd = story_documents.c
    rows = conn.execute(select(sd.doc_id, sd.anchor_date, sd.words, sd.seq, sd.outlet, sd.title)
                        .where(sd.story_id == story_id)).all()
    s = stories.c
    if not rows:
        conn.execute(delete(stories).where(s.id == story_id))
        return
    canonical = min(rows, key=_canonical_key)
    dates = [r.anchor_date for r in rows if r.anchor_date]
    values: dict[str, Any] = {
        "canonical_doc_id": canonical.doc_id, "title": canonical.title,
        "first_date": min(dates, default=None), "last_date": max(dates, default=None),
        "articles": len(rows), "outlets": len({r.outlet or f"doc:{r.doc_id}" for r in rows}),
    }
    if conn.execute(select(s.id).where(s.id == story_id)).first():
        conn.execute(update(stories).where(s.id == bindparam("story_key")), {"story_key": story_id, **values})
    else:
        conn.execute(insert(stories), {"id": story_id, **values})


def _canonical_key(row: Any) -> tuple:
    # Earliest article first (undated last), then the longest, then the first stored.
    return (row.anchor_date is None, row.anchor_date or "", -(row.words or 0), row.seq)
