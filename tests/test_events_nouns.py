"""Events named by nouns: anchored by a verb of happening, a participle with its agent, or
the casualties they occasion; an unnamed sanction's imposer is the other country in focus."""
from __future__ import annotations


def _of(events, kind):
    return [e for e in events if e.type == kind]


def test_a_noun_with_a_participle_and_its_agent_takes_the_agent_as_source(event_coder):
    events = _of(event_coder("Punitive tariffs imposed by Lithuania have hurt Latvian farmers."), "SANCTION")
    assert events and events[0].source[0].country == "LTU"


def test_the_occasion_of_casualties_is_an_event_of_its_own(event_coder):
    events = event_coder("Seven people were killed during protests in Peru.")
    assert {"ASSAULT", "PROTEST"} <= {e.type for e in events}
    protest = _of(events, "PROTEST")[0]
    assert protest.source[0].country == "PER"


def test_an_event_noun_as_subject_of_a_verb_of_happening(event_coder):
    text = ("Finland and Norway are in a trade dispute. Norway has criticised Finland. "
            "Tariffs on Norwegian salmon were increased in May.")
    events = _of(event_coder(text), "SANCTION")
    assert events and events[0].target[0].country == "NOR"
    assert events[0].source and events[0].source[0].country == "FIN"  # the other country in focus


def test_a_participle_on_the_noun_gives_its_parties(event_coder):
    events = [e for e in event_coder("The truce signed on Friday between Armenia and Azerbaijan held.")
              if e.pattern == "concede.n.truce"]
    assert events and {r.country for r in events[0].target} == {"ARM", "AZE"}
