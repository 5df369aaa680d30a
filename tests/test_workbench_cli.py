"""Rough edges of the CLI and the HTML pages: unusable arguments are one line and exit 2,
read-only commands never create a database, pages answer HTML errors."""
from __future__ import annotations

import socket

import pytest
from fastapi.testclient import TestClient

from dateline.store import Store
from test_workbench_support import fill


@pytest.fixture
def filled_db(tmp_path):
    url = f"sqlite:///{tmp_path / 'filled.db'}"
    fill(Store(url))
    return url


def one_line_usage_error(result, *words):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    for word in words:
        assert word in lines[0], lines[0]


def test_version(cli):
    from dateline import __version__

    result = cli(["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"dateline {__version__}"


def test_unsupported_database_url_is_one_line(cli):
    one_line_usage_error(cli(["list", "--db", "mysql://foo"]), "mysql://foo", "unsupported")


def test_unreachable_postgres_is_one_line(cli):
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/nothing?connect_timeout=2"
    result = cli(["list", "--db", url])
    one_line_usage_error(result, "127.0.0.1:1")
    assert "secret" not in result.output


def test_read_only_command_does_not_create_a_database(cli, tmp_path):
    missing = tmp_path / "typo.db"
    one_line_usage_error(cli(["list", "--db", str(missing)]), "no such database")
    assert not missing.exists()
    one_line_usage_error(cli(["list", "--db", "/nonexistent/dir/x.db"]), "/nonexistent/dir/x.db")
    for args in (["timeline"], ["export"], ["stories"], ["negotiations", "PER", "CHL"], ["show", "x"]):
        one_line_usage_error(cli([*args, "--db", str(missing)]), "no such database")
        assert not missing.exists()


@pytest.mark.parametrize("args, words", [
    (["timeline", "--from", "notadate"], ["--from", "notadate"]),
    (["timeline", "--from", "2025-13"], ["--from", "month 13"]),
    (["timeline", "--to", "2025-02-30"], ["--to", "day 30"]),
    (["timeline", "--from", "2025-08", "--to", "2025-07"], ["after"]),
    (["list", "--limit", "-5"], ["--limit -5"]),
    (["list", "--offset", "-1"], ["--offset -1"]),
    (["negotiations", "PER", "CHL", "--issue", "nosuch"], ["--issue", "nosuch"]),
    (["negotiations", "PER", "CHL", "--from", "yesterday"], ["--from"]),
])
def test_unusable_arguments_exit_2(cli, filled_db, args, words):
    one_line_usage_error(cli([*args, "--db", filled_db]), *words)


def test_valid_arguments_still_work(cli, filled_db):
    result = cli(["timeline", "--from", "2025-07", "--to", "2025-07-31", "--db", filled_db, "-f", "json"])
    assert result.exit_code == 0 and '"CONSULT"' in result.output


def test_export_refuses_a_suffix_it_cannot_write(cli, filled_db, tmp_path):
    out = tmp_path / "x.xlsx"
    one_line_usage_error(cli(["export", "--out", str(out), "--db", filled_db]), "x.xlsx")
    assert not out.exists()
    good = tmp_path / "x.csv"
    assert cli(["export", "--out", str(good), "--db", filled_db]).exit_code == 0 and good.exists()


def test_serve_on_a_busy_port_is_one_line_exit_1(cli, filled_db):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = cli(["serve", "--db", filled_db, "--port", str(port)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "http://" not in result.output
    assert f"127.0.0.1:{port}" in result.output


@pytest.fixture
def client(filled_db):
    from dateline.api import create_app

    return TestClient(create_app(filled_db))


@pytest.mark.parametrize("path", ["/read/nope", "/authors/Nobody", "/outlets/Nowhere"])
@pytest.mark.parametrize("accept", ["*/*", "text/html,*/*"])
def test_missing_pages_answer_html(client, path, accept):
    response = client.get(path, headers={"accept": accept})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text.lower()


def test_api_errors_stay_json(client):
    response = client.get("/api/documents/nope", headers={"accept": "text/html"})
    assert response.status_code == 404 and response.json()["detail"]


def test_docs_render_markdown_and_response_descriptions(client):
    page = client.get("/docs").text
    assert "<code>limit</code>" in page and "`limit`" not in page
    assert "Successful Response" in page
