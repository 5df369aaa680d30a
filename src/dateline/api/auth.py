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
- ``private``: reads need the token too (checked by ``require_read_token``, applied to
  every route by the app's middleware).
"""
from __future__ import annotations

import hmac
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


def require_write_token(request: Request) -> None:
    """The dependency of every write route (see the module docstring)."""
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
