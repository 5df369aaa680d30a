"""A merged event's row, recomputed from its mentions alone (``refresh``): the majority
type and parties, the dates every mention agrees with, the best evidence, GDELT-like
counts; and its lookup rows in ``merged_parties``, cut by date width (``span_of``) so
candidate lookups stay tight ranges of one index."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from dateline.stories.cues import thresholds
from dateline.stories.schema import event_mentions, merged_events, merged_parties
from dateline.stories.text import date_interval, more_precise


def span_of(date_lo: str, date_hi: str) -> str:
    """The width class of a date interval (what the lookup index is cut by)."""
    days = (dt.date.fromisoformat(date_hi) - dt.date.fromisoformat(date_lo)).days
    return "day" if days <= 0 else "window" if days <= 7 else "month" if days <= 31 else "year"



def parties_of(spec_or_row: Any) -> set[str]:
    return {p for key in (spec_or_row.source_key, spec_or_row.target_key) for p in (key or "").split("+") if p}



def refresh(conn: Connection, merged_id: str, founder: MentionSpec | None = None) -> None:
    """Recompute a merged event and its lookup rows from its mentions (delete it when none is left)."""
    e = event_mentions.c
    rows = conn.execute(select(event_mentions).where(e.merged_id == merged_id)).all()
    m = merged_events.c
    conn.execute(delete(merged_parties).where(merged_parties.c.merged_id == merged_id))
    if not rows:
        conn.execute(delete(merged_events).where(m.id == merged_id))
        return
    values = _aggregate(rows)
    values["source_country"] = _first_country(values["source_key"]) or (founder.source_country if founder else None)
    values["target_country"] = _first_country(values["target_key"]) or (founder.target_country if founder else None)
    if conn.execute(select(m.id).where(m.id == merged_id)).first():
        conn.execute(update(merged_events).where(m.id == bindparam("merged_key")), {"merged_key": merged_id, **values})
    else:
        conn.execute(insert(merged_events), {"id": merged_id, **values})
    parties = sorted({p for r in rows for p in parties_of(r)})
    if parties:
        conn.execute(insert(merged_parties), [
            {"merged_id": merged_id, "party": p, "type": values["type"], "span": values["span"],
             "date_lo": values["date_lo"], "date_hi": values["date_hi"]} for p in parties])


def _first_country(key: str) -> str | None:
    # Country codes are upper case (ISO alpha-3 or an IGO code); names of actors without one are not.
    return next((p for p in key.split("+") if p and p.isupper()), None)


def _majority_key(keys: list[str]) -> str:
    """Parties named by at least half of the mentions (most named first on ties: all of them)."""
    counts: dict[str, int] = {}
    for key in keys:
        for party in {p for p in key.split("+") if p}:
            counts[party] = counts.get(party, 0) + 1
    chosen = sorted(p for p, n in counts.items() if 2 * n >= len(keys))
    return "+".join(chosen)


def _one_side_each(voters: list[Any], best: Any, source_key: str, target_key: str) -> tuple[str, str]:
    """Majority keys with no party on both sides unless most mentions put it there.

    Each side's majority is taken apart, so two reports coding a party once as a source
    and once as a target ("Russia -> Ukraine", "Russia+Ukraine -> Ukraine") would make a
    self-dyad most reports do not state; such a party stays on the side more reports give it (the
    best report's side on a tie)."""
    sources, targets = _split(source_key), _split(target_key)
    for party in sorted(sources & targets):
        both = sum(party in _split(r.source_key) and party in _split(r.target_key) for r in voters)
        if 2 * both > len(voters):  # most reports code a joint act ("exchanged prisoners each")
            continue
        as_source = sum(party in _split(r.source_key) for r in voters)
        as_target = sum(party in _split(r.target_key) for r in voters)
        if as_source > as_target or (as_source == as_target and party in _split(best.source_key)):
            targets.discard(party)
        else:
            sources.discard(party)
    return "+".join(sorted(sources)), "+".join(sorted(targets))


def _split(key: str | None) -> set[str]:
    return {p for p in (key or "").split("+") if p}


def _majority_type(types: list[str]) -> str:
    """The family's first type when a mention has it (a round of talks stays CONSULT however
    many reports tell it by what was agreed there), else the commonest type."""
    family = next((f for f in thresholds()["merge"].get("families", []) if types[0] in f), [types[0]])
    return family[0] if family[0] in types else max(set(types), key=lambda t: (types.count(t), t))


def _aggregate(rows: list[Any]) -> dict[str, Any]:
    counted = [r for r in rows if r.counted]
    voters = counted or rows
    best = max(rows, key=lambda r: (bool(r.counted), r.confidence or 0.0, len(r.date or ""), len(r.evidence or "")))
    lo = max(r.date_lo for r in rows)
    hi = min(r.date_hi for r in rows)
    if lo > hi:  # mentions that no longer agree (a changed coder): keep the best one's days
        lo, hi = best.date_lo, best.date_hi
    date = None
    for r in rows:
        interval = date_interval(r.date)
        if interval and interval[0] <= hi and interval[1] >= lo:
            date = more_precise(date, r.date)
    issues: list[str] = []
    for r in rows:
        issues.extend(i for i in (r.issues or []) if i not in issues)
    placed = next((r for r in sorted(rows, key=lambda r: -(r.confidence or 0)) if r.place_name or r.place_country), None)
    source_key, target_key = _one_side_each(voters, best, _majority_key([r.source_key or "" for r in voters]),
                                            _majority_key([r.target_key or "" for r in voters]))
    return {
        "type": _majority_type([r.type for r in voters]),
        "source_key": source_key,
        "target_key": target_key,
        "date": date, "date_lo": lo, "date_hi": hi, "span": span_of(lo, hi),
        "place_name": placed.place_name if placed else None,
        "place_country": placed.place_country if placed else None,
        "factuality": best.factuality, "issues": issues, "evidence": best.evidence, "doc_id": best.doc_id,
        "confidence": best.confidence,
        "mentions": len(counted),
        "articles": len({r.doc_id for r in counted}),
        "sources": len({r.outlet or f"doc:{r.doc_id}" for r in counted}),
        "first_seen": min((r.anchor_date for r in rows if r.anchor_date), default=None),
    }
