"""One actor per entity inside a document (dateline_actors' merges), on invented text: two
spellings of a person, a company's short name, a bare noun for a named body, a name the text
gives a group, an acronym defined after a title, a name glued to its link text."""
from __future__ import annotations

from dateline.model import Actor
from dateline.nlp.actors import actor_at
from dateline.nlp.actors.entities import same_person, shortens


def actor_of(doc, words: str, nth: int = 0):
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(words, start + 1)
    return actor_at(doc, start, start + len(words))


def person(name: str) -> Actor:
    return Actor(id=name.lower().replace(" ", "-"), name=name, kind="person")


def test_two_spellings_of_one_person_are_one_person():
    assert same_person(person("Patrick W. Halvorsen Jr."), person("Pat Halvorsen"))
    assert same_person(person("Daniel Okafor"), person("D. Okafor"))
    assert not same_person(person("George H. Tamblyn"), person("George W. Tamblyn"))   # father and son
    assert not same_person(person("Anna Lindqvist"), person("Maria Lindqvist"))
    assert not same_person(person("Donald Brackett"), person("Donald Brackett Jr."))   # father and son
    assert shortens(person("Halvorsen"), person("Patrick Halvorsen Jr."))


def test_a_company_short_name_is_its_full_name():
    full, short = Actor(id="a", name="Brightwater Group Corp", kind="org"), Actor(id="b", name="Brightwater", kind="org")
    assert shortens(short, full)
    assert not shortens(Actor(id="c", name="Group", kind="org"), full)


def test_person_spellings_join_in_a_document(analyse):
    doc = analyse("Patrick W. Halvorsen Jr., 55, of Addison, pleaded guilty on Monday. "
                  "\"Pat Halvorsen is sorry,\" his lawyer said. Halvorsen will be sentenced in May.")
    first = actor_of(doc, "Patrick W. Halvorsen Jr.")
    assert first is not None
    assert actor_of(doc, "Pat Halvorsen").id == first.id
    assert actor_of(doc, "Halvorsen", 2).id == first.id


def test_bare_police_is_the_one_named_police_body(analyse):
    doc = analyse("The office referred the call to the U.S. Capitol Police, who worked with the FBI. "
                  "When the man was approached, he told police he was angry.")
    body = actor_of(doc, "U.S. Capitol Police")
    assert body is not None and actor_of(doc, "told police")
    assert actor_of(doc, "police").id == body.id   # the lower-case one, after "told"


def test_a_group_known_by_a_name_is_that_actor(analyse):
    doc = analyse("The coalition trains the Syrian opposition forces known as Jaysh al Nasr, "
                  "formerly the Southern Front, near the border.")
    named = actor_of(doc, "Syrian opposition forces")
    assert named is not None and (named.country, named.sector) == ("SYR", "REB")
    assert actor_of(doc, "Jaysh al Nasr").id == named.id
    assert actor_of(doc, "Jaysh al Nasr").kind != "person"


def test_an_acronym_after_a_title_takes_the_office(analyse):
    doc = analyse("The Ohio Attorney General (OAG) is investigating the company. "
                  "A spokesperson for the OAG declined to comment.")
    office, title = actor_of(doc, "OAG", 1), actor_of(doc, "Attorney General")
    assert office is not None and office.country == "USA"
    assert office.sector is not None and office.sector == title.sector


def test_a_name_glued_to_its_repeat_is_cut(analyse):
    doc = analyse("Rep. Marta QuillfeatherMarta QuillfeatherSenators debate the farm bill. "
                  "The vote is on Friday.")
    actor = actor_of(doc, "Marta Quillfeather")
    assert actor is not None and actor.name == "Marta Quillfeather"
    assert all("QuillfeatherMarta" not in m.text for m in doc._.mentions)


def test_a_naming_verb_gives_the_person_the_office(analyse):
    doc = analyse("Kevin Marsh resigned and Dale Hoyt has been named new DHS acting secretary. "
                  "Tom Brill was named in the lawsuit.")
    hoyt = actor_of(doc, "Dale Hoyt")
    assert (hoyt.country, hoyt.sector) == ("USA", "GOV")
    assert actor_of(doc, "secretary").id == hoyt.id   # the office named is Hoyt, not the government
    brill = actor_of(doc, "Tom Brill")
    assert brill is None or brill.sector is None
