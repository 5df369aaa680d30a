"""The analyst's workbench on the command line: ``aggregate`` and ``review``."""
from __future__ import annotations

import csv
import getpass
import io
import sys
from enum import Enum
from pathlib import Path

import typer

from dateline.cli import app
from dateline.cli.options import DB_OPTION
from dateline.cli.output import Format, emit, info


class AggregateFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class By(str, Enum):
    country = "country"
    dyad = "dyad"
    type = "type"
    quad = "quad"


class Per(str, Enum):
    day = "day"
    week = "week"
    month = "month"


@app.command()
def aggregate(
    by: By = typer.Option(By.dyad, "--by", help="Group by country, dyad, PLOVER type or quad class"),
    per: Per = typer.Option(Per.month, "--per", help="Period: day, week (ISO) or month"),
    date_from: str | None = typer.Option(None, "--from", help="First day, month or year (ISO)"),
    date_to: str | None = typer.Option(None, "--to", help="Last day, month or year (ISO)"),
    country: str | None = typer.Option(None, "--country", "-c", help="Only events with this party (ISO alpha-3)"),
    dyad: str | None = typer.Option(None, "--dyad", help="Only this dyad, e.g. PER-CHL (with --by dyad)"),
    event_type: list[str] = typer.Option([], "--type", "-t", help="PLOVER type (repeat for several)"),
    top: int | None = typer.Option(None, "--top", help="Only the N groups with the most events"),
    out: Path | None = typer.Option(None, "--out", "-o", help="File to write (parquet needs one)"),
    db: str | None = DB_OPTION,
    fmt: AggregateFormat = typer.Option(AggregateFormat.table, "--format", "-f",
                                        help="table, json, jsonl, csv or parquet"),
) -> None:
    """Merged-event counts per period and group, with mentions, quad classes, a
    cooperation-conflict score and the period's article volume beside them."""
    from dateline.api import aggregates
    from dateline.cli.checks import check_limit, check_range, open_store, usage_error
    from dateline.model import PLOVER_TYPES

    date_from, date_to = check_range(date_from, date_to)
    if top is not None:
        check_limit(top, "--top")
    types = [t.upper() for t in event_type]
    unknown = [t for t in types if t not in PLOVER_TYPES]
    if unknown:
        raise usage_error(f"--type: unknown PLOVER type(s) {', '.join(unknown)} (one of {', '.join(PLOVER_TYPES)})")
    if country and (len(country) != 3 or not country.isalpha()):
        raise usage_error(f"--country {country!r}: an ISO 3166 alpha-3 code, e.g. PER")
    if dyad and (len(dyad) != 7 or dyad[3] != "-" or not dyad.replace("-", "").isalpha()):
        raise usage_error(f"--dyad {dyad!r}: two alpha-3 codes, e.g. PER-CHL")
    if fmt is AggregateFormat.parquet and out is None:
        raise usage_error("--format parquet: give --out FILE")
    store = open_store(db, read_only=True)
    with store.engine.connect() as conn:
        rows = aggregates.aggregate(conn, by.value, per.value, date_from, date_to,
                                    country.upper() if country else None, dyad, types or None, top)
    _write(rows, fmt, out, aggregates.COLUMNS)
    info(f"{len(rows)} rows ({by.value} per {per.value})" + (f" written to {out}" if out else ""))


def _write(rows: list[dict], fmt: AggregateFormat, out: Path | None, columns: list[str]) -> None:
    if fmt is AggregateFormat.parquet:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = (pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows]) if rows
                 else pa.table({c: pa.array([], pa.string()) for c in columns}))
        pq.write_table(table, str(out))
        return
    if fmt is AggregateFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    else:
        if out is None:
            emit(rows, Format(fmt.value), columns)
            return
        import json

        text = (json.dumps(rows, indent=1) + "\n" if fmt is AggregateFormat.json
                else "".join(json.dumps(r) + "\n" for r in rows))
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


class Action(str, Enum):
    confirm = "confirm"
    reject = "reject"
    edit = "edit"
    undo = "undo"
    show = "show"


@app.command()
def review(
    event_id: str | None = typer.Argument(None, help="Event id <document id>-<index> (export's event_id); "
                                          "none: the review queue"),
    action: Action = typer.Argument(Action.show, help="confirm, reject, edit, undo, or show (default)"),
    set_: list[str] = typer.Option([], "--set", "-s", help="edit: FIELD=VALUE (repeat), e.g. type=ACCUSE"),
    note: str | None = typer.Option(None, "--note", help="Why (kept with the review)"),
    reviewer: str | None = typer.Option(None, "--reviewer", help="Who reviews (default: your user name)"),
    limit: int = typer.Option(20, help="Queue: at most this many events"),
    db: str | None = DB_OPTION,
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, json or jsonl"),
) -> None:
    """Confirm, reject or edit a coded event, undo a review, or list the review queue.

    Reviews are stored apart from the machine's coding (with who and when), survive
    re-ingest and `stories --rebuild`, and apply to aggregates, the map and exports."""
    from dateline.cli.checks import check_limit, open_store, usage_error
    from dateline.store import reviews

    store = open_store(db, read_only=True)
    if event_id is None:
        check_limit(limit)
        with store.engine.connect() as conn:
            emit(reviews.queue(conn, limit), fmt, ["event_id", "confidence", "type", "source_country",
                                                   "target_country", "date", "place_name", "evidence"])
        return
    if set_ and action is not Action.edit:
        raise usage_error("--set goes with the edit action")
    changes = {}
    for item in set_:
        field, sep, value = item.partition("=")
        if not sep:
            raise usage_error(f"--set {item!r}: expected FIELD=VALUE")
        changes[field.strip()] = value.strip() or None
    try:
        with store.engine.begin() as conn:
            if not reviews.event_exists(conn, event_id):
                error_exit = f"no event {event_id!r} in the store"
                raise LookupError(error_exit)
            if action is Action.show:
                emit({"event_id": event_id, "review": reviews.current(conn, event_id),
                      "history": reviews.history(conn, event_id)}, fmt if fmt is not Format.table else Format.json)
                return
            if action is Action.undo:
                result = reviews.undo(conn, event_id)
            else:
                result = reviews.add_review(conn, event_id, action.value, reviewer or getpass.getuser(),
                                            changes, note)
    except reviews.ReviewError as exc:
        raise usage_error(str(exc)) from None
    except LookupError as exc:
        from dateline.cli.output import error

        error(str(exc))
        raise typer.Exit(1) from None
    status = result["status"] if result else "not reviewed"
    info(f"{event_id}: {status}")
    if fmt is not Format.table:
        emit({"event_id": event_id, "review": result}, fmt)
