"""Bytes -> text for every input kind, with the reasons bad bytes are refused (the one
decoder: files, WARC and JSON Lines archives, and pages posted to the API).

HTML without a declared charset is detected with charset-normalizer; plain text must be
UTF-8 (or carry a BOM) unless charset-normalizer finds one coherent encoding for it.
Binary files (NUL bytes, image/archive magic numbers) are refused before decoding so
they never reach the extractor as mojibake.
"""
from __future__ import annotations

import codecs
import re
import zlib

from charset_normalizer import from_bytes

from dateline.model import DatelineError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Magic numbers of common binary formats people drop into an input folder by mistake.
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x7fELF", b"BZh", b"\xfd7zXZ")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_MAX_CHAOS = 0.2  # charset-normalizer "mess" ratio above which a guess is treated as no fit


# Inflated size limits, counted while inflating (a gzip trailer's size is modulo 4 GiB and
# can lie): one page, and a container (JSON Lines) of many records.
MAX_INFLATED_PAGE = 32 * 1024 * 1024
MAX_INFLATED_CONTAINER = 256 * 1024 * 1024
_CHUNK = 1024 * 1024


def gunzip(data: bytes, source: str, limit: int = MAX_INFLATED_PAGE) -> bytes:
    """Decompress a .gz input (every member), refusing it once more than ``limit`` bytes came
    out; a truncated, non-gzip or oversized file is a DatelineError with the reason."""
    if data[:2] != b"\x1f\x8b":
        raise DatelineError(source, "not a valid gzip file (no gzip header)")
    out = bytearray()
    position = 0
    try:
        while position < len(data):
            rest = inflate_member(memoryview(data)[position:], limit, source, out)
            if not rest.strip(b"\0"):
                break  # trailing padding, as some tools write
            position = len(data) - len(rest)
    except zlib.error as exc:
        raise DatelineError(source, f"not a valid gzip file ({exc})") from None
    return bytes(out)


def inflate_member(data: memoryview | bytes, limit: int, source: str, out: bytearray) -> bytes:
    """Inflate one gzip member of ``data`` onto ``out`` until ``out`` holds more than ``limit``
    bytes; returns the bytes after the member. DatelineError when truncated or over the limit."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pending: bytes | memoryview = data
    while not inflater.eof:
        piece = inflater.decompress(pending, _CHUNK)
        out += piece
        if len(out) > limit:
            raise DatelineError(source, f"decompresses to more than {limit_text(limit)} "
                                        "(a compression bomb, or a page far larger than any article)")
        pending = inflater.unconsumed_tail
        if not pending and not piece:
            raise DatelineError(source, "truncated gzip file (compressed data ends early)")
    return inflater.unused_data


def limit_text(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


def check_not_empty_or_binary(data: bytes, source: str) -> None:
    if not data.strip():
        raise DatelineError(source, "empty file")
    if _bom_encoding(data):
        return
    head = data[:8192]
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        raise DatelineError(source, "binary file, not text or HTML")


def decode_text(data: bytes, source: str) -> str:
    """A plain-text input: BOM, else UTF-8, else one coherent encoding, else refused."""
    check_not_empty_or_binary(data, source)
    bom = _bom_encoding(data)
    if bom:
        return data.decode(bom, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        guessed = _guess(data)
        if guessed is None:
            raise DatelineError(
                source, f"undecodable bytes: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}) "
                        "and no other encoding fits") from None
        return guessed


def decode_html(data: bytes, source: str, declared: str | None = None) -> str:
    """An HTML page: BOM, HTTP/meta charset, UTF-8, then charset-normalizer detection."""
    check_not_empty_or_binary(data, source)
    bom = _bom_encoding(data)
    if bom:
        return data.decode(bom, "replace")
    for encoding in (declared, _meta_charset(data)):
        if encoding:
            try:
                return data.decode(_normalise_encoding(encoding))
            except (LookupError, UnicodeDecodeError):
                continue  # a wrong declaration is common; fall through to detection
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        guessed = _guess(data)
        if guessed is None:
            raise DatelineError(source, "undecodable bytes: no character encoding fits this page") from None
        return guessed


def decode_page(data: bytes, source: str, kind: str | None = None) -> str:
    """A page whose kind may be unknown (a posted body or an upload): ``kind`` "html" or
    "text", or None to go by the bytes (markup at the start means HTML). The one decoder
    for files, archives and the API alike; a DatelineError gives the reason it was refused."""
    if kind is None:
        kind = "html" if looks_like_html(data[:2048].decode("latin-1")) else "text"
    return decode_html(data, source) if kind == "html" else decode_text(data, source)


def looks_like_html(text: str) -> bool:
    """Markup at the start of a page whose kind nobody said (a posted body, an upload)."""
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _bom_encoding(data: bytes) -> str | None:
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def _normalise_encoding(name: str) -> str:
    # Pages that say latin-1 almost always mean windows-1252 (as browsers assume).
    lowered = name.strip().lower()
    return "cp1252" if lowered in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"} else lowered


def _guess(data: bytes) -> str | None:
    results = from_bytes(data)
    best = results.best()
    if best is None or best.chaos > _MAX_CHAOS:
        return None
    # Short Western pages decode identically in several code pages and the detector's
    # pick among equals is arbitrary; prefer windows-1252, the web's most common legacy
    # encoding (and what browsers assume), when it fits as well as the best guess.
    tied = {name for match in results if (match.chaos, -match.coherence) <= (best.chaos, -best.coherence)
            for name in match.could_be_from_charset}
    if "cp1252" in tied:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)
