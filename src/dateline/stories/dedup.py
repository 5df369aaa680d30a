"""Near-duplicate and syndicated articles: MinHash over word shingles, LSH bands in a table.

Each stored document gets a MinHash signature (datasketch) of its body's word n-grams.
The signature is cut into bands; each band's hash is a row of ``story_bands``, so the
candidates of a new document are the documents sharing a band key: one indexed
query, whatever the size of the archive. Candidates are confirmed by the Jaccard
estimate of the stored signatures. Exact re-posts (same normalised body) are found by
a hash of the text.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from dateline.model import Document, normalise_text
from dateline.stories.cues import thresholds
from dateline.stories.schema import story_bands, story_documents

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class DuplicateMatch:
    """Where a new document falls: its near-duplicate group, story and exact original."""

    dup_group: str
    story_id: str
    exact_of: str | None             # the original this re-posts (same or near-same text), if any
    similarity: float | None


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@lru_cache(maxsize=4)
def _template_of(num_perm: int, seed: int) -> MinHash:
    # Permutations are drawn once and shared: every signature must use the same ones.
    return MinHash(num_perm=num_perm, seed=seed, scheme="affine32")


def minhash_values(items: set[str], num_perm: int, seed: int) -> list[int]:
    """MinHash hash values of a set of strings (as plain ints)."""
    template = _template_of(num_perm, seed)
    minhash = MinHash(num_perm=num_perm, permutations=template.permutations, scheme=template.scheme)
    minhash.update_batch([s.encode("utf-8") for s in items])
    return [int(v) for v in minhash.hashvalues]


def signature(words: list[str]) -> list[int]:
    """MinHash hash values of the word n-gram shingles of a text."""
    size = thresholds()["duplicates"]["shingle_words"]
    shingles = {" ".join(words[i:i + size]) for i in range(max(1, len(words) - size + 1))}
    return minhash_values(shingles, thresholds()["duplicates"]["num_perm"], seed=7)


def band_keys(values: list[int]) -> list[str]:
    """One key per LSH band: ``<band>:<hash of its values>``."""
    config = thresholds()["duplicates"]
    width = config["rows"] * 8  # bytes of one band's uint64 values
    packed = np.asarray(values, dtype=np.uint64).tobytes()  # one conversion, then byte slices
    return [f"{band}:{hashlib.blake2b(packed[band * width:(band + 1) * width], digest_size=12).hexdigest()}"
            for band in range(config["bands"])]


def estimated_jaccard(a: list[int], b: list[int]) -> float:
    if not a or not b or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


def register(conn: Connection, doc: Document) -> DuplicateMatch:
    """Add ``doc`` to the duplicate tables (once; a re-ingest keeps its row) and say where it fell."""
    from dateline.stories.names import specific_names

    c = story_documents.c
    row = conn.execute(select(c.dup_group, c.story_id, c.exact_of, c.similarity)
                       .where(c.doc_id == doc.id)).first()
    if row is not None:
        # Same id = same text: keep its place, refresh what a better extractor may change.
        art = doc.article
        conn.execute(update(story_documents).where(c.doc_id == doc.id)
                     .values(outlet=art.outlet, title=art.title, anchor_date=art.anchor_date,
                             names=specific_names(doc)))
        return DuplicateMatch(row.dup_group, row.story_id, row.exact_of, row.similarity)
    text = doc.article.text
    digest = text_hash(text)
    words = words_of(text)
    match = _exact_original(conn, digest)
    values: list[int] | None = None
    if len(words) >= thresholds()["duplicates"]["min_words"]:
        values = signature(words)
        if match is None:
            match = _near_duplicate(conn, values)
    match = match or DuplicateMatch(doc.id, doc.id, None, None)
    if match.story_id != doc.id and not _fits_story(conn, match.story_id, doc.article.anchor_date):
        # A copy of an old text (a template reused, a piece re-run months later) is still
        # its near-duplicate, but reports its own days: it starts a story of its time.
        # Joined without bound, one story grew with every re-run (2,127 articles over 48
        # years in bench/merge_scaling.py's 10,000), and filing with the size of that story.
        match = DuplicateMatch(match.dup_group, doc.id, match.exact_of, match.similarity)
    _insert(conn, doc, digest, words, values, match)
    return match


def _fits_story(conn: Connection, story_id: str, anchor_date: str | None) -> bool:
    """Whether an article of ``anchor_date`` keeps story ``story_id`` within ``max_story_days``."""
    from dateline.stories.schema import stories
    from dateline.stories.text import days_between

    row = conn.execute(select(stories.c.first_date, stories.c.last_date).where(stories.c.id == story_id)).first()
    if row is None or not anchor_date:
        return True
    dates = [d for d in (row.first_date, row.last_date, anchor_date) if d]
    return (days_between(min(dates), max(dates)) or 0) <= thresholds()["stories"]["max_story_days"]


def _exact_original(conn: Connection, digest: str) -> DuplicateMatch | None:
    c = story_documents.c
    row = conn.execute(select(c.doc_id, c.dup_group, c.story_id).where(c.text_hash == digest)
                       .order_by(c.seq).limit(1)).first()
    return DuplicateMatch(row.dup_group, row.story_id, row.doc_id, 1.0) if row else None


@lru_cache(maxsize=2)
def _candidates_query(limit: int):  # built once: constructing it cost as much as running it
    b = story_bands.c
    shared = func.count().label("shared")
    ranked = (select(b.doc_id, shared).where(b.band.in_(bindparam("keys", expanding=True)))
              .group_by(b.doc_id).order_by(shared.desc(), b.doc_id).limit(limit).subquery())
    c = story_documents.c
    return (select(c.doc_id, c.dup_group, c.story_id, c.signature)
            .join(ranked, ranked.c.doc_id == c.doc_id).order_by(ranked.c.shared.desc(), c.doc_id))


def _near_duplicate(conn: Connection, values: list[int]) -> DuplicateMatch | None:
    """The most similar stored document sharing an LSH band, when similar enough.

    Only the ``max_candidates`` documents sharing the most bands are compared: wire copies
    of one template share a band with hundreds of stored articles, and decoding and
    comparing every one of their signatures made each post cost more the bigger the
    archive. The number of shared bands grows as the 4th power of the Jaccard
    (32 x J^4: 2 bands at 0.5, 21 at 0.9), so the best match is among the top ones."""
    config = thresholds()["duplicates"]
    rows = conn.execute(_candidates_query(config["max_candidates"]), {"keys": band_keys(values)}).all()
    rows = [row for row in rows if row.signature and len(row.signature) == len(values)]
    if not rows:
        return None
    # One comparison for all candidates: the estimated Jaccard of each against ``values``.
    similarities = (np.asarray([row.signature for row in rows], dtype=np.uint64)
                    == np.asarray(values, dtype=np.uint64)).mean(axis=1)
    best = int(np.argmax(similarities))  # the first of equals: most shared bands, then by id
    similarity = float(similarities[best])
    if similarity < config["threshold"]:
        return None
    row = rows[best]
    repost_of = row.doc_id if similarity >= config["repost_threshold"] else None
    return DuplicateMatch(row.dup_group, row.story_id, repost_of, round(similarity, 3))


def _insert(conn: Connection, doc: Document, digest: str, words: list[str], values: list[int] | None,
            match: DuplicateMatch) -> None:
    from dateline.stories.clusters import link_of_duplicate, topic_keys, topic_words
    from dateline.stories.names import specific_names

    art = doc.article
    seq = (conn.execute(select(func.max(story_documents.c.seq))).scalar() or 0) + 1
    topic = topic_words(art.title, text_words=words)
    conn.execute(insert(story_documents), {
        "doc_id": doc.id, "story_id": match.story_id, "dup_group": match.dup_group, "exact_of": match.exact_of,
        "similarity": match.similarity, "text_hash": digest, "signature": values, "topic_words": topic,
        "names": specific_names(doc), **link_of_duplicate(match, doc.id),
        "words": len(words), "outlet": art.outlet, "title": art.title, "anchor_date": art.anchor_date, "seq": seq,
    })
    keys = band_keys(values) if values is not None else []
    keys += topic_keys(topic, art.anchor_date)
    if keys:
        conn.execute(insert(story_bands), [{"band": key, "doc_id": doc.id} for key in dict.fromkeys(keys)])
