"""One row per entity in the actor views over a store: `/api/actors`, the actors export and
the actor network. Invented rows: three articles on a fishing dispute between two invented
coastal states' fleets, one naming its minister without the country the others give."""
from __future__ import annotations

from sqlalchemy import create_engine, insert

from dateline.api.aggregates import actor_network
from dateline.api.queries import list_actors
from dateline.store import schema
from dateline.store.queries import iter_rows

ARTICLES = {
    "d1": [("Russia", "country", "RUS", "GOV"), ("Mara Okonjo", "person", "CHL", "GOV")],
    "d2": [("Russia", "country", "RUS", "GOV"), ("Mara Okonjo", "person", None, None)],
    "d3": [("Mara Okonjo", "person", "CHL", "GOV"), ("Amnesty International", "ngo", None, "NGO")],
}
# Event sides as the events stage writes them: a side found only as a country code carries
# the code as its name ("RUS"), a body's side repeats its own code as its country ("AMN").
EVENTS = [("d1", "Russia", "RUS", "GOV", "Chile", "CHL", "GOV"),
          ("d2", "RUS", "RUS", None, "Chile", "CHL", "GOV"),
          ("d3", "Amnesty International", "AMN", "NGO", "RUS", "RUS", None)]


def store():
    engine = create_engine("sqlite://")
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        for day, (doc_id, mentions) in enumerate(ARTICLES.items(), start=1):
            conn.execute(insert(schema.documents), {"id": doc_id, "doc": f"{doc_id}.html", "data": {},
                                                    "anchor_date": f"2025-03-0{day}", "ingested_at": "2025-03-09"})
            conn.execute(insert(schema.entities), [
                {"doc_id": doc_id, "actor": name.lower().replace(" ", "-"), "text": name, "start": 0, "end": 1,
                 "name": name, "kind": kind, "country": country, "sector": sector}
                for name, kind, country, sector in mentions])
        conn.execute(insert(schema.events), [
            {"doc_id": doc_id, "idx": 0, "type": "ACCUSE", "source_name": sn, "source_country": sc,
             "source_sector": ss, "target_name": tn, "target_country": tc, "target_sector": ts}
            for doc_id, sn, sc, ss, tn, tc, ts in EVENTS])
    return engine


def test_api_actors_lists_one_row_per_entity_with_its_code():
    engine = store()
    with engine.connect() as conn:
        rows = list_actors(conn, limit=50).items
    okonjo = [r for r in rows if r["name"] == "Mara Okonjo"]
    assert len(okonjo) == 1
    assert (okonjo[0]["country"], okonjo[0]["sector"], okonjo[0]["documents"]) == ("CHL", "GOV", 3)
    assert [r["documents"] for r in rows if r["name"] == "Russia"] == [2]


def test_actors_export_has_one_row_per_entity():
    rows = list(iter_rows(store(), "actors"))
    names = [r.actor_name for r in rows]
    assert sorted(names) == sorted(set(names))
    okonjo = next(r for r in rows if r.actor_name == "Mara Okonjo")
    assert (okonjo.country, okonjo.documents, okonjo.mentions) == ("CHL", 3, 3)


def test_network_joins_a_country_code_side_to_the_country_and_keeps_bodies_apart():
    engine = store()
    with engine.connect() as conn:
        network = actor_network(conn, [], 50)
    by_id = {n["id"]: n for n in network["nodes"]}
    assert [n["id"] for n in network["nodes"]].count("RUS") == 1
    assert by_id["RUS"]["kind"] == "country" and by_id["RUS"]["label"] == "Russia"
    assert by_id["RUS"]["degree"] == 3   # "Russia" twice and "RUS" once: one node
    amnesty = next(n for n in network["nodes"] if n["id"].startswith("AMN"))
    assert amnesty["kind"] != "country"
