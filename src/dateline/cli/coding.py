"""Commands of the coding area: ``dateline codebook`` prints the event patterns in use."""
from __future__ import annotations

from typing import Any, Optional

import typer

from dateline.cli import app
from dateline.cli.options import DB_OPTION
from dateline.cli.output import FORMAT_OPTION, Format, emit, error
from dateline.model import PLOVER_TYPES

COLUMNS = ("type", "cameo", "mode", "pattern", "id", "rationale")


def describe(entry: Any) -> str:
    """A pattern as an analyst reads it: 'call (on)', 'noun:strike with hunger'."""
    parts = [entry.lemma if entry.pos == "VERB" else f"{entry.pos.lower()}:{entry.lemma}"]
    if entry.pos == "RULE":
        parts = ["rule"]
    if entry.prt:
        parts.append(entry.prt)
    if entry.prep:
        parts.append(f"({entry.prep})")
    if entry.with_words:
        parts.append("with " + "|".join(sorted(entry.with_words)))
    if entry.gov:
        parts.append("after " + "|".join(sorted(entry.gov)))
    if entry.obj_actor:
        parts.append("+actor")
    if entry.obj_ent:
        parts.append("+" + "|".join(sorted(entry.obj_ent)))
    if entry.intent:
        parts.append("+intent")
    if entry.targets:
        parts.append("target: " + "|".join(entry.targets))
    return " ".join(parts)


def codebook_rows(event_type: str | None = None) -> list[dict[str, Any]]:
    from dateline.events.codebook import load_codebook

    order = {t: i for i, t in enumerate(PLOVER_TYPES)}
    entries = [e for e in load_codebook().entries if event_type is None or e.type == event_type]
    entries.sort(key=lambda e: (order.get(e.type, 99), e.pos == "RULE", e.id))
    return [{"type": e.type, "cameo": e.cameo, "mode": e.mode, "pattern": describe(e), "id": e.id,
             "rationale": e.rationale} for e in entries]


@app.command()
def codebook(
    event_type: Optional[str] = typer.Option(None, "--type", "-t", help="Only this PLOVER type (e.g. ASSAULT)"),
    fmt: Format = FORMAT_OPTION,
    db: Optional[str] = DB_OPTION,
) -> None:
    """Print the PLOVER types, modes, CAMEO roots and patterns the event coder uses."""
    wanted = event_type.upper() if event_type else None
    if wanted and wanted not in PLOVER_TYPES:
        error(f"--type: unknown PLOVER type {event_type!r} (one of {', '.join(PLOVER_TYPES)})")
        raise typer.Exit(2)
    rows = codebook_rows(wanted)
    emit(rows, fmt, columns=COLUMNS, title=f"Dateline codebook ({len(rows)} patterns)")
