"""The negotiation tracker: each party's (and mediator's) stance per issue over time.

``negotiations(store, parties=["RUS", "UKR"], mediators=None, issues=None, date_from, date_to)``
    ``{"parties", "mediators", "issues": [{"issue", "title", "agreement", "positions":
    [{"party", "role", "stance", "since", "changes", "history", "evidence"}], "agreed_on"}]}``:
    per issue, each party's current stance, when it changed and the evidence of every
    span of the same stance; ``agreed_on``: dates every party stated an agreement.
    Mediators not given are found: third parties in talks with every party, or whose
    statements address every party. ``negotiation_rows(result)`` flattens it for tables.
    Also ``negotiations(conn, dyad="RUS-UKR", issue=None, limit=50, offset=0)`` ->
    ``{"items": [one per issue, with "dyad" and "mediators"], "total"}``; no dyad: the
    busiest pairs.

Read from ``negotiation_positions`` (and ``merged_events`` for mediators);
``dateline.stories.queries`` re-exports both functions.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from dateline.stories import stories_settings
from dateline.stories.cues import issue_titles
from dateline.stories.reading import connect as _connect
from dateline.stories.reading import day_bounds as _day_bounds
from dateline.stories.reading import key_has as _key_has
from dateline.stories.schema import event_mentions, merged_events, negotiation_positions, story_documents
from dateline.stories.text import date_interval

STANCE_ORDER = ("agreement", "offer", "concession", "demand", "rejection")
_STANCE_RANK = {stance: i for i, stance in enumerate(STANCE_ORDER)}


def negotiations(store: Any, parties: list[str] | None = None, mediators: list[str] | None = None,
                 issues: list[str] | None = None, date_from: str | None = None,
                 date_to: str | None = None, *, dyad: str | None = None, issue: str | None = None,
                 limit: int | None = None, offset: int = 0, issues_file: str | None = None) -> dict[str, Any]:
    """Each party's (and mediator's) stance per issue over time, with changes and evidence.

    Issue titles come from the packaged issues and ``issues_file`` (default: the settings
    of ``store`` when it is a ``Store``).

    The API's form ``negotiations(conn, dyad="RUS-UKR", issue="territory", limit, offset)``
    is accepted too and returns ``{"items": [...], "total": n}`` with one item per issue
    (``dyad``, ``issue``, ``title``, ``agreement``, ``positions``); without parties or
    dyad, the pairs with the most positions are tracked.
    """
    if dyad:
        parties = [p for p in dyad.replace(",", "-").replace("+", "-").split("-") if p.strip()]
    if issue:
        issues = [issue]
    with _connect(store) as conn:
        groups = [_normalise_group(parties)] if parties else _busiest_pairs(conn)
        titles = issue_titles(issues_file or stories_settings(store).issues_file)
        results = [_track_group(conn, group, mediators, issues, date_from, date_to, titles) for group in groups]
    if parties and dyad is None and limit is None:
        return results[0]
    items = [dict(item, dyad="-".join(result["parties"]), mediators=result["mediators"])
             for result in results for item in result["issues"]]
    end = None if limit is None else offset + limit
    return {"items": items[offset:end], "total": len(items)}


def _normalise_group(parties: list[str]) -> list[str]:
    return list(dict.fromkeys(p.strip().upper() if len(p.strip()) == 3 else p.strip() for p in parties))


def _busiest_pairs(conn: Connection, top: int = 10) -> list[list[str]]:
    """The pairs of parties that take the most positions towards each other."""
    n = negotiation_positions.c
    rows = conn.execute(select(n.party, n.counterpart, func.count().label("k"))
                        .where(n.counterpart.is_not(None), n.counted.is_(True))
                        .group_by(n.party, n.counterpart)).all()
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    for row in rows:
        for other in row.counterpart.split("+"):
            if other != row.party:
                counts[tuple(sorted((row.party, other)))] += row.k
    return [list(pair) for pair, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


def _track_group(conn: Connection, group: list[str], mediators: list[str] | None, issues: list[str] | None,
                 date_from: str | None, date_to: str | None, titles: dict[str, str]) -> dict[str, Any]:
    found_mediators = list(dict.fromkeys([m.upper() for m in mediators or []] + _mediators(conn, group)))
    rows = _positions(conn, group, found_mediators, issues, date_from, date_to)
    by_issue: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_issue[row.issue][row.party].append(row)
    order = {label: i for i, label in enumerate(titles)}
    result = []
    for label in sorted(by_issue, key=lambda label: order.get(label, len(order))):
        positions = [_party_track(party, party_rows, "party" if party in group else "mediator")
                     for party, party_rows in by_issue[label].items()]
        positions.sort(key=lambda p: (p["role"] != "party", _party_rank(group, p["party"])))
        agreed = _agreed_on(group, positions)
        result.append({"issue": label, "title": titles.get(label, label), "agreement": bool(agreed),
                       "agreed_on": agreed, "positions": positions})
    return {"parties": group, "mediators": found_mediators, "issues": result}


def _party_rank(group: list[str], party: str) -> int:
    return group.index(party) if party in group else len(group)


def _mediators(conn: Any, group: list[str]) -> list[str]:
    """Third parties at the table: in talks (CONSULT) with every party of the group, or
    whose statements address every party (hosts, mediators)."""
    if len(group) < 2:
        return []
    found: list[str] = []
    m = merged_events.c
    talks = select(m.source_key).where(m.type == "CONSULT", *[_key_has(m.source_key, p) for p in group]).distinct()
    for row in conn.execute(talks):
        found.extend(p for p in row.source_key.split("+") if p not in group and p not in found)
    n = negotiation_positions.c
    query = select(n.party, n.counterpart).where(n.counterpart.is_not(None), n.party.not_in(group),
                                                 _key_has(n.counterpart, group[0])).distinct()
    for row in conn.execute(query):
        if set(group) <= set((row.counterpart or "").split("+")) and row.party not in found:
            found.append(row.party)
    return found


def _positions(conn: Any, group: list[str], mediators: list[str], issues: list[str] | None,
               date_from: str | None, date_to: str | None) -> list[Any]:
    n = negotiation_positions.c
    sd = story_documents.c
    query = (select(negotiation_positions, sd.anchor_date.label("article_date"))
             .select_from(negotiation_positions).outerjoin(story_documents, sd.doc_id == n.doc_id)
             .where(n.party.in_(group + mediators), n.counted.is_(True)))
    if issues:
        query = query.where(n.issue.in_(issues))
    low, high = _day_bounds(date_from, date_to)
    allowed = set(group) | set(mediators)
    bounded = low is not None or high is not None
    rows = [r for r in conn.execute(query.order_by(n.date, n.doc_id, n.origin, n.idx))
            if (r.counterpart is None or set(r.counterpart.split("+")) <= allowed)
            and (not bounded or _in_range(r.date, low, high))]
    # A statement that names no counterpart ("Beijing vowed countermeasures") belongs to
    # this negotiation only when its article is about the other side too: China's answer
    # to EU duties is no position towards the United States.
    undirected = {r.doc_id for r in rows if r.counterpart is None}
    involved = _parties_of_documents(conn, undirected) if undirected else {}
    return [r for r in rows if r.counterpart is not None
            or (set(group) - {r.party}) & involved.get(r.doc_id, set())]


def _parties_of_documents(conn: Any, doc_ids: set[str]) -> dict[str, set[str]]:
    """Every party a document's events and positions name."""
    found: dict[str, set[str]] = defaultdict(set)
    e = event_mentions.c
    for row in conn.execute(select(e.doc_id, e.source_key, e.target_key).where(e.doc_id.in_(doc_ids))):
        found[row.doc_id].update(p for key in (row.source_key, row.target_key) for p in (key or "").split("+") if p)
    n = negotiation_positions.c
    for row in conn.execute(select(n.doc_id, n.party, n.counterpart).where(n.doc_id.in_(doc_ids))):
        found[row.doc_id].add(row.party)
        found[row.doc_id].update(p for p in (row.counterpart or "").split("+") if p)
    return found


def _in_range(value: str | None, low: str | None, high: str | None) -> bool:
    interval = date_interval(value)
    if interval is None:
        return not (low or high)
    return (low is None or interval[1] >= low) and (high is None or interval[0] <= high)


def _party_track(party: str, rows: list[Any], role: str) -> dict[str, Any]:
    """Spans of one stance in date order; the last span is the current stance."""
    spans: list[dict[str, Any]] = []
    seen: set[tuple[Any, Any]] = set()  # (text, document) of the current span's evidence
    for row in sorted(rows, key=lambda r: (r.date or "", r.article_date or "", _STANCE_RANK.get(r.stance, 9))):
        if spans and spans[-1]["stance"] == row.stance:
            span = spans[-1]
            span["until"] = row.date or span["until"]
            # A set, not a scan of the span: a long-held stance has thousands of reports.
            if (row.evidence, row.doc_id) not in seen:
                seen.add((row.evidence, row.doc_id))
                span["evidence"].append(_evidence(row))
            continue
        seen = {(row.evidence, row.doc_id)}
        spans.append({"stance": row.stance, "since": row.date, "until": row.date, "evidence": [_evidence(row)]})
    current = spans[-1]
    changes = [{"date": later["since"], "from": earlier["stance"], "to": later["stance"]}
               for earlier, later in pairwise(spans)]
    return {"party": party, "role": role, "stance": current["stance"], "since": current["since"],
            "changes": changes, "history": spans, "evidence": current["evidence"][0]["text"],
            "position_id": current["evidence"][0]["position_id"]}


def _evidence(row: Any) -> dict[str, Any]:
    return {"text": row.evidence, "doc_id": row.doc_id, "outlet": row.outlet, "date": row.date,
            "origin": row.origin, "speaker": row.speaker, "start": row.start, "end": row.end,
            "merged_id": row.merged_id, "position_id": getattr(row, "id", None)}


def _agreed_on(group: list[str], positions: list[dict[str, Any]]) -> list[str]:
    """Dates on which every party of the group stated an agreement on the issue."""
    dates: list[set[str]] = []
    for party in group:
        track = next((p for p in positions if p["party"] == party), None)
        if track is None:
            return []
        dates.append({e["date"] for span in track["history"] if span["stance"] == "agreement"
                      for e in span["evidence"] if e["date"]})
    return sorted(set.intersection(*dates)) if len(group) >= 2 and dates else []


def negotiation_rows(result: dict[str, Any], width: int = 160) -> list[dict[str, Any]]:
    """One row per issue and party, for tables."""
    rows = []
    for issue in result["issues"]:
        for position in issue["positions"]:
            history = " -> ".join(f"{span['stance']} ({span['since'] or '?'})" for span in position["history"])
            sources = {e["outlet"] or e["doc_id"] for span in position["history"] for e in span["evidence"]}
            evidence = position["evidence"] or ""
            rows.append({
                "issue": issue["title"], "agreed": ", ".join(issue["agreed_on"]),
                "party": position["party"], "role": position["role"],
                "stance": position["stance"], "since": position["since"], "history": history,
                "changed": len(position["changes"]), "sources": len(sources),
                "evidence": evidence if len(evidence) <= width else evidence[:width - 1] + "…",
            })
    return rows
