"""Domestic stories and implied parties: how a careful PLOVER coder fills the sides the text
leaves without a country, and what it codes from wishes, passives and dated nouns."""
from __future__ import annotations

import functools

import pytest

from dateline.events.arguments import Dyad, Found
from dateline.events.drafts import Draft, home_country
from dateline.events.review import undirected
from dateline.model import ActorRef, Event


def ref(name: str, country: str | None = None, sector: str | None = None, code: str | None = None) -> ActorRef:
    return ActorRef(name=name, country=country, sector=sector, code=code)


def test_people_and_companies_of_a_domestic_story_take_its_country():
    draft = Draft(entry=None, type="ACCUSE", trigger=None, clause_head=None,
                  source=Found([ref("prosecutors", None, "JUD")]), target=Found([ref("Orvo Ltd")]))
    home_country(draft, "MDA", domestic="MDA")
    assert draft.source.countries == {"MDA"} and draft.target.countries == {"MDA"}


def test_an_ngo_or_refugees_never_take_the_story_country():
    draft = Draft(entry=None, type="ACCUSE", trigger=None, clause_head=None,
                  source=Found([ref("Rights Watchers", None, "NGO")]), target=Found([ref("refugees", None, "REF")]))
    home_country(draft, "MDA", domestic="MDA")
    assert not draft.source.countries and not draft.target.countries


def test_an_international_story_has_no_home_country():
    dyad = Dyad()
    dyad.see([(i, ref(c, c)) for i, c in enumerate(["SWE", "GBR", "SWE", "USA", "GBR", "SWE"])])
    assert dyad.dominant() is None
    dyad.see([(10 + i, ref("USA", "USA")) for i in range(8)])
    assert dyad.dominant() == "USA"


def _event(type_: str, source: list[ActorRef], target: list[ActorRef]) -> Event:
    return Event(type=type_, mode=None, cameo=None, source=source, target=target, date=None, date_text=None,
                 place=None, evidence="", start=0, end=0, factuality="asserted", confidence=0.5)


def test_an_accusation_with_no_one_accused_is_a_misread():
    assert undirected(_event("ACCUSE", [ref("Ruritania", "RUR", "GOV")], []))
    assert not undirected(_event("REJECT", [ref("Ruritania", "RUR", "GOV")], []))  # "rejected the plan"
    assert not undirected(_event("ACCUSE", [ref("Ruritania", "RUR", "GOV")], [ref("Freedonia", "FRD")]))


@pytest.fixture(scope="module")
def code(event_coder):
    return functools.partial(event_coder, anchor="2019-11-19")


def test_wanting_another_to_act_is_a_request_of_it(code):
    events = code("The United States wants Britain to extradite the journalist.")
    requests = [e for e in events if e.type == "REQUEST"]
    assert requests and requests[0].source[0].country == "USA" and requests[0].target[0].country == "GBR"
    assert "COOPERATE" not in {e.type for e in events}  # the extradition is only asked for


def test_wanting_to_act_oneself_is_no_request(code):
    assert "REQUEST" not in {e.type for e in code("Estonia wants to hold talks with Latvia.")}


def test_an_agentless_passive_arrest_is_the_police_of_where_it_happens(code):
    events = [e for e in code("Two opposition activists were arrested in Minsk on Monday.") if e.type == "COERCE"]
    assert events and events[0].source and events[0].source[0].country == "BLR"


def test_a_date_that_modifies_a_noun_does_not_date_the_act(code):
    events = [e for e in code("Sweden dropped its investigation into a 2010 rape allegation on Tuesday.")
              if e.type == "CONCEDE"]
    assert events and not events[0].background
