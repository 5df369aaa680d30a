"""Stories join articles by what they report (shared events, duplicates, the same named
people and places), never by topic words alone; each membership says why."""
from __future__ import annotations

from sqlalchemy import select

from dateline.model import Actor, Article, Document, Place
from dateline.store import Store
from dateline.stories import on_documents_stored, queries
from dateline.stories.schema import story_documents

# Two invented pieces on unrelated happenings told with the same political vocabulary.
def _reversed(text: str) -> str:
    return " ".join(reversed(text.split()))  # the same words, none of the same phrases


TALKS_WORDS = ("officials said talks on sanctions and tariffs would continue next week while "
               "negotiators weighed a proposal on trade, security and the release of detainees")


def _doc(title: str, body: str, actors: dict[str, Actor], places: list[Place], date: str = "2025-03-04") -> Document:
    article = Article(title=title, outlet=title.split()[0], published=date, body=[body])
    return Document(doc=title, article=article, actors=actors, places=places)


def _file(store: Store, docs: list[Document]) -> dict[str, dict]:
    for doc in docs:
        store.save(doc)
        on_documents_stored(store, [doc])
    with store.engine.connect() as conn:
        return {r.doc_id: dict(r._mapping) for r in conn.execute(select(story_documents))}


def _person(key: str, name: str, country: str) -> Actor:
    return Actor(id=key, name=name, kind="person", country=country, sector="GOV")


def test_topic_words_alone_never_join_two_stories(db_url):
    hostage = _doc("Northwind hostage exchange", f"In Kandara, {TALKS_WORDS}.",
                   {"amir-sadiq": _person("amir-sadiq", "Amir Sadiq", "AFG")}, [Place("Kandara", "AFG")])
    bikes = _doc("Eastport bicycle duties", f"In Velmont, {_reversed(TALKS_WORDS)} about bicycles.",
                 {"lena-vos": _person("lena-vos", "Lena Vos", "NLD")}, [Place("Velmont", "FRA")])
    rows = _file(Store(db_url), [hostage, bikes])
    assert rows[hostage.id]["story_id"] != rows[bikes.id]["story_id"]


def test_the_same_people_and_places_join_and_the_link_is_kept(db_url):
    actors = {"amir-sadiq": _person("amir-sadiq", "Amir Sadiq", "AFG"),
              "omar-hale": _person("omar-hale", "Omar Hale", "USA")}
    places = [Place("Kandara", "AFG"), Place("Doha", "QAT")]
    first = _doc("Northwind hostage exchange", f"In Kandara, {TALKS_WORDS}. Amir Sadiq met Omar Hale in Doha.",
                 actors, places)
    second = _doc("Southgate prisoners freed", f"Omar Hale said in Doha that {_reversed(TALKS_WORDS)}; Amir Sadiq agreed "
                  "in Kandara.", actors, places, date="2025-03-05")
    store = Store(db_url)
    rows = _file(store, [first, second])
    assert rows[first.id]["story_id"] == rows[second.id]["story_id"]
    assert rows[second.id]["link_reason"] == "shared names"
    assert "4 shared names" in rows[second.id]["link_detail"]
    related = queries.related_documents(store, first.id)
    assert related[0]["why"].startswith("same story: 4 shared names")


def test_countries_alone_are_not_specific_names(db_url):
    russia = Actor(id="RUS", name="Russia", kind="country", country="RUS", sector="GOV")
    ukraine = Actor(id="UKR", name="Ukraine", kind="country", country="UKR", sector="GOV")
    one = _doc("Alpha report", f"Russia and Ukraine: {TALKS_WORDS}.", {"RUS": russia, "UKR": ukraine},
               [Place("Russia", "RUS"), Place("Ukraine", "UKR")])
    two = _doc("Beta report", f"Ukraine and Russia: {_reversed(TALKS_WORDS)} again.", {"RUS": russia, "UKR": ukraine},
               [Place("Ukraine", "UKR"), Place("Russia", "RUS")])
    rows = _file(Store(db_url), [one, two])
    assert rows[one.id]["story_id"] != rows[two.id]["story_id"]


def test_a_position_belongs_to_the_speaker_who_states_it():
    from dateline.model import ActorRef, Event, Quote
    from dateline.stories.positions import positions_of

    said = ("a truce would only be possible once the other side's troops left the four regions it claims, "
            "repeating its demand for a withdrawal")
    body = f"The foreign ministry in Arvala said {said}."
    start = body.index(said)
    inner = body.index("its demand for a withdrawal")
    quote = Quote(text=said, kind="indirect", cue="said", start=start, end=start + len(said),
                  speaker=ActorRef("The foreign ministry in Arvala", "RUS", "GOV"))
    misread = Event(type="REQUEST", source=[ActorRef("Ukraine", "UKR")], target=[ActorRef("Russia", "RUS")],
                    evidence="its demand for a withdrawal", start=inner, end=inner + 27, trigger="demand")
    doc = Document(doc="t", article=Article(title="t", published="2025-09-17", body=[body]),
                   quotes=[quote], events=[misread])
    parties = {(p.party, p.issue, p.stance) for p in positions_of(doc)}
    assert ("RUS", "territory", "demand") in parties
    assert not any(party == "UKR" for party, _, _ in parties)


def test_a_statement_to_no_one_joins_only_the_negotiation_its_article_is_about(db_url):
    from dateline.model import ActorRef, Event, Quote

    said = "the new sanctions must be lifted at once"
    body = (f"Officials in Beijing said {said}. The European Union imposed sanctions on the "
            "bicycle makers last week.")
    quote = Quote(text=said, kind="indirect", cue="said", start=body.index(said),
                  end=body.index(said) + len(said), speaker=ActorRef("Officials in Beijing", "CHN", "GOV"))
    duties = Event(type="SANCTION", source=[ActorRef("European Union", None)], target=[ActorRef("China", "CHN")],
                   evidence="The European Union imposed sanctions on the bicycle makers",
                   start=body.index("The European"), end=len(body) - 11, date="2025-10")
    doc = Document(doc="duties", article=Article(title="Duties", published="2025-10-03", body=[body]),
                   quotes=[quote], events=[duties])
    store = Store(db_url)
    store.save(doc)
    on_documents_stored(store, [doc])
    assert queries.negotiations(store, ["CHN", "USA"])["issues"] == []
    tracked = queries.negotiations(store, ["CHN", "european union"])["issues"]
    assert [p["party"] for issue in tracked for p in issue["positions"]] == ["CHN"]


def _accuse_doc(title: str, evidence: str, people: list[str], town: str) -> Document:
    body = f"{evidence}. Officials in {town} said more would follow, " + " and ".join(people) + " declined to comment."
    actors = {p.lower().replace(" ", "-"): _person(p.lower().replace(" ", "-"), p, "USA") for p in people}
    return _doc(title, body, actors, [Place(town, "USA")])


def _merged_accusations(db_url: str, first: Document, second: Document) -> int:
    """How many merged ACCUSE events two articles, each coding one accusation, make."""
    for doc in (first, second):
        doc.events = [_event_of(doc)]
    store = Store(db_url)
    _file(store, [first, second])
    return len(queries.timeline(store, types=["ACCUSE"]))


def test_same_day_events_of_articles_about_other_people_stay_apart(db_url):
    one = _accuse_doc("Alpha", "The federal agency opened an inquiry into the visit", ["Mara Quill", "Tom Bey"], "Dunmore")
    two = _accuse_doc("Beta", "Agents opened an inquiry into the shipment", ["Ivo Marsh", "Ada Penn"], "Corliss")
    assert _merged_accusations(db_url, one, two) == 2


def test_same_day_events_of_articles_about_the_same_people_merge(db_url):
    one = _accuse_doc("Alpha", "The federal agency opened an inquiry into the visit", ["Mara Quill", "Tom Bey"], "Dunmore")
    two = _accuse_doc("Beta", "Federal agents opened an inquiry into the visit", ["Mara Quill", "Tom Bey"], "Dunmore")
    assert _merged_accusations(db_url, one, two) == 1


def _event_of(doc: Document):
    from dateline.model import ActorRef, Event

    evidence = doc.article.body[0].split(". ")[0]
    return Event(type="ACCUSE", source=[ActorRef("United States", "USA")], target=[ActorRef("Britain", "GBR")],
                 date="2025-03-04", evidence=evidence, start=0, end=len(evidence))
