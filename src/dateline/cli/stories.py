"""Commands of the stories area: ``timeline``, ``negotiations``, ``stories``."""
from __future__ import annotations

import typer

from dateline.cli import app
from dateline.cli.options import CONFIG_OPTION, DB_OPTION
from dateline.cli.output import FORMAT_OPTION, Format, emit, error, info

TIMELINE_COLUMNS = ["date", "type", "source", "target", "place", "mentions", "sources", "articles", "issues",
                    "evidence", "outlets"]


@app.command()
def timeline(
    actor: list[str] = typer.Option([], "--actor", "-a", help="A party of the event (repeat: all must take part)"),
    event_type: list[str] = typer.Option([], "--type", "-t", help="PLOVER type (repeat for several)"),
    date_from: str | None = typer.Option(None, "--from", help="First day, month or year (ISO)"),
    date_to: str | None = typer.Option(None, "--to", help="Last day, month or year (ISO)"),
    limit: int = typer.Option(1000, help="At most this many events"),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Merged events in date order, with their best evidence and sources."""
    from dateline.cli.checks import check_limit, check_range, open_store
    from dateline.model import PLOVER_TYPES
    from dateline.stories import queries

    date_from, date_to = check_range(date_from, date_to)
    check_limit(limit)
    unknown = [t for t in event_type if t.upper() not in PLOVER_TYPES]
    if unknown:
        error(f"unknown event type(s): {', '.join(unknown)} (PLOVER types: {', '.join(PLOVER_TYPES)})")
        raise typer.Exit(2)
    from dateline.store.reviews import apply_to_timeline

    store = open_store(db, read_only=True)
    rows = queries.timeline(store, actors=[a.upper() if len(a) == 3 else a for a in actor],
                            types=event_type, date_from=date_from, date_to=date_to, limit=limit)
    with store.engine.connect() as conn:
        rows = apply_to_timeline(conn, rows)
    emit(rows, fmt, TIMELINE_COLUMNS, title="Timeline" if fmt is Format.table else None)


@app.command()
def negotiations(
    parties: list[str] = typer.Argument(..., help="Country codes of the parties, e.g. RUS UKR"),
    mediator: list[str] = typer.Option([], "--mediator", "-m", help="A mediator to include (others are found)"),
    issue: list[str] = typer.Option([], "--issue", "-i", help="Only these issue labels (e.g. territory)"),
    date_from: str | None = typer.Option(None, "--from", help="First day, month or year (ISO)"),
    date_to: str | None = typer.Option(None, "--to", help="Last day, month or year (ISO)"),
    db: str | None = DB_OPTION,
    config: str | None = CONFIG_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Each party's stance per issue over time: demands, offers, rejections, agreements."""
    from dateline.cli.checks import check_range, open_store, usage_error
    from dateline.settings import load_settings
    from dateline.stories import queries
    from dateline.stories.cues import issue_titles

    date_from, date_to = check_range(date_from, date_to)
    settings = load_settings(config)  # its [stories] issues_file adds the user's issues
    known = issue_titles(settings.stories.issues_file)
    unknown = [i for i in issue if i not in known]
    if unknown:
        raise usage_error(f"--issue: unknown issue(s) {', '.join(unknown)} (one of {', '.join(sorted(known))})")
    result = queries.negotiations(open_store(db, read_only=True, settings=settings), parties=list(parties),
                                  mediators=[m.upper() for m in mediator],
                                  issues=list(issue) or None, date_from=date_from, date_to=date_to)
    if fmt is Format.json:
        emit(result, fmt)
        return
    title = f"Negotiations: {' / '.join(result['parties'])}"
    if result["mediators"]:
        title += f" (mediators: {', '.join(result['mediators'])})"
    emit(queries.negotiation_rows(result), fmt,
         ["issue", "agreed", "party", "role", "stance", "since", "history", "sources", "evidence"],
         title=title if fmt is Format.table else None)


@app.command("stories")
def stories_command(
    doc_id: str | None = typer.Argument(None, help="A document id: show its story and related articles"),
    limit: int = typer.Option(50, help="At most this many stories"),
    min_articles: int = typer.Option(1, "--min-articles", help="Only stories with at least this many articles"),
    rebuild: bool = typer.Option(False, "--rebuild", help="Recompute stories, merged events and positions "
                                 "from the stored documents (e.g. after editing the issue cues)"),
    db: str | None = DB_OPTION,
    config: str | None = CONFIG_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Story clusters (near-duplicates and reports of the same events), newest first."""
    from dateline.cli.checks import check_limit, open_store
    from dateline.settings import load_settings
    from dateline.stories import queries
    from dateline.stories import rebuild as rebuild_all

    check_limit(limit)
    store = open_store(db, read_only=True, settings=load_settings(config))  # --rebuild files with its issues
    if rebuild:
        info(f"rebuilt the stories tables from {rebuild_all(store)} documents")
    if doc_id is None:
        emit(queries.list_stories(store, limit=limit, min_articles=min_articles), fmt,
             ["id", "title", "articles", "outlets", "first_date", "last_date", "canonical_doc_id"])
        return
    document = store.get(doc_id)
    story = queries.story_of(store, document.id) if document else None
    if story is None:
        error(f"no document {doc_id!r} with a story in the store")
        raise typer.Exit(1)
    if fmt is Format.table:
        emit(story["documents"], fmt, ["doc_id", "title", "outlet", "anchor_date", "canonical", "dup_group",
                                       "exact_of", "similarity"], title=f"Story {story['id']}: {story.get('title')}")
    else:
        emit(dict(story, related=queries.related_documents(store, document.id)), fmt)
