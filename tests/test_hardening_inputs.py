"""Every input isolated: whatever a page or a file name holds, it costs at most that input,
the other documents are stored, and a rerun goes past it (issue 17, item 5)."""
from __future__ import annotations

import json
import os
import shutil

from conftest import FIXTURES
from test_store_support import make_document, pg_url, store_url  # noqa: F401

from dateline.model import Failure, Record
from dateline.store import Store

GOOD = FIXTURES / "extract" / "plain_article.txt"
LONG = "A" * 200


def _authors_page() -> str:
    paragraphs = "".join(f"<p>The council met on Monday and voted on budget line {i}, officials said.</p>"
                         for i in range(8))
    return (f'<html><head><title>Council vote</title><meta name="author" content="{LONG} Smith">'
            f'<meta name="author" content="{LONG} Jones"></head><body><article><h1>Council vote</h1>'
            f"{paragraphs}</article></body></html>")


def _crashing_inputs(folder):
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    odd = os.path.join(os.fsencode(folder), b"odd-\xff\xfe-name.txt")
    with open(odd, "wb") as handle:
        handle.write(GOOD.read_bytes().replace(b"the", b"thy", 3))
    (folder / "authors.html").write_text(_authors_page(), encoding="utf-8")


def test_odd_file_name_and_long_author_names_beside_a_good_page(cli, tmp_path):
    folder = tmp_path / "in"
    _crashing_inputs(folder)
    db = f"sqlite:///{tmp_path / 's.db'}"
    first = cli(["ingest", folder, "--db", db, "--no-nlp", "--workers", "0", "--format", "json"])
    assert "Traceback" not in first.stderr + first.stdout
    assert first.exit_code == 0, first.stderr
    store = Store(db)
    docs = {row["doc"] for row in store.list_documents()}
    assert {"good.txt", "authors.html"} <= docs
    assert any(name.startswith("odd-") for name in docs)  # stored under a printable name
    again = cli(["ingest", folder, "--db", db, "--no-nlp", "--workers", "0", "--format", "json"])
    assert again.exit_code == 0 and "3 inputs skipped" in again.stderr, again.stderr
    assert store.count() == 3


def test_store_cleans_nul_and_lone_surrogates(store_url):
    store = Store(store_url)
    document = make_document(1)
    document.doc = "odd-\udcff-\x00name.txt"
    document.article.title = "Talks \x00 with a lone \ud800 surrogate"
    document.article.authors = [LONG + " Smith", LONG + " Jones", "Nul\x00Name", "NulName"]
    document.article.body[0] += " \x00\udc80"
    assert store.save(document) is True
    stored = store.get(document.id)
    assert stored.article.title == "Talks  with a lone \ufffd surrogate"
    assert stored.doc == "odd-\ufffd-name.txt"
    assert "\x00" not in json.dumps(stored.to_dict())
    assert store.save(document) is False  # and again: an update, not a UNIQUE error


def test_a_document_the_store_refuses_costs_only_itself(tmp_path, monkeypatch):
    from dateline.run import Runner, RunOptions

    for n in range(3):
        (tmp_path / f"page-{n}.txt").write_text(GOOD.read_text().replace("night", f"night {n}"))
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    original = store.save_many

    def refuse_page_1(docs, inputs_done=()):
        docs = list(docs)
        if any(d.doc == "page-1.txt" for d in docs):
            raise ValueError("refused by the database")
        return original(docs, inputs_done)

    monkeypatch.setattr(store, "save_many", refuse_page_1)
    runner = Runner(store, RunOptions(workers=0, analyse=False, batch_size=16), on_stored=lambda s, d: None)
    report = runner.run([tmp_path])
    assert {d["doc"] for d in store.list_documents()} == {"page-0.txt", "page-2.txt"}
    assert [f.source for f in report.failures] == ["page-1.txt"]
    assert "refused by the database" in report.failures[0].reason
    monkeypatch.setattr(store, "save_many", original)
    rerun = Runner(store, RunOptions(workers=0, analyse=False), on_stored=lambda s, d: None).run([tmp_path])
    assert rerun.skipped == 2 and rerun.new == 1 and not rerun.failures


def test_jsonl_rows_are_read_one_by_one(tmp_path):
    from dateline.ingest import iter_records

    deep = "[" * 100_000 + "]" * 100_000
    rows = [json.dumps({"id": "a", "text": "First\u2028line"}, ensure_ascii=False), deep,
            json.dumps({"id": "b", "text": "After the deep row"}), "\r",
            json.dumps({"id": "c", "text": "Windows\u2029line"}, ensure_ascii=False) + "\r"]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(rows), encoding="utf-8")
    found = list(iter_records([path]))
    records = [r for r in found if isinstance(r, Record)]
    failures = [r for r in found if isinstance(r, Failure)]
    assert [r.source for r in records] == ["a", "b", "c"]
    assert records[0].content == "First\u2028line"
    assert len(failures) == 1 and failures[0].source == "rows.jsonl line 2" and "deep" in failures[0].reason


ODD = ["", "\x00", "\ud800", "\udcff", "\ud83d\ude00", "\u2028", "🙂", "a" * 250, "'; DROP TABLE documents; --",
       "\x1b[31m", "\ufeff", "e\u0301", "\U0010ffff", "%00", "\\", '"', "名前"]


def _odd_text(rng) -> str:
    return "".join(rng.choice(ODD) for _ in range(rng.randint(0, 6)))


def test_store_fuzz_odd_strings_in_every_field(store_url):
    """Random hostile strings in every text field of a Document: each save succeeds,
    rereads, and re-saves as an update (a fixed seed, so a failure reproduces)."""
    import random

    rng = random.Random(5)
    store = Store(store_url)
    for n in range(40):
        document = make_document(n)
        art = document.article
        document.doc = _odd_text(rng) or f"d{n}"
        art.title, art.outlet, art.url, art.dateline = (_odd_text(rng) for _ in range(4))
        art.authors = [_odd_text(rng) + LONG[: rng.choice([0, 199, 200])] for _ in range(rng.randint(0, 4))]
        art.body = [_odd_text(rng) + " body" for _ in range(2)]
        for actor in document.actors.values():
            actor.name = _odd_text(rng) or actor.name
        for quote in document.quotes:
            quote.text, quote.cue = _odd_text(rng), _odd_text(rng)[:50]
        for event in document.events:
            event.evidence, event.date_text = _odd_text(rng), _odd_text(rng)
        assert store.save(document) is True, n
        assert store.get(document.id) is not None
        assert store.save(document) is False
    assert store.count() == 40


def test_a_page_twice_in_one_batch_counts_once_as_new(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    document = make_document(3)
    assert store.save_many([document, document, make_document(4)]) == [True, False, True]
    assert store.count() == 2
