"""Where the packaged data lives, and the settings as plain tables for older callers.

The settings themselves are ``dateline.settings.Settings`` (typed, loaded once by whoever
starts the work and passed down); ``load_config`` gives the same merged tables as a dict.
"""
from __future__ import annotations

import os
from typing import Any

from dateline.settings import DATA_DIR, DEFAULT_CONFIG, Settings, load_settings

__all__ = ["DATA_DIR", "DEFAULT_CONFIG", "Settings", "default_db_url", "load_config", "load_settings"]


def load_config(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The default configuration, with the TOML file at ``path`` merged over it (a copy)."""
    return load_settings(path).as_dict()


def default_db_url(settings: Settings | None = None) -> str:
    """``DATELINE_DB`` when set, else the settings' ``[store] default_url`` (``dateline.db``)."""
    return os.environ.get("DATELINE_DB") or (settings or load_settings()).store_url
