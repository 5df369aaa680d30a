"""Why the machine coded what it coded: ``dateline explain`` and ``GET /api/.../explain``.

``explain_document(store, doc_id, event=None)`` -> for each event of a stored document: the
codebook pattern and trigger that coded it (with the entry's rationale), how each side
was found (the argument rule: a named subject/object, a pronoun, "both sides", the place),
why this canonical actor (its code, sector, kind), where the date and the place come from,
the parts its confidence is made of, which merged event it belongs to and how alike its
evidence was; for the document, why it is in its story; and every trigger the coder saw
and dropped, with the reason.

``explain_text(text)`` -> the same for a sentence or paragraph typed in, so an analyst can
see, for a sentence with no event, which triggers were seen and why each was dropped.

The trace comes from re-running the event coder on the stored text (``code_events(...,
trace=[])``), with the nlp stages before it; the stored events are the ones explained.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dateline.model import Article, Document, Event

HOW_WORDS = {
    "explicit": "named in the clause (subject, object or a prepositional phrase of the trigger)",
    "pronoun": "a pronoun resolved to its speaker or antecedent",
    "dyad": "'both sides' / 'the two' read as the article's two main parties",
    "place": "the place where it happened (unattributed violence or protest is coded to its country)",
    "text": "words of the text with no actor behind them",
}


# -- running the coder with a trace ---------------------------------------------------------


def trace_text(text: str, anchor_date: str | None = None, dateline: str | None = None,
               config_path: str | None = None) -> tuple[Any, list[Event], list[dict[str, Any]]]:
    """(spaCy Doc, events, trace) of ``text`` through the nlp stages and a tracing event coder."""
    from dateline import nlp as nlp_stage
    from dateline.events.coder import code_events

    nlp = nlp_stage.load(config_path)
    doc = nlp.make_doc(text)
    doc._.anchor_date = anchor_date
    doc._.dateline = dateline
    coder = None
    for name, component in nlp.pipeline:
        if name == "dateline_events":
            coder = component
            continue
        doc = component(doc)
    trace: list[dict[str, Any]] = []
    if coder is None:
        return doc, [], trace
    events = code_events(doc, coder.codebook, coder.intent_events, trace=trace)
    return doc, [e for e in events if e.confidence >= coder.min_confidence], trace


def _sentence_text(text: str, item: dict[str, Any]) -> str | None:
    span = item.get("sentence")
    return text[span[0]:span[1]] if span else None


# -- the parts of an explanation --------------------------------------------------------------


def confidence_parts(item: dict[str, Any] | None, event: Event) -> dict[str, Any]:
    """The weights (data/events/weights.json) that add up to the event's raw score, the
    sentence-level adjustments, and the calibrated value stored."""
    from dateline.events.scoring import weights

    if item is None:
        return {"stored": event.confidence, "parts": None, "note": "no trace: the coder today codes this differently"}
    w = weights()
    parts = [(f"trigger kind '{item.get('via')}'", w["base"].get(item.get("via"), w["base_default"]))]
    if item.get("specific"):
        parts.append(("specific codebook entry (needs its object words)", w["specific_entry"]))
    if item.get("source_how"):
        parts.append((f"source found: {item['source_how']}", w["source"][item["source_how"]]))
    if item.get("target_how"):
        parts.append((f"target found: {item['target_how']}", w["target"][item["target_how"]]))
    if item.get("background"):
        parts.append(("background clause", w["background_clause"]))
    if item.get("derived"):
        parts.append(("derived (an intent read off a future act)", w["derived"]))
    if event.factuality == "future":
        parts.append(("future act", w["future"]))
    if not (event.source and event.target):
        parts.append(("one side missing", w["one_side"]))
    if item.get("others"):
        parts.append((f"{item['others']} other event(s) in the sentence", w["per_other_event_in_sentence"] * item["others"]))
    return {"parts": [{"what": what, "weight": round(weight, 3)} for what, weight in parts],
            "raw": round(sum(weight for _, weight in parts), 3),
            "bounds": [w["floor"], w["ceiling"]],
            "calibrated": event.confidence,
            "note": "raw = the sum, kept within the bounds, then mapped through data/events/calibration.tsv"}


def actor_reasons(doc: Document, refs: list[Any], how: str | None) -> list[dict[str, Any]]:
    out = []
    for ref in refs:
        actor = doc.actors.get(ref.actor) if ref.actor else None
        why = HOW_WORDS.get(how or "", how) if how else "filled from the event's place or the article's dyad"
        canonical = None
        if actor is not None:
            canonical = (f"actor '{actor.name}' ({actor.kind}"
                         + (f", country {actor.country}" if actor.country else "")
                         + (f", code {actor.code}" if actor.code else "")
                         + (f", sector {actor.sector}" if actor.sector else "")
                         + (f", title {actor.title!r}" if actor.title else "") + ")")
        out.append({"name": ref.name, "country": ref.country, "sector": ref.sector, "mention": ref.mention,
                    "found": why, "canonical": canonical or "no entry in the document's actor table"})
    return out


def date_reason(event: Event, article: Article) -> str:
    if not event.date:
        return "no date: a background event with no time expression of its own"
    if event.date_text == "the same day":
        return f"{event.date}: 'the same day' as the event before it in the text"
    if event.date_text:
        return f"{event.date}: the time expression {event.date_text!r} in the event's own clause"
    return (f"{event.date}: no time expression in its clause, so the day the article is about (the "
            f"latest dated event near its date), else the article's date ({article.anchor_date})")


def place_reason(event: Event, article: Article) -> str:
    if event.place is None:
        return "no place: none named in its clause and no dateline"
    name = f"{event.place.name}" + (f" ({event.place.country})" if event.place.country else "")
    if article.dateline and event.place.name and event.place.name.lower() in article.dateline.lower():
        return f"{name}: the article's dateline (no place named in the event's clause)"
    return f"{name}: named in the event's clause (the geo stage's gazetteer match)"


def story_reason(conn: Any, doc_id: str) -> dict[str, Any] | None:
    from dateline.stories.schema import stories, story_documents

    sd = story_documents.c
    row = conn.execute(select(sd.story_id, sd.link_reason, sd.link_score, sd.link_detail, sd.exact_of,
                              sd.similarity).where(sd.doc_id == doc_id)).first()
    if row is None:
        return None
    title = conn.execute(select(stories.c.title, stories.c.articles).where(stories.c.id == row.story_id)).first()
    if row.link_reason:
        why = row.link_detail or row.link_reason
    elif title and (title.articles or 1) > 1:
        why = "the story's first article: the others joined it"
    else:
        why = "a story of its own: no other article reports its events, repeats it or names its people and places"
    return {"story_id": row.story_id, "title": title.title if title else None,
            "articles": title.articles if title else 1, "reason": row.link_reason, "score": row.link_score,
            "why": why}


def merged_reason(conn: Any, doc_id: str, idx: int) -> dict[str, Any] | None:
    from dateline.stories.schema import event_mentions, merged_events

    e, m = event_mentions.c, merged_events.c
    row = conn.execute(select(e.merged_id, e.similarity).where(e.doc_id == doc_id, e.idx == idx)).first()
    if row is None:
        return None
    merged = conn.execute(select(m.type, m.mentions, m.articles, m.sources, m.doc_id)
                          .where(m.id == row.merged_id)).first()
    if merged is None:
        return None
    alone = merged.mentions <= 1
    return {"merged_id": row.merged_id, "type": merged.type, "mentions": merged.mentions,
            "articles": merged.articles, "outlets": merged.sources,
            "why": "reported by no other article (no same-type event with these parties, compatible dates, "
                   "place and like evidence)" if alone else
                   f"one happening with {merged.mentions - 1} other report(s): same type family and parties, "
                   f"dates that agree, evidence {row.similarity:.0f}/100 alike"}


# -- whole explanations ----------------------------------------------------------------------


def _match(trace: list[dict[str, Any]], event: Event) -> dict[str, Any] | None:
    coded = [t for t in trace if t["verdict"] == "coded"]
    return next((t for t in coded if t.get("start") == event.start and t.get("type") == event.type),
                next((t for t in coded if t.get("start") == event.start), None))


def explain_event(doc: Document, idx: int, event: Event, trace: list[dict[str, Any]], conn: Any = None) -> dict[str, Any]:
    item = _match(trace, event)
    art = doc.article
    out: dict[str, Any] = {
        "event": idx, "event_id": f"{doc.id}-{idx}", "type": event.type, "mode": event.mode, "cameo": event.cameo,
        "evidence": event.evidence,
        "trigger": event.trigger, "pattern": event.pattern,
        "rationale": item.get("rationale") if item else None,
        "argument_rule": {"via": item.get("via") if item else None,
                          "source": HOW_WORDS.get(item.get("source_how") or "", None) if item else None,
                          "target": HOW_WORDS.get(item.get("target_how") or "", None) if item else None},
        "source": actor_reasons(doc, event.source, item.get("source_how") if item else None),
        "target": actor_reasons(doc, event.target, item.get("target_how") if item else None),
        "date": date_reason(event, art), "place": place_reason(event, art),
        "factuality": event.factuality, "background": event.background,
        "confidence": confidence_parts(item, event),
    }
    changes = [t["reason"] for t in trace if t["verdict"] == "changed" and item and t.get("pattern") == item.get("pattern")
               and t.get("sentence") == item.get("sentence")]
    if changes:
        out["changed"] = changes
    if conn is not None:
        out["merged"] = merged_reason(conn, doc.id, idx)
    return out


def dropped(trace: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    return [{"sentence": _sentence_text(text, t), "trigger": t.get("trigger"), "pattern": t.get("pattern"),
             "type": t.get("type"), "reason": t["reason"]} for t in trace if t["verdict"] == "dropped"]


def explain_document(store: Any, doc_id: str, event: int | None = None,
                     config_path: str | None = None) -> dict[str, Any]:
    """The explanation of a stored document (one event of it with ``event``); LookupError
    when the document or the event is not there."""
    doc = store.get(doc_id)
    if doc is None:
        raise LookupError(f"document {doc_id}: not in the store")
    if event is not None and not 0 <= event < len(doc.events):
        raise LookupError(f"document {doc.id} has {len(doc.events)} events (0..{len(doc.events) - 1}); no event {event}")
    art = doc.article
    _, _, trace = trace_text(art.text, art.anchor_date, art.dateline, config_path) if doc.events or doc.actors \
        else (None, [], [])
    chosen = [event] if event is not None else range(len(doc.events))
    with store.engine.connect() as conn:
        events = [explain_event(doc, i, doc.events[i], trace, conn) for i in chosen]
        story = story_reason(conn, doc.id)
    answer: dict[str, Any] = {"doc_id": doc.id, "title": art.title, "anchor_date": art.anchor_date,
                              "story": story, "events": events}
    if event is None:
        answer["dropped"] = dropped(trace, art.text)
    return answer


def explain_text(text: str, anchor_date: str | None = None, config_path: str | None = None) -> dict[str, Any]:
    """Events a text gives, why each, and every trigger seen and dropped, with the reason."""
    doc = Document(doc="explain", article=Article(body=[text], published=anchor_date))
    spacy_doc, events, trace = trace_text(doc.article.text, anchor_date, None, config_path)
    doc.events, doc.actors = events, dict(spacy_doc._.actors or {})

    coded = [explain_event(doc, i, e, trace) for i, e in enumerate(events)]
    answer = {"text": text, "events": coded, "dropped": dropped(trace, doc.article.text),
              "sentences": _sentences(spacy_doc, trace)}
    return answer


def _sentences(spacy_doc: Any, trace: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per sentence: events coded, triggers dropped, or that no trigger word was there."""
    out = []
    for sent in spacy_doc.sents:
        mine = [t for t in trace if t.get("sentence") == [sent.start_char, sent.end_char]]
        coded = sum(t["verdict"] == "coded" for t in mine)
        gone = sum(t["verdict"] == "dropped" for t in mine)
        note = None if mine else "no trigger word of the codebook (data/events/codebook.jsonl)"
        out.append({"sentence": sent.text, "coded": coded, "dropped": gone, "note": note})
    return out
