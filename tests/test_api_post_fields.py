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
