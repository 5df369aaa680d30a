"""The stories stage: what holds across articles (near-duplicates, merged events,
timelines, negotiation positions). Placeholder: filled in by its issue."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dateline.model import Document


def on_documents_stored(store: Any, documents: Sequence[Document]) -> None:
    """Update the cross-article tables incrementally after ``documents`` were stored.

    Called by every writer (the ingest command, the batch runner, the API) after each
    committed batch; must never recompute the whole archive.
    """
