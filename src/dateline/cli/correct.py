"""``dateline correct``: analysts' corrections of stories and negotiation positions.

Stored apart from the machine's output (``dateline.stories.corrections``), re-applied after
every refiling, undone by deleting them."""
from __future__ import annotations

from typing import Any

import typer

from dateline.cli import app
from dateline.cli.options import CONFIG_OPTION, DB_OPTION
from dateline.cli.output import FORMAT_OPTION, Format, emit, error

correct_app = typer.Typer(help="Correct stories, merged events and negotiation positions (kept apart, undoable).")
app.add_typer(correct_app, name="correct")

COLUMNS = ["id", "kind", "detail", "author", "created"]
AUTHOR_OPTION = typer.Option(None, "--by", help="Who makes the correction")


def _store(db: str | None, config: str | None = None) -> Any:
    from dateline.settings import load_settings
    from dateline.store import Store

    return Store(db, settings=load_settings(config))


def _canonical_doc(store: Any, story_id: str) -> str:
    from sqlalchemy import select

    from dateline.stories.schema import story_documents as sd

    with store.engine.connect() as conn:
        doc = conn.execute(select(sd.c.doc_id).where(sd.c.story_id == story_id).order_by(sd.c.seq)).scalar()
    if doc is None:
        error(f"story {story_id}: no such story")
        raise typer.Exit(1)
    return doc


def _add(store: Any, kind: str, detail: dict[str, Any], author: str | None, fmt: Format) -> None:
    from dateline.stories import corrections

    emit([corrections.add(store, kind, detail, author)], fmt, COLUMNS)


@correct_app.command("merge-stories")
def merge_stories(keep: str = typer.Argument(..., help="Story id that stays"),
                  other: str = typer.Argument(..., help="Story id whose articles join it"),
                  by: str | None = AUTHOR_OPTION, db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """Put every article of story OTHER into story KEEP."""
    store = _store(db)
    _add(store, "merge-stories", {"docs": [_canonical_doc(store, keep), _canonical_doc(store, other)]}, by, fmt)


@correct_app.command("split-story")
def split_story(doc_id: str = typer.Argument(..., help="Document to take out of its story"),
                by: str | None = AUTHOR_OPTION, db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """Give a document a story of its own."""
    store = _store(db)
    if not store.has(doc_id):
        error(f"document {doc_id}: not in the store")
        raise typer.Exit(1)
    _add(store, "split-story", {"docs": [doc_id]}, by, fmt)


@correct_app.command("move-position")
def move_position(position_id: int = typer.Argument(..., help="Position id (as the negotiations output shows)"),
                  party: str = typer.Argument(..., help="The party that really holds it"),
                  by: str | None = AUTHOR_OPTION, db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """Give a negotiation position to the other party."""
    from dateline.stories import corrections

    store = _store(db)
    key = corrections.position_key(store, position_id)
    if key is None:
        error(f"position {position_id}: no such position")
        raise typer.Exit(1)
    _add(store, "move-position", {**key, "to": party.upper() if len(party) == 3 else party}, by, fmt)


def _resolved(store: Any, kind: str, **named: Any) -> dict[str, Any]:
    from dateline.stories import corrections

    try:
        return corrections.resolve(store, kind, **named)
    except LookupError as exc:
        error(str(exc))
        raise typer.Exit(1) from None


@correct_app.command("merge-events")
def merge_events(keep: str = typer.Argument(..., help="Event id (<doc>-<idx>) whose merged event stays"),
                 other: str = typer.Argument(..., help="Event id whose merged event joins it"),
                 by: str | None = AUTHOR_OPTION, db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """One happening: every report of OTHER's merged event joins KEEP's."""
    store = _store(db)
    _add(store, "merge-events", _resolved(store, "merge-events", event=keep, other_event=other), by, fmt)


@correct_app.command("split-event")
def split_event(event_id: str = typer.Argument(..., help="Event id (<doc>-<idx>) to take out of its merged event"),
                by: str | None = AUTHOR_OPTION, db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """Another happening: the event leaves its merged event for one of its own."""
    store = _store(db)
    _add(store, "split-event", _resolved(store, "split-event", event=event_id), by, fmt)


@correct_app.command("list")
def list_corrections(db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """Every stored correction, oldest first."""
    from dateline.stories import corrections

    emit(corrections.list_all(_store(db)), fmt, COLUMNS)


@correct_app.command("undo")
def undo(correction_id: int = typer.Argument(..., help="Correction id (see `dateline correct list`)"),
         db: str | None = DB_OPTION, config: str | None = CONFIG_OPTION) -> None:
    """Delete a correction; its documents are refiled as the machine placed them."""
    from dateline.stories import corrections

    # Undoing refiles every document: with the config's issue file, as ingest filed them.
    if not corrections.undo(_store(db, config), correction_id):
        error(f"correction {correction_id}: no such correction")
        raise typer.Exit(1)
