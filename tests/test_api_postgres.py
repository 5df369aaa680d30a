"""The API and the reader on PostgreSQL: the same queries, portable SQL (own throwaway database)."""
from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dateline.api.testing import fill_fixture_store

pytestmark = pytest.mark.postgres

FIXTURES = Path(__file__).parent / "fixtures" / "web"


@pytest.fixture(scope="module")
def client():
    url = os.environ.get("DATELINE_TEST_PG")
    if not url:
        pytest.skip("DATELINE_TEST_PG is not set (scripts/services/postgres.sh sets it)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"dateline_web_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))  # a generated name, not input
    app = None
    try:
        app, _ = fill_fixture_store(make_url(url).set(database=name).render_as_string(hide_password=False), FIXTURES)
        with TestClient(app) as test_client:
            yield test_client
    finally:
        if app is not None:
            app.state.store.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_events_filters_and_injection_on_postgres(client):
    everything = client.get("/api/events", params={"limit": 500}).json()
    assert everything["total"] >= 4
    accuse = client.get("/api/events", params={"type": "ACCUSE", "dyad": "PER-CHL", "date_to": "2025-10"}).json()
    assert accuse["total"] >= 1 and all(e["type"] == "ACCUSE" for e in accuse["items"])
    for field in ("type", "actor", "dyad", "q"):
        assert client.get("/api/events", params={field: "' OR 1=1 --"}).json()["total"] == 0
    assert client.get("/api/events/timeline").json()["items"]
    assert client.get("/api/events/network").json()["edges"]
    assert client.get("/api/actors").json()["total"] >= 3
    assert client.get("/api/negotiations").status_code == 200
    assert client.get("/api/stories").status_code == 200


def test_reader_pages_on_postgres(client):
    home = client.get("/read").text
    assert "Trending Now" in home and "<polyline" in home
    found = client.get("/read", params={"q": "anchovy"}).text
    assert int(re.search(r'id="search-total">(\d+)', found).group(1)) >= 5
    doc_id = client.get("/api/documents", params={"q": "Anchovy talks stall"}).json()["items"][0]["id"]
    article = client.get(f"/read/{doc_id}").text
    assert 'id="related-news"' in article and 'id="read-more"' in article
    assert client.get("/authors/Priya%20Natarajan").status_code == 200
    assert client.get("/outlets/Metro%20Wire").status_code == 200
