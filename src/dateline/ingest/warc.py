"""WARC files (``.warc``, ``.warc.gz``) via warcio: each HTML response is one Record.

``doc`` is the record's WARC-Target-URI. The file is first cut into records (gzip
members, then ``WARC/1.x`` header lines) and warcio parses each piece on its own, so a
damaged record (bad gzip member, garbage header, wrong Content-Length, truncation)
becomes one Failure and every other record is still read. warcio alone would either
stop at the damage or silently swallow the following records.
"""
from __future__ import annotations

import contextlib
import io
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from dateline.ingest.decode import MAX_INFLATED_PAGE, decode_html, inflate_member
from dateline.model import DatelineError, Failure, Record

_GZIP_MEMBER = re.compile(rb"\x1f\x8b\x08")
_RECORD_START = re.compile(rb"(?m)^WARC/1\.[01]\r?\n(?=[A-Za-z-]+:)")
_HTML_TYPES = ("text/html", "application/xhtml")
_UNPRINTABLE = re.compile(r"[^\x20-\x7e]+")


class _Broken(Exception):
    """A piece of the file that is not a readable WARC record (the reason is the message)."""


def read_warc(data: bytes, path: Path) -> Iterator[Record | Failure]:
    if not data.strip():
        yield Failure(str(path), "empty file")
        return
    if data[:2] != b"\x1f\x8b" and not _RECORD_START.search(data):
        yield Failure(str(path), "not a WARC file (no WARC/1.x record header)")
        return
    found = 0
    for offset, piece in _pieces(data):
        if isinstance(piece, _Broken):
            yield Failure(f"{path} (record at byte {offset})", f"broken WARC record: {piece}")
            continue
        try:
            item, leftover = _parse(piece, path)
        except _Broken as exc:
            yield Failure(f"{path} (record at byte {offset})", f"broken WARC record: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on damaged input; all mean "this record is broken"
            yield Failure(f"{path} (record at byte {offset})", f"broken WARC record: {_clean(exc)}")
            continue
        if item is not None:
            found += 1
            yield item
        if leftover:
            yield Failure(f"{path} (record at byte {offset + leftover})",
                          "broken WARC record: unreadable data between records")
    if not found:
        yield Failure(str(path), "no readable HTML response records in this WARC file")


def _pieces(data: bytes) -> Iterator[tuple[int, bytes | _Broken]]:
    """(byte offset, raw record bytes or the reason it is unreadable) for every record."""
    if data[:2] != b"\x1f\x8b":
        yield from _split_records(data, 0)
        return
    for offset, member in _gzip_members(data):
        if isinstance(member, _Broken):
            yield offset, member
        else:
            for inner_offset, piece in _split_records(member, offset):
                yield (offset if inner_offset == offset else inner_offset), piece


def _gzip_members(data: bytes) -> Iterator[tuple[int, bytes | _Broken]]:
    position: int | None = 0
    while position is not None and position < len(data):
        member = bytearray()
        try:  # counted while inflating: one record holds at most one page's worth
            unused = inflate_member(memoryview(data)[position:], MAX_INFLATED_PAGE, "", member)
        except zlib.error as exc:
            yield position, _Broken(f"damaged gzip data ({exc})")
            position = _next_member(data, position + 1)
            continue
        except DatelineError as exc:
            if "truncated" in exc.reason:
                yield position, _Broken("truncated (the file ends inside this record)")
                return
            yield position, _Broken(exc.reason)
            position = _next_member(data, position + 1)
            continue
        yield position, bytes(member)
        rest = len(unused)
        position = len(data) - rest if rest and unused.strip(b"\0\r\n ") else None


def _next_member(data: bytes, start: int) -> int | None:
    match = _GZIP_MEMBER.search(data, start)
    return match.start() if match else None


def _split_records(data: bytes, base: int) -> Iterator[tuple[int, bytes | _Broken]]:
    starts = [m.start() for m in _RECORD_START.finditer(data)]
    if not starts or data[: starts[0]].strip():
        yield base, _Broken("not a WARC record (no WARC/1.x header)")
    for begin, end in zip(starts, starts[1:] + [len(data)]):
        yield base + begin, data[begin:end]


def _parse(piece: bytes, path: Path) -> tuple[Record | Failure | None, int]:
    """The record in PIECE (None when it is no HTML response) and where unread junk starts (0: none)."""
    # warcio prints warnings about bad lengths straight to stderr; they become our Failure instead.
    with contextlib.redirect_stderr(io.StringIO()):
        iterator = ArchiveIterator(io.BytesIO(piece), check_digests=False)
        record = next(iter(iterator), None)
        if record is None:
            raise _Broken("no record found")
        _check_headers(record)
        wanted = _is_html_response(record)
        body = record.content_stream().read() if wanted else b""
        record.raw_stream.read()  # drain what was not wanted so a short record shows as truncated
        if record.raw_stream.limit > 0:
            raise _Broken("truncated (Content-Length is longer than the record)")
        length = iterator.get_record_length()
    leftover = length if piece[length:].strip() else 0
    return (_to_record(record, body, path) if wanted else None), leftover


def _check_headers(record) -> None:
    headers = record.rec_headers
    missing = [name for name in ("WARC-Type", "Content-Length") if not headers.get_header(name)]
    if missing:
        raise _Broken(f"missing header {', '.join(missing)}")


def _is_html_response(record) -> bool:
    if record.rec_type not in ("response", "resource"):
        return False
    http = record.http_headers
    if http is not None and http.get_statuscode() and not http.get_statuscode().startswith("2"):
        return False  # redirects and error pages hold no article
    return _content_type(record).lower().startswith(_HTML_TYPES)


def _content_type(record) -> str:
    http = record.http_headers
    return (http.get_header("Content-Type") if http else record.rec_headers.get_header("Content-Type")) or ""


def _to_record(record, body: bytes, path: Path) -> Record | Failure:
    headers = record.rec_headers
    uri = headers.get_header("WARC-Target-URI") or f"{path.name}#{headers.get_header('WARC-Record-ID')}"
    match = re.search(r"charset=([\w.:-]+)", _content_type(record), re.IGNORECASE)
    try:
        html = decode_html(body, uri, declared=match.group(1) if match else None)
    except DatelineError as exc:
        return Failure(f"{path} ({uri})", exc.reason)
    return Record(source=uri, content=html, kind="html", url=uri, path=str(path), date=headers.get_header("WARC-Date"))


def _clean(exc: Exception) -> str:
    text = str(exc).split(", first line:")[0]
    return (_UNPRINTABLE.sub(" ", text).strip() or type(exc).__name__)[:160]
