"""The app factory: one FastAPI app serving the JSON API, the analyst page and the reader.

``create_app(db_url)`` opens the store (creating its tables and the reader's indexes),
and keeps per-process state on ``app.state``: the engine, the store, the lazily loaded
pipeline for posted pages and the Trending Now cache.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from dateline.api import pages, routes, workbench
from dateline.api.auth import AuthSettings, WriteRate, read_allowed
from dateline.api.params import check_request_target
from dateline.api.ingest import DEFAULT_MAX_BYTES, Ingestor
from dateline.api.reader import TrendingCache
from dateline.api.search import SearchIndex

WEB_DIR = Path(__file__).parent / "web"
MAX_CONCURRENT_REQUESTS = 16   # requests handled at once; the rest queue briefly
QUEUE_WAIT_S = 10.0            # longest wait for a turn before 503
RETRY_AFTER_S = 2

DESCRIPTION = """Dateline's store over HTTP: documents with their actors, quotes and coded PLOVER
events; filters on events; actors; quotes by speaker; stories and negotiations.
Lists take `limit` and `offset` and answer `{total, limit, offset, items}`.
The analyst page is at `/`, the reader at `/read`."""


def create_app(db_url: str | None = None, *, config_path: str | None = None,
               max_post_bytes: int = DEFAULT_MAX_BYTES, auth: AuthSettings | None = None) -> FastAPI:
    """``auth``: the token and whether reads need it (``dateline.api.auth``); by default
    writes are open to loopback clients of the same site, as a server on 127.0.0.1 is."""
    from dateline.store import Store
    from dateline.settings import load_settings
    from dateline.store.repository import make_engine

    # Each request holds one connection; the ingest thread, the search index's writer and
    # the warm-up take a few more.
    settings = load_settings(config_path)  # read once: the store's hooks and the ingest pipeline get them
    store = Store(db_url, engine=make_engine(db_url, pool_size=MAX_CONCURRENT_REQUESTS + 4), settings=settings)
    # The docs page is Dateline's own (server-side, no CDN); the spec stays at /openapi.json.
    app = FastAPI(title="Dateline", description=DESCRIPTION, version="0.1.0", docs_url=None, redoc_url=None,
                  lifespan=_warm_up)
    app.state.store = store
    app.state.engine = store.engine
    app.state.settings = settings
    app.state.ingestor = Ingestor(store, app.state.settings)
    app.state.max_post_bytes = max_post_bytes
    app.state.auth = auth or AuthSettings()
    app.state.write_rate = WriteRate()
    app.state.trending = TrendingCache(store.engine)
    app.state.search = SearchIndex(store.engine)
    app.state.ingestor.after_commit.append(
        lambda document, created: app.state.search.refresh([] if created else [document.id]))
    app.state.busy = RequestLimiter(MAX_CONCURRENT_REQUESTS, QUEUE_WAIT_S)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.include_router(routes.router)
    app.include_router(workbench.router)  # aggregates, map data, review
    app.include_router(pages.router)
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(PoolTimeout, _busy)  # type: ignore[arg-type]

    # Outermost: every answer (errors and static files included) carries the security headers.
    app.add_middleware(GuardMiddleware)
    return app


SECURITY_HEADERS = [
    # Defence in depth: even if article text slipped into markup, no inline script would run.
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; "
                                 b"img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                 b"frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


class GuardMiddleware:
    """Checks the request target and the read token, bounds how many requests run at once,
    and adds the security headers.

    A plain ASGI middleware rather than ``@app.middleware("http")``: Starlette's
    ``BaseHTTPMiddleware`` runs each request through extra tasks and memory streams, which
    cost about a millisecond of CPU a request, twice over, on a server bound by its CPU."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((k, v) for k, v in SECURITY_HEADERS if k not in present)]
            await send(message)

        if scope["path"].startswith("/static/"):
            await self.app(scope, receive, send_with_headers)
            return
        refusal = self._refusal(Request(scope))
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        if scope["method"] == "POST" and scope["path"] == "/api/documents":
            await self.app(scope, receive, send_with_headers)  # holds no connection; bounded by the ingest queue
            return
        limiter: RequestLimiter = scope["app"].state.busy
        if not await limiter.acquire():
            await _busy_response()(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            limiter.release()

    @staticmethod
    def _refusal(request: Request) -> JSONResponse | None:
        refused = check_request_target(request)
        if refused:
            return JSONResponse({"detail": refused}, status_code=414 if "long" in refused else 400)
        if not read_allowed(request):
            return JSONResponse({"detail": "this server is private: send Authorization: Bearer <token>"},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return None


class RequestLimiter:
    """At most ``limit`` requests handled at once (so the connection pool, sized to it, is
    never exhausted); a request waits ``wait_s`` for a turn, then gets 503 + Retry-After."""

    def __init__(self, limit: int, wait_s: float):
        self.limit, self.wait_s = limit, wait_s
        self._semaphore: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def acquire(self) -> bool:
        loop = asyncio.get_running_loop()
        if self._semaphore is None or self._loop is not loop:  # one per event loop (tests start several)
            self._semaphore, self._loop = asyncio.Semaphore(self.limit), loop
        try:
            await asyncio.wait_for(self._semaphore.acquire(), self.wait_s)
            return True
        except TimeoutError:
            return False

    def release(self) -> None:
        assert self._semaphore is not None
        self._semaphore.release()


def _busy_response() -> JSONResponse:
    return JSONResponse({"detail": "the server is busy; try again shortly"}, status_code=503,
                        headers={"Retry-After": str(RETRY_AFTER_S)})


async def _busy(request: Request, exc: Exception) -> JSONResponse:
    return _busy_response()


@asynccontextmanager
async def _warm_up(app: FastAPI) -> AsyncIterator[None]:
    """Precompute Trending Now and bring the search index up to date in the background at
    start-up, so the first reader does not pay for them."""
    threading.Thread(target=_warm, args=(app,), name="dateline-warm-up", daemon=True).start()
    yield
    app.state.ingestor.close()  # the analysis process, when ``serve`` started one


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
