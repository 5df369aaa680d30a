"""Ingest: every input kind becomes Records (or Failures), folders recursively."""
from __future__ import annotations

import gzip
import io
import shutil

import pytest
from conftest import FIXTURES
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dateline.ingest import iter_records
from dateline.ingest.web import normalise_url
from dateline.model import Failure, Record

PAGE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        "<p>{title} was announced by the regional council on Monday after a long debate among its members.</p>"
        "<p>Members said the decision would be reviewed next year, once the first results of the scheme are known.</p>"
        "</article></body></html>")


def build_warc(gzipped: bool, titles=("Harbour plan approved", "Bridge tolls cut")) -> bytes:
    """A small WARC: one HTML response per title, plus an image response and a request record."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for number, title in enumerate(titles):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        payload = io.BytesIO(PAGE.format(title=title).encode("utf-8"))
        writer.write_record(writer.create_warc_record(f"https://news.example/{number}", "response",
                                                      payload=payload, http_headers=headers))
    image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://news.example/logo.png", "response",
                                                  payload=io.BytesIO(b"\x89PNG...."), http_headers=image))
    writer.write_record(writer.create_warc_record("https://news.example/0", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
    return buffer.getvalue()


def _split(items):
    records = [i for i in items if isinstance(i, Record)]
    failures = [i for i in items if isinstance(i, Failure)]
    return records, failures


def test_text_capture_record():
    (record,) = list(iter_records([FIXTURES / "extract" / "plain_article.txt"]))
    assert (record.kind, record.source) == ("text", "plain_article.txt")
    assert record.content.startswith("Council votes")


def test_folder_is_read_recursively(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    shutil.copy(FIXTURES / "extract" / "plain_article.txt", tmp_path / "a" / "b" / "one.txt")
    shutil.copy(FIXTURES / "extract" / "newsroom.html.gz", tmp_path / "a" / "two.html.gz")
    shutil.copy(FIXTURES / "ingest" / "articles.jsonl", tmp_path / "three.jsonl")
    (tmp_path / "notes.md").write_text("not an input")
    records, failures = _split(iter_records([tmp_path]))
    assert not failures
    assert sorted(r.kind for r in records) == ["html", "plain", "plain", "text"]


def test_jsonl_rows():
    records, failures = _split(iter_records([FIXTURES / "ingest" / "articles.jsonl"]))
    assert not failures
    first, second = records
    assert (first.source, first.kind, first.title, first.url, first.date) == (
        "wire-001", "plain", "Lake states agree on fishing season dates", "https://example.org/wire-001", "2025-04-02")
    assert second.source == "wire-002" and second.title is None


@pytest.mark.parametrize("gzipped", [True, False])
def test_warc_html_responses(tmp_path, gzipped):
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    path.write_bytes(build_warc(gzipped))
    records, failures = _split(iter_records([path]))
    assert not failures
    assert [r.source for r in records] == ["https://news.example/0", "https://news.example/1"]
    assert all(r.kind == "html" and r.url == r.source and r.date for r in records)


def test_html_encoding_detected_without_charset(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes("<html><body><p>Genève and Zürich signed the accord in São Paulo.</p></body></html>".encode("cp1252"))
    (record,) = list(iter_records([path]))
    assert "Genève and Zürich" in record.content


def test_html_charset_declared_in_meta(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes('<html><head><meta charset="iso-8859-1"></head><body>Köln</body></html>'.encode("latin-1"))
    (record,) = list(iter_records([path]))
    assert "Köln" in record.content


def test_gzipped_text_capture(tmp_path):
    path = tmp_path / "capture.txt.gz"
    path.write_bytes(gzip.compress((FIXTURES / "extract" / "plain_article.txt").read_bytes()))
    (record,) = list(iter_records([path]))
    assert record.kind == "text" and record.source == "capture.txt.gz"


def test_missing_path_is_a_failure(tmp_path):
    (failure,) = list(iter_records([tmp_path / "nope.txt"]))
    assert isinstance(failure, Failure) and "no such file" in failure.reason


def test_url_arguments_survive_path_conversion():
    assert normalise_url("https:/example.org/feed.xml") == "https://example.org/feed.xml"
    assert normalise_url("HTTP://example.org") == "http://example.org"
    assert normalise_url("news/today.txt") is None


def test_feed_url_without_network_is_one_clear_failure(monkeypatch):
    import trafilatura
    import trafilatura.feeds
    import trafilatura.sitemaps

    monkeypatch.setattr(trafilatura.feeds, "find_feed_urls", lambda url: [])
    monkeypatch.setattr(trafilatura.sitemaps, "sitemap_search", lambda url: [])
    monkeypatch.setattr(trafilatura, "fetch_url", lambda url: None)
    (failure,) = list(iter_records(["https://offline.example/feed"]))
    assert isinstance(failure, Failure)
    assert failure.source == "https://offline.example/feed" and "cannot fetch" in failure.reason


def test_feed_url_links_are_fetched(monkeypatch):
    import trafilatura
    import trafilatura.feeds

    monkeypatch.setattr(trafilatura.feeds, "find_feed_urls", lambda url: ["https://news.example/a"])
    monkeypatch.setattr(trafilatura, "fetch_url", lambda url: PAGE.format(title="Dam opened"))
    (record,) = list(iter_records(["https://news.example/rss"]))
    assert (record.source, record.kind, record.url) == ("https://news.example/a", "html", "https://news.example/a")
