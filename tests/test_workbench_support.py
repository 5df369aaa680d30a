"""Invented documents for the workbench tests: saved straight into a store (no spaCy), so
aggregates, reviews and the map have known events."""
from __future__ import annotations

from dateline.model import Actor, ActorRef, Article, Document, Event, Place

COUNTRIES = {"PER": "Peru", "CHL": "Chile", "BOL": "Bolivia"}
PLACES = {"Lima": ("PER", -12.05, -77.04), "Arica": ("CHL", -18.48, -70.31), "La Paz": ("BOL", -16.5, -68.15)}


def ref(code: str) -> ActorRef:
    return ActorRef(name=COUNTRIES[code], country=code, sector="GOV", actor=f"{code.lower()}-gov")


def event(kind: str, source: str, target: str, day: str, place: str | None = None, confidence: float = 0.8,
          sentence: str = "") -> Event:
    where = None
    if place:
        country, lat, lon = PLACES[place]
        where = Place(name=place, country=country, lat=lat, lon=lon)
    return Event(type=kind, source=[ref(source)], target=[ref(target)], date=day, place=where,
                 evidence=sentence or f"{COUNTRIES[source]} and {COUNTRIES[target]}: {kind.lower()} on {day}.",
                 confidence=confidence)


def document(doc_id: str, day: str, events: list[Event], outlet: str = "Lakeside Herald") -> Document:
    body = [e.evidence for e in events] or ["Nothing happened."]
    offset = 0
    for e, paragraph in zip(events, body):
        e.start, e.end = offset, offset + len(paragraph)
        offset += len(paragraph) + 2
    actors = {f"{c.lower()}-gov": Actor(id=f"{c.lower()}-gov", name=n, kind="country", country=c, sector="GOV")
              for c, n in COUNTRIES.items()}
    return Document(doc=f"{doc_id}.html", id=doc_id, events=events, actors=actors,
                    article=Article(title=f"Report {doc_id}", outlet=outlet, published=day, body=body))


def sample_documents() -> list[Document]:
    """Three weeks of invented Peru–Chile–Bolivia relations, two outlets."""
    return [
        document("a1", "2025-07-01", [event("CONSULT", "PER", "CHL", "2025-07-01", "Lima"),
                                      event("ACCUSE", "BOL", "CHL", "2025-07-01", "La Paz", 0.3)]),
        document("a2", "2025-07-02", [event("CONSULT", "PER", "CHL", "2025-07-01", "Lima")], outlet="Metro Wire"),
        document("a3", "2025-07-09", [event("ASSAULT", "CHL", "BOL", "2025-07-08", "Arica", 0.4)]),
        document("a4", "2025-07-20", [event("AGREE", "PER", "CHL", "2025-07-20", "Arica", 0.9),
                                      event("AID", "CHL", "PER", "2025-07-20")]),
        document("a5", "2025-07-21", []),
    ]


def fill(store) -> list[Document]:
    from dateline.stories import on_documents_stored

    documents = sample_documents()
    for doc in documents:
        store.save(doc)
        on_documents_stored(store, [doc])
    return documents
