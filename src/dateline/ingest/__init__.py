"""The ingest stage: inputs (files, folders, URLs) -> ``Record`` or ``Failure`` values.

``iter_records(paths)`` walks every input and yields one ``Record`` per document found,
or a ``Failure`` naming the input and the reason; it never raises for bad input.

Kinds: ``.txt`` page captures (kind "text"), HTML ``.html``/``.htm`` and their ``.gz``
(kind "html"), WARC ``.warc``/``.warc.gz`` (HTML responses, doc = target URI), JSON Lines
``.jsonl``/``.ndjson`` (+``.gz``; kind "plain" for a ``text`` row, "html" for an ``html`` row,
doc = row id; field mapping in ``ingest.jsonl``), folders of these
(recursive) and http(s) URLs of feeds, sitemaps or pages.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from dateline.ingest.decode import MAX_INFLATED_CONTAINER, MAX_INFLATED_PAGE, decode_html, decode_text, gunzip, \
    looks_like_html
from dateline.ingest.jsonl import read_jsonl
from dateline.ingest.warc import read_warc
from dateline.ingest.web import normalise_url, read_url
from dateline.model import DatelineError, Failure, Record

TEXT_SUFFIXES = (".txt", ".txt.gz")
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
KNOWN_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES

__all__ = ["HTML_SUFFIXES", "KNOWN_SUFFIXES", "OUTSIDE_FOLDER", "TEXT_SUFFIXES", "iter_records", "leaves_folder",
           "record_from_text", "walk"]


def iter_records(paths: Iterable[str | Path]) -> Iterator[Record | Failure]:
    """Every document of every input, in order; bad inputs become Failure values."""
    for path in paths:
        url = normalise_url(str(path))
        if url:
            yield from _guarded(url, read_url(url))
        else:
            yield from _records_of(Path(path))


def _records_of(path: Path) -> Iterator[Record | Failure]:
    for item in walk(path):
        if isinstance(item, Failure):
            yield item
        else:
            yield from _guarded(str(item), _read_file(item))


def walk(path: Path) -> Iterator[Path | Failure]:
    """The input files ``path`` names: the file itself, or a folder's readable files
    (recursively, sorted, hidden ones skipped); what cannot be read comes as a Failure.
    The one walker: ``iter_records`` and the batch runner's ``discover`` both use it."""
    if path.is_dir():
        children = sorted(p for p in path.rglob("*") if p.is_file() and _known(p) and not p.name.startswith("."))
        if not children:
            yield Failure(str(path), "folder holds no readable inputs (.txt, .html, .warc, .jsonl ...)")
        for child in children:
            yield Failure(str(child), OUTSIDE_FOLDER) if leaves_folder(child, path) else child
        return
    if not path.exists():
        yield Failure(str(path), "no such file or folder")
        return
    yield path


def _guarded(source: str, records: Iterator[Record | Failure]) -> Iterator[Record | Failure]:
    """Turn any error raised while reading one input into a Failure for that input."""
    try:
        yield from records
    except DatelineError as exc:
        yield Failure(exc.source, exc.reason)
    except OSError as exc:
        yield Failure(source, f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - a reader bug must not end the run: report it on this input only
        yield Failure(source, f"unreadable input ({type(exc).__name__}: {' '.join(str(exc).split())[:160]})")


OUTSIDE_FOLDER = "a symbolic link leading out of the input folder: not followed"


def leaves_folder(child: Path, folder: Path) -> bool:
    """True when ``child`` (found under ``folder``) resolves to a file outside it: a link
    dropped into an input folder must not make a run read /etc/passwd or a home folder."""
    try:
        return not child.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a link loop
        return True


def _known(path: Path) -> bool:
    return path.name.lower().endswith(KNOWN_SUFFIXES)


def _read_file(path: Path) -> Iterator[Record | Failure]:
    name = path.name.lower()
    data = path.read_bytes()
    source = str(path)
    if name.endswith(WARC_SUFFIXES):
        yield from read_warc(data, path)
        return
    if name.endswith(".gz"):
        data = gunzip(data, source, MAX_INFLATED_CONTAINER if name.endswith(JSONL_SUFFIXES) else MAX_INFLATED_PAGE)
    if name.endswith(HTML_SUFFIXES):
        yield Record(source=path.name, content=decode_html(data, source), kind="html", path=source)
    elif name.endswith(JSONL_SUFFIXES):
        yield from read_jsonl(decode_text(data, source), path)
    else:
        text = decode_text(data, source)
        yield record_from_text(text, path.name, path=source) if looks_like_html(text) else \
            Record(source=path.name, content=text, kind="text", path=source)


def record_from_text(text: str, source: str = "<text>", path: str | None = None) -> Record:
    """A Record for a page given as a string: HTML when it looks like markup, else a text capture."""
    return Record(source=source, content=text, kind="html" if looks_like_html(text) else "text", path=path)
