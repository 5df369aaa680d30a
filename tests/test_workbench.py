"""Aggregates, review and map data over invented documents (tests/test_workbench_support.py)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from dateline.store import Store
from test_workbench_support import fill, sample_documents


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'wb.db'}")
    fill(store)
    return store


@pytest.fixture
def client(store):
    from dateline.api import create_app

    return TestClient(create_app(store.url))


def by_key(items):
    return {(row["period"], row["key"]): row for row in items}


# -- aggregates ------------------------------------------------------------------------


def test_aggregates_count_merged_events_with_mentions_and_volume(client):
    rows = by_key(client.get("/api/aggregates", params={"by": "dyad", "per": "month"}).json()["items"])
    per_chl = rows[("2025-07", "CHL-PER")]
    # The consultation in Lima is reported twice (a1, a2): one event, two mentions.
    assert per_chl["events"] == 3 and per_chl["mentions"] == 4
    assert per_chl["articles_period"] == 5
    assert per_chl["verbal_cooperation"] == 2 and per_chl["material_cooperation"] == 1
    assert per_chl["score"] > 0
    assert rows[("2025-07", "BOL-CHL")]["score"] < 0


def test_aggregates_per_week_and_by_quad(client):
    weeks = by_key(client.get("/api/aggregates", params={"by": "quad", "per": "week"}).json()["items"])
    assert weeks[("2025-W28", "material_conflict")]["events"] == 1
    assert weeks[("2025-W27", "verbal_cooperation")]["events"] == 1
    countries = by_key(client.get("/api/aggregates", params={"by": "country", "per": "month"}).json()["items"])
    assert countries[("2025-07", "CHL")]["events"] == 5


def test_aggregates_reject_unknown_values(client):
    assert client.get("/api/aggregates", params={"by": "planet"}).status_code == 422
    assert client.get("/api/aggregates", params={"type": "BOGUS"}).status_code == 422


def test_aggregate_command_formats(cli, store, tmp_path):
    result = cli(["aggregate", "--by", "dyad", "--per", "month", "--db", store.url, "-f", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"period", "key", "events", "mentions", "score", "articles_period"} <= rows[0].keys()
    out = tmp_path / "agg.parquet"
    assert cli(["aggregate", "--by", "type", "--db", store.url, "-f", "parquet", "--out", out]).exit_code == 0
    import pyarrow.parquet as pq

    assert "events" in pq.read_table(out).column_names
    as_json = json.loads(cli(["aggregate", "--by", "quad", "--db", store.url, "-f", "json"]).stdout)
    assert as_json and all("score" in row for row in as_json)
    assert cli(["aggregate", "--by", "planet", "--db", store.url]).exit_code == 2
    assert cli(["aggregate", "--from", "2025-13", "--db", store.url]).exit_code == 2


# -- review ----------------------------------------------------------------------------


def test_review_edit_applies_to_aggregates_and_export_and_survives_reingest(client, store, cli, tmp_path):
    # Bolivia's accusation (a1-1) is really a threat.
    answer = client.post("/api/events/a1-1/review", json={"action": "edit", "changes": {"type": "threaten"},
                                                          "reviewer": "ana"})
    assert answer.status_code == 200 and answer.json()["review"]["status"] == "edited"
    types = by_key(client.get("/api/aggregates", params={"by": "type"}).json()["items"])
    assert ("2025-07", "THREATEN") in types and ("2025-07", "ACCUSE") not in types

    # Re-ingest every document (as --force would) and rebuild the stories: the review stays.
    from dateline.stories import rebuild

    for doc in sample_documents():
        store.save(doc)
    rebuild(store)
    types = by_key(client.get("/api/aggregates", params={"by": "type"}).json()["items"])
    assert ("2025-07", "THREATEN") in types

    out = tmp_path / "events.csv"
    assert cli(["export", "--out", out, "--db", store.url]).exit_code == 0
    rows = {r["event_id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["a1-1"]["plover_type"] == "THREATEN" and rows["a1-1"]["review_status"] == "edited"
    assert rows["a1-1"]["reviewed"] == "1" and rows["a1-0"]["reviewed"] == "0"


def test_reject_leaves_the_event_out_and_undo_brings_it_back(client):
    def assaults():
        items = client.get("/api/aggregates", params={"by": "type"}).json()["items"]
        return sum(r["events"] for r in items if r["key"] == "ASSAULT")

    assert assaults() == 1
    assert client.post("/api/events/a3-0/review", json={"action": "reject"}).status_code == 200
    assert assaults() == 0
    undone = client.delete("/api/events/a3-0/review")
    assert undone.status_code == 200 and undone.json()["review"] is None
    assert assaults() == 1
    history = client.get("/api/events/a3-0/review").json()["history"]
    assert [h["action"] for h in history] == ["reject"] and history[0]["undone"]


def test_review_errors(client):
    assert client.post("/api/events/zz-9/review", json={"action": "confirm"}).status_code == 404
    assert client.post("/api/events/a1-0/review", json={"action": "edit", "changes": {"type": "NOPE"}}).status_code == 422
    assert client.post("/api/events/a1-0/review", json={"action": "edit", "changes": {"colour": "red"}}).status_code == 422
    assert client.post("/api/events/a1-0/review", json={"action": "maybe"}).status_code == 422


def test_review_writes_need_the_token(store):
    from dateline.api import create_app
    from dateline.api.auth import AuthSettings

    app = create_app(store.url)
    app.state.auth = AuthSettings(token="s3cret")
    client = TestClient(app)
    assert client.post("/api/events/a1-0/review", json={"action": "confirm"}).status_code == 401
    ok = client.post("/api/events/a1-0/review", json={"action": "confirm"},
                     headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200


def test_review_queue_lowest_confidence_first(client):
    queue = client.get("/api/reviews/queue").json()["items"]
    assert [e["event_id"] for e in queue[:2]] == ["a1-1", "a3-0"]
    client.post("/api/events/a1-1/review", json={"action": "confirm"})
    assert client.get("/api/reviews/queue").json()["items"][0]["event_id"] == "a3-0"


def test_review_command(cli, store):
    edited = cli(["review", "a4-1", "edit", "--set", "type=COOPERATE", "--reviewer", "ana", "--db", store.url,
                  "-f", "json"])
    assert edited.exit_code == 0 and json.loads(edited.stdout)["review"]["changes"] == {"type": "COOPERATE"}
    assert cli(["review", "a4-1", "undo", "--db", store.url]).exit_code == 0
    assert cli(["review", "a4-1", "edit", "--set", "type=BOGUS", "--db", store.url]).exit_code == 2
    assert cli(["review", "nope-1", "confirm", "--db", store.url]).exit_code == 1
    queue = cli(["review", "--db", store.url, "-f", "json"])
    assert json.loads(queue.stdout)[0]["event_id"] == "a1-1"


# -- map -------------------------------------------------------------------------------


def test_map_points_countries_and_place_events(client):
    data = client.get("/api/map").json()
    places = {p["name"]: p for p in data["places"]}
    assert places["Lima"]["events"] == 1 and places["Lima"]["mentions"] == 2
    assert places["Arica"]["events"] == 2 and places["La Paz"]["quad"] == "verbal_conflict"
    assert data["countries"]["CHL"] == 2
    arica = client.get("/api/map", params={"place": "Arica"}).json()["events"]
    assert sorted(e["type"] for e in arica) == ["AGREE", "ASSAULT"]


def test_reviews_apply_to_the_timeline(client, cli, store):
    client.post("/api/events/a3-0/review", json={"action": "reject"})
    client.post("/api/events/a4-0/review", json={"action": "edit", "changes": {"date": "2025-07-19"}})
    items = client.get("/api/timeline").json()["items"]
    assert "ASSAULT" not in [i["type"] for i in items]
    agree = next(i for i in items if i["type"] == "AGREE")
    assert agree["date"] == "2025-07-19" and agree["review_status"] == "edited"
    rows = json.loads(cli(["timeline", "--db", store.url, "-f", "json"]).stdout)
    assert "ASSAULT" not in [r["type"] for r in rows]


def test_reviews_apply_to_the_events_list(client):
    client.post("/api/events/a1-1/review", json={"action": "edit", "changes": {"type": "THREATEN"}})
    items = {f"{e['doc_id']}-{e['idx']}": e for e in client.get("/api/events").json()["items"]}
    assert items["a1-1"]["type"] == "THREATEN" and items["a1-1"]["review_status"] == "edited"
    assert items["a1-0"]["review_status"] is None


def test_type_filter_sees_edited_types(client):
    client.post("/api/events/a1-1/review", json={"action": "edit", "changes": {"type": "THREATEN"}})
    items = client.get("/api/aggregates", params={"by": "type", "type": "THREATEN"}).json()["items"]
    assert [(r["key"], r["events"]) for r in items] == [("THREATEN", 1)]
    assert client.get("/api/aggregates", params={"by": "type", "type": "ACCUSE"}).json()["items"] == []


# -- actor network -----------------------------------------------------------------------


def test_network_has_one_node_per_canonical_actor(tmp_path):
    from fastapi.testclient import TestClient

    from dateline.api import create_app
    from dateline.model import Actor, ActorRef, Article, Document, Event

    def doc(name, source, target, actors=()):
        article = Article(title=name, outlet="Wire", published="2025-07-01", body=[name + "."])
        ev = Event(type="ACCUSE", source=[source], target=[target], date="2025-07-01", evidence=name,
                   start=0, end=len(name))
        return Document(doc=name, article=article, events=[ev], actors={a.id: a for a in actors})

    lavrov = Actor("sergei-lavrov", "Sergei Lavrov", "person", "RUS", "GOV")
    docs = [doc("Russia accused the United States", ActorRef("Russia", "RUS", "GOV"),
                ActorRef("United States", "USA", "GOV")),
            doc("RUS accused USA", ActorRef("RUS", "RUS"), ActorRef("USA", "USA")),
            doc("Lavrov accused Washington", ActorRef("Sergei Lavrov", "RUS", "GOV", "sergei-lavrov"),
                ActorRef("Washington", "USA", "GOV"), [lavrov]),
            doc("Russian troops accused Ukraine", ActorRef("Russian troops", "RUS", "MIL"), ActorRef("Ukraine", "UKR"))]
    store = Store(f"sqlite:///{tmp_path / 'net.db'}")
    for d in docs:
        store.save(d)
    with store.engine.begin() as conn:  # the entity rows the actors stage writes for persons
        from dateline.store.schema import entities
        conn.execute(entities.insert().values(doc_id=docs[2].id, actor="sergei-lavrov", text="Lavrov",
                                              name="Sergei Lavrov", kind="person", country="RUS", sector="GOV"))
    network = TestClient(create_app(store.url)).get("/api/events/network").json()
    labels = {n["id"]: n["label"] for n in network["nodes"]}
    assert labels == {"RUS": "Russia", "USA": "United States", "person:sergei lavrov": "Sergei Lavrov",
                      "RUS-MIL": "Russia \u00b7 military", "UKR": "Ukraine"}
    edges = {(e["source"], e["target"]): e["count"] for e in network["edges"]}
    assert edges[("RUS", "USA")] == 2 and edges[("person:sergei lavrov", "USA")] == 1


def test_trending_lists_coded_political_actors_and_no_percentage_on_small_counts(tmp_path):
    from dateline.api.reader import TrendItem, compute_trending
    from dateline.model import Actor, Article, Document, Mention

    def article(day: str, *actors: Actor) -> Document:
        body = [" and ".join(a.name for a in actors) + f" met on {day}."]
        mentions, at = [], 0
        for a in actors:
            mentions.append(Mention(a.name, at, at + len(a.name), a.id))
            at += len(a.name) + 5
        return Document(doc=f"{day}-{actors[0].id}.txt", article=Article(title=day, published=day, body=body),
                        entities=mentions, actors={a.id: a for a in actors})

    norway = Actor("nor", "Norway", "country", "NOR", "GOV")
    trade = Actor("trade", "Trade", "org")                       # a bare word, coded as nothing
    minister = Actor("ola", "Ola Berg", "person", "NOR", "GOV")
    store = Store(f"sqlite:///{tmp_path / 'trend.db'}")
    days = ["2025-09-10", "2025-09-12", "2025-09-15", "2025-10-05", "2025-10-06", "2025-10-07"]
    for day in days:
        store.save(article(day, norway, trade))
    store.save(article("2025-10-07", minister, trade))
    with store.engine.connect() as conn:
        actors = {t.label: t for t in compute_trending(conn, "2025-10-07")["actors"]}
    assert set(actors) == {"Norway", "Ola Berg"}
    assert actors["Norway"].change_label.endswith("%") or "usual" in actors["Norway"].change_label
    assert actors["Ola Berg"].change_label == ""   # one article: no "new", no "+x%"
    assert TrendItem("X", "actor", 1, 1, None, [1]).change_label == ""


def test_workbench_routes_declare_their_response_models(client):
    spec = client.get("/openapi.json").json()
    routes = {("/api/aggregates", "get"), ("/api/map", "get"), ("/api/reviews/queue", "get"),
              ("/api/events/{event_id}/review", "get"), ("/api/events/{event_id}/review", "post"),
              ("/api/events/{event_id}/review", "delete"), ("/api/corrections", "get"), ("/api/corrections", "post"),
              ("/api/corrections/{correction_id}", "delete"), ("/api/documents/{doc_id}/explain", "get"),
              ("/api/explain", "get")}
    for path, method in routes:
        schema = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in schema, (path, method, schema)
    map_answer = client.get("/api/map").json()
    assert set(map_answer) == {"places", "countries"} and {"lat", "lon", "quad"} <= set(map_answer["places"][0])


# -- the same answers on PostgreSQL, and kept only while the database is unchanged ----------

VIEWS = [("/api/aggregates", {"by": "dyad", "per": "month"}),
         ("/api/aggregates", {"by": "quad", "per": "week", "country": "CHL"}),
         ("/api/aggregates", {"by": "country", "per": "day", "type": ["CONSULT", "AGREE"]}),
         ("/api/aggregates", {"by": "type", "per": "month", "dyad": "PER-CHL", "top": 2}),
         ("/api/map", {}), ("/api/map", {"place": "Arica"}), ("/api/map", {"country": "BOL"})]


def test_cached_answers_follow_every_write(client, store):
    from dateline.stories import on_documents_stored
    from test_workbench_support import document, event

    def assaults():
        items = client.get("/api/aggregates", params={"by": "type"}).json()["items"]
        return sum(r["events"] for r in items if r["key"] == "ASSAULT")

    assert assaults() == 1 and assaults() == 1  # the second answer is the cached one
    # Another writer (not this app's store) files an article: the next answer counts it.
    doc = document("a6", "2025-07-22", [event("ASSAULT", "BOL", "PER", "2025-07-22", "La Paz")])
    store.save(doc)
    on_documents_stored(store, [doc])
    assert assaults() == 2
    assert client.post("/api/events/a6-0/review", json={"action": "reject"}).status_code == 200
    assert assaults() == 1


@pytest.mark.postgres
def test_aggregates_and_map_on_postgresql(client):
    from dateline.api import create_app
    from test_store_support import temporary_pg_database

    url, drop = temporary_pg_database()
    pg = Store(url)
    app = None
    try:
        fill(pg)
        app = create_app(url)
        on_pg = TestClient(app)
        for path, params in VIEWS:
            assert on_pg.get(path, params=params).json() == client.get(path, params=params).json(), (path, params)
        assert on_pg.post("/api/events/a3-0/review", json={"action": "reject"}).status_code == 200
        assert client.post("/api/events/a3-0/review", json={"action": "reject"}).status_code == 200
        for path, params in VIEWS:
            assert on_pg.get(path, params=params).json() == client.get(path, params=params).json(), (path, params)
    finally:
        if app is not None:
            app.state.store.close()
        pg.close()
        drop()
