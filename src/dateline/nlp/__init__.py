"""The nlp stage: one spaCy pipeline with Dateline's components registered on it.

``build(config)`` loads the spaCy model named in the config and appends the components
listed there, by their registered factory names. ``load()`` keeps one pipeline per
process (a worker loads the model once).
"""
from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language

from dateline.config import load_config
from dateline.nlp.extensions import register_extensions

# Modules whose import registers a component factory with spaCy.
COMPONENT_MODULES = (
    "dateline.nlp.actors",
    "dateline.nlp.coref",
    "dateline.nlp.timex",
    "dateline.nlp.geo",
    "dateline.nlp.quotes",
    "dateline.events.coder",
)


def register_components() -> None:
    register_extensions()
    for module in COMPONENT_MODULES:
        importlib.import_module(module)


def build(config: dict[str, Any] | None = None) -> Language:
    """A spaCy Language with Dateline's components, as the config lists them."""
    config = config or load_config()
    register_components()
    settings = config["nlp"]
    nlp = spacy.load(settings["model"], exclude=list(settings.get("disable") or []))
    for name in settings["components"]:
        nlp.add_pipe(name, config=dict(config.get("components", {}).get(name) or {}))
    return nlp


@lru_cache(maxsize=2)
def _cached(config_path: str | None) -> Language:
    return build(load_config(config_path))


def load(config_path: str | None = None) -> Language:
    """The process's pipeline for a config file (the default when None), built once."""
    return _cached(config_path)
