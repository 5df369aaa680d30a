"""Does merging a new article stay flat as the archive grows? (issue: stories, acceptance)

Generates 1,000 articles by recombining the invented fixture set
(tests/fixtures/stories/articles.py): each copy shifts the dates by whole weeks,
swaps the pair of countries (and their names in the text), picks another outlet and
adds a few sentences of its own, so the archive holds syndicated copies, repeated
kinds of events and distinct happenings, like a real one. Documents are built
directly (no page parsing, no spaCy: only the stories stage is timed) and go through
``Store.save`` then ``dateline.stories.on_documents_stored`` into a temporary SQLite
store, one article at a time, as the ingest command does.

Prints the per-article time of ``on_documents_stored`` around 100 and around 1,000
stored articles (median of 50 articles each) and their ratio (aim: <= 1.5), in wall
time and in the process's CPU time (on a shared machine the wall time mostly measures
the other jobs).

    .venv/bin/python bench/merge_scaling.py [--articles 1000] [--window 50] [--db sqlite:///x.db]

With ``--articles 10000`` it also prints the ratio between ~1,000 and ~10,000 stored.
``--grow A.db B.db`` instead times the next ``--window`` generated articles filed into a copy
of each store this script filled before (e.g. with ``--articles 1000 --db`` and ``--articles
10000 --db``), one article into each in turn, and prints their ratio: on a shared machine
the load moves even CPU time, and interleaving puts the same load on both sizes.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "stories"))

import articles as fixture

from dateline.model import ActorRef, Document
from dateline.store import Store
from dateline.stories import on_documents_stored

PAIRS = [("RUS", "UKR"), ("ARM", "AZE"), ("IND", "PAK"), ("ETH", "EGY"), ("SRB", "XKX"), ("ISR", "LBN"),
         ("KOR", "PRK"), ("VEN", "GUY"), ("SDN", "SSD"), ("THA", "KHM"), ("COD", "RWA"), ("GRC", "TUR"),
         ("PER", "CHL"), ("MAR", "DZA"), ("AFG", "PAK"), ("KEN", "SOM"), ("CHN", "PHL"), ("GEO", "RUS"),
         ("BOL", "CHL"), ("IRN", "IRQ")]
NAMES = {"ARM": "Armenia", "AZE": "Azerbaijan", "IND": "India", "PAK": "Pakistan", "ETH": "Ethiopia", "EGY": "Egypt",
         "SRB": "Serbia", "XKX": "Kosovo", "ISR": "Israel", "LBN": "Lebanon", "KOR": "South Korea",
         "PRK": "North Korea", "VEN": "Venezuela", "GUY": "Guyana", "SDN": "Sudan", "SSD": "South Sudan",
         "THA": "Thailand", "KHM": "Cambodia", "COD": "Congo", "RWA": "Rwanda", "GRC": "Greece", "TUR": "Turkey",
         "PER": "Peru", "CHL": "Chile", "MAR": "Morocco", "DZA": "Algeria", "AFG": "Afghanistan", "KEN": "Kenya",
         "SOM": "Somalia", "CHN": "China", "PHL": "Philippines", "GEO": "Georgia", "RUS": "Russia", "UKR": "Ukraine",
         "BOL": "Bolivia", "IRN": "Iran", "IRQ": "Iraq"}
OUTLETS = ["Harbor Ledger", "The Meridian Post", "Capital Wire Daily", "Northern Star Times", "Riverside Gazette",
           "Valley Courier", "Coastal Tribune", "Highland Observer", "Plains Register"]
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vi", "do", "ha", "ri", "po", "lu", "me", "za", "fi", "gu", "ne", "ta", "bo"]


def _shift(iso: str | None, weeks: int) -> str | None:
    if not iso:
        return iso
    parts = iso.split("-")
    if len(parts) < 3:
        return iso
    return (date.fromisoformat(iso) + timedelta(weeks=weeks)).isoformat()


def _rename(text: str, a: str, b: str) -> str:
    return text.replace("Russian", NAMES[a]).replace("Ukrainian", NAMES[b]).replace("Russia", NAMES[a]) \
        .replace("Ukraine", NAMES[b]).replace("Moscow", NAMES[a]).replace("Kyiv", NAMES[b])


def _own_sentences(rng: random.Random, n: int) -> list[str]:
    """Sentences of made-up words: each article's own content, as real articles have."""
    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    return [" ".join(word() for _ in range(rng.randint(14, 22))).capitalize() + "." for _ in range(n)]


def variant(spec: dict, serial: int, rng: random.Random) -> Document:
    """One generated article: the fixture article ``spec`` moved in time, place and outlet."""
    generation = serial // len(fixture.ARTICLES)
    a, b = PAIRS[generation % len(PAIRS)]
    weeks = generation * 3
    spec = dict(spec)
    spec["body"] = [_rename(p, a, b) for p in spec["body"]] + _own_sentences(rng, 3)
    spec["title"] = _rename(spec["title"], a, b) + f" ({serial})"
    spec["outlet"] = OUTLETS[(serial * 7 + generation) % len(OUTLETS)]
    spec["url"] = f"https://{spec['outlet'].lower().replace(' ', '')}.example/{serial}"
    spec["published"] = _shift(spec.get("published"), weeks)
    spec["page_date"] = _shift(spec.get("page_date"), weeks)
    spec["events"] = [(t, s, g, _shift(d, weeks), _rename(ev, a, b), place, conf)
                      for t, s, g, d, ev, place, conf in spec["events"]]
    spec["quotes"] = [(_rename(q, a, b), kind, c, who, cue) for q, kind, c, who, cue in spec["quotes"]]
    doc = fixture.build_document(spec)
    swap = {"RUS": a, "UKR": b}
    for event in doc.events:
        event.source = [_recode(r, swap) for r in event.source]
        event.target = [_recode(r, swap) for r in event.target]
    for quote in doc.quotes:
        if quote.speaker:
            quote.speaker = _recode(quote.speaker, swap)
    return doc


def _recode(ref: ActorRef, swap: dict[str, str]) -> ActorRef:
    code = swap.get(ref.country or "", ref.country)
    return ActorRef(name=NAMES.get(code or "", ref.name), country=code, sector=ref.sector, actor=(code or "").lower())


def generate(count: int, seed: int = 11) -> list[Document]:
    rng = random.Random(seed)
    specs = fixture.article_specs()
    return [variant(specs[i % len(specs)], i, rng) for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--window", type=int, default=50, help="articles timed around each checkpoint")
    parser.add_argument("--db", default=None, help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--grow", nargs="+", default=None,
                        help="filled SQLite file(s): time the next --window articles on a copy of each, interleaved")
    args = parser.parse_args()
    if args.grow:
        grow([Path(p) for p in args.grow], args.window)
        return
    docs = generate(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(args.db or f"sqlite:///{Path(tmp) / 'merge_scaling.db'}")
        merge_times: list[float] = []
        merge_cpu: list[float] = []
        save_times: list[float] = []
        started = time.perf_counter()
        for doc in docs:
            t0 = time.perf_counter()
            with store.hooks.paused():  # the store's stories hook is timed on its own below
                store.save(doc)
            t1, c1 = time.perf_counter(), time.process_time()
            on_documents_stored(store, [doc])
            t2, c2 = time.perf_counter(), time.process_time()
            save_times.append(t1 - t0)
            merge_times.append(t2 - t1)
            merge_cpu.append(c2 - c1)
        total = time.perf_counter() - started
        _report(store, merge_times, save_times, args.window, total)
        print("load average: " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
        _ratio("wall time", merge_times, args.window)
        _ratio("CPU time of this process (less disturbed by other load on the machine)", merge_cpu, args.window)
        store.close()


def grow(paths: list[Path], window: int) -> None:
    """Per-article time of the next ``window`` articles filed into a copy of each of ``paths``,
    interleaved (one article into each store in turn), so the machine's load, which moves
    CPU time as well as wall time on shared cores, weighs on every store alike."""
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        for n, path in enumerate(paths):
            copy = Path(tmp) / f"grow{n}.db"
            shutil.copyfile(path, copy)
            store = Store(f"sqlite:///{copy}")
            stored = store.count()
            runs.append({"path": path, "store": store, "stored": stored,
                         "docs": generate(stored + window)[stored:], "wall": [], "cpu": []})
        for i in range(window):
            for run in runs:
                doc = run["docs"][i]
                with run["store"].hooks.paused():
                    run["store"].save(doc)
                t1, c1 = time.perf_counter(), time.process_time()
                on_documents_stored(run["store"], [doc])
                run["wall"].append(time.perf_counter() - t1)
                run["cpu"].append(time.process_time() - c1)
        for run in runs:
            run["store"].close()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    for run in runs:
        print(f"load average {load}; {run['stored']} stored: next {window} articles, on_documents_stored median "
              f"{statistics.median(run['wall']) * 1000:.2f} ms wall, {statistics.median(run['cpu']) * 1000:.2f} ms CPU "
              f"(mean {statistics.mean(run['cpu']) * 1000:.2f} ms CPU)")
    if len(runs) == 2:
        first, last = runs
        print(f"ratio {last['stored']} / {first['stored']} stored: wall {statistics.median(last['wall']) / statistics.median(first['wall']):.2f}, "
              f"CPU {statistics.median(last['cpu']) / statistics.median(first['cpu']):.2f}  (aim <= 1.5)")


def _ratio(label: str, times: list[float], window: int) -> None:
    n, half = len(times), window // 2
    early = statistics.median(times[max(0, 100 - half):100 + half]) * 1000
    late = statistics.median(times[n - window:]) * 1000
    print(f"{label}: median {early:.2f} ms at ~100 stored, {late:.2f} ms at ~{n} stored, ratio {late / early:.2f}")
    if n >= 2000:  # the acceptance's range: from 1,000 stored to the end
        at_1k = statistics.median(times[1000 - half:1000 + half]) * 1000
        print(f"{label}: median {at_1k:.2f} ms at ~1000 stored, {late:.2f} ms at ~{n} stored, "
              f"ratio {late / at_1k:.2f}  (aim <= 1.5)")


def _report(store: Store, merge_times: list[float], save_times: list[float], window: int, total: float) -> None:
    from sqlalchemy import func, select

    from dateline.stories.schema import event_mentions, merged_events, stories

    n = len(merge_times)
    half = window // 2
    early = merge_times[max(0, 100 - half):100 + half]
    late = merge_times[n - window:]
    early_ms, late_ms = statistics.median(early) * 1000, statistics.median(late) * 1000
    with store.engine.connect() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                  for t in (merged_events, event_mentions, stories)}
    print(f"articles: {n} (documents built directly: no parsing, no nlp; Store.save + on_documents_stored)")
    print(f"stored: {counts['merged_events']} merged events from {counts['event_mentions']} mentions, "
          f"{counts['stories']} stories; total {total:.1f} s")
    print(f"merge time per article at ~100 stored:   median {early_ms:.2f} ms (mean {statistics.mean(early) * 1000:.2f} ms)")
    print(f"merge time per article at ~{n} stored: median {late_ms:.2f} ms (mean {statistics.mean(late) * 1000:.2f} ms)")
    print(f"ratio (at {n} / at 100): {late_ms / early_ms:.2f}  (aim <= 1.5)")
    print(f"Store.save per article, same windows: {statistics.median(save_times[max(0, 100 - half):100 + half]) * 1000:.2f}"
          f" ms -> {statistics.median(save_times[n - window:]) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
