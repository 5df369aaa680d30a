"""Writes need a token, reads can be closed, passwords are never printed (issue 17, item 2)."""
from __future__ import annotations

import socket
import subprocess

import pytest
from fastapi.testclient import TestClient
from test_store_support import DATELINE, ROOT

from dateline.api import create_app
from dateline.api.auth import settings_for
from dateline.model import Failure

TOKEN = "s3cret-token-for-tests-0123456789"
PAGE = {"text": "Talks resume\n\nOSLO -- Norway and Chile met on Tuesday, officials said."}


def _client(tmp_path, **auth):
    app = create_app(f"sqlite:///{tmp_path / 'a.db'}", auth=settings_for(**auth) if auth else None)
    # The pipeline is not what is tested: a failure answer (422) means the request got through.
    app.state.ingestor.run = lambda record: Failure(record.source, "not analysed in this test", stage="test")
    return TestClient(app)


def test_writes_need_the_token(tmp_path):
    client = _client(tmp_path, host="127.0.0.1", token=TOKEN)
    assert client.post("/api/documents", json=PAGE).status_code == 401
    wrong = client.post("/api/documents", json=PAGE, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"] == "Bearer"
    assert client.post("/api/documents", json=PAGE, headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    good = client.post("/api/documents", json=PAGE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert good.status_code == 422 and "not analysed" in good.text
    assert client.get("/api/documents").status_code == 200  # reads stay open


def test_without_a_token_writes_are_loopback_and_same_site_only(tmp_path):
    client = _client(tmp_path)
    assert client.post("/api/documents", json=PAGE).status_code == 422
    for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}):
        response = client.post("/api/documents", content=PAGE["text"],
                               headers={"Content-Type": "text/plain", **headers})
        assert response.status_code == 403, headers
    public = _client(tmp_path, host="0.0.0.0", token=None)
    refused = public.post("/api/documents", json=PAGE)
    assert refused.status_code == 403 and "DATELINE_API_TOKEN" in refused.text


def test_private_closes_reads(tmp_path):
    client = _client(tmp_path, host="127.0.0.1", token=TOKEN, private=True)
    for path in ("/api/documents", "/read", "/", "/openapi.json"):
        assert client.get(path).status_code == 401, path
    assert client.get("/api/documents", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    with pytest.raises(ValueError):
        settings_for("127.0.0.1", None, private=True)
    assert TOKEN not in repr(settings_for("127.0.0.1", TOKEN))


def test_pages_cannot_be_framed(tmp_path):
    response = _client(tmp_path).get("/read")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_serve_refuses_a_busy_port_in_one_line(cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = cli(["serve", "--port", port, "--db", "sqlite:///:memory:"])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


def test_a_failed_connection_is_one_line_without_the_password(cli, tmp_path):
    url = "postgresql+psycopg://someone:hunter2-secret@127.0.0.1:9/nowhere"
    from dateline.api.testing import free_port

    for command in (["serve", "--db", url, "--port", str(free_port())], ["list", "--db", url], ["ingest", str(tmp_path), "--db", url]):
        done = subprocess.run([DATELINE, *command], cwd=ROOT, capture_output=True, text=True, timeout=60)
        output = done.stdout + done.stderr
        assert done.returncode == 2, (command, output)
        assert "hunter2-secret" not in output and "Traceback" not in output, output
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "cannot open the store" in lines[0] and "***" in lines[0], lines


def test_writes_are_rate_limited_per_client(tmp_path):
    from dateline.api.auth import WriteRate

    client = _client(tmp_path)
    client.app.state.write_rate = WriteRate(per_second=0.5, burst=3)
    answers = [client.post("/api/documents", json=PAGE).status_code for _ in range(5)]
    assert answers[:3] == [422, 422, 422] and answers[3:] == [429, 429]
    limited = client.post("/api/documents", json=PAGE)
    assert limited.headers["Retry-After"].isdigit()
    assert client.get("/api/documents").status_code == 200  # reads are not counted
