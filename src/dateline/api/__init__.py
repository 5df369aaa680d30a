"""The serving stage: a FastAPI app with the JSON API (``/api``), the analyst page (``/``)
and the reader (``/read``), all over one store. ``create_app(db_url)`` builds it."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(db_url: str | None = None, **options: Any) -> FastAPI:
    from dateline.api.app import create_app as factory  # late: importing the package stays cheap

    return factory(db_url, **options)


__all__ = ["create_app"]
