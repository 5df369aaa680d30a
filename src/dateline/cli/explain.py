"""``dateline explain``: why the machine coded what it coded (or did not)."""
from __future__ import annotations

import json
from typing import Any

import typer

from dateline.cli import app
from dateline.cli.options import DB_OPTION
from dateline.cli.output import FORMAT_OPTION, Format, error


@app.command("explain")
def explain_command(
    doc_id: str | None = typer.Argument(None, help="Stored document id (as `dateline list` shows)"),
    event: int | None = typer.Option(None, "--event", "-e", min=0, help="Only this event (its index in the document)"),
    text: str | None = typer.Option(None, "--text", help="Explain this text instead of a stored document"),
    date: str | None = typer.Option(None, "--date", help="With --text: the article date the text is read at"),
    config: str | None = typer.Option(None, "--config", help="A TOML file merged over the default configuration"),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Which pattern and trigger coded each event, how each side, the date and the place were
    found, the parts of its confidence, its merged event and why the document is in its
    story; with --text, also every trigger seen in a sentence and why it was dropped."""
    from dateline.cli.checks import open_store, usage_error
    from dateline.stories import explain

    if (doc_id is None) == (text is None):
        raise usage_error("give a DOC_ID or --text \"...\" (one of them)")
    if text is not None:
        answer = explain.explain_text(text, date, config)
    else:
        store = open_store(db, read_only=True)
        try:
            answer = explain.explain_document(store, doc_id, event, config)
        except LookupError as exc:
            error(str(exc))
            raise typer.Exit(1) from None
    if fmt.value in ("json", "jsonl"):
        typer.echo(json.dumps(answer, ensure_ascii=False, indent=None if fmt.value == "jsonl" else 2))
    else:
        typer.echo(render(answer))


def render(answer: dict[str, Any]) -> str:
    """The explanation as text for a person."""
    lines: list[str] = []
    if answer.get("doc_id"):
        lines.append(f"{answer['doc_id']}  {answer.get('title') or ''}  ({answer.get('anchor_date') or 'undated'})")
        story = answer.get("story")
        if story:
            lines.append(f"story {story['story_id']} ({story['articles']} articles): {story['why']}")
    for ev in answer["events"]:
        lines.append("")
        lines.append(f"event {ev['event']} ({ev['event_id']}): {ev['type']}"
                     f"{' / ' + ev['mode'] if ev.get('mode') else ''}  \"{_flat(ev['evidence'])}\"")
        lines.append(f"  pattern {ev['pattern']} on trigger {ev['trigger']!r}"
                     f"{' — ' + ev['rationale'] if ev.get('rationale') else ''}")
        for side in ("source", "target"):
            for actor in ev[side]:
                lines.append(f"  {side}: {actor['name']} [{actor['country'] or '-'}/{actor['sector'] or '-'}] "
                             f"— {actor['found']}; {actor['canonical']}")
            if not ev[side]:
                lines.append(f"  {side}: none found")
        lines.append(f"  date: {ev['date']}")
        lines.append(f"  place: {ev['place']}")
        lines.append(f"  factuality: {ev['factuality']}{', background' if ev.get('background') else ''}")
        conf = ev["confidence"]
        if conf.get("parts"):
            parts = " ".join(f"{p['weight']:+.2f} ({p['what']})" for p in conf["parts"])
            lines.append(f"  confidence {conf['calibrated']}: raw {conf['raw']:.2f} = {parts}; then calibrated")
        for change in ev.get("changed", []):
            lines.append(f"  changed: {change}")
        merged = ev.get("merged")
        if merged:
            lines.append(f"  merged event {merged['merged_id']} ({merged['mentions']} mentions): {merged['why']}")
    for item in answer.get("dropped", []):
        lines.append(f"dropped: {item['type'] or ''} trigger {item['trigger']!r} ({item['pattern']}) in "
                     f"\"{_flat(item['sentence'] or '')[:90]}\": {item['reason']}")
    for sentence in answer.get("sentences", []):
        if sentence["note"]:
            lines.append(f"no event: \"{sentence['sentence'][:90]}\": {sentence['note']}")
    return "\n".join(lines)


def _flat(text: str) -> str:
    return " ".join(text.split())
