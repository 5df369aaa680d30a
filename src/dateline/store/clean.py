"""Text every database accepts, made at the store boundary.

Pages and file names are untrusted: a NUL (PostgreSQL text cannot hold one), a lone
surrogate (a file name that is not UTF-8, as Python's ``surrogateescape`` reads it, or a
``"\\ud800"`` in posted JSON: no driver can encode it) must cost at most that character,
never the batch. ``clean_document`` fixes a Document in place before it is written, so the
stories stage, which files the same objects, sees the cleaned text too.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any

_REFUSED = re.compile("[\x00\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """NUL dropped, each lone surrogate replaced by U+FFFD; other text unchanged (fast path)."""
    if not _REFUSED.search(value):
        return value
    return _SURROGATE.sub("\ufffd", value.replace("\x00", ""))


def clean_value(value: Any) -> Any:
    """Strings inside lists, tuples and dicts (keys too) cleaned; other values as they are."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clean_value(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        clean_dataclass(value)
    return value


def clean_dataclass(obj: Any) -> None:
    """Every string field of a dataclass (and of the dataclasses it holds) cleaned in place."""
    for field in dataclasses.fields(obj):
        value = getattr(obj, field.name)
        cleaned = clean_value(value)
        if cleaned is not value:
            setattr(obj, field.name, cleaned)


def clean_document(document: Any) -> Any:
    clean_dataclass(document)
    return document
