"""The Python API: ``dateline.open(db)`` gives typed rows with filters and ``.to_pandas()``;
``dateline.ingest`` runs the batch runner; ``dateline.extract`` takes a path or a page's text."""
from __future__ import annotations

import pytest
from test_store_support import article_text, make_documents, write_articles

import dateline
from dateline.store.queries import ActorRow, EventRow, QuoteRow


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'api.db'}"
    with dateline.open(url) as opened:
        opened.save_many(make_documents(10))
        yield opened


def test_events_are_typed_and_filtered(store):
    events = store.events()
    assert len(events) == 15 and all(isinstance(e, EventRow) for e in events)
    consult = store.events(type="consult")
    assert {e.plover_type for e in consult} == {"CONSULT"} and len(consult) == 10
    norway = store.events(country="nor")
    assert norway and all("NOR" in (e.source_country, e.target_country) for e in norway)
    assert all(e.source_country == "NOR" for e in store.events(source_country="NOR"))
    assert {e.factuality for e in store.events(factuality="possible")} == {"possible"}
    assert all(e.confidence >= 0.5 for e in store.events(min_confidence=0.5))
    assert all(e.date >= "2025-03" for e in store.events(since="2025-03"))
    assert all(e.date <= "2025-02-31" for e in store.events(until="2025-02"))
    assert len(store.events(limit=3)) == 3


def test_filters_are_bound_not_spliced(store):
    assert store.events(type="' OR 1=1 --") == []
    assert store.events(actor="%") == [] and store.events(text="_") == []
    assert store.quotes(speaker="x' OR 'a'='a") == []


def test_rows_become_dataframes_with_the_export_columns(store):
    frame = store.events(type="ACCUSE").to_pandas()
    assert len(frame) == 5 and list(frame.columns)[:3] == ["event_id", "doc_id", "event_index"]
    assert store.events(type="SANCTION").to_pandas().empty
    assert isinstance(store.quotes()[0], QuoteRow)
    actors = store.actors(country="NOR")
    assert actors and isinstance(actors[0], ActorRow) and actors[0].mentions >= 1
    assert len(store.documents().to_pandas()) == 10


def test_ingest_then_open(tmp_path):
    write_articles(tmp_path / "in", 3)
    url = f"sqlite:///{tmp_path / 'b.db'}"
    report = dateline.ingest(tmp_path / "in", db=url, workers=1, analyse=False)
    assert (report.new, report.exit_code) == (3, 0)
    assert dateline.open(url).count() == 3


def test_extract_takes_text_or_path(tmp_path):
    docs = dateline.extract(article_text(5), analyse=False)
    assert len(docs) == 1 and docs[0].article.body
    page = tmp_path / "page.txt"
    page.write_text(article_text(6))
    assert dateline.extract(page, analyse=False)[0].doc == "page.txt"
