"""1,000+ hostile inputs mixed with good pages through ``dateline ingest``, then a rerun.

    nice .venv/bin/python bench/hostile_run.py                # writes, runs, checks, prints figures
    nice .venv/bin/python bench/hostile_run.py --workers 2 --keep /tmp/hostile

The inputs (seeded, invented text only): the suite's hostile kinds (``tests/test_hostile.py``:
empty, binary, NUL, undecodable, truncated gzip and WARC, huge, deeply nested and
article-less pages, JSON Lines with broken rows), twice over, plus compression bombs whose
gzip size trailer lies (pages, JSON Lines and WARC), tags with 50k-300k attributes, file
names that are not UTF-8, overlong or equal after Unicode normalisation, NUL in JSON Lines
fields, a 50 MB JSON Lines file of non-object lines, U+2028 inside strings and a
100k-deep row before valid rows.

Checks, as issue 17 asks: every good page stored; every bad input named by an error line
(at most a few lines for one input); no traceback; exit 1; the run's time; the peak RSS of
the whole process tree (sampled) and of its largest process; the summary's counts match
the store; a rerun stores nothing twice (every table's row count unchanged). Exit 1 when
a check fails.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the suite's generator and invented articles, not a copy

from test_hostile import BAD_KINDS, Corpus, generate, html_page, prose, warc_bytes  # noqa: E402
from test_store_support import DATELINE, article_text  # noqa: E402

import random  # noqa: E402

TIME_LIMIT_S = 600
RSS_LIMIT_MB = 1500


# -- the inputs beyond the suite's ------------------------------------------------------


def lying_gzip(payload_chunk: bytes, repeats: int, claimed: int = 1000) -> bytes:
    """``payload_chunk * repeats`` gzipped, streamed (never whole in memory), with the size
    trailer rewritten to ``claimed`` bytes: a reader trusting the trailer is fooled."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [packer.compress(payload_chunk) for _ in range(repeats)]
    parts.append(packer.flush())
    packed = b"".join(parts)
    return packed[:-4] + struct.pack("<I", claimed)


def add_bombs(c: Corpus) -> None:
    page = lying_gzip(b"<p>" + b"a" * (1 << 20), 64)                      # 64 MiB claimed as 1000 bytes
    for n in range(30):
        c.add("bad", (".html.gz", ".htm.gz", ".txt.gz")[n % 3], page, "lying-trailer")
    rows = lying_gzip(b"x" * (1 << 20), 512)                              # 512 MiB of one JSON Lines "row"
    for n in range(3):
        c.add("bad", ".jsonl.gz", rows, "jsonl-bomb")
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/bomb\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n"
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>" % (1 << 29))
    warc = lying_gzip(head + b"a" * ((1 << 20) - len(head)), 1) + lying_gzip(b"a" * (1 << 20), 511)
    for n in range(3):
        c.add("bad", ".warc.gz", warc, "warc-bomb")


def add_pathological_markup(c: Corpus) -> None:
    for n, attributes in enumerate((50_000, 100_000, 300_000) * 4):
        attrs = " ".join(f"a{k}=\"{k}\"" for k in range(attributes))
        c.add("bad", ".html", f"<html><body><div {attrs}>x</div><p>Talks resume.</p></body></html>".encode(),
              f"attrs-{attributes}")
    for n in range(10):
        c.add("bad", ".html", b"<html><body>" + b"<p>" * 200_000 + b"<table>" * 50_000, "unclosed-flood")


def add_odd_names(c: Corpus, good: list[str]) -> None:
    """Good pages under names that are hard to print, store or compare; each carries a
    printable marker so its error line or stored name can be found."""
    for n in range(40):
        marker = f"oddname-{n:03d}"
        raw = {0: b"\xff\xfe", 1: b"\xc3(", 2: b" \x1b[31m ", 3: "\u202e\u0645".encode()}[n % 4]
        name = os.fsencode(str(c.folder)) + b"/" + marker.encode() + b"-" + raw + b".txt"
        with open(name, "wb") as handle:
            handle.write(article_text(3000 + n).encode())
        good.append(marker)
    for n in range(20):
        marker = f"longname-{n:03d}"
        (c.folder / (marker + "-" + "x" * 220 + ".txt")).write_bytes(article_text(3100 + n).encode())
        good.append(marker)
    for n in range(10):  # two names equal once normalised (NFC vs NFD): two different pages
        for form in ("NFC", "NFD"):
            marker = f"normname-{n:03d}-{form}"
            name = unicodedata.normalize(form, f"{marker}-café-été") + ".txt"
            (c.folder / name).write_bytes(article_text(3200 + n * 2 + (form == "NFD")).encode())
            good.append(marker)


def add_jsonl(c: Corpus) -> None:
    rows = []
    for n in range(10):  # NUL in titles and text: cleaned at the boundary, stored
        rows.append({"id": f"nul-row-{n}", "title": f"Talks\u0000 resume {n}", "text": article_text(3300 + n)
                     .replace("officials", "offi\u0000cials"), "url": f"https://news.example/nul/{n}"})
    for n in range(10):  # U+2028 and U+2029 inside strings are valid JSON
        rows.append({"id": f"sep-row-{n}", "title": f"Line\u2028separated {n}",
                     "text": article_text(3400 + n).replace(" on Tuesday", "\u2028on Tuesday\u2029")})
    c.count += 1
    name = f"odd-rows-{c.count:04d}.jsonl"
    (c.folder / name).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    c.good.extend(r["id"] for r in rows)
    deep = "[" * 100_000 + "]" * 100_000
    after = [json.dumps({"id": f"after-deep-{n}", "text": article_text(3500 + n)}) for n in range(5)]
    c.count += 1
    name = f"deep-rows-{c.count:04d}.jsonl"
    (c.folder / name).write_text("\n".join([deep, *after]) + "\n", encoding="utf-8")
    c.bad.append(f"{name} line 1")
    c.good.extend(f"after-deep-{n}" for n in range(5))
    c.count += 1
    name = f"huge-{c.count:04d}.jsonl"
    with open(c.folder / name, "w", encoding="utf-8") as handle:
        for n in range(2_400_000):  # ~50 MB, not one object among them
            handle.write(f"[{n}, 1]\n" if n % 2 else "\"just a string\"\n")
    c.bad.append(name)


def add_good_pages(c: Corpus) -> None:
    for n in range(120):
        if n % 3 == 0:
            title, *rest = prose(4000 + n)
            c.add("good", ".html", html_page(title, rest).encode(), "page")
        elif n % 3 == 1:
            c.add("good", ".txt", article_text(4000 + n).encode(), "capture")
        else:
            title, *rest = prose(4000 + n)
            c.add("good", ".html.gz", gzip.compress(html_page(title, rest).encode()), "gzipped")
    pages = [(f"https://news.example/warc/{k}", html_page(*(lambda p: (p[0], p[1:]))(prose(4200 + k))))
             for k in range(6)]
    c.count += 1
    (c.folder / f"good-{c.count:04d}-archive.warc.gz").write_bytes(warc_bytes(pages, compress=True))
    c.good.extend(uri for uri, _ in pages)


def build(folder: Path) -> tuple[Corpus, list[str]]:
    corpus = generate(folder)
    rng = random.Random(11)
    for make in BAD_KINDS:  # the suite's kinds a second time, other bytes
        make(corpus, rng)
    cheap = [k for k in BAD_KINDS if k.__name__ not in ("_huge", "_deep_html")]
    for _ in range(2):  # and the small ones twice more: over 1,000 hostile files in all
        for make in cheap:
            make(corpus, rng)
    add_bombs(corpus)
    add_pathological_markup(corpus)
    add_jsonl(corpus)
    add_good_pages(corpus)
    markers: list[str] = []
    add_odd_names(corpus, markers)
    return corpus, markers


# -- running and measuring ---------------------------------------------------------------


class TreeRss:
    """Samples the RSS of a process and all its descendants (the sum, and the largest one)."""

    def __init__(self, pid: int):
        self.pid, self.peak_total_mb, self.peak_one_mb = pid, 0.0, 0.0
        self.cpu_before = sum(os.times()[2:4])  # children's user + system CPU seconds so far
        self.cpu_s = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            sizes = [rss_mb(p) for p in self._tree()]
            if sizes:
                self.peak_total_mb = max(self.peak_total_mb, sum(sizes))
                self.peak_one_mb = max(self.peak_one_mb, max(sizes))

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(parent, []).append(int(entry.name))
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, []))
        return found

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def ingest(folder: Path, db: str, workers: int) -> tuple[subprocess.CompletedProcess[str], float, TreeRss]:
    started = time.monotonic()
    process = subprocess.Popen([DATELINE, "ingest", str(folder), "--db", db, "--workers", str(workers),
                                "--format", "jsonl", "--no-progress"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, errors="replace")
    sampler = TreeRss(process.pid)
    out, err = process.communicate(timeout=TIME_LIMIT_S * 2)
    sampler.stop()
    sampler.cpu_s = sum(os.times()[2:4]) - sampler.cpu_before
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), time.monotonic() - started, sampler


def table_counts(db_file: Path) -> dict[str, int]:
    with sqlite3.connect(db_file) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'")]
        return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def reported(name: str, lines: list[str]) -> bool:
    pattern = re.compile(re.escape(name) + r"(:| \(| line)")
    return any(pattern.search(line) for line in lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="write the inputs and the store here and keep them")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="dateline-hostile-"))
    folder = base / "inputs"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    db_file = base / "hostile.db"
    db_file.unlink(missing_ok=True)
    db = f"sqlite:///{db_file}"
    try:
        corpus, markers = build(folder)
        files = sum(1 for _ in folder.iterdir())
        bad_files = len({name.split(" line ")[0] for name in corpus.bad})
        print(f"inputs: {files} files ({sum(p.stat().st_size for p in folder.iterdir()) / 1e6:.0f} MB on disk): "
              f"{len(corpus.bad)} bad inputs in {bad_files} files, {len(corpus.good)} good pages or rows, "
              f"{len(corpus.either)} odd-but-valid, {len(markers)} good pages under odd names")
        result, elapsed, rss = ingest(folder, db, args.workers)
        checks = check_run(result, corpus, markers, db_file)
        print(f"run: exit {result.returncode}, {elapsed:.0f} s ({rss.cpu_s:.0f} s CPU, load average "
              f"{os.getloadavg()[0]:.1f}), peak RSS {rss.peak_total_mb:.0f} MB for the "
              f"process tree ({rss.peak_one_mb:.0f} MB its largest process)")
        checks["exit 1"] = result.returncode == 1
        checks[f"under {TIME_LIMIT_S} s"] = elapsed < TIME_LIMIT_S
        checks[f"peak RSS <= {RSS_LIMIT_MB} MB"] = rss.peak_total_mb <= RSS_LIMIT_MB
        before = table_counts(db_file)
        again, again_s, _ = ingest(folder, db, args.workers)
        after = table_counts(db_file)
        changed = {t: (before.get(t), n) for t, n in after.items() if before.get(t) != n and t != "inputs"}
        reported_again = sum(1 for line in again.stdout.split("\n") if line.startswith("{"))
        print(f"rerun: exit {again.returncode}, {again_s:.0f} s, {reported_again} "
              f"documents reported; tables changed: {changed or 'none'}")
        checks["rerun stores nothing twice"] = not changed
        for name, ok in checks.items():
            print(f"  {'ok  ' if ok else 'FAIL'} {name}")
        return 0 if all(checks.values()) else 1
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


def check_run(result: subprocess.CompletedProcess[str], corpus: Corpus, markers: list[str],
              db_file: Path) -> dict[str, bool]:
    stored = [json.loads(line) for line in result.stdout.split("\n") if line.startswith("{")]
    names = {d.get("doc") for d in stored}
    errors = [line for line in result.stderr.split("\n") if line.startswith("error: ")]
    missing = [n for n in corpus.good if n not in names]
    odd_lost = [m for m in markers if not any(m in (n or "") for n in names)]
    unreported = [n for n in corpus.bad if not reported(n, errors)]
    per_input = Counter(line.split(": ", 2)[1].split(" line ")[0] for line in errors if ": " in line[7:])
    summary = re.search(r"^(\d+) inputs failed", result.stderr, re.MULTILINE)
    in_store = table_counts(db_file).get("documents", 0)
    print(f"stored {len(stored)} documents ({in_store} in the store), {len(errors)} error lines for "
          f"{len(per_input)} inputs (most for one input: {max(per_input.values(), default=0)}); "
          f"summary: {summary.group(0) if summary else 'none'}")
    for label, items in (("good pages not stored", missing), ("odd-named pages lost", odd_lost),
                         ("bad inputs not reported", unreported)):
        if items:
            print(f"  {label}: {len(items)}, e.g. {items[:5]}")
    tail = [line for line in result.stderr.split("\n") if not line.startswith("error: ")][-8:]
    print("  last lines: " + " | ".join(tail))
    return {"every good page stored": not missing and not odd_lost,
            "every bad input named by an error line": not unreported,
            "no traceback": "Traceback" not in result.stderr,
            "at most a few lines per input": max(per_input.values(), default=0) <= 25,
            "stored count matches the store": len({d.get("id") for d in stored}) == in_store}


if __name__ == "__main__":
    sys.exit(main())
