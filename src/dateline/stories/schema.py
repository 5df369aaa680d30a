"""The stories stage's tables, on its own ``metadata`` (SQLite and PostgreSQL), created on
the store's engine by the stories plugin (``dateline.stories.hooks``).

Every row names the document it came from, so re-ingesting a document first removes
its rows and then adds them again (never double counts), and no table is ever
recomputed from the whole archive.

``story_documents``   one row per stored document: its story, its near-duplicate group,
                      the document it exactly re-posts (if any), its MinHash signature.
``story_bands``       LSH band keys of each document's MinHash (candidate lookup by index):
                      "<band>:<hash>" for near-duplicates, "t<week>:<i>:<min>" for topics.
``stories``           one row per story: canonical document, title, dates, counts.
``merged_events``     one row per happening reported by one or more articles, with
                      GDELT-like counts: ``mentions``, ``sources`` (distinct outlets),
                      ``articles`` (distinct documents).
``merged_parties``    lookup rows of merged events by type, party and date (merging only).
``event_mentions``    provenance: every event of every document and the merged event it
                      belongs to (document, outlet, evidence, offsets); ``counted`` is false
                      for an exact re-post's events, which never count as new mentions.
``negotiation_positions``  one row per stance a party takes on an issue in a document
                      (from an event or a quote), with date and evidence.
"""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Float, Index, Integer, MetaData, Table, Text
from sqlalchemy import String as _String
from sqlalchemy.types import TypeDecorator


class String(TypeDecorator):
    """VARCHAR(n) whose values are cut to n characters when written (and compared).

    The stories tables hold values of the documents they file (event types, dates,
    country codes of the Document model). PostgreSQL refuses a longer value, failing the
    whole batch's filing, while SQLite ignores lengths; a Document built by a library user
    or a future stage may hold anything (the store fuzz test found an 11-character country
    code). The store's own tables are cut the same way (``store.repository._fit``)."""

    impl = _String
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001, ANN201 - SQLAlchemy's signature
        length = self.impl.length
        return value[:length] if isinstance(value, str) and length and len(value) > length else value

# Its own MetaData, not the store's: the store never imports this stage's tables, so the two
# schema modules do not import each other; tables of both join fine on one engine.
metadata = MetaData()

story_documents = Table(
    "story_documents",
    metadata,
    Column("doc_id", String(32), primary_key=True),
    Column("story_id", String(32), nullable=False),
    Column("dup_group", String(32), nullable=False),   # first document of its near-duplicate group
    Column("exact_of", String(32)),                    # the earlier document it re-posts (same or near-same text)
    Column("similarity", Float),                       # estimated Jaccard to the group's first document
    Column("text_hash", String(64), nullable=False),
    Column("signature", JSON),                         # MinHash hash values (list of ints)
    Column("topic_words", JSON),                       # content words of title and body (candidate lookup)
    Column("names", JSON),                             # specific content: actor ids and place names (story linking)
    Column("link_reason", String(24)),                 # why it joined its story: near-duplicate | re-post | shared events | shared names
    Column("link_score", Float),                       # the strength of that link (similarity, events shared, name overlap)
    Column("link_detail", Text),                       # the link in words, as the reader shows it
    Column("words", Integer, nullable=False),
    Column("outlet", Text),
    Column("title", Text),
    Column("anchor_date", String(32)),
    Column("seq", Integer, nullable=False),            # arrival order (ties: first stored wins)
    Index("ix_story_documents_story", "story_id"),
    Index("ix_story_documents_dup", "dup_group"),
    Index("ix_story_documents_hash", "text_hash"),
    Index("ix_story_documents_seq", "seq"),
)

story_bands = Table(
    "story_bands",
    metadata,
    Column("band", String(40), primary_key=True),      # "<band index>:<hash of the band's values>"
    Column("doc_id", String(32), primary_key=True),
    Index("ix_story_bands_doc", "doc_id"),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("canonical_doc_id", String(32)),            # earliest article, then the longest
    Column("title", Text),
    Column("first_date", String(32)),
    Column("last_date", String(32)),
    Column("articles", Integer, nullable=False, default=0),
    Column("outlets", Integer, nullable=False, default=0),
    Index("ix_stories_last_date", "last_date"),
)

merged_events = Table(
    "merged_events",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("type", String(16), nullable=False),
    # Parties as most of its mentions code them (a party named by at least half of them):
    Column("source_key", Text, nullable=False),         # "RUS" / "RUS+UKR" (symmetric: every party)
    Column("target_key", Text, nullable=False),         # "" for symmetric types or an unknown target
    Column("source_country", String(8)),
    Column("target_country", String(8)),
    Column("date", String(16)),                         # most precise date the mentions agree on, or None
    Column("date_lo", String(10), nullable=False),      # the interval every mention's date agrees with
    Column("date_hi", String(10), nullable=False),
    Column("span", String(8), nullable=False),          # day | window | month | year: width of date_lo..date_hi
    Column("place_name", Text),
    Column("place_country", String(8)),
    Column("factuality", String(16)),
    Column("issues", JSON),                             # negotiation issue labels found in its evidence
    Column("evidence", Text),                           # best evidence (highest confidence)
    Column("doc_id", String(32)),                       # document of the best evidence
    Column("confidence", Float),
    Column("mentions", Integer, nullable=False, default=0),
    Column("sources", Integer, nullable=False, default=0),
    Column("articles", Integer, nullable=False, default=0),
    Column("first_seen", String(32)),                   # earliest article date among its mentions
    Index("ix_merged_date", "date_lo"),
    Index("ix_merged_source_country", "source_country"),
    Index("ix_merged_target_country", "target_country"),
)

# Candidate lookup for merging: one row per party any mention of a merged event names,
# with its type and dates. Searched by (type, party, span, date_lo): a tight range per
# date width, so the cost of finding candidates does not grow with the archive.
merged_parties = Table(
    "merged_parties",
    metadata,
    Column("merged_id", String(32), primary_key=True),
    Column("party", String(120), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("span", String(8), nullable=False),
    Column("date_lo", String(10), nullable=False),
    Column("date_hi", String(10), nullable=False),
    Index("ix_merged_parties_lookup", "type", "party", "span", "date_lo"),
)

event_mentions = Table(
    "event_mentions",
    metadata,
    Column("doc_id", String(32), primary_key=True),
    Column("idx", Integer, primary_key=True),           # position in the document's event list
    Column("merged_id", String(32), nullable=False),
    Column("type", String(16)),
    Column("source_key", Text),
    Column("target_key", Text),
    Column("outlet", Text),
    Column("anchor_date", String(32)),
    Column("date", String(16)),                         # the event's own date, or None
    Column("date_lo", String(10), nullable=False),      # the days it may have happened on
    Column("date_hi", String(10), nullable=False),
    Column("place_name", Text),
    Column("place_country", String(8)),
    Column("factuality", String(16)),
    Column("issues", JSON),
    Column("evidence", Text),
    Column("start", Integer),
    Column("end", Integer),
    Column("confidence", Float),
    Column("similarity", Float),                        # evidence similarity when it joined (100 = founder)
    Column("counted", Boolean, nullable=False, default=True),
    Index("ix_event_mentions_merged", "merged_id"),
)

negotiation_positions = Table(
    "negotiation_positions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), nullable=False),
    Column("origin", String(8), nullable=False),        # "event" | "quote"
    Column("idx", Integer, nullable=False),             # the event's or quote's position in the document
    Column("party", String(120), nullable=False),       # country code (or actor name when it has none)
    Column("counterpart", Text),                        # "UKR", "RUS+UKR", or None
    Column("issue", String(80), nullable=False),
    Column("stance", String(16), nullable=False),       # demand | offer | concession | rejection | agreement
    Column("date", String(16)),                         # the statement's date, else its article's
    Column("evidence", Text),
    Column("start", Integer),
    Column("end", Integer),
    Column("outlet", Text),
    Column("speaker", Text),
    Column("merged_id", String(32)),
    Column("counted", Boolean, nullable=False, default=True),
    Index("ix_positions_doc", "doc_id"),
    Index("ix_positions_party_issue", "party", "issue"),
    Index("ix_positions_date", "date"),
)

TABLES = (story_documents, story_bands, stories, merged_events, merged_parties, event_mentions,
          negotiation_positions)
