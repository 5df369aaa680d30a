"""One typed settings object: the packaged ``data/config.toml`` with a user's file over it.

``load_settings(path)`` reads the files once; whoever starts work (the CLI, the runner,
the API, ``dateline.process``) holds the ``Settings`` and passes it down: to the pipeline
(extraction's limits, the nlp stage's model and components, the events component's
options), to the runner (batch sizes, per-record time limit) and to the ``Store``, whose
hooks hand it to the stories stage (the user's extra issue cues). No module keeps its
own copy, so two runs in one process with two config files never see each other's.

Environment: ``DATELINE_ISSUES`` (a TOML file of extra issues) overrides ``[stories]
issues_file``, read here and nowhere else; ``DATELINE_DB`` is read by ``config.default_db_url``.

A frozen dataclass and not confection: the config is TOML with a handful of values,
and confection's interpolation and registry add nothing for it.
"""
from __future__ import annotations

import copy
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_CONFIG = DATA_DIR / "config.toml"


@dataclass(frozen=True)
class NlpSettings:
    model: str
    batch_size: int                                  # texts per spaCy ``nlp.pipe`` batch
    components: tuple[str, ...]
    disable: tuple[str, ...] = ()
    # Per component, its factory's options as sorted (key, value) pairs (hashable, so a
    # process can keep one built pipeline per NlpSettings).
    options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()

    def component_config(self, name: str) -> dict[str, Any]:
        return dict(dict(self.options).get(name, ()))


@dataclass(frozen=True)
class Limits:
    """Guards against hostile input (see ``[limits]`` in data/config.toml); 0 = no limit."""

    max_input_bytes: int = 10_000_000
    max_article_chars: int = 100_000
    max_attributes_per_tag: int = 5000
    max_tags_per_page: int = 100_000
    max_seconds_per_record: float = 120.0


@dataclass(frozen=True)
class RunSettings:
    batch_size: int = 16           # records per task sent to a worker
    progress_interval: float = 10.0


@dataclass(frozen=True)
class StoriesSettings:
    # A TOML file of issues merged over data/stories/issues.toml (see that file's header).
    issues_file: str | None = None


@dataclass(frozen=True)
class Settings:
    nlp: NlpSettings
    limits: Limits
    run: RunSettings
    store_url: str                 # the store when neither --db nor DATELINE_DB names one
    stories: StoriesSettings = StoriesSettings()
    source: str | None = None      # the user's file merged over the defaults, if any
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """The merged TOML tables as read (a copy)."""
        return copy.deepcopy(self.raw)


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """The default configuration with the TOML file at ``path`` merged over it."""
    raw = _read(DEFAULT_CONFIG)
    if path:
        raw = _merge(raw, _read(Path(path)))
    return _from_tables(raw, str(path) if path else None)


def default_settings() -> Settings:
    """The packaged defaults (for a caller given no settings: a test, a library call)."""
    return load_settings(None)


def _read(path: Path) -> dict[str, Any]:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over``'s values over ``base``'s, table by table (a user's file names only what it changes)."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _from_tables(raw: dict[str, Any], source: str | None) -> Settings:
    nlp, limits, run = raw.get("nlp", {}), raw.get("limits", {}), raw.get("run", {})
    components = tuple(nlp.get("components") or ())
    options = tuple((name, tuple(sorted((k, _frozen(v)) for k, v in (raw.get("components", {}).get(name) or {}).items())))
                    for name in components)
    return Settings(
        nlp=NlpSettings(model=nlp["model"], batch_size=int(nlp.get("batch_size") or 64), components=components,
                        disable=tuple(nlp.get("disable") or ()), options=options),
        limits=Limits(**{k: limits[k] for k in Limits.__dataclass_fields__ if limits.get(k) is not None}),
        run=RunSettings(**{k: run[k] for k in RunSettings.__dataclass_fields__ if run.get(k) is not None}),
        store_url=raw.get("store", {}).get("default_url") or "sqlite:///dateline.db",
        stories=StoriesSettings(issues_file=_issues_file(raw, source)),
        source=source,
        raw=raw,
    )


def _issues_file(raw: dict[str, Any], source: str | None) -> str | None:
    """``DATELINE_ISSUES``, else ``[stories] issues_file`` (a relative path: beside the
    config file that names it)."""
    named = os.environ.get("DATELINE_ISSUES")
    if named:
        return named
    named = raw.get("stories", {}).get("issues_file")
    if not named:
        return None
    return str(Path(source).parent / named) if source and not Path(named).is_absolute() else named


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value
