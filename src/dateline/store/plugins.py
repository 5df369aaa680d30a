"""The store's hooks (the seam between the store and the stages after it) and the default
plugins registered on them.

A plugin is a module (or any object) with any of: ``setup(store)`` (create its tables;
called when a ``Store`` opens), ``documents_stored(store, documents)`` (after each
committed write) and ``document_deleted(store, doc_id)`` (after a committed delete).
The stories stage is the one default plugin; a ``Store(plugins=())`` runs none.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from dateline.model import Document
from dateline.stories import hooks as stories_hooks

DEFAULT_PLUGINS: tuple[Any, ...] = (stories_hooks,)


class Hooks:
    """The plugins of one store, called in registration order."""

    def __init__(self, plugins: Iterable[Any] = (), retry: Callable[[Callable[[], None]], None] | None = None):
        """``retry`` runs each plugin's call again on lock contention or a restart (the
        store's own write retry): a plugin's transaction rolls back whole, so a second run
        is safe, and one plugin's retry never repeats another's committed work."""
        self.plugins: list[Any] = []
        self._paused = 0
        self._retry = retry or (lambda work: work())
        for plugin in plugins:
            self.register(plugin)

    def register(self, plugin: Any) -> None:
        self.plugins.append(plugin)

    def setup(self, store: Any) -> None:
        for plugin in self.plugins:
            if hasattr(plugin, "setup"):
                plugin.setup(store)

    def documents_stored(self, store: Any, documents: Sequence[Document]) -> None:
        if self._paused or not documents:
            return
        for plugin in self.plugins:
            if hasattr(plugin, "documents_stored"):
                self._retry(lambda plugin=plugin: plugin.documents_stored(store, list(documents)))

    def document_deleted(self, store: Any, doc_id: str) -> None:
        if self._paused:
            return
        for plugin in self.plugins:
            if hasattr(plugin, "document_deleted"):
                self._retry(lambda plugin=plugin: plugin.document_deleted(store, doc_id))

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Writes inside fire no hooks (a caller that files the documents itself, a test
        that stages what a killed run leaves)."""
        self._paused += 1
        try:
            yield
        finally:
            self._paused -= 1
