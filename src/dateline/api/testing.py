"""Helpers for the API/web tests and the reader benchmark: fill a store, serve an app in a thread.

``ingest_pages(client, paths)`` posts each page file to ``POST /api/documents`` (so the
store is filled by the real pipeline, the way a user would); ``serve_in_thread(app)``
runs uvicorn on 127.0.0.1 on a free port for a browser to visit.
"""
from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any


def ingest_pages(client: Any, paths: Sequence[Path]) -> dict[str, dict[str, Any]]:
    """Post every page as a file upload; file name -> the API's answer. Raises on a failed post."""
    answers = {}
    for path in paths:
        mime = "text/html" if path.suffix in (".html", ".htm") else "text/plain"
        response = client.post("/api/documents", files={"file": (path.name, path.read_bytes(), mime)})
        if response.status_code not in (200, 201):
            raise AssertionError(f"{path.name}: {response.status_code} {response.text}")
        answers[path.name] = response.json()
    return answers


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve_in_thread(app: Any, timeout: float = 15.0) -> Iterator[str]:
    """Run ``app`` with uvicorn in a daemon thread; yields its base URL, stops it on exit."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off", timeout_keep_alive=75))
    thread = threading.Thread(target=server.run, name="dateline-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def fill_fixture_store(db_url: str, fixtures: Path) -> tuple[Any, dict[str, dict[str, Any]]]:
    """An app over a fresh store holding the fixture pages (posted through the pipeline) and
    the hand-coded documents under ``fixtures/coded`` (saved as they are, so event views have
    known events whatever the coder finds). Returns (app, file name -> stored summary)."""
    import json

    from fastapi.testclient import TestClient

    from dateline.api import create_app
    from dateline.model import Document

    app = create_app(db_url)
    pages = sorted(p for p in fixtures.iterdir() if p.suffix in (".html", ".txt"))
    # No lifespan here: the start-up warm-up would cache Trending Now for a half-filled store.
    answers = ingest_pages(TestClient(app), pages)
    store = app.state.store
    for path in sorted((fixtures / "coded").glob("*.json")):
        document = Document.from_dict(json.loads(path.read_text(encoding="utf-8")))
        store.save(document)
        answers[path.name] = {"id": document.id, "title": document.article.title, "created": True}
    return app, answers


_SHARED: dict[str, tuple[Any, dict[str, dict[str, Any]]]] = {}


def shared_fixture_store(fixtures: Path) -> tuple[Any, dict[str, dict[str, Any]]]:
    """``fill_fixture_store`` once per process for read-only tests (API, reader, browser):
    the pages go through the pipeline once, however many test modules read them."""
    import atexit
    import shutil
    import tempfile

    key = str(fixtures.resolve())
    if key not in _SHARED:
        folder = tempfile.mkdtemp(prefix="dateline-web-")
        atexit.register(shutil.rmtree, folder, True)
        _SHARED[key] = fill_fixture_store(f"sqlite:///{folder}/web.db", fixtures)
    return _SHARED[key]
