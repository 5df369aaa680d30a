"""Merging never makes an event whose source is its target, and the store check finds the
ones the coder made (invented reports)."""
from __future__ import annotations

from sqlalchemy import select

from dateline.model import ActorRef, Article, Document, Event
from dateline.store import Store
from dateline.stories import on_documents_stored
from dateline.stories.checks import dyad_kind, self_dyads
from dateline.stories.schema import merged_events


def _report(name: str, evidence: str, sources: list[str], targets: list[str], outlet: str) -> Document:
    event = Event(type="REQUEST", source=[ActorRef(c, c) for c in sources], target=[ActorRef(c, c) for c in targets],
                  date="2025-07-23", evidence=evidence, start=0, end=len(evidence), confidence=0.8)
    article = Article(title=name, outlet=outlet, published="2025-07-24", body=[evidence + "."])
    return Document(doc=name, article=article, events=[event])


def _file(store: Store, docs: list[Document]) -> None:
    for doc in docs:
        store.save(doc)
        on_documents_stored(store, [doc])


def test_two_codings_of_one_demand_do_not_make_a_self_dyad(db_url):
    store = Store(db_url)
    _file(store, [
        _report("a", "Arvala demanded that Belmora withdraw its troops from the border towns", ["RUS"], ["UKR"], "One"),
        # the second outlet's coder also put the target among the sources
        _report("b", "Arvala demanded on Wednesday that Belmora withdraw its troops from the border towns",
                ["RUS", "UKR"], ["UKR"], "Two"),
    ])
    with store.engine.connect() as conn:
        rows = conn.execute(select(merged_events.c.source_key, merged_events.c.target_key, merged_events.c.mentions)).all()
    assert [(r.source_key, r.target_key, r.mentions) for r in rows] == [("RUS", "UKR", 2)]
    assert self_dyads(store)["merged"] == []


def test_the_check_tells_self_joint_and_overlapping_sides_apart(db_url):
    assert dyad_kind(["RUS"], ["RUS"]) == "self"
    assert dyad_kind(["RUS", "UKR"], ["UKR", "RUS"]) == "joint"
    assert dyad_kind(["RUS", "UKR"], ["UKR"]) == "overlap"
    assert dyad_kind(["RUS"], ["UKR"]) is None and dyad_kind(["RUS"], []) is None
    store = Store(db_url)
    _file(store, [_report("c", "Arvala police arrested Arvala protesters", ["RUS"], ["RUS"], "Three")])
    found = self_dyads(store)
    assert [(f["kind"], f["type"]) for f in found["events"]] == [("self", "REQUEST")]
    assert [(f["kind"], f["from_mentions"]) for f in found["merged"]] == [("self", True)]
