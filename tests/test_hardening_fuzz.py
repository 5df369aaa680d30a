"""A bounded fuzz of every route on loopback: generated hostile requests (odd numbers,
NUL, broken percent-escapes, lone surrogates, huge and deep values, wrong content types,
duplicate fields) must never answer 5xx, and the server must answer normally afterwards
(issue 17, item 3). Fixed seed: a failure reproduces."""
from __future__ import annotations

import json
import random
import re

import httpx
import pytest
from test_store_support import make_documents, pg_url, store_url  # noqa: F401

from dateline.api import create_app
from dateline.api.testing import serve_in_thread
from dateline.stories import on_documents_stored

REQUESTS = 2500
NUMBERS = ["0", "-1", "1", "50", "500", "501", "9223372036854775808", "-9223372036854775809", "1e309", "NaN",
           "1" * 60, "0x10", " 3", "", "1.5", "١٢"]
WORDS = ["", "x", "Norway", "%00", "a%00b", "%ED%A0%80", "%FF%FE", "%", "%zz", "%C0%AF", "' OR 1=1 --",
         "<script>alert(1)</script>", "..%2F..%2Fetc%2Fpasswd", "\u2028", "🙂" * 50, "x" * 600, "ACCUSE", "consult",
         "asserted", "maybe", "direct", "person", "NOR-CHL", "NOR", "2025-01-01", "2025-13-45", "*", "%25"]
PARAMS = ["limit", "offset", "q", "type", "actor", "country", "source_country", "target_country", "dyad",
          "date_from", "date_to", "factuality", "min_confidence", "doc_id", "story", "outlet", "author",
          "speaker", "kind", "granularity", "max_edges", "min_mentions", "issue", "highlights", "annotations",
          "name"]


def _value(rng: random.Random) -> str:
    return rng.choice(NUMBERS if rng.random() < 0.4 else WORDS)


def _get_url(rng: random.Random, paths: list[str], ids: list[str]) -> str:
    path = rng.choice(paths)
    path = re.sub(r"\{[^}]+\}", lambda _: rng.choice(ids + WORDS[1:12]), path)
    query = "&".join(f"{rng.choice(PARAMS)}={_value(rng)}" for _ in range(rng.randint(0, 5)))
    return path + ("?" + query if query else "")


def _post(rng: random.Random) -> tuple[dict[str, str], bytes]:
    kind = rng.randrange(9)
    if kind == 0:
        return {"Content-Type": "application/json"}, ("[" * rng.choice([10, 1000, 30000])).encode()
    if kind == 1:
        value = rng.choice([5, None, [], {"a": 1}, "", "\ud800 text", "x" * 3000, "Talks resume in Oslo today."])
        body = {rng.choice(["text", "html", "url", "title", "date", "source"]): value}
        return {"Content-Type": "application/json"}, json.dumps(body).encode()
    if kind == 2:
        return {"Content-Type": rng.choice(["text/plain", "text/html"])}, rng.randbytes(rng.randint(0, 3000))
    if kind == 3:
        return {"Content-Type": rng.choice(["application/xml", "", "image/png", "multipart/form-data"])}, b"<x/>"
    if kind == 4:
        boundary = "b0undary"
        names = ["../../x.html", "a\\b.txt", "", "%00"]
        parts = ""
        for _ in range(rng.randint(0, 3)):
            field = rng.choice(["text", "file", "html"])
            filename = f'; filename="{rng.choice(names)}"' if rng.random() < 0.5 else ""
            parts += f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"{filename}\r\n\r\n'
            parts += rng.choice(WORDS) + "\r\n"
        return {"Content-Type": f"multipart/form-data; boundary={boundary}"}, (parts + f"--{boundary}--\r\n").encode()
    if kind == 5:
        return {"Content-Type": "application/x-www-form-urlencoded"}, f"text={_value(rng)}&text={_value(rng)}".encode()
    if kind == 6:
        return {"Content-Type": "application/json"}, b'{"text": "\\ud800\\u0000 Talks \\udfff resume"}'
    if kind == 7:
        return {"Content-Type": "application/json; charset=latin-1"}, b"\xff\xfe\x00{"
    return {"Content-Type": "text/plain"}, b"Talks resume\n\nOSLO -- Norway and Chile met on Monday, officials said."


@pytest.mark.slow
def test_fuzzed_requests_never_answer_5xx(store_url):
    from dateline.pipeline import Pipeline

    app = create_app(store_url)
    docs = make_documents(12)
    app.state.store.save_many(docs)
    on_documents_stored(app.state.store, docs)
    app.state.ingestor._pipeline = Pipeline(None, analyse=False)  # extraction only: the API is under test
    spec = app.openapi()["paths"]
    paths = sorted({path for path, operations in spec.items() if "get" in operations}
                   | {"/", "/read", "/read/{doc_id}", "/authors/{name}", "/outlets/{name}", "/docs"})
    assert len(paths) >= 20, paths
    ids = [d.id for d in docs[:3]]
    rng = random.Random(17)
    failures: list[str] = []
    with serve_in_thread(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        for n in range(REQUESTS):
            if n % 10 == 0:
                headers, body = _post(rng)
                response = client.post("/api/documents", content=body, headers=headers)
                label = f"POST {headers} {body[:60]!r}"
            else:
                url = _get_url(rng, paths, ids)
                accept = rng.choice(["text/html", "application/json", "*/*"])
                response = client.get(url, headers={"Accept": accept})
                label = f"GET {url}"
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {label}: {response.text[:200]}")
        assert client.get("/api/documents").status_code == 200
        assert client.get("/read").status_code == 200
    assert not failures, "\n".join(failures[:20])
