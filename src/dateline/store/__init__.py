"""The store stage: SQLAlchemy over SQLite (default) or PostgreSQL (by URL)."""
from dateline.store.repository import Store, make_engine

__all__ = ["Store", "make_engine"]
