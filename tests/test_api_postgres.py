"""The API and the reader on PostgreSQL: the same queries, portable SQL (own throwaway database)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dateline.api.testing import fill_fixture_store
from test_store_support import temporary_pg_database

pytestmark = pytest.mark.postgres

FIXTURES = Path(__file__).parent / "fixtures" / "web"


@pytest.fixture(scope="module")
def client():
    url, drop = temporary_pg_database()
    app = None
    try:
        app, _ = fill_fixture_store(url, FIXTURES)
        with TestClient(app) as test_client:
            yield test_client
    finally:
        if app is not None:
            app.state.store.close()
        drop()


def test_events_filters_and_injection_on_postgres(client):
    everything = client.get("/api/events", params={"limit": 500}).json()
    assert everything["total"] >= 4
    accuse = client.get("/api/events", params={"type": "ACCUSE", "dyad": "PER-CHL", "date_to": "2025-10"}).json()
    assert accuse["total"] >= 1 and all(e["type"] == "ACCUSE" for e in accuse["items"])
    for field in ("actor", "dyad", "q"):
        assert client.get("/api/events", params={field: "' OR 1=1 --"}).json()["total"] == 0
    assert client.get("/api/events", params={"type": "' OR 1=1 --"}).status_code == 422  # not a PLOVER type
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
