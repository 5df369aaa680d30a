from dateline.model import Actor, ActorRef, Article, Document, Event, Place, Quote, document_id


def make_document() -> Document:
    article = Article(title="Talks resume", body=["First paragraph.", "Second one."], page_date="2025-07-26")
    return Document(
        doc="a.txt",
        article=article,
        actors={"rus": Actor(id="rus", name="Russia", kind="country", country="RUS", sector="GOV")},
        quotes=[Quote(text="hello", kind="direct", speaker=ActorRef(name="X", country="RUS"), cue="said")],
        events=[Event(type="CONSULT", source=[ActorRef(name="Russia", country="RUS")],
                      place=Place(name="Istanbul", country="TUR", lat=41.0, lon=28.9))],
    )


def test_round_trip_keeps_every_field():
    doc = make_document()
    again = Document.from_dict(doc.to_dict())
    assert again == doc


def test_offsets_point_into_the_joined_body():
    article = Article(body=["One.", "Two."])
    assert article.text == "One.\n\nTwo."
    assert article.text[6:10] == "Two."


def test_document_id_ignores_case_and_spacing_but_not_url():
    assert document_id("Hello  World") == document_id("hello world")
    assert document_id("Hello", "http://a") != document_id("Hello")


def test_anchor_prefers_published_over_page_date():
    assert Article(published="2025-01-02", page_date="2025-01-05").anchor_date == "2025-01-02"
    assert Article(page_date="2025-01-05").anchor_date == "2025-01-05"
