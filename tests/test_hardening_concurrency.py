"""Concurrency that holds: one connection per request, 503 + Retry-After when the server is
full, and a reader search index written by one writer that repairs itself (issue 17, item 1)."""
from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from sqlalchemy import event, text
from test_store_support import make_documents

from dateline.api import create_app
from dateline.api.app import RequestLimiter
from dateline.stories import on_documents_stored


def _app(tmp_path, count=12):
    app = create_app(f"sqlite:///{tmp_path / 'c.db'}")
    docs = make_documents(count)
    app.state.store.save_many(docs)
    on_documents_stored(app.state.store, docs)
    return app, docs


def test_every_route_holds_one_connection_at_a_time(tmp_path):
    app, docs = _app(tmp_path)
    engine = app.state.engine
    state = {"out": 0, "most": 0}
    lock = threading.Lock()

    def checkout(*_):
        with lock:
            state["out"] += 1
            state["most"] = max(state["most"], state["out"])

    def checkin(*_):
        with lock:
            state["out"] -= 1

    client = TestClient(app)
    client.get("/api/stories")  # warm: tables and caches made
    app.state.search.request_sync = lambda: None  # the index's own writer thread is not a request
    event.listen(engine, "checkout", checkout)
    event.listen(engine, "checkin", checkin)
    for path in ("/api/stories", "/api/timeline", "/api/negotiations", f"/read/{docs[0].id}",
                 "/api/documents", "/api/events", "/read?q=talks"):
        state["most"] = 0
        assert client.get(path).status_code == 200, path
        assert state["most"] <= 1, f"{path} held {state['most']} connections at once"


def test_a_full_server_answers_503_with_retry_after(tmp_path):
    app, _ = _app(tmp_path, 2)
    app.state.busy = RequestLimiter(0, 0.05)  # no free turn at all
    response = TestClient(app).get("/api/documents")
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()


def test_the_search_index_repairs_itself(tmp_path):
    app, docs = _app(tmp_path)
    search = app.state.search
    search.sync()
    client = TestClient(app)
    assert client.get("/read?q=story 3").status_code == 200
    with app.state.engine.begin() as conn:  # the index loses a row (a crash, an old bug)
        conn.execute(text("DELETE FROM reader_fts WHERE doc_id = :id"), {"id": docs[3].id})
        conn.execute(text("INSERT INTO reader_fts (rowid, title, body, doc_id) VALUES (999, 'x', 'y', 'gone')"))
    more = make_documents(2, start=40)
    app.state.store.save_many(more)
    search.sync()
    with app.state.engine.connect() as conn:
        rows, total = search.search(conn, "story 3", 20, 0)
        assert docs[3].id in {r["id"] for r in rows}
        rows, _ = search.search(conn, "story 41", 20, 0)
        assert more[1].id in {r["id"] for r in rows}
        assert conn.execute(text("SELECT count(*) FROM reader_fts")).scalar() == len(docs) + 2


def test_a_replaced_document_is_reindexed_by_the_ingest_thread(tmp_path):
    app, docs = _app(tmp_path, 3)
    app.state.search.sync()
    changed = docs[1]
    changed.article.title = "Quokka summit"
    app.state.store.save(changed)
    for hook in app.state.ingestor.after_commit:
        hook(changed, False)
    with app.state.engine.connect() as conn:
        rows, _ = app.state.search.search(conn, "quokka", 20, 0)
    assert [r["id"] for r in rows] == [changed.id]
