"""The HTTP API over a real SQLite store filled by the pipeline (pages posted to /api/documents)."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from dateline.api import create_app
from dateline.api.testing import shared_fixture_store

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures" / "web"
INJECTION = "' OR 1=1 --"


@pytest.fixture(scope="module")
def filled():
    app, answers = shared_fixture_store(FIXTURES)
    with TestClient(app) as client:
        yield client, answers


@pytest.fixture(scope="module")
def client(filled):
    return filled[0]


@pytest.fixture(scope="module")
def ids(filled):
    return {name: answer["id"] for name, answer in filled[1].items()}


def all_events(client, **params):
    return client.get("/api/events", params={"limit": 500, **params}).json()


# -- documents -----------------------------------------------------------------------


def test_every_fixture_is_stored_and_listed_with_pagination(client, ids):
    first = client.get("/api/documents", params={"limit": 4}).json()
    assert first["total"] == len(ids) == 11
    assert len(first["items"]) == 4 and first["limit"] == 4 and first["offset"] == 0
    rest = client.get("/api/documents", params={"limit": 100, "offset": 4}).json()
    listed = {d["id"] for d in first["items"] + rest["items"]}
    assert listed == set(ids.values())
    dates = [d["anchor_date"] for d in first["items"] + rest["items"] if d["anchor_date"]]
    assert dates == sorted(dates, reverse=True)


def test_one_document_carries_its_entities_quotes_and_events(client, ids):
    doc = client.get(f"/api/documents/{ids['d1-coded-arica.json']}", params={"annotations": "true"}).json()
    assert doc["article"]["outlet"] == "Lakeside Herald"
    assert {"entities", "actors", "quotes", "events", "places", "times"} <= doc.keys()
    assert [e["type"] for e in doc["events"]] == ["ACCUSE", "REJECT", "THREATEN", "CONSULT"]
    assert doc["annotations"]["e0"]["source"].startswith("Peru")
    text = "\n\n".join(doc["article"]["body"])
    assert text[doc["annotations"]["e0"]["start"]:doc["annotations"]["e0"]["end"]] == doc["events"][0]["evidence"]


def test_pipeline_documents_have_their_article_fields(client, ids):
    doc = client.get(f"/api/documents/{ids['a2-fisheries-talks-stall.html']}").json()
    assert doc["article"]["title"] == "Anchovy talks stall as Peru rejects Chilean quota offer"
    assert doc["article"]["body"]


def test_unknown_document_is_404(client):
    response = client.get("/api/documents/does-not-exist")
    assert response.status_code == 404 and "detail" in response.json()


def test_documents_filter_by_outlet_author_and_text(client):
    by_outlet = client.get("/api/documents", params={"outlet": "Metro Wire"}).json()
    assert by_outlet["total"] >= 1 and all(d["outlet"] == "Metro Wire" for d in by_outlet["items"])
    by_author = client.get("/api/documents", params={"author": "Priya Natarajan"}).json()
    assert by_author["total"] >= 1 and all("Priya Natarajan" in d["authors"] for d in by_author["items"])
    by_text = client.get("/api/documents", params={"q": "anchovy"}).json()
    assert by_text["total"] >= 4


# -- events --------------------------------------------------------------------------


def test_event_filters_each_narrow_to_matching_events(client):
    everything = all_events(client)
    assert everything["total"] >= 4
    accuse = all_events(client, type="ACCUSE")
    assert accuse["total"] >= 1 and all(e["type"] == "ACCUSE" for e in accuse["items"])
    dyad = all_events(client, dyad="PER-CHL")
    assert dyad["total"] >= 4
    assert all({e["source_country"], e["target_country"]} == {"PER", "CHL"} for e in dyad["items"])
    directed = all_events(client, source_country="CHL", target_country="PER")
    assert all(e["source_country"] == "CHL" for e in directed["items"]) and directed["total"] >= 2
    country = all_events(client, country="chl")
    assert all("CHL" in (e["source_country"], e["target_country"]) for e in country["items"])
    actor = all_events(client, actor="peru")
    assert actor["total"] >= 4
    assert all("peru" in f"{e['source_name']} {e['target_name']}".lower() for e in actor["items"])
    future = all_events(client, factuality="future")
    assert future["total"] >= 1 and all(e["factuality"] == "future" for e in future["items"])
    sure = all_events(client, min_confidence=0.8)
    assert sure["total"] >= 2 and all(e["confidence"] >= 0.8 for e in sure["items"])
    text = all_events(client, q="escorted every trawler")
    assert text["total"] == 1 and text["items"][0]["type"] == "REJECT"


def test_event_date_range_is_inclusive_and_month_bounds_cover_the_month(client):
    day = all_events(client, date_from="2025-10-07", date_to="2025-10-07")
    assert day["total"] >= 3 and all(e["date"].startswith("2025-10-07") for e in day["items"])
    month = all_events(client, date_from="2025-10", date_to="2025-10")
    assert month["total"] >= day["total"]
    assert all(e["date"].startswith("2025-10") for e in month["items"])
    assert client.get("/api/events", params={"date_from": "last week"}).status_code == 422


def test_event_pagination_keeps_the_total(client):
    page = client.get("/api/events", params={"limit": 2, "offset": 1}).json()
    assert page["limit"] == 2 and page["offset"] == 1 and len(page["items"]) <= 2
    assert page["total"] == all_events(client)["total"]
    assert client.get("/api/events", params={"limit": 0}).status_code == 422


@pytest.mark.parametrize("field", ["type", "actor", "country", "source_country", "dyad", "factuality", "q", "doc_id",
                                   "story"])
def test_sql_injection_in_any_event_filter_matches_nothing(client, field):
    before = client.get("/api/documents").json()["total"]
    answer = client.get("/api/events", params={field: INJECTION})
    if field in ("type", "factuality"):  # enumerated: an unknown value is refused, naming the allowed ones
        assert answer.status_code == 422 and "use one of" in answer.json()["detail"]
        assert client.get("/api/events", params={field: "x'; DROP TABLE documents; --"}).status_code == 422
        assert client.get("/api/documents").json()["total"] == before
        return
    assert answer.status_code == 200
    assert answer.json()["total"] == 0 and answer.json()["items"] == []
    dropped = client.get("/api/events", params={field: "x'; DROP TABLE documents; --"})
    assert dropped.status_code == 200 and dropped.json()["total"] == 0
    assert client.get("/api/documents").json()["total"] == before


def test_sql_injection_in_other_lists_matches_nothing(client):
    for path, field in [("/api/documents", "q"), ("/api/actors", "q"), ("/api/quotes", "speaker"),
                        ("/api/documents", "outlet"), ("/api/documents", "author")]:
        answer = client.get(path, params={field: INJECTION}).json()
        assert answer["total"] == 0, (path, field)
    assert client.get("/api/events", params={"date_from": INJECTION}).status_code == 422


def test_like_wildcards_in_text_are_literal(client):
    assert all_events(client, q="%")["total"] == 0
    assert all_events(client, actor="_")["total"] == 0


def test_timeline_counts_add_up_to_the_dated_events(client):
    timeline = client.get("/api/events/timeline", params={"granularity": "day", "dyad": "CHL-PER"}).json()
    # Per day counts only events dated to the day ("2025-11" has no day to go in).
    dated = [e for e in all_events(client, dyad="CHL-PER")["items"] if e["date"] and len(e["date"]) >= 10]
    assert sum(row["count"] for row in timeline["items"]) == len(dated)
    months = client.get("/api/events/timeline", params={"granularity": "month", "dyad": "CHL-PER"}).json()
    assert sum(row["count"] for row in months["items"]) >= len(dated)
    assert all(len(row["period"]) == 10 for row in timeline["items"])


def test_network_has_typed_edges_between_actors(client):
    network = client.get("/api/events/network").json()
    assert {"source": "PER", "target": "CHL", "type": "ACCUSE"}.items() <= next(
        e for e in network["edges"] if e["type"] == "ACCUSE" and e["source"] == "PER").items()
    labels = {n["id"]: n["label"] for n in network["nodes"]}
    assert labels["PER"] == "Peru" and labels["CHL"] == "Chile"


def test_facets_list_types_and_countries(client):
    facets = client.get("/api/events/facets").json()
    assert {"ACCUSE", "REJECT", "THREATEN", "CONSULT"} <= set(facets["types"])
    assert {"CHL", "PER"} <= set(facets["countries"])


# -- actors, quotes, stories, negotiations ---------------------------------------------


def test_actors_are_counted_by_document(client):
    actors = client.get("/api/actors", params={"limit": 100}).json()
    assert actors["total"] >= 3
    chile = [a for a in actors["items"] if a["name"] == "Chile"]
    assert chile and chile[0]["documents"] >= 2
    found = client.get("/api/actors", params={"q": "chil"}).json()
    assert all("chil" in a["name"].lower() for a in found["items"])


def test_quotes_by_speaker(client, ids):
    quotes = client.get("/api/quotes", params={"speaker": "González"}).json()
    assert quotes["total"] >= 1
    assert any(q["doc_id"] == ids["d1-coded-arica.json"] and q["kind"] == "direct" for q in quotes["items"])


def test_stories_list_and_detail(client):
    stories = client.get("/api/stories").json()
    assert {"total", "limit", "offset", "items"} <= stories.keys()
    for story in stories["items"]:
        detail = client.get(f"/api/stories/{story['story_id']}").json()
        assert len(detail["documents"]) >= 2
        assert isinstance(detail["timeline"], list)
    assert client.get("/api/stories/no-such-story").status_code == 404


def test_timeline_across_articles_in_date_order(client):
    timeline = client.get("/api/timeline", params={"actor": ["CHL", "PER"], "limit": 100}).json()
    assert timeline["total"] >= 1
    dates = [row.get("date_lo") or row["date"] for row in timeline["items"]]
    assert dates == sorted(dates)
    assert client.get("/api/timeline", params={"actor": INJECTION}).json()["total"] == 0
    assert client.get("/api/timeline", params={"type": INJECTION}).json()["total"] == 0


def test_negotiations_track_moves_per_dyad_and_issue(client):
    tracks = client.get("/api/negotiations", params={"dyad": "CHL-PER"}).json()
    assert tracks["total"] >= 1
    for track in tracks["items"]:
        assert set(track["dyad"].split("-")) >= {"CHL", "PER"}
        assert track["positions"] and track["moves"]
    assert client.get("/api/negotiations", params={"dyad": INJECTION}).json()["total"] == 0


def test_trending_and_latest(client):
    trending = client.get("/api/trending").json()
    assert trending["window"]["to"] == "2025-10-07"
    assert trending["actors"] and all(t["recent"] >= 1 for t in trending["actors"])
    latest = client.get("/api/latest", params={"limit": 3}).json()
    assert latest["items"][0]["anchor_date"] == "2025-10-07"


def test_openapi_documents_the_api(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/events", "/api/actors", "/api/quotes",
                 "/api/stories", "/api/negotiations"):
        assert path in paths
    assert "requestBody" in paths["/api/documents"]["post"]


# -- posting pages -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_app(tmp_path_factory):
    db = tmp_path_factory.mktemp("post") / "post.db"
    with TestClient(create_app(f"sqlite:///{db}", max_post_bytes=4000)) as client:
        yield client


PAGE = ("Ministers meet in Quito\n\nQUITO, Ecuador — Ecuador and Colombia agreed on Monday to reopen "
        "their border crossing, officials said.")


def test_post_json_text_ingests_once_and_reposting_updates(small_app):
    first = small_app.post("/api/documents", json={"text": PAGE, "source": "quito.txt"})
    assert first.status_code == 201 and first.json()["created"] is True
    again = small_app.post("/api/documents", json={"text": PAGE, "source": "quito.txt"})
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["id"] == first.json()["id"]
    assert small_app.get("/api/documents").json()["total"] == 1
    stored = small_app.get(first.json()["links"]["self"]).json()
    assert stored["doc"] == "quito.txt"


def test_post_form_file_and_raw_html(small_app):
    html = "<html><body><article><h1>Port reopens</h1><p>LIMA, Peru — The port of Callao reopened on Tuesday after a strike ended, its operator said.</p></article></body></html>"
    by_file = small_app.post("/api/documents", files={"file": ("port.html", html.encode(), "text/html")})
    assert by_file.status_code in (200, 201), by_file.text
    raw = small_app.post("/api/documents", content=html.encode(), headers={"content-type": "text/html"})
    assert raw.status_code in (200, 201) and raw.json()["id"] == by_file.json()["id"]


@pytest.mark.parametrize("kwargs, status", [
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400),
    ({"json": ["a list"]}, 422),
    ({"json": {}}, 422),
    ({"json": {"text": "   "}}, 422),
    ({"json": {"text": "a", "html": "<p>b</p>"}}, 422),
    ({"json": {"text": "ok text", "url": 5}}, 422),
    ({"content": b"x", "headers": {"content-type": "application/pdf"}}, 415),
    ({"json": {"text": "word " * 2000}}, 413),
    ({"files": {"file": ("big.txt", b"w" * 5000, "text/plain")}}, 413),
])
def test_post_bad_input_is_a_clear_4xx(small_app, kwargs, status):
    response = small_app.post("/api/documents", **kwargs)
    assert response.status_code == status, response.text
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def test_post_error_does_not_store_anything(small_app):
    before = small_app.get("/api/documents").json()["total"]
    small_app.post("/api/documents", json={"text": ""})
    assert small_app.get("/api/documents").json()["total"] == before


def test_declared_oversize_body_is_refused_before_reading(small_app):
    response = small_app.post("/api/documents", content=b"{}", headers={"content-type": "application/json",
                                                                        "content-length": str(10**9)})
    assert response.status_code == 413


def test_api_errors_are_json(client):
    response = client.get("/api/events", params={"min_confidence": "high"})
    assert response.status_code == 422
    assert json.loads(response.text)["detail"]
