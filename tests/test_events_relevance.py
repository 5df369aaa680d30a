"""Relevance: no event without a politically codable side, in its event sense (invented text)."""
from __future__ import annotations

import functools

import pytest

from dateline.events.relevance import story_discarded


@pytest.fixture(scope="module")
def code(event_coder):
    """The events this module's sentences give, dated against 2024-03-15 unless told otherwise."""
    return functools.partial(event_coder, anchor="2024-03-15")


@pytest.mark.parametrize("text", [
    "The retailer Zelbo offers the new Vantix laptop for $700 this week.",
    "Jorvan Mills attacked the defence all night and the Hawks beat the Owls 3-1.",
    "So I called my oldest friend, a Scottish woman, and she asked me to stay.",
    "My husband called him later and asked her several times to leave.",
    "Zelbo and Quantrix announced a distribution partnership for hospital software.",
])
def test_no_event_without_political_actor(code, text):
    assert code(text) == []


def test_sports_phrase_discards_the_story(code):
    text = "France beat Germany in the Champions League on Tuesday. Germany accused France of diving."
    assert story_discarded(text)
    assert code(text) == []


def test_historical_reference_is_not_a_discard(code):
    events = code("Poland demanded that Germany pay reparations for World War Two on Monday.")
    assert any(e.type == "REQUEST" for e in events)


def test_political_acts_survive(code):
    assert any(e.type == "ACCUSE" for e in code("Kenya accused Uganda of arming rebels on Monday."))
    assert any(e.type == "PROTEST" for e in code("Thousands of protesters rallied in Lagos on Friday."))


def test_agentless_passive_keeps_its_target(code):
    events = code("Former president Alvaro Brenner of Peru has been accused of taking bribes.")
    assert any(e.type == "ACCUSE" for e in events)


def test_an_organisation_named_after_a_country_is_not_that_country(code):
    assert code("The guard kept asking for it, USA Today reported.") == []


def test_pro_sport_vocabulary_discards_the_story(code):
    assert story_discarded("The quarterback was suspended by the NFL after the fight.")


def test_calling_something_a_name_is_not_a_phone_call(code):
    assert not [e for e in code("The minister of Chile called the Peruvian ruling historic.") if e.type == "CONSULT"]
    assert [e for e in code("Erdogan called Putin on Tuesday to discuss the grain deal.") if e.type == "CONSULT"]


def test_words_inside_a_name_are_no_acts(code):
    """ "Investigating" and "Exploration" in a rover's name, "probe" in a spacecraft's."""
    events = code("NASA will send the Lunar Surface Investigating Rover to the Moon's south pole next year.")
    assert not any(e.type == "ACCUSE" for e in events)
