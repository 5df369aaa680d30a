"""``POST /api/documents``: a posted page (text or HTML) through the pipeline into the store.

The spaCy pipeline is loaded once per process, on the first post (``dateline.nlp.load``
is cached); posts are analysed one at a time because a spaCy pipeline is not meant to
be shared by threads.
"""
from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile

from dateline.model import Document, Failure, Record

DEFAULT_MAX_BYTES = 2 * 1024 * 1024

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


class Ingestor:
    """Holds the process's Pipeline; analyses and stores posted pages one at a time.

    The work runs on one dedicated thread: posts queue there instead of holding the
    server's shared worker threads, so reads stay quick while pages are being analysed,
    and the store sees one writer.
    """

    def __init__(self, store: Any, config_path: str | None = None):
        self.store = store
        self.config_path = config_path
        self._pipeline: Any = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dateline-ingest")

    async def ingest(self, record: Record) -> tuple[Document | Failure, bool]:
        """(the document or the failure, whether it was new); waits without blocking the server."""
        return await asyncio.wrap_future(self._worker.submit(self._ingest, record))

    def _ingest(self, record: Record) -> tuple[Document | Failure, bool]:
        result = self.run(record)
        if isinstance(result, Failure):
            return result, False
        from dateline.stories import on_documents_stored

        created = self.store.save(result)
        on_documents_stored(self.store, [result])
        return result, created

    def preload(self) -> None:
        """Load the pipeline (the spaCy model) now rather than on the first posted page."""
        self._worker.submit(self._load).result()

    def _load(self) -> Any:
        if self._pipeline is None:
            from dateline.pipeline import Pipeline

            pipeline = Pipeline(self.config_path)
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
    """The posted page from a JSON body or a form (field or file); 4xx with the reason otherwise."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + 64 * 1024:
        raise HTTPException(413, f"request too large: at most {max_bytes} bytes of page content")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        fields = await _json_fields(request)
    elif ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        fields = await _form_fields(request, max_bytes)
    elif ctype in ("text/plain", "text/html"):
        raw = await request.body()
        fields = {"text" if ctype == "text/plain" else "html": _decode(raw)}
    else:
        raise HTTPException(415, "send JSON ({\"text\": ...} or {\"html\": ...}), a form with a file, "
                                 "or text/plain or text/html")
    return _posted(fields, max_bytes)


async def _json_fields(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(400, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise HTTPException(422, "the JSON body must be an object with a \"text\" or \"html\" field")
    return data


async def _form_fields(request: Request, max_bytes: int) -> dict[str, Any]:
    form = await request.form()
    fields: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    upload = form.get("file")
    if isinstance(upload, UploadFile):
        raw = await upload.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise HTTPException(413, f"file too large: at most {max_bytes} bytes")
        name = (upload.filename or "upload").lower()
        fields["html" if name.endswith((".html", ".htm")) else "content"] = _decode(raw)
        fields.setdefault("source", upload.filename or "upload")
    return fields


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        if best is None:
            raise HTTPException(422, "the page is not text (unknown encoding)") from None
        return str(best)


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
    for name in ("url", "source", "title", "date"):
        value = fields.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > 2000):
            raise HTTPException(422, f"\"{name}\" must be a string of at most 2000 characters")
    kind = {"text": "text", "html": "html"}.get(key)
    source = fields.get("source") or fields.get("url") or "posted page"
    return Posted(content, kind, source, fields.get("url"), fields.get("title"), fields.get("date"))


def record_of(posted: Posted) -> Record:
    from dateline.ingest import record_from_text

    record = record_from_text(posted.content, posted.source)
    if posted.kind:
        record.kind = posted.kind
    record.url, record.title, record.date = posted.url, posted.title, posted.date
    return record
