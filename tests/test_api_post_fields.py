"""POST /api/documents honours the same given fields as JSON Lines rows (date, outlet, authors)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dateline.api import create_app

PAGE = ("Ministers meet again in Quito\n\nQUITO, Ecuador — Ecuador and Colombia agreed on Monday to reopen "
        "their border crossing, officials said.")


@pytest.fixture(scope="module")
def app_client(tmp_path_factory):
    db = tmp_path_factory.mktemp("post-fields") / "post.db"
    with TestClient(create_app(f"sqlite:///{db}")) as client:
        yield client


def test_post_honours_date_outlet_and_authors(app_client):
    posted = app_client.post("/api/documents", json={"text": PAGE, "source": "quito-2.txt", "date": "2024-03-12",
                                                     "outlet": "Andes Wire", "authors": "Ana Ruiz and Tom Lee"})
    assert posted.status_code in (200, 201), posted.text
    article = app_client.get(posted.json()["links"]["self"]).json()["article"]
    assert (article["published"], article["outlet"], article["authors"]) == ("2024-03-12", "Andes Wire", ["Ana Ruiz", "Tom Lee"])


REPOST = ("Talks resume in Asuncion\n\nASUNCION, Paraguay — Paraguay and Bolivia resumed talks on Friday over "
          "a shared river, officials said.")


def test_a_repost_keeps_the_stored_page_unless_replace_is_true(app_client):
    first = app_client.post("/api/documents", json={"text": REPOST, "title": "Talks resume", "outlet": "River Wire",
                                                    "source": "first.txt"})
    assert first.status_code == 201, first.text
    link = first.json()["links"]["self"]
    kept = app_client.post("/api/documents", json={"text": REPOST, "title": "Forged title", "outlet": "Other"})
    assert kept.status_code == 200 and kept.json()["created"] is False and kept.json()["title"] == "Talks resume"
    assert app_client.get(link).json()["article"]["title"] == "Talks resume"
    replaced = app_client.post("/api/documents?replace=true", json={
        "text": REPOST, "title": "Talks resume on the river", "outlet": "Andes Wire", "date": "2024-05-03",
        "authors": "Ana Ruiz", "source": "second.txt"})
    assert replaced.status_code == 200 and replaced.json()["title"] == "Talks resume on the river"
    stored = app_client.get(link).json()
    assert (stored["article"]["title"], stored["article"]["outlet"], stored["article"]["published"],
            stored["article"]["authors"], stored["doc"]) == \
        ("Talks resume on the river", "Andes Wire", "2024-05-03", ["Ana Ruiz"], "second.txt")
    by_field = app_client.post("/api/documents", json={"text": REPOST, "title": "Third title", "replace": True})
    assert by_field.status_code == 200 and app_client.get(link).json()["article"]["title"] == "Third title"
    assert app_client.get("/api/documents", params={"q": "Asuncion"}).json()["total"] == 1


def test_replace_must_be_a_yes_or_no(app_client):
    answer = app_client.post("/api/documents?replace=maybe", json={"text": REPOST})
    assert answer.status_code == 422 and "replace" in answer.json()["detail"]


def test_posted_bytes_use_the_ingest_decoder(app_client):
    latin = ("Talks in Bogota\n\nBOGOTÁ, Colombia — The ministers of Colombia and Perú met on Monday, "
             "officials said.").encode("cp1252")
    decoded = app_client.post("/api/documents", content=latin, headers={"Content-Type": "text/plain"})
    assert decoded.status_code in (200, 201) and decoded.json()["title"].startswith("Talks in Bogot")
    png = app_client.post("/api/documents", files={"file": ("photo.txt", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "text/plain")})
    assert png.status_code == 422 and "binary" in png.json()["detail"]
