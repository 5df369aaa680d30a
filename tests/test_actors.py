"""dateline_actors on invented sentences: dictionaries, titles, appositions, groups,
coreference, NER corrections, user tables and the lookup helpers."""
from __future__ import annotations


from dateline.nlp.actors import (actor_at, actor_of_span, actors_in_span, mention_at, resolve_name,
                                 resolve_pronoun)


def code(doc, words: str, nth: int = 0):
    """(country, sector) of the actor named by the nth occurrence of ``words``."""
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(words, start + 1)
    actor = actor_at(doc, start, start + len(words))
    return (actor.country, actor.sector) if actor else None


def org_code(doc, words: str):
    """(code, sector) of an organisation's actor, whose country must stay None: codes are not countries."""
    start = doc.text.index(words)
    actor = actor_at(doc, start, start + len(words))
    assert actor is not None and actor.country is None, actor
    return actor.code, actor.sector


def actor_named(doc, words: str):
    start = doc.text.index(words)
    return actor_at(doc, start, start + len(words))


# -- titles and the office-holder table -------------------------------------------------

def test_title_gives_country_and_sector_to_unknown_person(analyse):
    doc = analyse("Turkish Foreign Minister Ayse Demirkol opened the talks in Ankara.")
    actor = actor_named(doc, "Ayse Demirkol")
    assert (actor.country, actor.sector, actor.kind) == ("TUR", "GOV", "person")
    assert actor.title == "Foreign Minister"
    assert "Turkish" not in [m.text for m in doc._.mentions]   # the adjective belongs to the title


def test_institution_in_title(analyse):
    doc = analyse("Kremlin spokesperson Pavel Orlov said the talks would be hard.")
    assert code(doc, "Pavel Orlov") == ("RUS", "GOV")
    assert actor_named(doc, "Pavel Orlov").title == "Kremlin spokesperson"


def test_igo_title(analyse):
    doc = analyse("U.N. Secretary-General Maria Lindqvist urged restraint.")
    assert org_code(doc, "Maria Lindqvist") == ("UNO", "IGO")


def test_office_holder_table_and_later_surname(analyse):
    doc = analyse("Russian President Vladimir Putin met reporters. Later, Putin left for Sochi.")
    assert code(doc, "Vladimir Putin") == ("RUS", "GOV")
    second = doc.text.index("Putin left")
    assert actor_at(doc, second, second + 5).id == "vladimir-putin"


def test_surname_links_to_first_mention(analyse):
    doc = analyse("Brazilian Foreign Minister Tomas Arruda spoke first. "
                  "\"We want peace,\" Arruda told the delegations.")
    first, later = actor_named(doc, "Tomas Arruda"), code(doc, "Arruda", nth=1)
    assert later == ("BRA", "GOV")
    assert actor_at(doc, doc.text.index("Arruda told"), doc.text.index("Arruda told") + 6) is first


def test_apposition_with_the_countrys(analyse):
    doc = analyse("Ukraine's delegation is led by Oleh Bondar, the country's former defense minister.")
    assert code(doc, "Oleh Bondar") == ("UKR", "GOV")


def test_left_apposition(analyse):
    doc = analyse("Egypt's chief negotiator, Karim Mansour, arrived on Monday.")
    assert code(doc, "Karim Mansour") == ("EGY", "GOV")


def test_vague_description_is_not_a_guess(analyse):
    doc = analyse("The group is headed by Leon Varga, a political figure who rarely speaks.")
    actor = actor_named(doc, "Leon Varga")
    assert actor is not None and actor.country is None and actor.sector is None


def test_country_name_inside_a_person_name(analyse):
    doc = analyse("Israeli Defence Minister Israel Katz said the army would respond.")
    assert actor_named(doc, "Israel Katz").kind == "person"
    assert code(doc, "Israel Katz") == ("ISR", "GOV")


def test_article_title_beats_table_role(analyse):
    doc = analyse("Republican presidential candidate Ted Cruz attacked his rivals.")
    assert code(doc, "Ted Cruz") == ("USA", "PTY")


def test_title_names_the_office_holder_at_the_date(analyse):
    doc = analyse("The Ukrainian foreign minister said talks would resume.", anchor="2022-05-10")
    assert actor_named(doc, "Ukrainian foreign minister").id == "dmytro-kuleba"
    doc = analyse("The Ukrainian foreign minister said talks would resume.", anchor="2025-03-01")
    assert actor_named(doc, "Ukrainian foreign minister").id == "andrii-sybiha"


# -- countries, capitals, institutions ----------------------------------------------------

def test_capitals_stand_for_governments_and_ner_errors_are_fixed(analyse):
    doc = analyse("Kyiv has dismissed the demand, but Moscow insisted. Kiev said Washington agreed.")
    assert code(doc, "Kyiv") == ("UKR", "GOV")
    assert actor_named(doc, "Kyiv").id == "ukraine"   # a capital standing for its government is the country
    assert code(doc, "Moscow") == ("RUS", "GOV")
    assert actor_named(doc, "Kiev").id == "ukraine"   # the old spelling names the same capital
    assert code(doc, "Washington") == ("USA", "GOV")


def test_capital_after_locative_preposition_is_the_city(analyse):
    doc = analyse("Delegates gathered in Moscow for the summit.")
    city = actor_named(doc, "Moscow")
    assert (city.country, city.sector, city.id) == ("RUS", "CVL", "moscow-city")


def test_national_title_takes_the_only_country_of_the_sentence(analyse):
    doc = analyse("President Ivo Marandu threatened to ban Kenyan opposition parties.")
    assert code(doc, "Ivo Marandu") == ("KEN", "GOV")
    doc = analyse("President Ivo Marandu spoke to Kenyan and Ugandan leaders.")
    assert code(doc, "Ivo Marandu") == (None, "GOV")


def test_country_names_and_short_forms(analyse):
    doc = analyse("Britain, the US, the United States, South Korea and Russia signed; "
                  "Türkiye and Burma did not.")
    assert code(doc, "Britain") == ("GBR", "GOV")
    assert actor_named(doc, "US").id == actor_named(doc, "United States").id
    assert code(doc, "South Korea") == ("KOR", "GOV")
    assert code(doc, "Türkiye") == ("TUR", "GOV")
    assert code(doc, "Burma") == ("MMR", "GOV")


def test_institutions(analyse):
    doc = analyse("The Kremlin, the White House, the Pentagon and Downing Street reacted. The UN, NATO, "
                  "the EU and the IMF met while the Security Council waited. Hamas, Hezbollah and the "
                  "Taliban refused. The FBI and the Supreme Court were silent; Congress was not.")
    assert code(doc, "Kremlin") == ("RUS", "GOV")
    assert actor_named(doc, "Kremlin").id == "russia"   # a seat of government is its country's government
    assert "Kremlin" in actor_named(doc, "Kremlin").aliases
    assert code(doc, "White House") == ("USA", "GOV")
    assert code(doc, "Pentagon") == ("USA", "GOV")   # a defence ministry is government (data README)
    assert code(doc, "Downing Street") == ("GBR", "GOV")
    assert org_code(doc, "UN") == ("UNO", "IGO")
    assert org_code(doc, "NATO") == ("NATO", "IGO")
    assert org_code(doc, "EU") == ("EUR", "IGO")
    assert org_code(doc, "IMF") == ("IGO", "IGO")
    assert org_code(doc, "Security Council") == ("UNO", "IGO")
    assert code(doc, "Hamas") == ("PSE", "REB")
    assert code(doc, "Hezbollah") == ("LBN", "REB")
    assert code(doc, "Taliban") == ("AFG", "REB")
    assert code(doc, "FBI") == ("USA", "COP")
    assert code(doc, "Supreme Court") == ("USA", "JUD")
    assert code(doc, "Congress") == ("USA", "LEG")


def test_news_agencies_are_media_of_their_country(analyse):
    doc = analyse("The talks ended early, according to AFP. Reuters and Xinhua reported the same.")
    assert code(doc, "AFP") == ("FRA", "MED")
    assert code(doc, "Reuters") == ("GBR", "MED")
    assert code(doc, "Xinhua") == ("CHN", "MED")


def test_us_politics(analyse):
    doc = analyse("Democrats said Republicans in the Senate blocked the bill. Hillary Clinton and "
                  "Bernie Sanders debated while Donald Trump campaigned.", anchor="2016-03-01")
    assert code(doc, "Democrats") == ("USA", "PTY")
    assert code(doc, "Republicans") == ("USA", "PTY")
    assert code(doc, "Senate") == ("USA", "LEG")
    assert code(doc, "Bernie Sanders") == ("USA", "LEG")
    assert code(doc, "Donald Trump") == ("USA", "PTY")   # a candidate in March 2016


# -- groups ----------------------------------------------------------------------------------

def test_groups(analyse):
    doc = analyse("Ukrainian officials and Russian officials met. A Ukrainian delegation member spoke. "
                  "Israeli forces fired as protesters fled and police arrived. Rebels took the town. "
                  "A Jordanian official confirmed it.")
    assert code(doc, "Ukrainian officials") == ("UKR", "GOV")
    assert code(doc, "Russian officials") == ("RUS", "GOV")
    assert code(doc, "Ukrainian delegation member") == ("UKR", "GOV")
    assert code(doc, "Israeli forces") == ("ISR", "MIL")
    assert code(doc, "protesters") == (None, "CVL")
    assert code(doc, "police") == (None, "COP")
    assert code(doc, "Rebels") == (None, "REB")
    assert code(doc, "Jordanian official") == ("JOR", "GOV")
    assert actor_named(doc, "Jordanian official").id == "jordan"   # unnamed officials: the country's government
    assert actor_named(doc, "Ukrainian officials").id == "ukraine"


def test_demonym_nouns_are_civilians(analyse):
    doc = analyse("Palestinians gathered at the crossing.")
    assert code(doc, "Palestinians") == ("PSE", "CVL")


def test_group_noun_without_country_or_standalone_sense_is_not_an_actor(analyse):
    doc = analyse("Officials said the meeting went well.")
    assert actor_named(doc, "Officials") is None


# -- coreference ------------------------------------------------------------------------------

def test_the_official_links_to_the_last_compatible_actor(analyse):
    doc = analyse("A Ukrainian delegation member said the talks would be hard. "
                  "\"We are ready,\" the Ukrainian official said.")
    first = actor_named(doc, "Ukrainian delegation member")
    assert actor_named(doc, "Ukrainian official") is first


def test_the_official_without_country(analyse):
    doc = analyse("A Jordanian official confirmed the visit. The official declined to give details.")
    assert actor_named(doc, "official declined") is actor_named(doc, "Jordanian official")


def test_resolve_pronoun(analyse):
    doc = analyse("Turkish Foreign Minister Ayse Demirkol opened the talks. She said Kyiv and Moscow "
                  "must agree. They did not.")
    she = next(t for t in doc if t.text == "She")
    assert resolve_pronoun(doc, she).name == "Ayse Demirkol"
    they = next(t for t in doc if t.text == "They")
    assert resolve_pronoun(doc, they) is None   # Kyiv and Moscow together: neither one alone (dateline_coref)
    assert resolve_pronoun(doc, doc[0]) is None


# -- lookup helpers ------------------------------------------------------------------------------

def test_helpers(analyse):
    doc = analyse("Kremlin spokesperson Pavel Orlov said Kyiv and Moscow would talk.")
    span = doc[2:4]
    assert actor_of_span(span).name == "Pavel Orlov"
    found = actors_in_span(doc, 0, len(doc.text))
    assert [m.text for m, _ in found] == ["Kremlin", "Pavel Orlov", "Kyiv", "Moscow"]
    assert mention_at(doc, 0, 3).text == "Kremlin"
    assert actor_at(doc, doc.text.index("said"), doc.text.index("said") + 4) is None


def test_mentions_sorted_and_offsets_point_into_text(analyse):
    doc = analyse("Russia and Ukraine met in Istanbul. Putin and Zelensky were absent; the Kremlin said so.")
    starts = [m.start for m in doc._.mentions]
    assert starts == sorted(starts)
    for mention in doc._.mentions:
        assert doc.text[mention.start:mention.end] == mention.text
        assert mention.actor in doc._.actors


def test_resolve_name():
    assert resolve_name("Russia").country == "RUS"
    assert resolve_name("the Kremlin").sector == "GOV"
    assert resolve_name("AFP").sector == "MED"
    assert resolve_name("Putin").name == "Vladimir Putin"
    assert resolve_name("Ukrainians").sector == "CVL"
    assert resolve_name("Istanbul") is None


def test_user_actors(tmp_path, nlp):
    import spacy

    from dateline.config import load_config

    table = tmp_path / "mine.tsv"
    table.write_text("name\taliases\tkind\tcountry\tsector\ttitle\tfrom\tto\n"
                     "Lakeside Water Board\tthe Board|LWB\torg\tCAN\tGOV\t\t\t\n"
                     "Taliban\t\torg\tAFG\tGOV\t\t2021-08\t\n", encoding="utf-8")
    # Only the model and this component: the user table is all this test is about.
    custom = spacy.load(load_config()["nlp"]["model"])
    custom.add_pipe("dateline_actors", config={"user_actors": str(table)})
    doc = custom("The LWB said the Lakeside Water Board would act.")
    assert code(doc, "LWB") == ("CAN", "GOV")
    assert actor_named(doc, "Lakeside Water Board").id == "lakeside-water-board"
    assert code(custom("The Taliban said so."), "Taliban") == ("AFG", "GOV")   # a user's row wins


def test_abbreviated_military_title(analyse):
    doc = analyse("Lt. Gen. Pierre Lamarque resigned yesterday.")
    assert actor_named(doc, "Pierre Lamarque").sector == "MIL"


def test_country_named_after_the_noun(analyse):
    doc = analyse("Rebels in the Ivory Coast blocked the roads. King Omar of Morocco said he would help.")
    assert code(doc, "Rebels") == ("CIV", "REB")
    assert code(doc, "King Omar") == ("MAR", "GOV")


def test_administration_of_a_person(analyse):
    doc = analyse("The Obama administration said China must drop its barriers.")
    assert code(doc, "administration") == ("USA", "GOV")


def test_surname_in_table_follows_the_person_named_in_the_article(analyse):
    doc = analyse("Jeb Bush spoke in Iowa on Monday. Bush said he would stay in the race.")
    assert actor_named(doc, "Bush said").id == "jeb-bush"
    doc = analyse("Bush met the Pope.", anchor="2005-05-01")
    assert actor_named(doc, "Bush").id == "george-w-bush"


def test_group_adjectives_and_sentence_country(analyse):
    doc = analyse("Irish nationalist guerrillas wounded two soldiers.")
    assert code(doc, "guerrillas") == ("IRL", "REB")
    doc = analyse("The Mozambique government accepted demands from Shona rebels.")
    assert code(doc, "rebels") == ("MOZ", "REB")
    doc = analyse("Many civilians and soldiers died.")
    assert actor_named(doc, "civilians").sector == "CVL"
    assert actor_named(doc, "soldiers").sector == "MIL"


def test_names_that_hide_a_country_are_not_actors(analyse):
    doc = analyse("The senator flew from New Mexico to New Jersey while Mexico protested.")
    assert [m.text for m in doc._.mentions if doc._.actors[m.actor].kind == "country"] == ["Mexico"]


def test_city_taken_for_a_person_is_not_a_person(analyse):
    doc = analyse("Fighting spread from Goma to Bukavu. Goma fell on Sunday.")
    assert all(a.kind != "person" for a in doc._.actors.values())


def test_a_known_surname_inside_another_persons_name(analyse):
    doc = analyse("Veronica Cruz, a teacher, said she was worried. Barack Hussein Obama did not reply.")
    assert actor_named(doc, "Veronica Cruz").id == "veronica-cruz"
    assert actor_named(doc, "Barack Hussein Obama").id == "barack-obama"


def test_party_adjective_belongs_to_the_group(analyse):
    doc = analyse("The Democratic senator said the bill would fail.")
    assert actor_named(doc, "Democratic senator").sector == "LEG"
    assert actor_named(doc, "Democratic senator").country == "USA"


def test_role_words_that_modify_another_noun_are_not_actors(analyse):
    doc = analyse("Russian soldiers left. The general election is in November; the police station closed.")
    assert actor_named(doc, "general") is None
    assert actor_named(doc, "police") is None


def test_one_actor_per_country_government(analyse):
    doc = analyse("Russia rejected the plan. Moscow said the Kremlin would answer, and Russian officials "
                  "confirmed it. The Russian government later softened its tone.")
    ids = {actor_named(doc, w).id for w in ("Russia", "Moscow", "Kremlin", "Russian officials", "Russian government")}
    assert ids == {"russia"}
    russia = doc._.actors["russia"]
    assert (russia.country, russia.sector, russia.kind) == ("RUS", "GOV", "country")
    assert "kremlin" in russia.merged   # the joined ids stay on the record for keys built on them


def test_hyphenated_title_prefix(analyse):
    doc = analyse("A deal between Trump and Chinese vice-premier Liu Zhao could slip.")
    assert code(doc, "Liu Zhao") == ("CHN", "GOV")
