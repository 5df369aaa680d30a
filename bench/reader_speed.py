"""Answer times of the analyst page, its data (events, timeline, network, aggregates, map,
stories, negotiations) and the reader pages with 10,000 stored articles.

The store: either one filled before and reused (``--db FILE``; e.g. the one
``bench/merge_scaling.py --articles 10000 --db sqlite:///FILE`` filed article by article
through ``Store.save`` and the stories stage), or one filled here from a few invented
templates (varied actors, events, quotes, authors, outlets and dates over a year), saved
with ``Store.save_many`` so the store's hooks file every batch through the stories stage
(``--no-stories`` skips it: quick, but merged events, aggregates and the map are empty).
No nlp pipeline either way.

What is timed, through FastAPI's TestClient once the app's start-up warm-up is done:
every page under the filters an analyst uses (no filter, each of the store's busiest
countries and dyads, two types, one month), each URL

- ``cold``: with the answers cache (dateline.api.cache) emptied before the request, so
  every request is a first one, as each new filter is (``--rounds`` times);
- ``warm``: asked again while the database is unchanged (``--repeats`` times).

It prints per page the median, p95 and maximum of the cold requests (the honest figure:
the first request of each page after start-up is among them), the warm p95, and the p95
of all requests, with the load average before and after.

    .venv/bin/python bench/reader_speed.py [--db FILE] [--articles 10000] [--rounds 2] [--repeats 5]
"""
from __future__ import annotations

import argparse
import math
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


def _get(client, path: str) -> float:
    began = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return elapsed


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def variants(client) -> dict[str, list[str]]:
    """Per timed page, the URLs an analyst's filters give it, taken from the store's own values
    (its busiest countries, dyads, types and months), so a reused store works too."""
    from urllib.parse import quote

    countries = [r["key"] for r in client.get("/api/aggregates", params={"by": "country", "per": "month", "top": 4}).json()
                 ["items"]]
    countries = list(dict.fromkeys(countries))[:4] or ["RUS"]
    dyads = list(dict.fromkeys(r["key"] for r in client.get("/api/aggregates", params={"by": "dyad", "per": "month",
                                                                                         "top": 3}).json()["items"]))[:3]
    months = sorted({r["period"] for r in client.get("/api/aggregates", params={"by": "type", "per": "month"}).json()
                     ["items"]})
    types = client.get("/api/events/facets").json()["types"][:2] or ["CONSULT"]
    middle = months[len(months) // 2] if months else "2025-06"
    filters = ([""] + [f"country={c}" for c in countries] + [f"dyad={d}" for d in dyads]
               + [f"type={t}" for t in types] + [f"date_from={middle}&date_to={middle}"])
    total = client.get("/api/documents", params={"limit": 1}).json()["total"]
    ids = [d["id"] for d in client.get("/api/documents", params={"limit": 500, "offset": total // 3}).json()["items"]]
    # An author and an outlet of the store itself (a reused store need not be this script's).
    articles = [client.get(f"/api/documents/{doc_id}").json().get("article", {}) for doc_id in ids[:20]]
    authors = [quote(a["authors"][0]) for a in articles if a.get("authors")]
    outlets = [quote(a["outlet"]) for a in articles if a.get("outlet")]
    rng = random.Random(11)

    def with_filters(base: str, extra: str = "") -> list[str]:
        return [f"{base}?{'&'.join(x for x in (extra, f) if x)}" for f in filters]

    return {
        "/ (analyst page)": ["/"],
        "/api/events": with_filters("/api/events", "limit=50"),
        "/api/events/timeline": with_filters("/api/events/timeline", "granularity=day"),
        "/api/events/network": with_filters("/api/events/network", "max_edges=200"),
        "/api/aggregates (dyad)": with_filters("/api/aggregates", "by=dyad&per=month&top=12"),
        "/api/aggregates (quad)": with_filters("/api/aggregates", "by=quad&per=week"),
        "/api/map": with_filters("/api/map"),
        "/api/stories": ["/api/stories?limit=15"],
        "/api/reviews/queue": ["/api/reviews/queue?limit=8"],
        "/api/negotiations": ["/api/negotiations?limit=20"] + [f"/api/negotiations?limit=20&dyad={d}" for d in dyads],
        "/read": ["/read"],
        "/read/{id}": [f"/read/{doc_id}" for doc_id in rng.sample(ids, 5)],
        "/read?q=": ["/read?q=ceasefire", "/read?q=talks", "/read?q=prisoners"],
        "/authors/{name}": [f"/authors/{a}" for a in dict.fromkeys(authors)][:3],
        "/outlets/{name}": [f"/outlets/{o}" for o in dict.fromkeys(outlets)][:3],
    }


def measure(client, pages: dict[str, list[str]], rounds: int, repeats: int) -> dict[str, dict[str, list[float]]]:
    """Per page: ``cold`` times (the answers cache emptied before every request, so each is
    a first request, as each new filter of an analyst is) and ``warm`` times (the same
    URL asked again while the database is unchanged). The very first request of each page
    after start-up is in ``cold`` too: nothing is left out of the p95."""
    from dateline.api import cache

    times: dict[str, dict[str, list[float]]] = {label: {"cold": [], "warm": []} for label in pages}
    for _ in range(rounds):
        for label, urls in pages.items():
            for url in urls:
                cache.clear()
                times[label]["cold"].append(_get(client, url))
    for label, urls in pages.items():
        for url in urls:
            _get(client, url)
            times[label]["warm"].extend(_get(client, url) for _ in range(repeats))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2, help="cold requests of every filter variant")
    parser.add_argument("--repeats", type=int, default=5, help="warm requests of every filter variant")
    parser.add_argument("--no-stories", action="store_true",
                        help="fill without the stories stage (quick; merged-event pages then have nothing to show)")
    parser.add_argument("--db", help="SQLite file to fill (kept) or to reuse when it exists "
                                     "(e.g. the store bench/merge_scaling.py --db filled)")
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from dateline.api import create_app

    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.db) if args.db else Path(folder) / "bench.db"
        db_url = f"sqlite:///{path}"
        if path.exists():
            print(f"reusing {path}", file=sys.stderr)
        else:
            seconds = fill(db_url, args.articles, not args.no_stories)
            print(f"filled {args.articles} articles built from templates (Store.save_many, "
                  f"{'without' if args.no_stories else 'with'} the stories stage) in {seconds:.1f} s", file=sys.stderr)
        app = create_app(db_url)
        with TestClient(app) as client:
            # Like a started server: give the start-up warm-up (Trending Now, search index) its time.
            deadline = time.monotonic() + 120
            while not app.state.trending.ready and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.0)
            _describe(client)
            pages = {label: urls for label, urls in variants(client).items() if urls}
            print(f"load average before: {_load()}")
            times = measure(client, pages, args.rounds, args.repeats)
            print(f"{'page':24} {'urls':>4} {'cold n':>6} {'cold med':>9} {'cold p95':>9} {'cold max':>9} "
                  f"{'warm p95':>9} {'all p95':>8}   (ms; cold = the answers cache emptied before the request)")
            for label, got in times.items():
                cold, warm = got["cold"], got["warm"]
                print(f"{label:24} {len(pages[label]):4d} {len(cold):6d} {statistics.median(cold):9.1f} "
                      f"{_p95(cold):9.1f} {max(cold):9.1f} {_p95(warm):9.1f} {_p95(cold + warm):8.1f}")
            print(f"load average after: {_load()} (2 shared cores: the machine's other jobs slow every figure)")


def _describe(client) -> None:
    total = client.get("/api/documents", params={"limit": 1}).json()["total"]
    events = client.get("/api/events", params={"limit": 1}).json()["total"]
    merged = client.get("/api/timeline", params={"limit": 1}).json()
    stories = client.get("/api/stories", params={"limit": 1}).json()["total"]
    print(f"store: {total} articles, {events} events, merged events {'yes' if merged['items'] else 'none'}, "
          f"{stories} multi-article stories")


def _load() -> str:
    import os

    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
