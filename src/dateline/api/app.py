"""The app factory: one FastAPI app serving the JSON API, the analyst page and the reader.

``create_app(db_url)`` opens the store (creating its tables and the reader's indexes),
and keeps per-process state on ``app.state``: the engine, the store, the lazily loaded
pipeline for posted pages and the Trending Now cache.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from dateline.api import pages, routes
from dateline.api.ingest import DEFAULT_MAX_BYTES, Ingestor
from dateline.api.reader import TrendingCache, ensure_reader_indexes
from dateline.api.search import SearchIndex

WEB_DIR = Path(__file__).parent / "web"

DESCRIPTION = """Dateline's store over HTTP: documents with their actors, quotes and coded PLOVER
events; filters on events; actors; quotes by speaker; stories and negotiations.
Lists take `limit` and `offset` and answer `{total, limit, offset, items}`.
The analyst page is at `/`, the reader at `/read`."""


def create_app(db_url: str | None = None, *, config_path: str | None = None,
               max_post_bytes: int = DEFAULT_MAX_BYTES) -> FastAPI:
    from dateline.store import Store

    store = Store(db_url)
    ensure_reader_indexes(store.engine)
    # The docs page is Dateline's own (server-side, no CDN); the spec stays at /openapi.json.
    app = FastAPI(title="Dateline", description=DESCRIPTION, version="0.1.0", docs_url=None, redoc_url=None,
                  lifespan=_warm_up)
    app.state.store = store
    app.state.engine = store.engine
    app.state.ingestor = Ingestor(store, config_path)
    app.state.max_post_bytes = max_post_bytes
    app.state.trending = TrendingCache(store.engine)
    app.state.search = SearchIndex(store.engine)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.include_router(routes.router)
    app.include_router(pages.router)
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        # Defence in depth: even if article text slipped into markup, no inline script would run.
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; script-src 'self'; style-src 'self'; "
                                    "img-src 'self' data:; object-src 'none'; base-uri 'none'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    return app


@asynccontextmanager
async def _warm_up(app: FastAPI) -> AsyncIterator[None]:
    """Precompute Trending Now and bring the search index up to date in the background at
    start-up, so the first reader does not pay for them."""
    threading.Thread(target=_warm, args=(app,), name="dateline-warm-up", daemon=True).start()
    yield


def _warm(app: FastAPI) -> None:
    try:
        pages.compile_templates()
        # Render the front page once: statements compiled, caches filled, pages warm.
        pages.read_home(Request({"type": "http", "app": app, "method": "GET", "path": "/read", "headers": [],
                                 "query_string": b""}), None, 0)
        if app.state.search.enabled:
            app.state.search.sync()
    except Exception:
        logging.getLogger(__name__).exception("warm-up failed")


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse | HTMLResponse:
    """JSON errors for the API, a readable page for people."""
    # Pages answer HTML whatever the client accepts (a browser, curl, a link checker) unless
    # it asks for JSON only; the API and the spec always answer JSON.
    accept = request.headers.get("accept", "")
    wants_json = "application/json" in accept and "text/html" not in accept
    if request.url.path.startswith(("/api/", "/openapi.json", "/static/")) or wants_json:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    return pages.error_page(request, exc.status_code, str(exc.detail))
