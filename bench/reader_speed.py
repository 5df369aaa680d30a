"""Server-side render time of the reader pages with 10,000 stored articles.

The store is filled WITHOUT the nlp pipeline: Documents are constructed directly from a
few invented templates (varied actors, events, quotes, authors, outlets and dates over
a year) and saved with ``Store.save_many`` in batches, so the fill takes seconds, not
hours. Story tables stay empty unless ``--stories`` is given (then every batch also goes
through ``dateline.stories.on_documents_stored``), so Related News has only its
shared-actors part.

Then it times ``GET /read``, ``GET /read/{id}`` (and a few more pages) through FastAPI's
TestClient once the app's start-up warm-up is done: a first request per page ("first"),
then several requests each; prints median and p95 ms.

    .venv/bin/python bench/reader_speed.py [--articles 10000] [--requests 30] [--stories]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from dateline.model import Actor, ActorRef, Article, Document, Event, Mention, Place, Quote

COUNTRIES = [("USA", "United States"), ("RUS", "Russia"), ("UKR", "Ukraine"), ("CHN", "China"), ("IND", "India"),
             ("PAK", "Pakistan"), ("ISR", "Israel"), ("EGY", "Egypt"), ("TUR", "Turkey"), ("IRN", "Iran"),
             ("FRA", "France"), ("DEU", "Germany"), ("BRA", "Brazil"), ("KEN", "Kenya"), ("SOM", "Somalia"),
             ("CHL", "Chile"), ("PER", "Peru"), ("JPN", "Japan"), ("KOR", "South Korea"), ("QAT", "Qatar")]
PATTERNS = [("ACCUSE", "{a} accused {b} of violating the agreement on {day}, officials said."),
            ("CONSULT", "{a} and {b} held talks in the capital on {day} to discuss the border."),
            ("REJECT", "{a} rejected a proposal from {b} to extend the ceasefire."),
            ("AGREE", "{a} and {b} signed an accord on trade and transit on {day}."),
            ("THREATEN", "{a} threatened to impose sanctions on {b} if the talks fail."),
            ("AID", "{a} sent humanitarian aid to {b} after the floods."),
            ("REQUEST", "{a} urged {b} to release the detained journalists.")]
OUTLETS = ["Northern Ledger", "Harbor Gazette", "Metro Wire", "Lakeside Herald", "Capital Courier", "Coastal Times"]
AUTHORS = [f"{first} {last}" for first in ("Amara", "Tomás", "Priya", "Jonah", "Leila", "Mateo", "Ines", "Kofi")
           for last in ("Lindqvist", "Reyes", "Natarajan", "Whitfield", "Haddad")]


def make_document(i: int, rng: random.Random, start: date) -> Document:
    (ca, na), (cb, nb) = rng.sample(COUNTRIES, 2)
    day = start + timedelta(days=rng.randrange(365))
    kind, pattern = rng.choice(PATTERNS)
    lead = pattern.format(a=na, b=nb, day=f"{day:%A}")
    quote = f"\u201cWe will not accept any deal that ignores our security,\u201d a {na} minister said."
    filler = (f"Diplomats from the region said the dispute between {na} and {nb} had deepened over the "
              f"past weeks, and analysts expect further talks before the end of the month (report {i}).")
    body = [f"CAPITAL CITY \u2014 {lead}", quote, filler, f"{nb} did not respond to a request for comment."]
    author = rng.choice(AUTHORS)
    article = Article(title=f"{lead[:-1].split(',')[0]} ({i})", authors=[author], outlet=rng.choice(OUTLETS),
                      published=day.isoformat(), page_date=day.isoformat(), dateline="Capital City", body=body,
                      related=[f"{na} and {nb} trade barbs ({i - 1})"] if i else [],
                      author_bios={author: f"{author} covers diplomacy."},
                      url=f"https://bench.example/{i}")
    text = article.text
    actors = {ca.lower(): Actor(ca.lower(), na, "country", ca, "GOV"), cb.lower(): Actor(cb.lower(), nb, "country", cb, "GOV")}
    mentions = []
    for key, name in ((ca.lower(), na), (cb.lower(), nb)):
        at = text.find(name)
        if at >= 0:
            mentions.append(Mention(name, at, at + len(name), key))
    first = len(body[0])
    event = Event(type=kind, source=[ActorRef(na, ca, "GOV", ca.lower())], target=[ActorRef(nb, cb, "GOV", cb.lower())],
                  date=day.isoformat(), place=Place("Capital City", ca), evidence=body[0], start=0, end=first,
                  confidence=round(rng.uniform(0.4, 0.95), 2))
    q_start = first + 2
    quotes = [Quote(quote.split("\u201d")[0][1:], "direct", ActorRef(f"{na} minister", ca, "GOV"), "said",
                    q_start + 1, q_start + len(quote.split("\u201d")[0]))]
    return Document(doc=f"bench-{i}.txt", article=article, entities=mentions, actors=actors, quotes=quotes,
                    events=[event])


def fill(db_url: str, count: int, with_stories: bool) -> float:
    from dateline.store import Store

    store = Store(db_url)
    rng = random.Random(7)
    start = date(2025, 1, 1)
    began = time.perf_counter()
    batch = 500
    for first in range(0, count, batch):
        docs = [make_document(i, rng, start) for i in range(first, min(count, first + batch))]
        if with_stories:
            store.save_many(docs)  # the store's hooks file them into the stories tables
        else:
            with store.hooks.paused():
                store.save_many(docs)
    store.close()
    return time.perf_counter() - began


def timed(client, path: str, runs: int) -> tuple[float, float, float]:
    """(first ms, median ms, p95 ms) of ``runs`` GETs after a first request."""
    began = time.perf_counter()
    response = client.get(path)
    first = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        client.get(path)
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return first, statistics.median(samples), p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--stories", action="store_true", help="also run the stories stage on every batch")
    parser.add_argument("--db", help="SQLite file to fill (kept) or to reuse when it exists")
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from dateline.api import create_app

    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.db) if args.db else Path(folder) / "bench.db"
        db_url = f"sqlite:///{path}"
        if path.exists():
            print(f"reusing {path}", file=sys.stderr)
        else:
            seconds = fill(db_url, args.articles, args.stories)
            print(f"filled {args.articles} articles built from templates (Store.save_many, "
                  f"{'with' if args.stories else 'without'} the stories stage) in {seconds:.1f} s", file=sys.stderr)
        app = create_app(db_url)
        rng = random.Random(11)
        with TestClient(app) as client:
            # Like a started server: give the start-up warm-up (Trending Now, search index) its time.
            deadline = time.monotonic() + 60
            while not app.state.trending.ready and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.0)
            total = client.get("/api/documents", params={"limit": 1}).json()["total"]
            ids = [d["id"] for d in client.get("/api/documents", params={"limit": 500, "offset": total // 3}).json()["items"]]
            # An author and an outlet of the store itself (a reused store need not be this script's).
            from urllib.parse import quote

            sample = client.get(f"/api/documents/{ids[0]}").json().get("article", {})
            author = quote((sample.get("authors") or ["Priya Natarajan"])[0])
            outlet = quote(sample.get("outlet") or "Metro Wire")
            rows = [("/read", "/read")]
            rows += [(f"/read/{{id}} #{n}", f"/read/{doc_id}") for n, doc_id in enumerate(rng.sample(ids, 3), 1)]
            rows += [("/read?q=ceasefire", "/read?q=ceasefire"),
                     ("/authors/{name}", f"/authors/{author}"),
                     ("/outlets/{name}", f"/outlets/{outlet}"),
                     ("/ (analyst page)", "/"),
                     ("/api/events?dyad=RUS-UKR", "/api/events?dyad=RUS-UKR"),
                     ("/api/events/timeline", "/api/events/timeline"),
                     ("/api/events/network", "/api/events/network?max_edges=200"),
                     ("/api/aggregates (dyad)", "/api/aggregates?by=dyad&per=month"),
                     ("/api/aggregates (quad)", "/api/aggregates?by=quad&per=week&country=RUS"),
                     ("/api/map", "/api/map")]
            print(f"{'page':24} {'first ms':>9} {'median ms':>10} {'p95 ms':>8}   ({args.requests} requests each; "
                  f"load average {_load()})")
            for label, path in rows:
                first, median, p95 = timed(client, path, args.requests)
                print(f"{label:24} {first:9.1f} {median:10.1f} {p95:8.1f}")
            print(f"load average at the end: {_load()} (the machine's other jobs slow every figure)")


def _load() -> str:
    import os

    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
