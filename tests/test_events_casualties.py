"""Casualties: counts on the event, in the store, exports and API filters (invented text)."""
from __future__ import annotations

import functools

import io
import sqlite3

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from test_store_support import make_documents

from dateline.api import create_app
from dateline.export import export
from dateline.model import Event
from dateline.store import Store


@pytest.fixture(scope="module")
def code(event_coder):
    """The events this module's sentences give, dated against 2024-05-02 unless told otherwise."""
    return functools.partial(event_coder, anchor="2024-05-02")


def kinds(event: Event) -> dict[str, int]:
    return {c["kind"]: c["count"] for c in event.casualties}


def test_killed_and_injured_with_their_words(code):
    events = code("Soldiers fired on protesters in Harare, and at least 41 people were killed and 300 injured.")
    event = next(e for e in events if e.type == "ASSAULT")
    assert kinds(event) == {"killed": 41, "injured": 300}
    assert any(c["text"].startswith("at least 41") for c in event.casualties)


def test_arrests_on_a_coercion(code):
    event = next(e for e in code("Police in Bolivia arrested 1,200 demonstrators on Monday.") if e.type == "COERCE")
    assert kinds(event) == {"arrested": 1200}


def test_no_casualties_on_a_statement(code):
    event = next(e for e in code("Chile accused Peru of killing 12 fishermen.") if e.type == "ACCUSE")
    assert event.casualties == []


@pytest.fixture()
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    docs = make_documents(2)
    docs[0].events[0].casualties = [{"kind": "killed", "count": 9, "text": "nine people were killed"}]
    docs[0].events[0].background = True
    store = Store(url)
    store.save_many(docs)
    yield url, store
    store.close()


def test_store_and_csv_carry_background_and_counts(store):
    url, db = store
    rows = list(db.events(min_killed=5))
    assert len(rows) == 1 and rows[0].killed == 9 and rows[0].background is True
    assert rows[0].casualties == "nine people were killed"
    assert all(not r.background for r in db.events(background=False))
    out = io.BytesIO()
    export(db, "events", "csv", out)
    frame = pd.read_csv(io.BytesIO(out.getvalue()))
    assert {"background", "killed", "injured", "arrested", "displaced", "casualties"} <= set(frame.columns)


def test_api_filters_background_and_killed(store):
    url, _ = store
    with TestClient(create_app(url)) as client:
        items = client.get("/api/events", params={"min_killed": 1}).json()["items"]
        assert len(items) == 1 and items[0]["killed"] == 9 and items[0]["background"] is True
        assert all(not e["background"] for e in client.get("/api/events", params={"background": "false"}).json()["items"])


def test_old_store_gets_the_new_columns(tmp_path):
    path = tmp_path / "old.db"
    Store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:  # a store from before the columns: drop them again
        for column in ("background", "casualties", "killed", "injured", "arrested", "displaced"):
            conn.execute(f"ALTER TABLE events DROP COLUMN {column}")
    store = Store(f"sqlite:///{path}")
    store.save_many(make_documents(1))
    assert list(store.events())
    store.close()
