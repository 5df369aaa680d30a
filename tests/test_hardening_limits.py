"""Limits that bound memory and time, and parameters that answer 4xx instead of 5xx
(issue 17, items 3 and 4)."""
from __future__ import annotations

import gzip
import json
import zlib

import pytest
from conftest import FIXTURES
from fastapi.testclient import TestClient

from dateline.api import create_app
from dateline.ingest import OUTSIDE_FOLDER, iter_records
from dateline.ingest.decode import gunzip
from dateline.model import DatelineError, Failure, Record

GOOD = FIXTURES / "extract" / "plain_article.txt"


def lying_gzip(size: int, claimed: int) -> bytes:
    """A gzip of ``size`` zero bytes whose trailer claims ``claimed`` (mod 4 GiB, as gzip does)."""
    data = gzip.compress(b"\0" * size)
    return data[:-4] + (claimed % 2**32).to_bytes(4, "little")


def test_gunzip_counts_while_inflating():
    with pytest.raises(DatelineError, match="decompresses to more than"):
        gunzip(lying_gzip(5_000_000, 1000), "bomb.html.gz", limit=1_000_000)
    two_members = gzip.compress(b"first ") + gzip.compress(b"second")
    assert gunzip(two_members, "ok.txt.gz") == b"first second"
    with pytest.raises(DatelineError, match="truncated"):
        gunzip(gzip.compress(b"x" * 1000)[:20], "cut.gz")


@pytest.mark.parametrize("suffix", [".html.gz", ".jsonl.gz", ".warc.gz", ".txt.gz"])
def test_every_compressed_kind_is_bounded(tmp_path, monkeypatch, suffix):
    import importlib

    for module in (importlib.import_module("dateline.ingest"), importlib.import_module("dateline.ingest.warc")):
        for name in ("MAX_INFLATED_PAGE", "MAX_INFLATED_CONTAINER"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, 1_000_000)
    path = tmp_path / f"bomb{suffix}"
    path.write_bytes(lying_gzip(4_000_000, 900))
    found = list(iter_records([path]))
    assert all(isinstance(f, Failure) for f in found)
    assert any("decompresses to more than" in f.reason for f in found), found


def test_symlinks_out_of_the_folder_are_not_followed(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text(GOOD.read_text())
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD.read_text())
    (folder / "link.txt").symlink_to(outside)
    found = list(iter_records([folder]))
    assert [r.source for r in found if isinstance(r, Record)] == ["good.txt"]
    assert [(f.source.endswith("link.txt"), f.reason) for f in found if isinstance(f, Failure)] == \
        [(True, OUTSIDE_FOLDER)]
    from dateline.run import Runner, RunOptions

    report = Runner(None, RunOptions(workers=0, analyse=False), on_stored=lambda s, d: None).run([folder])
    assert report.documents == 1 and [f.reason for f in report.failures] == [OUTSIDE_FOLDER]


def test_error_lines_per_input_are_capped(tmp_path):
    from dateline.run import MAX_ERRORS_PER_INPUT, Runner, RunOptions

    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(["[1]"] * 500 + [json.dumps({"id": "ok", "text": GOOD.read_text()})]))
    shown = []
    runner = Runner(None, RunOptions(workers=0, analyse=False), on_stored=lambda s, d: None)
    runner.on_failure = shown.append
    report = runner.run([path])
    assert report.documents == 1
    assert len(shown) == MAX_ERRORS_PER_INPUT + 1
    assert "480 more errors in this file not shown (500 in all)" in shown[-1].reason
    assert all("rows.jsonl" in f.source for f in shown)


@pytest.fixture
def api(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'l.db'}", max_post_bytes=100_000)
    seen = []

    def run(record):
        seen.append(record)
        return Failure(record.source, "not analysed in this test", stage="test")

    app.state.ingestor.run = run
    return TestClient(app), seen


def test_a_body_without_content_length_is_counted_while_streaming(api):
    client, seen = api

    def chunks():
        for _ in range(100):
            yield b"x" * 10_000

    response = client.post("/api/documents", content=chunks(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 413 and not seen


def test_hostile_json_bodies_answer_4xx(api):
    client, seen = api
    deep = "[" * 40_000 + "]" * 40_000
    assert client.post("/api/documents", content=deep, headers={"Content-Type": "application/json"}).status_code == 400
    answer = client.post("/api/documents", content='{"text": "Talks \\ud800 resume in Oslo \\u0000 today."}',
                         headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and "\ud800" not in seen[-1].content and "\x00" not in seen[-1].content
    assert client.post("/api/documents", content=b"\xff\xfe{", headers={"Content-Type": "application/json"}
                       ).status_code in (400, 422)


def test_upload_names_are_labels_and_fields_are_single(api):
    client, seen = api
    client.post("/api/documents", files={"file": ("../../../../etc/x.html", b"<p>Talks resume.</p>", "text/html")})
    assert seen[-1].source == "x.html"
    client.post("/api/documents", files={"file": ("..\\..\\win\\y.txt", b"Talks resume today.", "text/plain")})
    assert seen[-1].source == "y.txt"
    twice = client.post("/api/documents", data={"text": ["one", "two"]})
    assert twice.status_code == 422 and "more than once" in twice.text


@pytest.mark.parametrize("path", ["/api/documents", "/api/events", "/api/actors", "/api/quotes", "/api/stories",
                                  "/api/timeline", "/api/negotiations", "/read", "/authors/someone",
                                  "/outlets/somewhere"])
def test_out_of_range_numbers_answer_422(api, path):
    client, _ = api
    for params in ({"offset": "9223372036854775808"}, {"offset": "-1"}, {"offset": "1" * 400},
                   {"limit": "100000"}, {"limit": "-5"}):
        if path.startswith(("/read", "/authors", "/outlets")) and "limit" in params:
            continue
        response = client.get(path, params=params)
        assert response.status_code == 422, (path, params, response.status_code)


def test_unknown_enum_values_and_nul_answer_4xx(api):
    client, _ = api
    for path, params, allowed in (("/api/events", {"type": "NOPE"}, "ACCUSE"),
                                  ("/api/events", {"factuality": "maybe"}, "asserted"),
                                  ("/api/quotes", {"kind": "shouted"}, "direct"),
                                  ("/api/actors", {"kind": "alien"}, "person")):
        response = client.get(path, params=params)
        assert response.status_code == 422 and allowed in response.json()["detail"], (path, response.text)
    assert client.get("/api/events", params={"type": "consult,ACCUSE"}).status_code == 200
    assert client.get("/api/documents", params={"q": "a\x00b"}).status_code == 400
    assert client.get("/api/documents/ab%00cd").status_code == 400
    assert client.get("/api/documents", params={"q": "x" * 5000}).status_code == 414
