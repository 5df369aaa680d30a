"""The stories stage end to end: real pages through the whole pipeline, then the tracker.

These depend on the coder and the quote finder, so they check what the stories stage
promises about their output (merging what they found, tracking what they found)
rather than exact event lists; the acceptance on the seed page is checked as stated.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.store import Store
from dateline.stories import queries

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEED = Path("/work/shared/corpus/dev/000_6660097a9a6ea203.txt")


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory, cli) -> str:
    if not SEED.exists():
        pytest.skip("the seed page is not on this machine")
    url = f"sqlite:///{tmp_path_factory.mktemp('seed') / 'seed.db'}"
    assert cli(["ingest", SEED, "--db", url]).exit_code == 0
    return url


def _stances(result: dict, issue: str) -> dict[str, list[str]]:
    entry = next((i for i in result["issues"] if i["issue"] == issue), None)
    assert entry is not None, f"no {issue} in {[i['issue'] for i in result['issues']]}"
    return {p["party"]: [span["stance"] for span in p["history"]] for p in entry["positions"]}


def test_seed_page_negotiation_positions(seed_db, cli):
    result = cli(["negotiations", "RUS", "UKR", "--db", seed_db, "--format", "json"])
    assert result.exit_code == 0
    tracker = json.loads(result.stdout)
    territory = _stances(tracker, "territory")
    assert "demand" in territory["RUS"] and "rejection" in territory["UKR"]
    prisoners = _stances(tracker, "prisoners")
    assert "agreement" in prisoners["RUS"] and "agreement" in prisoners["UKR"]
    meeting = _stances(tracker, "leaders_meeting")
    assert "demand" in meeting["UKR"] and "rejection" in meeting["RUS"]
    assert "demand" in _stances(tracker, "ceasefire")["UKR"]


def test_seed_page_is_one_story_and_its_events_are_merged(seed_db, cli):
    store = Store(seed_db)
    stories = queries.list_stories(store)
    assert len(stories) == 1 and stories[0]["articles"] == 1
    for event in queries.timeline(store):
        assert event["articles"] == 1 and event["mentions"] >= 1
    table = cli(["timeline", "--actor", "RUS", "--db", seed_db, "--format", "table"])
    assert table.exit_code == 0


def test_examples_same_meeting_three_outlets(tmp_path, cli):
    """Three outlets' pages on one meeting and a page on an earlier round, through the pipeline."""
    url = f"sqlite:///{tmp_path / 'examples.db'}"
    pages = [EXAMPLES / name for name in ("01_capital_wire_istanbul_talks.txt", "03_meridian_post_istanbul_round.html",
                                          "04_northern_star_istanbul_talks.html.gz", "02_harbor_ledger_may_round.txt")]
    assert cli(["ingest", *pages, "--db", url]).exit_code == 0
    store = Store(url)
    docs = {d["doc"]: d["id"] for d in store.list_documents()}
    assert len(docs) == 4
    talks = queries.timeline(store, types=["CONSULT"], actors=["RUS", "UKR"])
    # Whatever the coder found: no September report merged with the May round ...
    for event in talks:
        months = {m["anchor_date"][:7] for m in queries.mentions(store, event["id"]) if m["anchor_date"]}
        assert not ({"2025-05"} & months and {"2025-09"} & months)
    # ... and when each September page has the meeting dated, it is one event.
    september = [e for e in talks if e["date"] == "2025-09-10"]
    coded = {m["doc_id"] for e in september for m in queries.mentions(store, e["id"])}
    if len(coded) == 3:
        assert max(e["articles"] for e in september) == 3
