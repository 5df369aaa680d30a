"""Hostile input: hundreds of bad files mixed with good ones through ``dateline ingest``.

The run must finish, store every good article, report every bad input with its reason,
keep each process's memory bounded, and exit 1. The generator is deterministic (seeded)
and writes only invented text.
"""
from __future__ import annotations

import gzip
import io
import json
import random
import re
import resource
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from test_store_support import DATELINE, ROOT, article_text

MEMORY_LIMIT_MB = 1500   # per process (the model is ~200 MB; a 20 MB page must never be multiplied)
TIME_LIMIT_S = 240       # generous: the suite runs on 2 shared cores


class Corpus:
    """Files written into one folder, each with what must happen to it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.good: list[str] = []        # doc names that must be stored
        self.bad: list[str] = []         # names that must appear in a failure line
        self.either: list[str] = []      # odd but possibly fine: stored or reported, never lost
        self.count = 0

    def add(self, outcome: str, suffix: str, data: bytes, label: str) -> str:
        self.count += 1
        name = f"{outcome}-{self.count:04d}-{label}{suffix}"
        (self.folder / name).write_bytes(data)
        {"good": self.good, "bad": self.bad, "either": self.either}[outcome].append(name)
        return name


def html_page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright Example</footer></body></html>")


def prose(n: int) -> list[str]:
    return [p for p in article_text(n).split("\n\n") if p.strip()]


def warc_bytes(records: list[tuple[str, str]], compress: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for uri, html in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(html.encode()),
                                                      http_headers=headers))
    return out.getvalue()


def generate(folder: Path, seed: int = 7) -> Corpus:
    rng = random.Random(seed)
    corpus = Corpus(folder)
    _good_pages(corpus)
    for make in BAD_KINDS:
        make(corpus, rng)
    _jsonl_with_broken_rows(corpus, rng)
    _odd_but_valid(corpus)
    return corpus


def _good_pages(c: Corpus) -> None:
    for n in range(6):
        c.add("good", ".txt", article_text(200 + n).encode(), "capture")
    for n in range(3):
        title, *rest = prose(300 + n)
        c.add("good", ".html", html_page(title, rest).encode(), "page")
    title, *rest = prose(400)
    c.add("good", ".html.gz", gzip.compress(html_page(title, rest).encode()), "gzipped")


def _empty_and_blank(c: Corpus, rng: random.Random) -> None:
    for suffix in (".txt", ".html", ".htm", ".jsonl", ".warc", ".txt.gz"):
        c.add("bad", suffix, gzip.compress(b"") if suffix.endswith(".gz") else b"", "empty")
    blanks = [b" ", b"\n\n\n", b"\t \t\r\n", b"   \n  \n", b"\r\n" * 50, b" " * 5000]
    for i in range(24):
        c.add("bad", rng.choice([".txt", ".html"]), rng.choice(blanks) * (i + 1), "blank")


def _binary(c: Corpus, rng: random.Random) -> None:
    magics = [b"\x89PNG\r\n\x1a\n", b"%PDF-1.7\n", b"\x7fELF\x02\x01", b"PK\x03\x04", b"GIF89a", b"\xff\xd8\xff\xe0"]
    for i in range(36):
        blob = rng.choice(magics) + rng.randbytes(rng.randint(10, 20000))
        c.add("bad", rng.choice([".txt", ".html", ".htm"]), blob, "binary")
    for i in range(20):
        text = article_text(500 + i).encode()
        cut = rng.randint(1, len(text) - 1)
        c.add("bad", ".txt", text[:cut] + b"\x00" * rng.randint(1, 50) + text[cut:], "nul")


def _undecodable(c: Corpus, rng: random.Random) -> None:
    for i in range(45):
        noise = bytes(rng.choice(range(0x80, 0x100)) for _ in range(rng.randint(50, 3000)))
        c.add("bad", ".txt", noise, "undecodable")


def _broken_gzip(c: Corpus, rng: random.Random) -> None:
    for i in range(30):
        title, *rest = prose(600 + i)
        packed = gzip.compress(html_page(title, rest).encode())
        c.add("bad", rng.choice([".html.gz", ".htm.gz"]), packed[: rng.randint(5, len(packed) - 9)], "truncgz")
    for i in range(10):
        c.add("bad", ".html.gz", b"not gzip at all " * (i + 1), "notgz")
    for i in range(2):  # a gzip bomb: 60 MB of one byte, ~60 KB on disk
        c.add("bad", ".html.gz", gzip.compress(b"<p>" + b"a" * 60_000_000), "gzbomb")


def _broken_warc(c: Corpus, rng: random.Random) -> None:
    for i in range(30):
        pages = [(f"https://news.example/w{i}/{k}", html_page(*_split(prose(700 + i * 3 + k)))) for k in range(3)]
        whole = warc_bytes(pages, compress=bool(i % 2))
        c.add("bad", ".warc.gz" if i % 2 else ".warc", whole[: rng.randint(20, len(whole) // 2)], "truncwarc")
    for i in range(10):
        c.add("bad", ".warc", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n<html>" * (i + 1),
              "badwarc")


def _split(paragraphs: list[str]) -> tuple[str, list[str]]:
    return paragraphs[0], paragraphs[1:]


def _huge(c: Corpus, rng: random.Random) -> None:
    c.add("bad", ".txt", b"word " * 4_200_000, "20mb-line")                     # 21 MB on one line
    c.add("bad", ".txt", bytes(rng.choice(b"abcdefghij") for _ in range(1_100_000)), "nospace")
    c.add("bad", ".html", b"<html><body><p>" + b"x" * 1_100_000 + b"</p></body></html>", "nospace")
    long_article = "\n\n".join(["Long report"] + [article_text(800 + k).replace("\n\n", " ") for k in range(500)])
    c.add("bad", ".txt", long_article.encode(), "too-long")


def _deep_html(c: Corpus, rng: random.Random) -> None:
    for depth in (5_000, 20_000, 100_000):
        c.add("bad", ".html", b"<html><body>" + b"<div>" * depth + b"deep" + b"</div>" * depth + b"</body></html>",
              "deep")
        c.add("bad", ".html", b"<html><body>" + b"<span><b>" * depth + b"unclosed", "deep-unclosed")


def _no_article(c: Corpus, rng: random.Random) -> None:
    for i in range(30):
        links = "".join(f"<li><a href='/{k}'>Section {k}</a></li>" for k in range(rng.randint(1, 30)))
        c.add("bad", ".html", f"<html><body><nav><ul>{links}</ul></nav><script>var a={i};</script></body></html>"
              .encode(), "noarticle")
    for i in range(30):
        c.add("bad", ".txt", rng.choice(["OK", "!!!", "...", "Menu", "12:30", "Home | About", "-- --"]).encode()
              * (i % 3 + 1), "junk")


def _jsonl_with_broken_rows(c: Corpus, rng: random.Random) -> None:
    """Each file mixes good rows (stored by id) and broken rows (reported as 'file line N')."""
    broken_rows = ['{"id": "x", "text": ', "not json at all", "[1, 2, 3]", '{"id": "no-text"}',
                   '{"id": "blank", "text": "   "}', '{"text": 42}', '{"text": "\\u0000\\u0000"}']
    for f in range(10):
        lines, bad_lines = [], []
        for r in range(7):
            if r in (0, 4):  # two good rows among five broken ones
                doc_id = f"row-{f:02d}-{r}"
                lines.append(json.dumps({"id": doc_id, "title": f"Row {doc_id}", "text": article_text(900 + f * 7 + r),
                                         "url": f"https://news.example/rows/{doc_id}"}))
                c.good.append(doc_id)
            else:
                lines.append(rng.choice(broken_rows))
                bad_lines.append(len(lines))
        c.count += 1
        name = f"rows-{c.count:04d}.jsonl"
        (c.folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        c.bad.extend(f"{name} line {n}" for n in bad_lines)


def _odd_but_valid(c: Corpus) -> None:
    """Unbalanced quotation marks, emoji, right-to-left text, mixed encodings: real pages
    have them; these should be stored (or at least reported), never crash a worker."""
    for n in range(4):
        text = article_text(1000 + n).replace('," ', ", ")  # the closing quotation mark is gone
        c.add("good", ".txt", (text + '\n\nHe added: "and there is more to say.\n').encode(), "unbalanced")
    for n in range(3):
        text = article_text(1100 + n).replace(" on ", " \U0001F1F3\U0001F1F4 \U0001F525 on ")
        c.add("good", ".txt", text.encode(), "emoji")
    c.add("either", ".txt", ("\u0645\u0641\u0627\u0648\u0636\u0627\u062a\n\n" + "\u0627\u0644\u0648\u0632\u064a\u0631 "
                             "\u0642\u0627\u0644 " * 40).encode(), "rtl-only")
    c.add("good", ".txt", article_text(1200).replace("officials", "officials \u202e(\u05e9\u05dc\u05d5\u05dd)\u202c")
          .encode(), "rtl-mixed")
    mixed = article_text(1300).encode() + "\n\nCaf\u00e9 na\u00efve r\u00e9sum\u00e9 said the mayor.\n".encode("latin-1")
    c.add("either", ".txt", mixed, "mixed-encoding")
    c.add("either", ".html", html_page(*_split(prose(1400))).encode("utf-16-le"), "utf16-nobom")
    c.add("either", ".html", html_page(*_split(prose(1500))).replace("utf-8", "koi8-r").encode(), "wrong-charset")


BAD_KINDS: list[Callable[[Corpus, random.Random], None]] = [
    _empty_and_blank, _binary, _undecodable, _broken_gzip, _broken_warc, _huge, _deep_html, _no_article,
]


@pytest.mark.slow
def test_hostile_inputs_mixed_with_good_ones(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    corpus = generate(folder)
    assert len(corpus.bad) >= 300, len(corpus.bad)

    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run([DATELINE, "ingest", str(folder), "--db", f"sqlite:///{tmp_path / 'h.db'}",
                             "--workers", "2", "--format", "jsonl"],
                            cwd=ROOT, capture_output=True, text=True, timeout=TIME_LIMIT_S + 60)
    elapsed = time.monotonic() - started
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(f"\nhostile run: {len(corpus.bad)} bad, {len(corpus.good)} good, {len(corpus.either)} odd inputs; "
          f"{elapsed:.1f} s, peak RSS of a process {peak_mb:.0f} MB, exit {result.returncode}")

    print("\n".join(line for line in result.stderr.splitlines() if not line.startswith("error: ")))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    stored = {json.loads(line)["doc"] for line in result.stdout.splitlines() if line.startswith("{")}
    failed = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    missing_good = [name for name in corpus.good if name not in stored]
    assert not missing_good, (missing_good, _lines_about(missing_good, failed))
    unreported = [name for name in corpus.bad if not _reported(name, failed)]
    assert not unreported, unreported[:20]
    lost = [name for name in corpus.either if name not in stored and not _reported(name, failed)]
    assert not lost, lost
    assert all(re.match(r"error: .+: \S", line) for line in failed)  # every failure says why
    summary = re.search(r"^(\d+) inputs failed:", result.stderr, re.MULTILINE)
    assert summary and int(summary.group(1)) >= len(corpus.bad)
    assert peak_mb < MEMORY_LIMIT_MB
    assert elapsed < TIME_LIMIT_S


def _reported(name: str, failed: list[str]) -> bool:
    # Reader failures name the path ("/.../bad-0003-empty.txt"), extraction failures the
    # file name, JSON Lines rows "rows-0001.jsonl line 4": a name followed by ':' or ' ('.
    pattern = re.compile(re.escape(name) + r"(:| \()")
    return any(pattern.search(line) for line in failed)


def _lines_about(names: list[str], lines: list[str]) -> list[str]:
    return [line for line in lines if any(n in line for n in names)]
