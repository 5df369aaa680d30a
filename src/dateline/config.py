"""Settings in one place: the packaged ``data/config.toml`` merged with a user's file."""
from __future__ import annotations

import copy
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_CONFIG = DATA_DIR / "config.toml"


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@lru_cache(maxsize=8)
def _read(path: str) -> dict[str, Any]:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def load_config(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The default configuration, with the TOML file at ``path`` merged over it."""
    config = _read(str(DEFAULT_CONFIG))
    if path:
        config = _merge(config, _read(str(path)))
    return copy.deepcopy(config)


def default_db_url() -> str:
    """``DATELINE_DB`` when set, else ``dateline.db`` in the working directory."""
    return os.environ.get("DATELINE_DB") or load_config()["store"]["default_url"]
