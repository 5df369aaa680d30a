"""Who may write, and who may read: a Bearer token shared by every write route.

``require_write_token`` is a FastAPI dependency; every route that changes the store
(``POST /api/documents``, review/merge/split/delete routes) declares it::

    @router.post("/api/...", dependencies=[Depends(require_write_token)])

The server's settings live on ``app.state.auth`` (an ``AuthSettings``):

- a token (``dateline serve --token-file F`` or ``DATELINE_API_TOKEN``): writes need
  ``Authorization: Bearer <token>``, else 401. Compared in constant time, never logged.
- no token, on loopback: writes are open to this machine's own clients, but a browser
  request from another site (``Sec-Fetch-Site: cross-site`` or a foreign ``Origin``) is
  refused with 403, so a web page cannot post through the user's browser.
- no token, on any other interface: write routes are disabled (403 naming the fix).
- ``private``: reads need the token too (checked by ``read_allowed``, applied to every
  route by the app's middleware).

Writes are also rate-limited per client address (``WriteRate`` on ``app.state.write_rate``):
past the burst, 429 with ``Retry-After``.
"""
from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


@dataclass(frozen=True)
class AuthSettings:
    token: str | None = None
    private: bool = False
    writes_enabled: bool = True   # False: bound beyond loopback without a token

    def __repr__(self) -> str:  # never print the token
        return f"AuthSettings(token={'set' if self.token else None}, private={self.private}, " \
               f"writes_enabled={self.writes_enabled})"


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def settings_for(host: str, token: str | None, private: bool = False) -> AuthSettings:
    """The settings a server bound to ``host`` runs with; ValueError when they cannot work."""
    token = token.strip() if token else None
    if token is not None and len(token) < 16:
        raise ValueError("the API token must be at least 16 characters")
    if private and not token:
        raise ValueError("--private needs a token (--token-file or DATELINE_API_TOKEN)")
    return AuthSettings(token=token or None, private=private, writes_enabled=bool(token) or is_loopback(host))


def _settings(request: Request) -> AuthSettings:
    return getattr(request.app.state, "auth", None) or AuthSettings()


def bearer_matches(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode("utf-8", "replace"), token.encode("utf-8"))


def _unauthorised() -> HTTPException:
    return HTTPException(401, "a token is needed: send Authorization: Bearer <token>",
                         headers={"WWW-Authenticate": "Bearer"})


def _cross_site(request: Request) -> bool:
    if request.headers.get("sec-fetch-site", "") == "cross-site":
        return True
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin == "null"
    return urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower()


class WriteRate:
    """A token bucket per client address: ``per_second`` writes sustained, ``burst`` at once."""

    def __init__(self, per_second: float = 20.0, burst: int = 60, max_clients: int = 10_000):
        self.per_second, self.burst, self.max_clients = per_second, burst, max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait_needed(self, client: str) -> float:
        """0 when this write may go ahead (and is counted), else the seconds until one may."""
        now = time.monotonic()
        with self._lock:
            if len(self._buckets) > self.max_clients:  # bounded memory: forget idle clients
                self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 60}
            tokens, seen = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - seen) * self.per_second)
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                return (1 - tokens) / self.per_second
            self._buckets[client] = (tokens - 1, now)
            return 0.0


def require_write_token(request: Request) -> None:
    """The dependency of every write route (see the module docstring)."""
    _check_write_access(request)
    rate = getattr(request.app.state, "write_rate", None)
    if rate is not None:
        wait = rate.wait_needed(request.client.host if request.client else "unknown")
        if wait:
            raise HTTPException(429, "too many writes from this client; slow down",
                                headers={"Retry-After": str(max(1, round(wait)))})


def _check_write_access(request: Request) -> None:
    settings = _settings(request)
    if settings.token:
        if not bearer_matches(request, settings.token):
            raise _unauthorised()
        return
    if not settings.writes_enabled:
        raise HTTPException(403, "writes are disabled: this server listens beyond loopback without a token "
                                 "(start it with --token-file or DATELINE_API_TOKEN)")
    if _cross_site(request):
        raise HTTPException(403, "cross-site writes are refused")


def read_allowed(request: Request) -> bool:
    """False when the server is private and the request has no valid token."""
    settings = _settings(request)
    return not settings.private or (settings.token is not None and bearer_matches(request, settings.token))
