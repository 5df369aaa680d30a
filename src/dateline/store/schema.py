"""The store's tables (SQLAlchemy Core, portable: SQLite and PostgreSQL).

``documents`` keeps the whole output document as JSON (the contract's shape) plus the
columns people filter on; ``entities``, ``quotes`` and ``events`` flatten it for
queries. Child rows are replaced whenever their document is written again, so
re-ingesting never duplicates. ``inputs`` remembers which input files a run finished,
so a rerun after a crash skips them before reading them.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("doc", Text, nullable=False),              # file name, URL, WARC record id, JSONL id
    Column("url", Text),
    Column("title", Text),
    Column("outlet", String(200)),
    Column("published", String(32)),
    Column("page_date", String(32)),
    Column("anchor_date", String(32)),                # published, else page date: sort key for "latest"
    Column("dateline", String(200)),
    Column("agency", String(100)),
    Column("body_text", Text),                        # body joined with blank lines, for search
    Column("data", JSON, nullable=False),             # Document.to_dict()
    Column("ingested_at", String(32), nullable=False),
    Column("story_id", String(32)),                   # near-duplicate cluster (stories stage)
    Index("ix_documents_anchor_date", "anchor_date"),
    Index("ix_documents_outlet", "outlet"),
    Index("ix_documents_story", "story_id"),
)

document_authors = Table(
    "document_authors",
    metadata,
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(200), primary_key=True),
    Column("bio", Text),
    Index("ix_document_authors_name", "name"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("actor", String(200)),                     # Actor.id within the document
    Column("text", Text),
    Column("start", Integer),
    Column("end", Integer),
    Column("name", Text),
    Column("kind", String(40)),
    Column("country", String(8)),
    Column("sector", String(8)),
    Index("ix_entities_doc", "doc_id"),
    Index("ix_entities_country", "country"),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("text", Text),
    Column("kind", String(16)),
    Column("speaker_name", Text),
    Column("speaker_mention", Text),
    Column("speaker_country", String(8)),
    Column("speaker_sector", String(8)),
    Column("cue", String(100)),
    Column("start", Integer),
    Column("end", Integer),
    Index("ix_quotes_doc", "doc_id"),
    Index("ix_quotes_speaker", "speaker_name"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),           # position in the document's event list
    Column("type", String(16), nullable=False),
    Column("mode", String(40)),
    Column("cameo", String(8)),
    Column("source_name", Text),
    Column("source_country", String(8)),
    Column("source_sector", String(8)),
    Column("target_name", Text),
    Column("target_country", String(8)),
    Column("target_sector", String(8)),
    Column("sources", JSON),                          # every source actor (list of ActorRef dicts)
    Column("targets", JSON),
    Column("date", String(16)),
    Column("date_text", Text),
    Column("place_name", Text),
    Column("place_country", String(8)),
    Column("lat", Float),
    Column("lon", Float),
    Column("evidence", Text),
    Column("start", Integer),
    Column("end", Integer),
    Column("factuality", String(16)),
    Column("confidence", Float),
    Column("merged_id", String(32)),                  # the cross-article event it was merged into
    Column("background", Boolean, default=False),     # recounted from before the news
    Column("casualties", JSON),                       # [{"kind", "count", "text"}] (killed|injured|arrested|displaced)
    Column("killed", Integer),                        # the counts of `casualties` by kind, for filters and exports
    Column("injured", Integer),
    Column("arrested", Integer),
    Column("displaced", Integer),
    Index("ix_events_doc", "doc_id"),
    Index("ix_events_type", "type"),
    Index("ix_events_date", "date"),
    Index("ix_events_dyad", "source_country", "target_country"),
    Index("ix_events_merged", "merged_id"),
)

# One row per input file whose every document was committed (written in the same
# transaction as its last documents): a rerun skips these before parsing them.
inputs = Table(
    "inputs",
    metadata,
    Column("key", String(64), primary_key=True),      # hash of absolute path, size and mtime
    Column("path", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("done_at", String(32), nullable=False),
)

