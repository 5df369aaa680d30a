"""Commands of the export area (filled in by its issue)."""
from __future__ import annotations

from dateline.cli import app  # noqa: F401
