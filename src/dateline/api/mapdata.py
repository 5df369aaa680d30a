"""The map's data: merged events by place (points with coordinates) and by place country.

The database counts the events not reviewed per (place, place country, type); reviewed
events come one by one with their review applied (an edit may move an event or change
its type), so Python sees a few hundred rows however large the store.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from dateline.api.aggregates import (
    QUADS,
    cached_parties,
    date_conditions,
    names_party,
    merged_rows,
    parties,
    quad_of,
    reviewed_rows,
)
from dateline.stories.schema import merged_events

PLACE_EVENTS_MAX = 200  # events listed for one clicked place


def _groups(conn: Connection, date_from: str | None, date_to: str | None, country: str | None,
            types: list[str] | None) -> list[tuple[str | None, str | None, str, int, int]]:
    """(place name, place country, type, events, mentions), reviews applied."""
    from dateline.store import reviews

    m = merged_events.c
    by_merged = reviews.reviewed_merged(conn)
    keys = [m.place_name, m.place_country, m.type]
    if country:  # whether a group names the country is decided on its party keys
        keys += [m.source_key, m.target_key, m.source_country, m.target_country]
    conditions = date_conditions(date_from, date_to)
    if types:
        conditions.append(m.type.in_(types))
    if country:
        conditions.append(names_party(country))
    query = select(*keys, func.count(), func.sum(m.mentions)).where(*conditions).group_by(*keys)
    if by_merged:
        query = query.where(m.id.not_in(list(by_merged)))
    groups = []
    for row in conn.execute(query):
        if country and country not in cached_parties(*row[3:7]):
            continue
        groups.append((row[0], row[1], row[2], row[-2], row[-1] or 0))
    for row in reviewed_rows(conn, by_merged, date_from, date_to):
        if (not country or country in parties(row)) and (not types or row["type"] in types):
            groups.append((row.get("place_name"), row.get("place_country"), row["type"], 1, row.get("mentions") or 0))
    return groups


def _coordinates(conn: Connection, names: list[str]) -> dict[str, tuple[float, float]]:
    from dateline.store.schema import events

    found: dict[str, tuple[float, float]] = {}
    for start in range(0, len(names), 500):
        query = (select(events.c.place_name, events.c.lat, events.c.lon)
                 .where(events.c.place_name.in_(names[start:start + 500]), events.c.lat.is_not(None)).distinct())
        for name, lat, lon in conn.execute(query):
            found.setdefault(name, (lat, lon))
    return found


def map_data(conn: Connection, date_from: str | None = None, date_to: str | None = None,
             country: str | None = None, types: list[str] | None = None,
             place: str | None = None) -> dict[str, Any]:
    """``places`` (points with coordinates: events, mentions, quads, the commonest quad),
    ``countries`` (events per place country) and, with ``place``, that place's ``events``."""
    groups = _groups(conn, date_from, date_to, country, types)
    coordinates = _coordinates(conn, sorted({g[0] for g in groups if g[0]}))
    points: dict[str, dict[str, Any]] = {}
    countries: dict[str, int] = defaultdict(int)
    place_countries: dict[str, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for name, place_country, event_type, n, mentions in groups:
        if place_country:
            countries[place_country] += n
        if not name or name not in coordinates:
            continue
        point = points.setdefault(name, {"name": name, "lat": coordinates[name][0], "lon": coordinates[name][1],
                                         "events": 0, "mentions": 0, "quads": defaultdict(int)})
        point["events"] += n
        point["mentions"] += mentions
        point["quads"][quad_of(event_type) or "other"] += n
        place_countries[name][place_country] += n
    order = {quad: i for i, quad in enumerate((*QUADS, "other"))}
    for name, point in points.items():
        # One name, several countries (two towns called San Jose): the country most of its events give.
        point["country"] = max(place_countries[name].items(), key=lambda kv: (kv[1], kv[0] is not None))[0]
        point["quad"] = max(point["quads"], key=lambda q: (point["quads"][q], -order.get(q, 9)))
        point["quads"] = dict(point["quads"])
    answer: dict[str, Any] = {"places": sorted(points.values(), key=lambda p: (-p["events"], p["name"])),
                              "countries": dict(sorted(countries.items()))}
    if place:
        rows = merged_rows(conn, date_from, date_to, country, types, place=place)
        answer["events"] = [{k: r.get(k) for k in ("id", "type", "source_country", "target_country", "date",
                                                    "date_lo", "mentions", "review_status")}
                            for r in rows][:PLACE_EVENTS_MAX]
    return answer
