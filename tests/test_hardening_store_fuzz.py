"""The store fuzzed directly (issue 17, item 5): property-based tests with Hypothesis over
the Document model, on SQLite and PostgreSQL.

Documents are generated with any characters (NUL, lone surrogates, control characters,
astral planes) in every text field, repeated and near-repeated author names, odd dates,
offsets and actor ids, events with odd parties and places. Whatever they hold, a save
never raises, reads back as the document cleaned at the boundary, is filed into the
stories tables, and saving it again creates nothing new. Bounded: a few dozen examples
per database, no per-example deadline (the machine is shared).
"""
from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from test_store_support import pg_url, store_url  # noqa: F401

from dateline.model import Actor, ActorRef, Article, Document, Event, Mention, Place, Quote, TimeExpression
from dateline.store import Store
from dateline.store.clean import clean_value

# Every category, control and surrogate characters included: pages and names are untrusted.
ANY_CHAR = st.characters(categories=["L", "M", "N", "P", "S", "Z", "C"])
TEXT = st.text(ANY_CHAR, max_size=40)
# A document's id hashes its body and address, so those never hold a lone surrogate
# (decoding replaced it before a Document is made); NUL and control characters they may.
ID_TEXT = st.text(st.characters(categories=["L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Co"]), max_size=40)
SOME_TEXT = st.one_of(st.none(), TEXT)
WORDS = st.text(string.ascii_letters + " ", min_size=1, max_size=30)
DATES = st.one_of(st.none(), st.dates().map(str), st.sampled_from(["2025", "2025-07", "2025-W30", "yesterday"]), TEXT)
OFFSET = st.integers(0, 2**31 - 1)
KINDS = st.sampled_from(["person", "org", "country", "group", "place-as-actor"])
PLOVER = st.one_of(st.sampled_from(["CONSULT", "AGREE", "ACCUSE", "ASSAULT", "REQUEST", "PROTEST"]), TEXT)

refs = st.builds(ActorRef, name=TEXT, country=SOME_TEXT, sector=SOME_TEXT, actor=SOME_TEXT,
                 mention=SOME_TEXT, code=SOME_TEXT)
places = st.builds(Place, name=TEXT, country=SOME_TEXT,
                   lat=st.one_of(st.none(), st.floats(-90, 90)), lon=st.one_of(st.none(), st.floats(-180, 180)),
                   start=st.one_of(st.none(), OFFSET), end=st.one_of(st.none(), OFFSET), role=SOME_TEXT)
casualties = st.fixed_dictionaries({"kind": st.sampled_from(["killed", "injured", "arrested", "displaced"]),
                                    "count": st.integers(0, 10**6), "text": TEXT})
events = st.builds(Event, type=PLOVER, cameo=SOME_TEXT, source=st.lists(refs, max_size=2),
                   target=st.lists(refs, max_size=2), date=DATES, date_text=SOME_TEXT,
                   place=st.one_of(st.none(), places), evidence=TEXT, start=OFFSET, end=OFFSET,
                   factuality=st.sampled_from(["asserted", "possible", "negated"]),
                   confidence=st.floats(0, 1), trigger=SOME_TEXT, issues=st.lists(TEXT, max_size=2),
                   background=st.booleans(), casualties=st.lists(casualties, max_size=2))
quotes = st.builds(Quote, text=TEXT, kind=st.sampled_from(["direct", "partial", "indirect"]),
                   speaker=st.one_of(st.none(), refs), cue=SOME_TEXT, start=OFFSET, end=OFFSET,
                   stance=SOME_TEXT)
actors = st.dictionaries(TEXT, st.builds(Actor, id=TEXT, name=TEXT, kind=KINDS, country=SOME_TEXT,
                                         sector=SOME_TEXT, title=SOME_TEXT, code=SOME_TEXT,
                                         aliases=st.lists(TEXT, max_size=2)), max_size=3)
# Author names that repeat, or agree on their first 200 characters (one unique key once).
long_prefix = "N" * 200
authors = st.lists(st.one_of(TEXT, TEXT.map(lambda tail: long_prefix + tail)), max_size=4)
articles = st.builds(Article, title=SOME_TEXT, authors=authors, outlet=SOME_TEXT, published=DATES,
                     page_date=DATES, url=st.one_of(st.none(), ID_TEXT), dateline=SOME_TEXT, agency=SOME_TEXT,
                     body=st.lists(st.one_of(ID_TEXT, WORDS), min_size=1, max_size=4), language=SOME_TEXT)
documents = st.builds(Document, doc=TEXT, article=articles,
                      entities=st.lists(st.builds(Mention, text=TEXT, start=OFFSET, end=OFFSET, actor=TEXT),
                                        max_size=3),
                      actors=actors, quotes=st.lists(quotes, max_size=2), events=st.lists(events, max_size=3),
                      places=st.lists(places, max_size=2),
                      times=st.lists(st.builds(TimeExpression, text=TEXT, start=OFFSET, end=OFFSET, value=DATES),
                                     max_size=2))

BOUNDED = settings(max_examples=25, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                          HealthCheck.data_too_large])


def _filed(store: Store, doc_id: str) -> bool:
    from dateline.stories.schema import story_documents

    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(story_documents)
                            .where(story_documents.c.doc_id == doc_id)).scalar() == 1


@BOUNDED
@given(batch=st.lists(documents, min_size=1, max_size=3))
def test_any_documents_are_stored_cleaned_filed_and_never_twice(store_url, batch):  # noqa: F811
    store = Store(store_url)
    try:
        before = store.count()
        known = {d["id"] for d in store.list_documents(limit=10_000)}
        expected = {}
        for document in batch:
            expected[document.id] = clean_value(Document.from_dict(document.to_dict())).to_dict()
        flags = store.save_many(batch)
        assert flags == [d.id not in known and d.id not in {e.id for e in batch[:i]}
                         for i, d in enumerate(batch)]
        assert store.count() == before + sum(flags)
        for doc_id, cleaned in expected.items():
            stored = store.get(doc_id)
            assert stored is not None
            assert _filed(store, doc_id)
            assert stored.to_dict()["article"]["body"] == cleaned["article"]["body"]
            assert stored.to_dict() == cleaned  # of the last copy, when two share an id (text and url)
        assert store.save_many(batch) == [False] * len(batch)  # a rerun stores nothing twice
        assert store.count() == before + sum(flags)
    finally:
        store.close()

