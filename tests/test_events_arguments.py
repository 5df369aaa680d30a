"""Arguments that hold: one actor is never both sides unless the text says the act is internal."""
from __future__ import annotations

import functools

import pytest

from dateline.events.drafts import self_dyad as _self_dyad
from dateline.model import ActorRef


def ref(name: str, country: str | None, sector: str | None, actor: str | None) -> ActorRef:
    return ActorRef(name=name, country=country, sector=sector, actor=actor)


def test_the_same_actor_on_both_sides_is_a_self_dyad():
    leader = ref("Anna Vell", "EST", "GOV", "anna-vell")
    assert _self_dyad([leader], [ref("Vell", "EST", "GOV", "anna-vell")])


@pytest.mark.parametrize("target", [
    ref("the high court", "USA", "JUD", "usa-jud"),     # government -> court: domestic, kept
    ref("Ruritania", "RUR", "GOV", "RUR"),              # a leader acting on his own country
    ref("citizens", "USA", "CVL", "any-cvl"),           # police -> citizens
])
def test_domestic_acts_across_actors_are_kept(target):
    assert not _self_dyad([ref("the ministry", "USA", "GOV", "usa-gov")], [target])


def test_several_parties_on_both_sides_are_a_symmetric_act():
    a, b = ref("Ruritania", "RUR", "GOV", "RUR"), ref("Freedonia", "FRD", "GOV", "FRD")
    assert not _self_dyad([a, b], [a, b])


@pytest.fixture(scope="module")
def code(event_coder):
    """The events this module's sentences give, dated against 2024-03-15 unless told otherwise."""
    return functools.partial(event_coder, anchor="2024-03-15")


def test_no_coded_event_has_one_actor_on_both_sides(code):
    events = code("Portuguese President Marcelo Rebelo de Sousa signed the accord in Lisbon on Monday, "
                  "Rebelo de Sousa said.")
    for event in events:
        assert not _self_dyad(event.source, event.target), event


def test_police_arresting_citizens_keeps_both_sides(code):
    events = [e for e in code("Police arrested dozens of protesters in Ohio on Monday.") if e.type == "COERCE"]
    assert events and events[0].source and events[0].target


def test_agreeing_with_a_ruling_is_support_not_agreement(code):
    types = {e.type for e in code("Estonia agreed with the court's ruling on Monday.")}
    assert "SUPPORT" in types and "AGREE" not in types


def test_agreeing_with_a_state_stays_agreement(code):
    assert "AGREE" in {e.type for e in code("Estonia agreed with Latvia on a border treaty.")}


def test_a_verb_misread_as_a_modifier_of_a_coordinated_object_keeps_the_subject(event_coder):
    events = [e for e in event_coder("The Moldovan government closed down news sites and arrested bloggers.")
              if e.type == "COERCE"]
    assert events and events[0].source[0].country == "MDA"


def test_a_passive_agent_is_the_source(event_coder):
    events = [e for e in event_coder("Two Kurdish journalists were arrested by Iranian soldiers on Monday.")
              if e.type == "COERCE"]
    assert events and events[0].source[0].country == "IRN"


def test_a_state_institution_named_without_country_is_the_story_country():
    from dateline.events.arguments import Found
    from dateline.events.drafts import Draft, home_country

    draft = Draft(entry=None, type="REJECT", trigger=None, clause_head=None,
                  source=Found([ref("police", None, "COP", "any-cop")]), target=Found())
    home_country(draft, "MDA")
    assert draft.source.countries == {"MDA"}
    civilians = Draft(entry=None, type="PROTEST", trigger=None, clause_head=None,
                      source=Found([ref("doctors", None, "HLH", "any-hlh")]))
    home_country(civilians, "MDA")
    assert not civilians.source.countries  # only a state's own institutions
