"""The stories stage on an invented multi-article set (hand-built Documents: no nlp)."""
from __future__ import annotations

import copy
import dataclasses
import json
import shutil
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from dateline.model import ActorRef, Article, Document, Event
from dateline.store import Store
from dateline.stories import forget_document, on_documents_stored, queries
from dateline.stories.schema import event_mentions, merged_events, story_documents

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "stories"))
import articles as fixture


def _ingest(store: Store, docs: list[Document]) -> None:
    for doc in docs:
        store.save(doc)
        on_documents_stored(store, [doc])


@pytest.fixture
def docs() -> dict[str, Document]:
    return fixture.by_key()


@pytest.fixture(scope="module")
def built_db(tmp_path_factory) -> Path:
    """The fixture set ingested once; each test gets a copy of the database file."""
    path = tmp_path_factory.mktemp("stories") / "built.db"
    store = Store(f"sqlite:///{path}")
    _ingest(store, fixture.build_documents())
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture
def store(built_db, tmp_path) -> Store:
    copy_path = tmp_path / "stories.db"
    shutil.copyfile(built_db, copy_path)
    return Store(f"sqlite:///{copy_path}")


def _story_rows(store: Store) -> dict[str, dict]:
    with store.engine.connect() as conn:
        return {r.doc_id: dict(r._mapping) for r in conn.execute(select(story_documents))}


def _merged(store: Store, type_: str, date: str) -> list[dict]:
    return [r for r in queries.timeline(store, types=[type_]) if r["date"] == date]


# -- duplicates ------------------------------------------------------------------------

def test_syndicated_copies_are_one_near_duplicate_group(store, docs):
    rows = _story_rows(store)
    harbor, lakeside, repost = (docs[k].id for k in ("swap_wire_harbor", "swap_wire_lakeside", "swap_repost"))
    assert rows[lakeside]["dup_group"] == rows[harbor]["dup_group"] == rows[repost]["dup_group"]
    assert rows[lakeside]["similarity"] >= 0.5 and rows[lakeside]["exact_of"] is None
    assert rows[repost]["exact_of"] == lakeside


def test_articles_in_different_words_are_not_duplicates(store, docs):
    rows = _story_rows(store)
    groups = {rows[docs[k].id]["dup_group"] for k in ("sept_round_meridian", "sept_round_capital",
                                                      "sept_round_northern", "may_round", "typhoon_aid")}
    assert len(groups) == 5


def test_exact_repost_never_counts_its_events(store, docs):
    swap = _merged(store, "COOPERATE", "2025-09-12")
    assert len(swap) == 1
    assert (swap[0]["mentions"], swap[0]["articles"]) == (3, 3)   # two wire copies and the follow-up
    provenance = queries.mentions(store, swap[0]["id"])
    repost = [m for m in provenance if m["doc_id"] == docs["swap_repost"].id]
    assert len(repost) == 1 and not repost[0]["counted"]


# -- merging ---------------------------------------------------------------------------

def test_one_meeting_reported_by_three_outlets_is_one_event_with_three_mentions(store, docs):
    meeting = _merged(store, "CONSULT", "2025-09-10")
    assert len(meeting) == 1
    event = meeting[0]
    assert (event["mentions"], event["sources"], event["articles"]) == (3, 3, 3)
    assert event["place"] == "Istanbul" and event["source"] == "RUS+UKR"
    provenance = queries.mentions(store, event["id"])
    keys = ("sept_round_meridian", "sept_round_capital", "sept_round_northern")
    assert {m["doc_id"] for m in provenance} == {docs[k].id for k in keys}
    for mention in provenance:
        text = next(d for d in docs.values() if d.id == mention["doc_id"]).article.text
        assert text[mention["start"]:mention["end"]] == mention["evidence"]
        assert mention["outlet"]


def test_the_may_round_and_the_september_round_stay_apart(store):
    rounds = queries.timeline(store, actors=["RUS", "UKR"], types=["CONSULT"])
    assert [r["date"] for r in rounds] == ["2025-05-16", "2025-09-10"]
    assert [r["mentions"] for r in rounds] == [1, 3]


def test_events_table_points_to_merged_events(store, docs):
    from dateline.store import schema

    with store.engine.connect() as conn:
        ids = conn.execute(select(schema.events.c.merged_id).where(
            schema.events.c.doc_id == docs["sept_round_capital"].id)).scalars().all()
    assert ids and all(ids)


def _event_doc(doc_id_text: str, date: str, evidence: str, type_: str = "CONSULT",
               outlet: str = "Test Outlet", anchor: str = "2025-07-30") -> Document:
    article = Article(title=doc_id_text, outlet=outlet, published=anchor, body=[evidence + "."])
    event = Event(type=type_, source=[ActorRef("Russia", "RUS")], target=[ActorRef("Ukraine", "UKR")],
                  date=date, evidence=evidence, start=0, end=len(evidence), confidence=0.8)
    return Document(doc=doc_id_text, article=article, events=[event])


def test_dates_agree_at_the_shared_precision(db_url):
    store = Store(db_url)
    _ingest(store, [
        _event_doc("a", "2025-07-23", "Russia and Ukraine held talks in Istanbul on Wednesday"),
        _event_doc("b", "2025-07", "Russia and Ukraine held talks in Istanbul in July"),
        _event_doc("c", "2025-05", "Russia and Ukraine held talks in Istanbul in May"),
        _event_doc("d", "2025-07-24", "Russia and Ukraine held talks in Istanbul on Thursday"),
    ])
    rows = queries.timeline(store, types=["CONSULT"])
    assert sorted((r["date"], r["mentions"]) for r in rows) == [
        ("2025-05", 1), ("2025-07-23", 2), ("2025-07-24", 1)]


def test_different_issues_on_one_day_stay_apart(db_url):
    store = Store(db_url)
    _ingest(store, [
        _event_doc("a", "2025-07-23", "Russia demanded that Ukraine withdraw from four regions", "REQUEST"),
        _event_doc("b", "2025-07-23", "Russia demanded the release of its prisoners of war", "REQUEST"),
    ])
    assert [r["mentions"] for r in queries.timeline(store, types=["REQUEST"])] == [1, 1]


def test_an_agreement_reported_from_the_talks_joins_the_round(db_url):
    store = Store(db_url)
    _ingest(store, [
        _event_doc("a", "2025-07-23", "Russia and Ukraine held a third round of talks in Istanbul on Wednesday"),
        _event_doc("b", "2025-07-23", "At the third round of talks in Istanbul on Wednesday Russia and Ukraine "
                   "agreed to keep negotiating", "AGREE", outlet="Other Outlet"),
        _event_doc("c", "2025-07-23", "At the talks in Istanbul on Wednesday Russia and Ukraine agreed to swap "
                   "prisoners", "AGREE", outlet="Third Outlet"),
    ])
    rows = queries.timeline(store, types=["CONSULT", "AGREE"])
    # the agreement that is the round itself joins it; a deal on an issue made there is its own
    assert sorted((r["type"], r["mentions"]) for r in rows) == [("AGREE", 1), ("CONSULT", 2)]


def test_reingesting_never_double_counts(store, docs):
    before = queries.timeline(store)
    _ingest(store, list(fixture.by_key().values()))
    after = queries.timeline(store)
    assert [(r["id"], r["mentions"], r["sources"]) for r in after] == \
        [(r["id"], r["mentions"], r["sources"]) for r in before]
    assert len(_story_rows(store)) == len(docs)


def test_forgetting_a_document_recomputes_its_merged_events(store, docs):
    forget_document(store, docs["sept_round_northern"].id)
    meeting = _merged(store, "CONSULT", "2025-09-10")[0]
    assert (meeting["mentions"], meeting["sources"]) == (2, 2)
    with store.engine.connect() as conn:
        left = conn.execute(select(event_mentions).where(event_mentions.c.doc_id == docs["sept_round_northern"].id))
        assert left.first() is None


def test_merged_event_keeps_the_most_precise_agreeing_date(db_url):
    store = Store(db_url)
    _ingest(store, [_event_doc("a", "2025-07", "Russia and Ukraine held talks in Istanbul in July"),
                    _event_doc("b", "2025-07-23", "Russia and Ukraine held talks in Istanbul on Wednesday")])
    with store.engine.connect() as conn:
        row = conn.execute(select(merged_events)).one()
    assert (row.date, row.date_lo, row.date_hi, row.mentions) == ("2025-07-23", "2025-07-23", "2025-07-23", 2)


# -- stories ---------------------------------------------------------------------------

def test_story_clusters(store, docs):
    story = queries.story_of(store, docs["sept_round_meridian"].id)
    members = {d["doc_id"] for d in story["documents"]}
    expected = {docs[k].id for k in ("sept_round_meridian", "sept_round_capital", "sept_round_northern",
                                     "swap_wire_harbor", "swap_wire_lakeside", "swap_repost",
                                     "followup_rejection")}
    assert members == expected
    assert story["canonical_doc_id"] in expected and sum(d["canonical"] for d in story["documents"]) == 1
    trade = queries.story_of(store, docs["tariffs_talks"].id)
    assert {d["doc_id"] for d in trade["documents"]} == {docs[k].id for k in (
        "tariffs_announced", "tariffs_reaction", "tariffs_talks")}
    assert len(queries.story_of(store, docs["typhoon_aid"].id)["documents"]) == 1
    assert len(queries.story_of(store, docs["may_round"].id)["documents"]) == 1


def test_story_id_is_written_to_documents(store, docs):
    from dateline.store import schema

    with store.engine.connect() as conn:
        rows = dict(conn.execute(select(schema.documents.c.id, schema.documents.c.story_id)).all())
    assert rows[docs["sept_round_meridian"].id] == rows[docs["followup_rejection"].id]
    assert rows[docs["typhoon_aid"].id] != rows[docs["followup_rejection"].id]


def test_related_documents_best_first(store, docs):
    related = queries.related_documents(store, docs["swap_wire_lakeside"].id)
    assert related[0]["doc_id"] == docs["swap_repost"].id and related[0]["relation"] == "re-post"
    assert related[1]["doc_id"] == docs["swap_wire_harbor"].id and related[1]["relation"] == "near-duplicate"
    assert {r["relation"] for r in related[2:]} == {"same story"}


def test_list_stories_and_story_detail(store):
    stories = queries.list_stories(store)
    assert [s["articles"] for s in stories] == [3, 7, 1, 1]   # newest first
    detail = queries.story_detail(store, stories[1]["id"])
    assert len(detail["documents"]) == 7
    assert any(e["type"] == "CONSULT" and e["mentions"] == 3 for e in detail["timeline"])


# -- negotiations ----------------------------------------------------------------------

def _tracks(result: dict) -> dict[tuple[str, str], dict]:
    return {(i["issue"], p["party"]): p for i in result["issues"] for p in i["positions"]}


def test_tracker_shows_each_partys_stance_per_issue(store):
    result = queries.negotiations(store, ["RUS", "UKR"])
    tracks = _tracks(result)
    assert tracks[("territory", "RUS")]["stance"] == "demand"
    assert tracks[("territory", "UKR")]["stance"] == "rejection"
    assert tracks[("prisoners", "RUS")]["stance"] == tracks[("prisoners", "UKR")]["stance"] == "agreement"
    assert tracks[("leaders_meeting", "UKR")]["stance"] == "demand"
    assert tracks[("leaders_meeting", "RUS")]["stance"] == "rejection"
    assert tracks[("ceasefire", "UKR")]["stance"] == "demand"
    assert next(i for i in result["issues"] if i["issue"] == "prisoners")["agreement"]
    assert result["mediators"] == ["TUR"]
    assert tracks[("ceasefire", "TUR")]["role"] == "mediator"


def test_tracker_shows_when_a_stance_changed(store):
    ceasefire = _tracks(queries.negotiations(store, ["RUS", "UKR"]))[("ceasefire", "RUS")]
    assert ceasefire["stance"] == "rejection" and ceasefire["since"] == "2025-09-17"
    assert ceasefire["changes"] == [{"date": "2025-09-17", "from": "offer", "to": "rejection"}]
    offer = ceasefire["history"][0]
    assert offer["stance"] == "offer" and len({e["doc_id"] for e in offer["evidence"]}) == 2


def test_tracker_date_filter_and_api_form(store):
    may = _tracks(queries.negotiations(store, ["RUS", "UKR"], date_to="2025-05"))
    assert ("ceasefire", "RUS") not in may and may[("territory", "UKR")]["stance"] == "rejection"
    page = queries.negotiations(store, dyad="RUS-UKR", limit=2)
    assert page["total"] >= 4 and len(page["items"]) == 2 and page["items"][0]["dyad"] == "RUS-UKR"
    busiest = queries.negotiations(store, limit=50)
    assert {i["dyad"] for i in busiest["items"]} >= {"RUS-UKR"}


def test_precondition_is_a_demand_for_the_issue_it_names():
    from dateline.stories.positions import issue_stances

    stances = issue_stances("it will not discuss territorial issues until after a ceasefire is in place", "rejection")
    assert stances == {"territory": "rejection", "ceasefire": "demand"}
    demanded = issue_stances("Russia demanded a withdrawal from four regions before any ceasefire", "demand")
    assert demanded == {"territory": "demand"}
    conditioned = issue_stances("a truce would only be possible once the troops left the regions", "demand")
    assert conditioned == {"territory": "demand"}


def test_users_can_extend_the_issue_list(tmp_path, monkeypatch):
    from dateline.settings import load_settings
    from dateline.stories import cues

    extra = tmp_path / "issues.toml"
    extra.write_text('[issues.water]\ntitle = "water rights"\ncues = ["dam*", "river flow"]\n'
                     '[issues.territory]\ncues = ["enclave*"]\n', encoding="utf-8")
    monkeypatch.setenv("DATELINE_ISSUES", str(extra))
    issues_file = load_settings().stories.issues_file  # the settings read the variable, once
    assert cues.issues_in("The talks on the dam and the enclaves stalled", issues_file) == ["territory", "water"]
    assert cues.issue_titles(issues_file)["water"] == "water rights"


# -- commands --------------------------------------------------------------------------

def test_commands(cli, store):
    url = store.url
    result = cli(["timeline", "--actor", "RUS", "--actor", "UKR", "--type", "CONSULT", "--db", url, "--format", "json"])
    assert result.exit_code == 0
    assert [r["mentions"] for r in json.loads(result.stdout)] == [1, 3]
    result = cli(["negotiations", "RUS", "UKR", "--db", url, "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["parties"] == ["RUS", "UKR"]
    result = cli(["negotiations", "RUS", "UKR", "--db", url, "--format", "table"])
    assert "ceasefire" in result.stdout and "offer (2025-09-10) -> rejection (2025-09-17)" in result.stdout
    result = cli(["stories", "--db", url, "--format", "jsonl"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 4
    assert cli(["timeline", "--type", "NOPE", "--db", url]).exit_code == 2


def test_a_document_without_dates_or_events_is_filed(db_url):
    store = Store(db_url)
    doc = Document(doc="bare", article=Article(title="Bare", body=["No date and no events here."]))
    _ingest(store, [doc])
    assert queries.story_of(store, doc.id)["articles"] == 1
    undated = copy.deepcopy(_event_doc("u", None, "Russia and Ukraine held talks", anchor=None))
    _ingest(store, [undated])
    assert queries.timeline(store) == []


def test_rebuild_gives_the_same_tables(store, cli):
    before = [(r["date"], r["type"], r["source"], r["mentions"]) for r in queries.timeline(store)]
    result = cli(["stories", "--rebuild", "--db", store.url, "--format", "json"])
    assert result.exit_code == 0
    after = [(r["date"], r["type"], r["source"], r["mentions"]) for r in queries.timeline(store)]
    assert sorted(after) == sorted(before)
    assert [s["articles"] for s in queries.list_stories(store)] == [3, 7, 1, 1]


def test_an_older_table_layout_is_rebuilt(store):
    from dateline.stories import _READY, ensure_tables

    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE merged_parties")
        conn.exec_driver_sql("ALTER TABLE merged_events DROP COLUMN span")
    fresh = Store(store.url)
    _READY.discard(fresh.engine)
    ensure_tables(fresh)
    assert [r["mentions"] for r in queries.timeline(fresh, actors=["RUS", "UKR"], types=["CONSULT"])] == [1, 3]


@pytest.mark.postgres
def test_the_same_on_postgresql():
    """The stories tables and queries on PostgreSQL (skips when DATELINE_TEST_PG is unset)."""
    from test_store_support import temporary_pg_database

    url, drop = temporary_pg_database()
    store = Store(url)
    try:
        _ingest(store, fixture.build_documents())
        rounds = queries.timeline(store, actors=["RUS", "UKR"], types=["CONSULT"])
        assert [r["mentions"] for r in rounds] == [1, 3]
        tracks = _tracks(queries.negotiations(store, ["RUS", "UKR"]))
        assert tracks[("ceasefire", "RUS")]["changes"][0]["to"] == "rejection"
        assert [s["articles"] for s in queries.list_stories(store)] == [3, 7, 1, 1]
        assert queries.related_documents(store, fixture.by_key()["swap_wire_lakeside"].id)
    finally:
        store.close()
        drop()


def test_deleting_a_document_takes_it_out_of_the_stories_tables(tmp_path):
    from sqlalchemy import select

    from dateline.model import Article, Document
    from dateline.store import Store
    from dateline.stories import on_documents_stored
    from dateline.stories.schema import story_documents

    store = Store(f"sqlite:///{tmp_path / 'd.db'}")
    doc = Document(doc="a.txt", article=Article(title="T", body=["Invented text about a meeting in a city."]))
    store.save(doc)
    on_documents_stored(store, [doc])
    store.delete(doc.id)
    with store.engine.connect() as conn:
        assert conn.execute(select(story_documents.c.doc_id)).all() == []


def test_a_copy_rerun_months_later_is_a_duplicate_in_a_story_of_its_own(db_url, docs):
    store = Store(db_url)
    original = docs["swap_wire_harbor"]
    rerun = copy.deepcopy(docs["swap_wire_lakeside"])
    rerun.article.published = "2026-01-20"   # the same wire text run again four months on
    rerun.article.url = "https://riversidegazette.example/2026/01/20/prisoners-freed"
    rerun = dataclasses.replace(rerun, doc="rerun.txt", id="")   # a new id from the new address
    _ingest(store, [original, rerun])
    rows = _story_rows(store)
    first, second = rows[original.id], next(r for k, r in rows.items() if k != original.id)
    assert second["dup_group"] == first["dup_group"]          # still its near-duplicate
    assert second["story_id"] != first["story_id"] and second["link_reason"] is None


def test_a_background_mention_of_an_earlier_round_joins_that_round(db_url):
    store = Store(db_url)
    may = _event_doc("may", "2025-05-16", "Russian and Ukrainian delegations held direct talks in Istanbul on Friday",
                     anchor="2025-05-17")
    september = _event_doc("sept", "2025-09-10", "Russian and Ukrainian negotiators met again in Istanbul on Wednesday",
                           outlet="Other Outlet", anchor="2025-09-11")
    recalled = "The previous round of talks in Istanbul, held on May 16, ended after two hours"
    september.article.body.append(recalled + ".")
    start = september.article.text.index(recalled)
    september.events.append(Event(type="CONSULT", source=[ActorRef("Russia", "RUS")], target=[ActorRef("Ukraine", "UKR")],
                                  date="2025-05-16", evidence=recalled, start=start, end=start + len(recalled),
                                  confidence=0.6, background=True))
    _ingest(store, [may, september])
    rows = queries.timeline(store, types=["CONSULT"])
    assert sorted((r["date"], r["mentions"], r["articles"]) for r in rows) == [("2025-05-16", 2, 2), ("2025-09-10", 1, 1)]
    # ... and recalling an old round does not put the two articles in one story
    assert queries.story_of(store, may.id)["id"] != queries.story_of(store, september.id)["id"]
