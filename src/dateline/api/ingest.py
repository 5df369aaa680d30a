"""``POST /api/documents``: a posted page (text or HTML) through the pipeline into the store.

Posts are analysed and stored one at a time, by one writer: a spaCy pipeline is not meant
to be shared by threads, and the store sees one writer. ``dateline serve`` runs that writer
in a child process (``Ingestor.preload``): the model, the analysis and the store writes
then never hold the server's GIL, so reads go on at full speed on the other core while a
page is analysed (in-process, a post's ~75 ms of CPU stalled every read thread). Without
``preload`` (tests, scripts) the pipeline is loaded in this process on the first post.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile

from dateline.model import Document, Failure, Record
from dateline.store.clean import clean_text

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MAX_QUEUED = 32             # posts waiting for the one analysis thread before 503
FORM_OVERHEAD = 64 * 1024   # multipart boundaries and the small fields beside the page
FORM_FIELDS = ("file", "text", "html", "content", "url", "source", "title", "date", "replace")
TRUE_WORDS, FALSE_WORDS = ("true", "1", "yes"), ("false", "0", "no", "")

REQUEST_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {
                "type": "object",
                "properties": {
                    "text": {"type": "string", "description": "a plain-text capture of a news page"},
                    "html": {"type": "string", "description": "an HTML news page"},
                    "url": {"type": "string"}, "source": {"type": "string", "description": "a name for the input"},
                    "title": {"type": "string"}, "date": {"type": "string"},
                    "replace": {"type": "boolean", "description": "overwrite a stored copy of this page "
                                "(its title, date, outlet, authors, source); by default a re-post keeps it"},
                },
            }},
            "multipart/form-data": {"schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}, "text": {"type": "string"},
                               "html": {"type": "string"}, "url": {"type": "string"}},
            }},
        },
    }
}


@dataclass
class Posted:
    content: str
    kind: str | None       # "html" | "text" | None (guess from the content)
    source: str
    url: str | None = None
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    replace: bool = False  # overwrite the stored copy of this page (else a re-post keeps it)


class Ingestor:
    """Analyses and stores posted pages one at a time.

    The work runs on one dedicated thread: posts queue there instead of holding the
    server's shared worker threads, so reads stay quick while pages are being analysed,
    and the store sees one writer. After ``preload`` that thread hands each page to the
    analysis process (``AnalysisProcess``) and waits for it without holding the GIL.
    """

    def __init__(self, store: Any, settings: Any = None):
        self.store = store
        self.settings = settings  # a dateline.settings.Settings (or a config path; None: the defaults)
        self._pipeline: Any = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dateline-ingest")
        # Run on the ingest thread after each commit, e.g. the reader's search index: one
        # writer brings it up to date instead of requests racing each other.
        self.after_commit: list[Any] = []
        self._queued = 0  # posts waiting or running (changed on the event loop only)
        self._process: Any = None  # the AnalysisProcess once ``preload`` started it

    async def ingest(self, record: Record, replace: bool = True) -> tuple[Document | Failure, bool]:
        """(the document or the failure, whether it was new); waits without blocking the server.
        With ``replace`` false, a page already stored is left as it is and its stored copy
        returned. 503 + Retry-After when ``MAX_QUEUED`` posts already wait: the queue stays bounded."""
        if self._queued >= MAX_QUEUED:
            raise HTTPException(503, "too many pages waiting to be analysed; try again shortly",
                                headers={"Retry-After": "5"})
        self._queued += 1
        try:
            return await asyncio.wrap_future(self._worker.submit(self._ingest, record, replace))
        finally:
            self._queued -= 1

    def _ingest(self, record: Record, replace: bool = True) -> tuple[Document | Failure, bool]:
        if self._process is not None:
            result, created = self._process.ingest(record, replace)
        else:
            result, created = self._analyse_and_store(record, replace)
        if created is not None:
            for hook in self.after_commit:
                try:
                    hook(result, created)
                except Exception:  # noqa: BLE001 - the document is stored; a stale index repairs itself
                    logging.getLogger(__name__).exception("after-commit hook failed")
        return result, bool(created)

    def _analyse_and_store(self, record: Record, replace: bool) -> tuple[Document | Failure, bool | None]:
        """(result, whether new; None when nothing was written)."""
        result = self.run(record)
        from dateline.api.writer import store_result

        return store_result(self.store, result, replace)

    def preload(self) -> None:
        """Start the analysis process and load its pipeline (the spaCy model) in it now,
        in the background: reads are served at once, the first post waits for the model
        (the start runs first on the ingest thread) instead of loading it then."""
        from dateline.api.writer import AnalysisProcess, log_start_failure

        self._process = AnalysisProcess(self.store.url, self.settings)
        self._worker.submit(self._process.start).add_done_callback(log_start_failure)

    def close(self) -> None:
        if self._process is not None:
            self._process.close()

    def _load(self) -> Any:
        if self._pipeline is None:
            from dateline.pipeline import Pipeline

            pipeline = Pipeline(self.settings)
            pipeline.nlp  # noqa: B018 - loading the model is the point
            self._pipeline = pipeline
        return self._pipeline

    def run(self, record: Record) -> Document | Failure:
        self._load()
        results = self._pipeline.run_batch([record])
        if not results:
            return Failure(record.source, "nothing could be extracted", stage="extract")
        return results[0]


async def read_posted(request: Request, max_bytes: int) -> Posted:
    """The posted page from a JSON body or a form (field or file); 4xx with the reason otherwise.
    ``replace`` comes from the body's field or the ``?replace=`` query parameter."""
    cap = max_bytes + FORM_OVERHEAD
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise HTTPException(413, f"request too large: at most {max_bytes} bytes of page content")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in ("application/json", "multipart/form-data", "application/x-www-form-urlencoded",
                     "text/plain", "text/html"):
        raise HTTPException(415, "send JSON ({\"text\": ...} or {\"html\": ...}), a form with a file, "
                                 "or text/plain or text/html")
    raw = await read_body(request, cap)
    if ctype == "application/json":
        fields = _json_fields(raw)
    elif ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        fields = await _form_fields(request, max_bytes)
    else:
        kind = "text" if ctype == "text/plain" else "html"
        fields = {kind: _decode(raw, kind)}
    if "replace" in request.query_params:
        fields.setdefault("replace", request.query_params["replace"])
    return _posted({k: clean_text(v) if isinstance(v, str) else v for k, v in fields.items()}, max_bytes)


async def read_body(request: Request, cap: int) -> bytes:
    """The body, counted while it streams in: 413 as soon as it passes ``cap`` bytes, whatever
    Content-Length said (or if none was sent), so a 1 GB post never sits in memory."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise HTTPException(413, f"request too large: at most {cap - FORM_OVERHEAD} bytes of page content")
    request._body = bytes(body)  # Starlette's form parser reads the cached body from here
    return request._body


def _json_fields(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(400, "the body is not valid JSON") from None
    except RecursionError:
        raise HTTPException(400, "the JSON body is nested too deeply") from None
    if not isinstance(data, dict):
        raise HTTPException(422, "the JSON body must be an object with a \"text\" or \"html\" field")
    return data


async def _form_fields(request: Request, max_bytes: int) -> dict[str, Any]:
    form = await request.form(max_files=1, max_fields=len(FORM_FIELDS) + 1, max_part_size=max_bytes + 1)
    repeated = sorted({k for k in form.keys() if len(form.getlist(k)) > 1})
    if repeated:
        raise HTTPException(422, f"form field given more than once: {', '.join(repeated)[:200]}")
    fields: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    upload = form.get("file")
    if isinstance(upload, UploadFile):
        raw = await upload.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise HTTPException(413, f"file too large: at most {max_bytes} bytes")
        label = upload_label(upload.filename)
        kind = "html" if label.lower().endswith((".html", ".htm")) else None
        fields[kind or "content"] = _decode(raw, kind)
        fields.setdefault("source", label)
    return fields


def upload_label(filename: str | None) -> str:
    """An upload's file name as a label: its last path component, printable, at most 200
    characters. It names the document; it is never used as a path."""
    name = re.split(r"[/\\]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return clean_text(name)[:200] or "upload"


def _decode(raw: bytes, kind: str | None) -> str:
    """Posted bytes decoded as files are (``dateline.ingest.decode``); a refusal is a 422."""
    from dateline.ingest.decode import decode_page
    from dateline.model import DatelineError

    try:
        return decode_page(raw, "the posted page", kind)
    except DatelineError as exc:
        raise HTTPException(422, f"the page is not text: {exc.reason}") from None


def _posted(fields: dict[str, Any], max_bytes: int) -> Posted:
    given = [k for k in ("text", "html", "content") if isinstance(fields.get(k), str) and fields[k].strip()]
    if not given:
        raise HTTPException(422, "no page given: send a non-empty \"text\" or \"html\" field (or a file)")
    if len(given) > 1:
        raise HTTPException(422, "send one of \"text\" or \"html\", not both")
    key = given[0]
    content = fields[key]
    if len(content.encode("utf-8")) > max_bytes:
        raise HTTPException(413, f"page too large: at most {max_bytes} bytes")
    for name in ("url", "source", "title", "date", "outlet"):
        value = fields.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > 2000):
            raise HTTPException(422, f"\"{name}\" must be a string of at most 2000 characters")
    replace = _flag("replace", fields.get("replace", False))
    kind = {"text": "text", "html": "html"}.get(key)
    source = upload_label(fields["source"]) if fields.get("source") else fields.get("url") or "posted page"
    from dateline.ingest.jsonl import authors_of

    return Posted(content, kind, source, fields.get("url"), fields.get("title"), fields.get("date"),
                  fields.get("outlet"), authors_of(fields.get("authors")), replace)


def _flag(name: str, value: Any) -> bool:
    """A yes/no field given as JSON true/false or as a form or query word."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS + FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise HTTPException(422, f"\"{name}\" must be true or false")


def record_of(posted: Posted) -> Record:
    from dateline.ingest import record_from_text

    record = record_from_text(posted.content, posted.source)
    if posted.kind:
        record.kind = posted.kind
    record.url, record.title, record.date = posted.url, posted.title, posted.date
    record.meta.update({k: v for k, v in (("outlet", posted.outlet), ("authors", posted.authors)) if v})
    return record
