"""Checks over a filled store: events whose source is their target.

An event names who acts on whom; one party on both sides is right only when the text
states an internal act (a government arresting its own citizen, a party electing its
leader). The events stage codes joint acts ("the two sides agreed") with every party on
both sides, which is a joint act, not a self-dyad, so the check tells the kinds apart:

- ``self``: one and the same party is the whole source and the whole target
  ("CONSULT Russia -> Russia");
- ``joint``: the same two or more parties on both sides (a reciprocal or joint act);
- ``overlap``: the sides differ but share a party.

``self_dyads(store)`` reads the per-document events (what the events stage coded) and
the merged events (what merging made of them: a merged self-dyad whose mentions have
none is a merging artefact).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dateline.model import SYMMETRIC_TYPES, ActorRef
from dateline.store import schema as store_schema
from dateline.stories.merge import actor_key
from dateline.stories.schema import event_mentions, merged_events


def _party(ref: dict[str, Any]) -> str:
    # As merging keys actors (so the per-document and the merged checks agree): by country
    # code, else by name. Sectors are not compared: whether a country's police acting on
    # its citizen is an internal act, the text says.
    return actor_key(ActorRef(name=ref.get("name") or "", country=ref.get("country")))


def _identity(ref: dict[str, Any]) -> tuple[str, ...]:
    return (ref.get("actor") or "", ) if ref.get("actor") else (ref.get("country") or "", ref.get("sector") or "",
                                                                 "" if ref.get("country") else (ref.get("name") or "").lower())


def _same_actor(sources: list[dict[str, Any]], targets: list[dict[str, Any]]) -> bool:
    """Whether one side is the very actor of the other (same id, or same country and sector),
    not two bodies of one country (its police and its protesters)."""
    return bool({_identity(r) for r in sources} & {_identity(r) for r in targets})


def _described(refs: list[dict[str, Any]]) -> str:
    return "; ".join(f"{r.get('name')} [{r.get('country') or '-'}/{r.get('sector') or '-'}]" for r in refs)


def dyad_kind(sources: list[str], targets: list[str]) -> str | None:
    """``self``, ``joint``, ``overlap`` or None (distinct sides, or a side unknown)."""
    mine, theirs = {s for s in sources if s}, {t for t in targets if t}
    if not mine or not theirs:
        return None
    if mine == theirs:
        return "self" if len(mine) == 1 else "joint"
    return "overlap" if mine & theirs else None


def event_self_dyads(conn: Any) -> list[dict[str, Any]]:
    """Per-document events with a party on both sides, with their evidence."""
    e = store_schema.events.c
    found = []
    for row in conn.execute(select(e.doc_id, e.idx, e.type, e.sources, e.targets, e.evidence)):
        sources = [_party(r) for r in row.sources or []]
        targets = [_party(r) for r in row.targets or []]
        kind = dyad_kind(sources, targets)
        if kind:
            found.append({"doc_id": row.doc_id, "idx": row.idx, "type": row.type, "kind": kind,
                          "same_actor": _same_actor(row.sources or [], row.targets or []),
                          "sides": (_described(row.sources or []), _described(row.targets or [])),
                          "source": "+".join(sorted(set(sources))), "target": "+".join(sorted(set(targets))),
                          "evidence": row.evidence})
    return found


def merged_self_dyads(conn: Any) -> list[dict[str, Any]]:
    """Merged events of a directed type whose source and target keys share a party, and
    whether any of their mentions had one (if none did, merging made it)."""
    m, em = merged_events.c, event_mentions.c
    found = []
    for row in conn.execute(select(m.id, m.type, m.source_key, m.target_key, m.evidence)
                            .where(m.type.not_in(sorted(SYMMETRIC_TYPES)))):
        kind = dyad_kind((row.source_key or "").split("+"), (row.target_key or "").split("+"))
        if not kind:
            continue
        mentions = conn.execute(select(em.source_key, em.target_key).where(em.merged_id == row.id)).all()
        inherited = any(dyad_kind((r.source_key or "").split("+"), (r.target_key or "").split("+"))
                        for r in mentions)
        found.append({"merged_id": row.id, "type": row.type, "kind": kind, "source": row.source_key,
                      "target": row.target_key, "evidence": row.evidence, "from_mentions": inherited})
    return found


def self_dyads(store: Any) -> dict[str, list[dict[str, Any]]]:
    with store.engine.connect() as conn:
        return {"events": event_self_dyads(conn), "merged": merged_self_dyads(conn)}
