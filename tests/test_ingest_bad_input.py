"""Bad input: one line on stderr naming the file and the reason, the other inputs still
processed, exit code 1, never a traceback."""
from __future__ import annotations

import gzip
import json
import re
import shutil

import pytest
from conftest import FIXTURES
from test_ingest import build_warc

GOOD = FIXTURES / "extract" / "plain_article.txt"


def _run(cli, tmp_path, *bad_paths):
    good = tmp_path / "good.txt"
    shutil.copy(GOOD, good)
    result = cli(["extract", *bad_paths, good, "--format", "json", "--no-nlp"])
    documents = json.loads(result.stdout)
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.exit_code == 1
    assert "good.txt" in {d["doc"] for d in documents}, "the good input was lost"
    return documents, errors


def _one_error(errors, name, reason):
    assert len(errors) == 1, errors
    assert errors[0].startswith("error: ") and name in errors[0], errors[0]
    assert re.search(reason, errors[0], re.IGNORECASE), errors[0]


def test_empty_file(cli, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    _, errors = _run(cli, tmp_path, path)
    _one_error(errors, "empty.txt", "empty file")


def test_binary_file(cli, tmp_path):
    path = tmp_path / "photo.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    _, errors = _run(cli, tmp_path, path)
    _one_error(errors, "photo.html", "binary file")


def test_undecodable_bytes(cli, tmp_path):
    path = tmp_path / "garbled.txt"
    path.write_bytes(b"A short report about the council.\n" + bytes(range(128, 256)) * 3 + b"\nMore text.\n")
    _, errors = _run(cli, tmp_path, path)
    _one_error(errors, "garbled.txt", "undecodable bytes")


def test_truncated_gzip(cli, tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress((FIXTURES / "extract" / "wordpress_cp1252.html").read_bytes())[:300])
    _, errors = _run(cli, tmp_path, path)
    _one_error(errors, "page.html.gz", "truncated gzip")


def test_broken_warc_record_keeps_the_other_records(cli, tmp_path):
    data = bytearray(build_warc(True, titles=("Harbour plan approved", "Bridge tolls cut", "Ferry route restored")))
    starts = [m.start() for m in re.finditer(rb"\x1f\x8b\x08", bytes(data))]
    middle = (starts[1] + starts[2]) // 2  # damage the second record's compressed bytes
    data[middle:middle + 40] = bytes(b ^ 0x55 for b in data[middle:middle + 40])
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(bytes(data))
    documents, errors = _run(cli, tmp_path, path)
    _one_error(errors, "crawl.warc.gz", "broken WARC record")
    assert {"https://news.example/0", "https://news.example/2"} <= {d["doc"] for d in documents}


def test_broken_uncompressed_warc_record(cli, tmp_path):
    data = build_warc(False, titles=("Harbour plan approved", "Bridge tolls cut", "Ferry route restored"))
    data = data.replace(b"Content-Length: ", b"Content-Length: 9", 1)  # first record claims too much
    path = tmp_path / "crawl.warc"
    path.write_bytes(data)
    documents, errors = _run(cli, tmp_path, path)
    _one_error(errors, "crawl.warc", "broken WARC record.*truncated")
    assert {"https://news.example/1", "https://news.example/2"} <= {d["doc"] for d in documents}


def test_not_a_warc_file(cli, tmp_path):
    path = tmp_path / "fake.warc"
    path.write_text("this is not an archive\n")
    _, errors = _run(cli, tmp_path, path)
    _one_error(errors, "fake.warc", "not a WARC file")


def test_html_page_with_no_article(cli, tmp_path):
    path = tmp_path / "menu.html"
    path.write_text("<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> "
                    "<a href='/news'>News</a></nav><footer>© 2025</footer></body></html>")
    _, errors = _run(cli, tmp_path, path)
    _one_error(errors, "menu.html", "no article text")


def test_jsonl_with_broken_rows(cli, tmp_path):
    path = tmp_path / "wire.jsonl"
    good_rows = (FIXTURES / "ingest" / "articles.jsonl").read_text().splitlines()
    path.write_text("\n".join([good_rows[0], '{"id": "x", "text": ', '{"id": "y"}', "[1, 2]", good_rows[1]]) + "\n")
    documents, errors = _run(cli, tmp_path, path)
    assert len(errors) == 3
    assert all("wire.jsonl line" in e for e in errors)
    assert "invalid JSON" in errors[0] and "no 'text'" in errors[1] and "JSON object" in errors[2]
    assert {"wire-001", "wire-002"} <= {d["doc"] for d in documents}


def test_missing_file(cli, tmp_path):
    _, errors = _run(cli, tmp_path, tmp_path / "nowhere.txt")
    _one_error(errors, "nowhere.txt", "no such file")


def test_all_good_exits_zero(cli):
    result = cli(["extract", GOOD, "--no-nlp"])
    assert result.exit_code == 0 and not result.stderr.strip()
    assert json.loads(result.stdout)["article"]["title"] == "Council votes to keep the night buses running."


@pytest.mark.parametrize("fmt", ["jsonl", "table"])
def test_other_formats_report_failures_too(cli, tmp_path, fmt):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"   \n")
    result = cli(["extract", empty, GOOD, "--format", fmt, "--no-nlp"])
    assert result.exit_code == 1 and "empty.html" in result.stderr and "plain_article.txt" in result.stdout
