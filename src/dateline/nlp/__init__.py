"""The nlp stage: one spaCy pipeline with Dateline's components registered on it.

``build(settings)`` loads the spaCy model named in the ``[nlp]`` settings and appends the
components listed there, by their registered factory names, each with its
``[components.NAME]`` options. ``load(settings)`` keeps one pipeline per process and
settings (a worker loads the model once).
"""
from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language

from dateline.settings import NlpSettings, Settings, load_settings
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


def build(settings: Settings | None = None) -> Language:
    """A spaCy Language with Dateline's components, as the settings list them."""
    return _build(_nlp_settings(settings))


def _nlp_settings(settings: Settings | str | None) -> NlpSettings:
    if isinstance(settings, Settings):
        return settings.nlp
    return load_settings(settings).nlp  # a config path (or None: the defaults), read once here


@lru_cache(maxsize=2)
def _build(settings: NlpSettings) -> Language:
    # One built pipeline per distinct [nlp] settings: the model is the cache, not the settings.
    register_components()
    nlp = spacy.load(settings.model, exclude=list(settings.disable))
    nlp.batch_size = settings.batch_size  # texts per nlp.pipe batch ([nlp] batch_size)
    for name in settings.components:
        nlp.add_pipe(name, config=settings.component_config(name))
    return nlp


def load(settings: Settings | str | None = None) -> Language:
    """The process's pipeline for these settings (or a config file; the defaults when None),
    built once per distinct ``[nlp]`` settings."""
    return _build(_nlp_settings(settings))
