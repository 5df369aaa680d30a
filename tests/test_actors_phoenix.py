"""Issue 12: actors from the Phoenix dictionaries, dated roles, roles read right, one
actor per entity, junk dropped. Invented sentences and invented dictionary lines."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from dateline.nlp.actors import actor_at
from dateline.nlp.actors.tables import Entry, Hit, best_hit

ROOT = Path(__file__).resolve().parents[1]


def _build_module():
    spec = importlib.util.spec_from_file_location("build_actor_dictionaries",
                                                  ROOT / "scripts" / "build_actor_dictionaries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.ISO3 = {"USA", "RUS", "AFG", "XKX", "GBR"}
    return module


@pytest.fixture(scope="module")
def build():
    return _build_module()


# -- the build script ----------------------------------------------------------------------

def test_restrictions_and_dates(build):
    assert build.parse_restriction("USAGOV 010120-090120") == ("USAGOV", "2001-01-20", "2009-01-20")
    assert build.parse_restriction("RUSGOV >080508") == ("RUSGOV", "2008-05-08", "")
    assert build.parse_restriction("AFGELI <19280101") == ("AFGELI", "", "1928-01-01")
    assert build.parse_restriction("USAELI") == ("USAELI", "", "")
    assert build.parse_restriction("---") is None
    assert build.parse_restriction("KORGOV 2004017-20061201") is None   # a malformed date drops the row


def test_codes_to_country_org_code_and_sector(build):
    assert build.read_code("USAGOVLEG") == {"kind": "person", "country": "USA", "code": "", "sector": "LEG"}
    assert build.read_code("USAELI")["sector"] == ""          # out of office: country only
    assert build.read_code("KSVGOV")["country"] == "XKX"
    assert build.read_code("WAFREB") is None                   # a region, no country
    un = build.read_code("IGOUNOJUDICJ")
    assert (un["kind"], un["code"], un["country"], un["sector"]) == ("igo", "ICJ", "", "JUD")
    ngo = build.read_code("NGOHRIAMN")
    assert (ngo["kind"], ngo["code"], ngo["sector"]) == ("ngo", "AMN", "NGO")
    assert build.read_code("MNCUSA")["country"] == "USA"
    assert build.pick_sector(["GOV", "EDU"]) == "GOV"          # a ministry of education is government
    assert build.pick_sector(["GOV", "MIL"]) == "MIL"


def test_noise_rules(build):
    assert not build.keep_alias("President Zed Quorn")         # titles are read from the text
    assert not build.keep_alias("Abe")                          # one word under 4 letters
    assert build.keep_alias("Quorn")
    assert build.phrase_text("ZED_MCQUORN_OF_ARDEN") == "Zed McQuorn of Arden"


def test_actor_rows_from_a_dictionary_file(build, tmp_path):
    source = tmp_path / "Phoenix.Test.actors.txt"
    source.write_text(
        "# invented\n"
        "FREEDONIA_  [USA]\n+FREEDONIAN_\n"
        "ZED_QUORN_  # invented\n+QUORN_\n+PRESIDENT_QUORN_\n"
        "\t[USAELI 700101-010120]\n\t[USAGOV 010120-090120]\n"
        "ALMA_QUORN_\n+QUORN_\n\t[GBRGOV >100101]\n",
        encoding="utf-8")
    rows = build.actor_rows([source])
    names = {row[0] for row in rows}
    assert names == {"Zed Quorn", "Alma Quorn"}                 # the country block is left out
    zed = [row for row in rows if row[0] == "Zed Quorn"]
    assert {(r[3], r[4], r[6], r[7]) for r in zed} == {("USA", "", "1970-01-01", "2001-01-20"),
                                                      ("USA", "GOV", "2001-01-20", "2009-01-20")}
    assert all(r[1] == "" for r in rows)                        # "Quorn" names two actors: neither keeps it


def test_agent_rows(build, tmp_path):
    source = tmp_path / "agents.txt"
    source.write_text("!MINIST! = MINISTER, MINISTERS, MINISTRY, MINISTRIES\n"
                      "RIOT_POLICE {} [~COP]\nDEFENSE_MINIST [~GOVMIL]\nPILGRIM [~REL]\n", encoding="utf-8")
    rows = {row[0]: row for row in build.agent_rows(source)}
    assert rows["riot police"][1:3] == ["COP", "role"] and "riot polices" not in rows
    assert rows["defense ministry"][1] == "GOV" and rows["defense ministers"][2] == "group"
    assert "pilgrim" not in rows                                # no Dateline sector


# -- roles at the article's date -------------------------------------------------------------

def _person(sector, start, end):
    return Hit(Entry(id="zed-quorn", name="Zed Quorn", kind="person", country="USA", sector=sector,
                     valid_from=start, valid_to=end, table="phoenix"))


def test_role_at_the_date():
    hits = [_person(None, "1970-01-01", "2001-01-20"), _person("GOV", "2001-01-20", "2009-01-20"),
            _person(None, "", "")]
    assert best_hit(hits, "2005-06-01").entry.sector == "GOV"
    assert best_hit(hits, "1990-06-01").entry.valid_to == "2001-01-20"   # a dated row before the default


def test_out_of_office_keeps_country_not_sector():
    hits = [_person("GOV", "2001-01-20", "2009-01-20")]
    entry = best_hit(hits, "2019-03-01").entry
    assert (entry.country, entry.sector) == ("USA", None)


# -- the resolver on invented sentences --------------------------------------------------------

def actor_named(doc, words: str):
    start = doc.text.index(words)
    return actor_at(doc, start, start + len(words))


def test_envoy_to_a_country_keeps_the_sending_country(analyse):
    doc = analyse("Chinese Ambassador to Britain Wen Balor said the talks would continue.")
    assert actor_named(doc, "Wen Balor").country == "CHN"
    doc = analyse("Marek Dolny, the special envoy to Ukraine, met the ministers.")
    assert actor_named(doc, "Marek Dolny").country != "UKR"


def test_former_title_keeps_the_country(analyse):
    doc = analyse("Former Russian Prime Minister Oleg Varnov criticised the plan.")
    actor = actor_named(doc, "Oleg Varnov")
    assert actor.country == "RUS"


def test_no_country_from_the_look_of_a_name(analyse):
    doc = analyse("Hamilton Okoro told reporters the vote was fair.")
    actor = actor_named(doc, "Hamilton Okoro")
    assert actor is None or actor.country is None


def test_codes_are_iso_or_org_codes(analyse):
    doc = analyse("Russia rejected the offer. Moscow said it would respond, and UN officials declined to comment.")
    assert all(a.country is None or len(a.country) == 3 for a in doc._.actors.values())
    assert {"Moscow"} <= {m.text for m in doc._.mentions}


def test_short_names_and_acronyms_join_the_full_name(analyse):
    doc = analyse("Senator Dala Omarin spoke first. Later Omarin said the Federal Grain Authority "
                  "had failed. The FGA denied it.")
    assert actor_named(doc, "Omarin said").id == actor_named(doc, "Dala Omarin").id
    fga = actor_named(doc, "FGA")
    assert fga is None or fga.id == actor_named(doc, "Federal Grain Authority").id


def test_a_state_gives_its_country_to_a_body(analyse):
    doc = analyse("The Indiana State Police arrested two men on Friday.")
    actor = actor_named(doc, "Indiana State Police")
    assert actor.country == "USA"
    assert actor_named(doc, "Indiana") is None or actor_named(doc, "Indiana").id == actor.id
