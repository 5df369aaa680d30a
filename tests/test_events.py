"""The PLOVER event coder on invented sentences: every type, voice, coordination, mood."""
from __future__ import annotations

import json

import pytest

from dateline.model import PLOVER_TYPES, Event


@pytest.fixture(scope="session")
def nlp():
    from dateline import nlp as dateline_nlp

    return dateline_nlp.load()


@pytest.fixture(scope="session")
def code(nlp):
    def run(text: str, anchor: str | None = "2024-03-15", dateline: str | None = None) -> list[Event]:
        doc = nlp.make_doc(text)
        doc._.anchor_date = anchor
        doc._.dateline = dateline
        return list(nlp(doc)._.events)

    return run


def countries(refs) -> set[str]:
    return {r.country for r in refs if r.country}


def only(events: list[Event], event_type: str) -> Event:
    found = [e for e in events if e.type == event_type]
    assert found, f"no {event_type} in {[(e.type, e.evidence) for e in events]}"
    return found[0]


TYPE_SENTENCES = [
    ("AGREE", "Kenya and Ethiopia signed a trade agreement on Monday.", {"KEN", "ETH"}, None),
    ("CONSULT", "The Brazilian president met his Argentine counterpart in Brasilia on Tuesday.", {"BRA"}, {"ARG"}),
    ("SUPPORT", "Norway praised Colombia for its efforts to end the conflict.", {"NOR"}, {"COL"}),
    ("CONCEDE", "Myanmar released two hundred Thai prisoners on Sunday.", {"MMR"}, {"THA"}),
    ("COOPERATE", "Spain extradited a Moroccan suspect to Morocco last week.", {"ESP"}, {"MAR"}),
    ("AID", "Japan donated medical supplies worth ten million dollars to Nepal.", {"JPN"}, {"NPL"}),
    ("RETREAT", "Armenia withdrew its troops from the disputed border area with Azerbaijan.", {"ARM"}, None),
    ("REQUEST", "Peru urged Chile to reopen the border crossing.", {"PER"}, {"CHL"}),
    ("ACCUSE", "Ghana accused Togo of harbouring rebel fighters.", {"GHA"}, {"TGO"}),
    ("REJECT", "Bolivia rejected a proposal from Paraguay on water rights.", {"BOL"}, {"PRY"}),
    ("THREATEN", "Sweden threatened to expel Iranian diplomats over the plot.", {"SWE"}, None),
    ("PROTEST", "Thousands of Serbian students staged a protest against the government in Belgrade.", {"SRB"}, None),
    ("SANCTION", "Canada imposed sanctions on Venezuela on Friday.", {"CAN"}, {"VEN"}),
    ("MOBILIZE", "India deployed additional troops along its border with Pakistan.", {"IND"}, None),
    ("COERCE", "Turkish police arrested forty Kurdish activists in Ankara.", {"TUR"}, None),
    ("ASSAULT", "Russian forces shelled the Ukrainian city of Kharkiv overnight.", {"RUS"}, {"UKR"}),
]


@pytest.mark.parametrize("event_type,sentence,source,target", TYPE_SENTENCES, ids=[t[0] for t in TYPE_SENTENCES])
def test_each_plover_type(code, event_type, sentence, source, target):
    event = only(code(sentence), event_type)
    assert source <= countries(event.source)
    if target:
        assert target <= countries(event.target) | countries(event.source)
    assert event.cameo and event.pattern and event.trigger
    assert 0.0 <= event.confidence <= 1.0


def test_all_sixteen_types_covered_by_the_sentences():
    assert {t[0] for t in TYPE_SENTENCES} == set(PLOVER_TYPES)


def test_passive_voice_swaps_roles(code):
    event = only(code("A Malian army convoy was attacked by Burkinabe militants near the border."), "ASSAULT")
    assert "BFA" in countries(event.source)
    assert "MLI" in countries(event.target)


def test_coordinated_actors_are_all_sources(code):
    event = only(code("Egypt and Sudan agreed to resume talks on the dam."), "AGREE")
    assert {"EGY", "SUD"} & countries(event.source) or {"EGY", "SDN"} <= countries(event.source)


def test_negated_cooperation_is_an_asserted_rejection(code):
    # issue 11: refusing ("will not discuss") is an act that happened: an asserted REJECT
    event = only(code("Georgia said it will not discuss the status of the region with Russia."), "REJECT")
    assert event.factuality == "asserted"
    assert "GEO" in countries(event.source)


def test_has_not_agreed_is_an_asserted_rejection(code):
    event = only(code("Serbia has not agreed to recognise the new border."), "REJECT")
    assert event.factuality == "asserted"


def test_modal_possibility(code):
    event = only(code("The European Union could impose sanctions on Belarus next month."), "SANCTION")
    assert event.factuality == "possible"


def test_future_meeting(code):
    events = code("The Chinese foreign minister will meet his Indian counterpart in Delhi next week.")
    event = only(events, "CONSULT")
    assert event.factuality == "future"


def test_threat_to_act_is_one_threat(code):
    events = code("Iran threatened to close the Strait of Hormuz to American ships.")
    assert [e.type for e in events] == ["THREATEN"]
    assert "IRN" in countries(events[0].source)


def test_reported_speech_speaker_is_source_and_past_act_is_coded(code):
    events = code("A Lebanese official said Israeli jets bombed a village in southern Lebanon on Tuesday.")
    event = only(events, "ASSAULT")
    assert "ISR" in countries(event.source)
    assert event.date == "2024-03-12"


def test_reported_obligation_is_a_request(code):
    event = only(code("The Danish minister said Iceland must return the fishing vessels."), "REQUEST")
    assert "DNK" in countries(event.source)
    assert "ISL" in countries(event.target)


def test_first_person_in_quote_is_the_speaker(code):
    text = '"We demand that Armenia withdraw its forces," the Azerbaijani foreign minister said.'
    event = only(code(text), "REQUEST")
    assert "AZE" in countries(event.source)
    assert "ARM" in countries(event.target)


def test_possessive_demand(code):
    events = code("Chile's demand that Bolivia drop its claim was repeated on Monday.")
    event = only(events, "REQUEST")
    assert "CHL" in countries(event.source)
    assert "BOL" in countries(event.target)


def test_both_sides_resolve_to_the_dyad(code):
    text = ("Ethiopian and Eritrean envoys held talks in Nairobi on Monday. "
            "Both sides agreed to exchange prisoners, officials said.")
    event = only(code(text), "AGREE")
    assert {"ETH", "ERI"} <= countries(event.source) | countries(event.target)


def test_evidence_offsets_point_into_the_text(code):
    text = "Officials met in Geneva on Friday.\n\nPoland condemned the Belarusian crackdown on protesters."
    events = code(text)
    event = only(events, "ACCUSE")
    assert text[event.start:event.end] == event.evidence
    assert "condemned" in event.evidence


def test_date_from_the_clause(code):
    event = only(code("Vietnam and Laos signed a border treaty in February 2021."), "AGREE")
    assert event.date == "2021-02"


def test_undated_event_takes_the_anchor(code):
    event = only(code("Norway praised Colombia for its efforts."), "SUPPORT")
    assert event.date == "2024-03-15"


def test_place_from_the_clause_else_the_dateline(code):
    event = only(code("Kenya and Somalia held talks in Addis Ababa."), "CONSULT")
    assert event.place is not None and event.place.country == "ETH"
    event = only(code("NAIROBI — Kenya accused Somalia of violating its airspace.", dateline="Nairobi"), "ACCUSE")
    assert event.place is not None and event.place.country == "KEN"
    assert not event.evidence.startswith("NAIROBI")


def test_bare_said_is_no_event(code):
    assert code("The Kenyan president said the economy was growing.") == []


def test_min_confidence_filters(nlp):
    from dateline.events.coder import EventCoder

    doc = nlp.make_doc("Norway praised Colombia for its efforts.")
    doc._.anchor_date = None
    doc._.dateline = None
    for name, component in nlp.pipeline:
        if name != "dateline_events":
            doc = component(doc)
    assert EventCoder(min_confidence=0.99)(doc)._.events == []


def test_codebook_covers_every_type_with_rationales():
    from dateline.events.codebook import load_codebook

    entries = load_codebook().entries
    assert {e.type for e in entries} == set(PLOVER_TYPES)
    assert all(e.rationale for e in entries)
    assert len({e.id for e in entries}) == len(entries)


def test_codebook_command(cli):
    result = cli(["codebook", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {r["type"] for r in rows} == set(PLOVER_TYPES)
    assert {"type", "cameo", "mode", "pattern", "id", "rationale"} <= set(rows[0])
    result = cli(["codebook", "--type", "assault", "--format", "jsonl"])
    assert result.exit_code == 0
    assert {json.loads(line)["type"] for line in result.stdout.splitlines()} == {"ASSAULT"}
    assert cli(["codebook", "--type", "nonsense"]).exit_code == 2


def test_summoning_an_envoy_is_one_protest_note(code):
    events = code("Pakistan summoned the Afghan envoy to protest cross-border attacks.")
    assert [e.type for e in events] == ["ACCUSE"]
    assert "PAK" in countries(events[0].source) and "AFG" in countries(events[0].target)


def test_unattributed_bombing_is_placed(code):
    event = only(code("A car bomb killed four Somali soldiers in Mogadishu on Monday."), "ASSAULT")
    assert "SOM" in countries(event.target)
    assert event.date == "2024-03-11"
