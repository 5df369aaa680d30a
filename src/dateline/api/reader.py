"""Queries behind the reader pages: latest, trending, related, authors, outlets, search.

Each page must render in well under 300 ms with 10,000 stored articles, so every query
here is bounded (LIMIT, an indexed key or a date window on the indexed anchor date) and
the one archive-wide aggregate (Trending Now) is cached per store state.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.engine import Connection

from dateline.api.queries import A, D, E, N
from dateline.model import Document
from dateline.store import schema
from dateline.stories import browse as stories_browse

RECENT_DAYS = 7
BASELINE_DAYS = 30
# Trending Now lists coded political actors only (a country, or an actor of a political
# sector), never bare names ("Trade", "NST", "Commission"); an item needs this many
# articles in the last days to be listed, and a change is stated only when the recent
# window and the baseline each hold at least TREND_MIN_FOR_CHANGE articles ("+43%" on
# counts of 1 says nothing; "new" needs as many recent ones).
TREND_SECTORS = ("GOV", "MIL", "COP", "JUD", "LEG", "PTY", "REB", "OPP", "IGO", "NGO", "SPY", "INS")
TREND_MIN_ARTICLES = 1
TREND_MIN_FOR_CHANGE = 3
RELATED_WINDOW_DAYS = 14
TRENDING_TTL_SECONDS = 30.0

SUMMARY = (D.id, D.title, D.outlet, D.anchor_date, D.dateline)


def _rows(conn: Connection, query: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(query)]


def latest(conn: Connection, limit: int = 10, exclude: str | None = None) -> list[dict[str, Any]]:
    query = select(*SUMMARY).order_by(D.anchor_date.desc().nulls_last(), D.id).limit(limit)
    if exclude:
        query = query.where(D.id != exclude)
    return _rows(conn, query)


def lead_text(conn: Connection, doc_id: str, chars: int = 360) -> str:
    """The opening of an article's body, for the front page's lead story."""
    text = conn.execute(select(func.substr(D.body_text, 1, chars)).where(D.id == doc_id)).scalar() or ""
    first = text.split("\n\n")[0]
    return first if len(first) < chars else first.rsplit(" ", 1)[0] + " \u2026"


def outlets(conn: Connection, limit: int = 12) -> list[dict[str, Any]]:
    return _rows(conn, select(D.outlet, func.count().label("posts")).where(D.outlet.is_not(None))
                 .group_by(D.outlet).order_by(func.count().desc(), D.outlet).limit(limit))


# -- Trending Now --------------------------------------------------------------------


@dataclass
class TrendItem:
    label: str
    kind: str            # "actor" | "event"
    recent: int          # articles in the last RECENT_DAYS days
    before: int          # articles in the BASELINE_DAYS days before
    change: float | None  # recent rate over baseline rate (1.0 = as usual); None when new
    daily: list[int]     # articles per day over the whole window, oldest first
    points: str = ""     # the sparkline's polyline, computed once with the cached value

    @property
    def change_label(self) -> str:
        if self.recent < TREND_MIN_FOR_CHANGE:
            return ""  # too few articles to call it a rise or a fall
        if self.change is None:
            return "new" if self.before == 0 else ""
        if self.change >= 2:
            return f"\u00d7{self.change:.0f} usual"
        return f"{(self.change - 1) * 100:+.0f}%"


class TrendingCache:
    """Trending Now, precomputed per store state.

    The state key (document count, newest date) uses indexed aggregates only. When it
    changes (a writer stored articles) or the TTL passes, requests keep getting the last
    value while one background thread recomputes it, so no page waits on the aggregate
    except the very first one after start-up.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._key: Any = None
        self._value: dict[str, Any] | None = None
        self._at = 0.0
        self._refreshing = False

    @property
    def ready(self) -> bool:
        return self._value is not None

    def invalidate(self) -> None:
        """Refresh on the next request (this app just stored a page)."""
        with self._lock:
            self._at = 0.0

    def get(self, conn: Connection) -> dict[str, Any]:
        key = tuple(conn.execute(select(func.count(), func.max(D.anchor_date))).one())
        with self._lock:
            value, stale = self._value, key != self._key or time.monotonic() - self._at >= TRENDING_TTL_SECONDS
            if value is not None and stale and not self._refreshing:
                self._refreshing = True
                threading.Thread(target=self._refresh, name="dateline-trending", daemon=True).start()
        if value is None:  # nothing to show yet: compute it now, once
            value = compute_trending(conn, key[1])
            self._store(key, value)
        return value

    def _refresh(self) -> None:
        try:
            with self.engine.connect() as conn:
                key = tuple(conn.execute(select(func.count(), func.max(D.anchor_date))).one())
                self._store(key, compute_trending(conn, key[1]))
        except Exception:
            logging.getLogger(__name__).exception("Trending Now refresh failed")
        finally:
            with self._lock:
                self._refreshing = False

    def _store(self, key: Any, value: dict[str, Any]) -> None:
        with self._lock:
            self._key, self._value, self._at = key, value, time.monotonic()


def _window(newest: str | None) -> tuple[date, date, date] | None:
    """(start of baseline, start of recent window, last day) ending at the newest article."""
    if not newest:
        return None
    try:
        end = date.fromisoformat(newest[:10])
    except ValueError:
        return None
    recent_start = end - timedelta(days=RECENT_DAYS - 1)
    return recent_start - timedelta(days=BASELINE_DAYS), recent_start, end


def compute_trending(conn: Connection, newest: str | None, top: int = 8) -> dict[str, Any]:
    """Actors and event types most mentioned in the last 7 days of stored articles vs the 30 before."""
    window = _window(newest)
    if window is None:
        return {"actors": [], "events": [], "window": None}
    start, recent_start, end = window
    in_window = (D.anchor_date >= start.isoformat(), D.anchor_date < (end + timedelta(days=1)).isoformat())
    day = func.substr(D.anchor_date, 1, 10)
    actor_rows = conn.execute(
        select(N.name, day.label("day"), func.count(func.distinct(N.doc_id)).label("n"))
        .join_from(schema.entities, schema.documents, N.doc_id == D.id)
        .where(*in_window, N.name.is_not(None),
               or_(N.kind.in_(("country", "igo", "ngo")), and_(N.country.is_not(None), N.sector.in_(TREND_SECTORS))))
        .group_by(N.name, day))
    event_rows = conn.execute(
        select(E.type, day.label("day"), func.count(func.distinct(E.doc_id)).label("n"))
        .join_from(schema.events, schema.documents, E.doc_id == D.id)
        .where(*in_window).group_by(E.type, day))
    return {
        "actors": _rank(actor_rows, "actor", start, recent_start, end, top),
        "events": _rank(event_rows, "event", start, recent_start, end, top),
        "window": {"from": start.isoformat(), "recent_from": recent_start.isoformat(), "to": end.isoformat()},
    }


def _rank(rows: Any, kind: str, start: date, recent_start: date, end: date, top: int) -> list[TrendItem]:
    days = (end - start).days + 1
    series: dict[str, list[int]] = defaultdict(lambda: [0] * days)
    for label, day, count in rows:
        try:
            offset = (date.fromisoformat(day) - start).days
        except (TypeError, ValueError):
            continue
        if 0 <= offset < days:
            series[label][offset] += count
    split = (recent_start - start).days
    items = []
    for label, daily in series.items():
        recent, before = sum(daily[split:]), sum(daily[:split])
        if recent < TREND_MIN_ARTICLES:
            continue
        enough = recent >= TREND_MIN_FOR_CHANGE and before >= TREND_MIN_FOR_CHANGE
        change = round((recent / RECENT_DAYS) / (before / BASELINE_DAYS), 3) if enough else None
        items.append(TrendItem(label, kind, recent, before, change, daily, sparkline_points(daily)))
    # Most mentioned first; a rise over the baseline breaks ties.
    items.sort(key=lambda t: (-t.recent, -(t.change if t.change is not None else 1e9), t.label))
    return items[:top]


def sparkline_points(daily: list[int], width: int = 84, height: int = 20) -> str:
    """Polyline points for a small chart of daily counts (numbers only: safe in markup)."""
    if not daily:
        return ""
    top = max(daily) or 1
    step = width / max(1, len(daily) - 1)
    return " ".join(f"{i * step:.1f},{height - 1 - (v / top) * (height - 2):.1f}" for i, v in enumerate(daily))


# -- Related News --------------------------------------------------------------------


def related(conn: Connection, document: Document, limit: int = 6) -> list[dict[str, Any]]:
    """Same story first (the stories stage's ranking); then articles sharing actors and
    event dyads within a date window."""
    found = stories_browse.related_in_story(conn, document.id, limit,
                                          _date_window(document.article.anchor_date))
    if len(found) >= limit:
        return found
    seen = {document.id} | {item["id"] for item in found}
    for item in _shared_analysis(conn, document, limit * 2):
        if item["id"] not in seen:
            seen.add(item["id"])
            found.append(item)
    return found[:limit]


def _shared_analysis(conn: Connection, document: Document, limit: int) -> list[dict[str, Any]]:
    names = sorted({a.name for a in document.actors.values() if a.name})[:15]
    dyads = {(e.source[0].country, e.target[0].country) for e in document.events
             if e.source and e.target and e.source[0].country and e.target[0].country}
    if not names and not dyads:
        return []
    window = _date_window(document.article.anchor_date)
    score: Counter[str] = Counter()
    if names:
        # Documents in the date window first (indexed), then their entities by (name, doc_id).
        in_window = select(D.id).where(*window) if window else select(D.id)
        query = (select(N.doc_id, func.count(func.distinct(N.name)).label("n"))
                 .where(N.name.in_(names), N.doc_id != document.id, N.doc_id.in_(in_window))
                 .group_by(N.doc_id).order_by(func.count(func.distinct(N.name)).desc()).limit(limit * 3))
        score.update({row.doc_id: row.n for row in conn.execute(query)})
    for source, target in list(dyads)[:10]:
        query = (select(E.doc_id, func.count().label("n"))
                 .join_from(schema.events, schema.documents, E.doc_id == D.id)
                 .where(E.source_country == source, E.target_country == target, E.doc_id != document.id, *window)
                 .group_by(E.doc_id).limit(limit * 3))
        score.update({row.doc_id: 2 * row.n for row in conn.execute(query)})
    best = [doc_id for doc_id, _ in score.most_common(limit)]
    if not best:
        return []
    rows = {r["id"]: r for r in _rows(conn, select(*SUMMARY).where(D.id.in_(best)))}
    return [rows[i] | {"why": "shared actors and events"} for i in best if i in rows]


def _date_window(anchor: str | None) -> tuple[Any, ...]:
    try:
        day = date.fromisoformat((anchor or "")[:10])
    except ValueError:
        return ()
    low, high = day - timedelta(days=RELATED_WINDOW_DAYS), day + timedelta(days=RELATED_WINDOW_DAYS)
    return (D.anchor_date >= low.isoformat(), D.anchor_date < (high + timedelta(days=1)).isoformat())


# -- cross-links, authors, outlets ---------------------------------------------------


def resolve_cross_links(conn: Connection, headlines: list[str], exclude: str) -> list[dict[str, Any]]:
    """The article's "Read More" headlines, each linked to a stored article with that title."""
    wanted = {h.strip().lower(): h for h in headlines if h and h.strip()}
    matches: dict[str, str] = {}
    if wanted:
        query = (select(D.id, func.lower(D.title).label("key")).where(func.lower(D.title).in_(list(wanted)))
                 .where(D.id != exclude).order_by(D.anchor_date.desc().nulls_last()))
        for row in conn.execute(query):
            matches.setdefault(row.key.strip(), row.id)
    return [{"title": h, "id": matches.get(h.strip().lower())} for h in headlines if h and h.strip()]


def author_profile(conn: Connection, name: str, limit: int = 50, offset: int = 0) -> dict[str, Any] | None:
    posts = conn.execute(select(func.count()).select_from(schema.document_authors).where(A.name == name)).scalar_one()
    if not posts:
        return None
    bio = conn.execute(
        select(A.bio).join_from(schema.document_authors, schema.documents, A.doc_id == D.id)
        .where(A.name == name, A.bio.is_not(None), A.bio != "")
        .order_by(D.anchor_date.desc().nulls_last()).limit(1)).scalar()
    their_docs = select(A.doc_id).where(A.name == name)
    articles = _rows(conn, select(*SUMMARY).where(D.id.in_(their_docs))
                     .order_by(D.anchor_date.desc().nulls_last(), D.id).limit(limit).offset(offset))
    outlets = [r[0] for r in conn.execute(
        select(D.outlet).where(D.id.in_(their_docs), D.outlet.is_not(None)).group_by(D.outlet)
        .order_by(func.count().desc()).limit(5))]
    return {"name": name, "bio": bio, "posts": posts, "articles": articles, "outlets": outlets,
            "actors": _top_actors(conn, _newest(D.id.in_(their_docs)))}


def outlet_profile(conn: Connection, name: str, limit: int = 50, offset: int = 0) -> dict[str, Any] | None:
    posts = conn.execute(select(func.count()).select_from(schema.documents).where(D.outlet == name)).scalar_one()
    if not posts:
        return None
    articles = _rows(conn, select(*SUMMARY).where(D.outlet == name)
                     .order_by(D.anchor_date.desc().nulls_last(), D.id).limit(limit).offset(offset))
    recent = _newest(D.outlet == name)
    authors = _rows(conn, select(A.name, func.count().label("posts")).where(A.doc_id.in_(recent))
                    .group_by(A.name).order_by(func.count().desc(), A.name).limit(20))
    return {"name": name, "posts": posts, "articles": articles, "authors": authors,
            "actors": _top_actors(conn, recent)}


PROFILE_WINDOW = 300  # "covers most" looks at a writer's or outlet's newest articles only


def _newest(condition: Any) -> Any:
    """The ids of the newest PROFILE_WINDOW documents meeting ``condition`` (one indexed range)."""
    return (select(D.id).where(condition).order_by(D.anchor_date.desc().nulls_last())
            .limit(PROFILE_WINDOW).scalar_subquery())


def _top_actors(conn: Connection, recent: Any, limit: int = 10) -> list[dict[str, Any]]:
    query = (select(N.name, N.country, func.count(func.distinct(N.doc_id)).label("articles"))
             .where(N.doc_id.in_(recent), N.name.is_not(None))
             .group_by(N.name, N.country).order_by(func.count(func.distinct(N.doc_id)).desc(), N.name).limit(limit))
    return _rows(conn, query)


def authors_of(conn: Connection, doc_id: str) -> list[dict[str, Any]]:
    return _rows(conn, select(A.name, A.bio).where(A.doc_id == doc_id))
