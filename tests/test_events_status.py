"""Status of events: background, cancelled, conditional, refusals, dates from their own clause."""
from __future__ import annotations

import functools

import pytest


@pytest.fixture(scope="module")
def code(event_coder):
    """The events this module's sentences give, dated against 2024-09-20 unless told otherwise."""
    return functools.partial(event_coder, anchor="2024-09-20")


def first(events, event_type):
    found = [e for e in events if e.type == event_type]
    assert found, [(e.type, e.evidence) for e in events]
    return found[0]


def test_the_last_time_they_met_is_background(code):
    event = first(code("The last time the presidents of Chile and Peru met was in 2017."), "CONSULT")
    assert event.background and event.date == "2017"


def test_talks_months_before_the_article_are_background(code):
    event = first(code("Kenya and Somalia held talks in Nairobi in March."), "CONSULT")
    assert event.background


def test_todays_news_is_not_background(code):
    event = first(code("Kenya accused Somalia of violating its airspace on Thursday."), "ACCUSE")
    assert not event.background and event.date == "2024-09-19"


def test_date_not_borrowed_from_another_clause(code):
    events = code("Serbia continues to demand that Kosovo return the lands that it seized in 2008.")
    event = first(events, "REQUEST")
    assert event.date == "2024-09-20" and not event.background


def test_cancelled_meeting_is_negated(code):
    events = code("Egypt said a meeting with Ethiopia on the dam was cancelled.")
    assert all(e.factuality != "asserted" for e in events if e.type == "CONSULT")


def test_failed_deal_is_negated(code):
    events = code("Armenia and Azerbaijan failed to reach an agreement on the border.")
    assert all(e.factuality != "asserted" for e in events if e.type == "AGREE")


def test_refusal_is_an_asserted_reject(code):
    event = first(code("Finland said it would not accept the Russian proposal."), "REJECT")
    assert event.factuality == "asserted"


def test_an_act_wanted_of_another_is_a_request_not_an_act(code):
    events = code("Kenya wants Uganda to withdraw its troops from the border.")
    event = first(events, "REQUEST")
    assert event.source[0].country == "KEN" and event.target[0].country == "UGA"
    assert not any(e.type == "RETREAT" and e.factuality == "asserted" for e in events)


def test_a_purpose_infinitive_is_an_act_done(code):
    event = first(code("Security forces used tear gas to disperse the protesters in Nairobi."), "COERCE")
    assert event.factuality == "asserted"


def test_an_act_a_hedge_noun_only_expects_is_possible(code):
    events = code("Kenya's shilling rose on expectations of a Kenya-Uganda trade deal.")
    assert all(e.factuality != "asserted" for e in events if e.type == "AGREE")
