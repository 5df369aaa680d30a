"""The document-level review of coded events: home sides, repeats, the confidence floor (invented text)."""
from __future__ import annotations

import functools

import pytest

from dateline.events import coder, scoring


@pytest.fixture(scope="module")
def code(event_coder):
    return functools.partial(event_coder, anchor="2024-09-20")


def test_killings_without_a_named_side_happen_in_the_story_country(code):
    events = code("Iran's government raised fuel prices. Iranian officials defended the rise. "
                  "Dozens of demonstrators were killed on Sunday, witnesses said.")
    assault = next(e for e in events if e.type == "ASSAULT")
    assert "IRN" in {r.country for r in assault.source} and "IRN" in {r.country for r in assault.target}


def test_police_act_at_home_unless_told_otherwise(code):
    event = next(e for e in code("Chilean police investigated the theft on Monday.") if e.type == "ACCUSE")
    assert {r.country for r in event.target} == {"CHL"}


def test_a_definite_noun_naming_a_coded_act_is_not_a_second_event(code, monkeypatch):
    text = "Kenya accused Uganda of arming rebels on Monday. Kenya's accusations angered officials in Kampala."
    assert [e.type for e in code(text)].count("ACCUSE") == 1
    monkeypatch.setattr(coder, "review", lambda events, doc: events)
    assert [e.type for e in code(text)].count("ACCUSE") == 2  # the repeat is the review's to drop


def test_the_confidence_floor_drops_weak_events_but_not_while_calibrating(code, monkeypatch):
    monkeypatch.setitem(scoring.weights(), "keep_at_least", 0.99)
    assert code("Kenya accused Uganda of arming rebels on Monday.") == []
    scoring.use_calibration(False)
    try:
        assert code("Kenya accused Uganda of arming rebels on Monday.")
    finally:
        scoring.use_calibration(True)



def test_the_act_a_request_asks_for_is_its_content(code):
    events = code("We will ask the International Criminal Court to open an investigation, Kenya said on Monday.")
    assert [e.type for e in events] == ["REQUEST"]


def test_an_act_done_beside_a_request_stays(code):
    events = code("Kenya urged Uganda to talk and its troops attacked rebels in Busia on Monday.")
    assert "ASSAULT" in [e.type for e in events]
