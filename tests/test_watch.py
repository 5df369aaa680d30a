"""``dateline watch`` against a local HTTP server this test starts on 127.0.0.1: feeds,
sitemaps, 304s, 404s, 500s, slow and redirecting pages, robots.txt, resume after a kill."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dateline.ingest.watch import Fetcher, WatchState, Watcher, links_in, parse_every
from dateline.model import Failure

ARTICLE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
           "<p>The regional assembly approved the {title} on Monday after a long debate among its members, officials said.</p>"
           "<p>The budget sets aside money for three reservoirs and a pipeline to the dry southern valleys, the office said.</p>"
           "</article></body></html>")


class Site:
    """What the server answers, and what it was asked."""

    def __init__(self):
        self.hits: list[tuple[str, float]] = []
        self.flaky_left = 1  # /a/flaky answers 500 this many times, then 200
        self.feed_etag = '"v1"'
        self.feed_items = ["/a/one", "/a/two", "/a/missing", "/a/flaky", "/a/moved", "/private/secret"]

    def answer(self, path: str, headers) -> tuple[int, dict[str, str], bytes]:
        self.hits.append((path, time.monotonic()))
        if path == "/robots.txt":
            return 200, {}, b"User-agent: *\nDisallow: /private/\n"
        if path == "/feed.xml":
            if headers.get("If-None-Match") == self.feed_etag:
                return 304, {}, b""
            items = "".join(f"<item><title>t</title><link>http://{headers['Host']}{p}</link></item>" for p in self.feed_items)
            return 200, {"ETag": self.feed_etag, "Content-Type": "application/rss+xml"}, (
                f"<rss><channel><title>Feed</title><link>http://{headers['Host']}/</link>{items}</channel></rss>").encode()
        if path == "/sitemap.xml":
            return 200, {}, (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                             b"<sitemap><loc>/sitemap-news.xml</loc></sitemap></sitemapindex>")
        if path == "/sitemap-news.xml":
            return 200, {}, (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                             b"<url><loc>/a/three</loc></url><url><loc>/a/one</loc></url></urlset>")
        if path == "/a/missing":
            return 404, {}, b"no"
        if path == "/a/flaky" and self.flaky_left:
            self.flaky_left -= 1
            return 500, {}, b"oops"
        if path == "/a/moved":
            return 301, {"Location": "/a/moved-here"}, b""
        if path == "/a/slow":
            time.sleep(1.5)
        if path.startswith(("/a/", "/private/")):
            return 200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE.format(title=path.rsplit("/", 1)[-1] + " plan").encode()
        return 404, {}, b"no"


@pytest.fixture()
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            status, headers, body = state.answer(self.path, self.headers)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


class MemoryStore:
    def __init__(self):
        self.records = {}

    def __call__(self, record):
        self.records[record.url] = record
        return None


def _watcher(tmp_path, store, rate=0.05, retries=2):
    fetcher = Fetcher(rate=rate, timeout=1.0, retries=retries, backoff=0.01)
    return Watcher(fetcher, WatchState(tmp_path / "state.json"), store), fetcher


def _article_hits(site, name):
    return sum(1 for path, _ in site.hits if path == f"/a/{name}")


def test_every_new_article_once_with_robots_redirects_404_and_retries(site, tmp_path):
    store = MemoryStore()
    watcher, _ = _watcher(tmp_path, store)
    report = watcher.poll([site.base + "/feed.xml"])
    stored = {url.rsplit("/", 1)[-1] for url in store.records}
    assert stored == {"one", "two", "flaky", "moved-here"}
    assert report.new == 4
    assert not any(path.startswith("/private/") for path, _ in site.hits)  # robots.txt disallows it
    assert any("404" in f.reason for f in report.failures)
    assert _article_hits(site, "flaky") == 2  # one 500, one retry


def test_an_unchanged_feed_is_a_304_and_nothing_is_fetched_again(site, tmp_path):
    store = MemoryStore()
    watcher, _ = _watcher(tmp_path, store)
    watcher.poll([site.base + "/feed.xml"])
    before = len(site.hits)
    report = watcher.poll([site.base + "/feed.xml"])
    assert report.unchanged == 1 and report.new == 0
    assert [path for path, _ in site.hits[before:]] == ["/feed.xml"]


def test_a_restart_after_a_kill_refetches_nothing_it_stored(site, tmp_path):
    store = MemoryStore()
    calls = {"n": 0}

    def dies_after_two(record):
        calls["n"] += 1
        if calls["n"] > 2:
            raise KeyboardInterrupt  # the process is killed while storing the third article
        return store(record)

    watcher, _ = _watcher(tmp_path, dies_after_two)
    with pytest.raises(KeyboardInterrupt):
        watcher.poll([site.base + "/feed.xml"])
    first_two = set(store.records)
    assert len(first_two) == 2
    site.feed_etag = '"v2"'  # the feed changed meanwhile: it is read again in full
    restarted, _ = _watcher(tmp_path, store)  # a new process: state comes from the file
    restarted.poll([site.base + "/feed.xml"])
    for url in first_two:
        assert _article_hits(site, url.rsplit("/", 1)[-1]) == 1
    assert {u.rsplit("/", 1)[-1] for u in store.records} == {"one", "two", "flaky", "moved-here"}


def test_sitemap_index_is_followed_and_known_articles_skipped(site, tmp_path):
    store = MemoryStore()
    watcher, _ = _watcher(tmp_path, store)
    watcher.poll([site.base + "/feed.xml"])
    report = watcher.poll([site.base + "/sitemap.xml"])
    assert report.new == 1 and _article_hits(site, "one") == 1 and _article_hits(site, "three") == 1


def test_the_per_host_rate_is_never_exceeded(site, tmp_path):
    watcher, fetcher = _watcher(tmp_path, MemoryStore(), rate=0.2)
    watcher.poll([site.base + "/feed.xml"])
    times = [t for _, t in fetcher.requests]
    assert len(times) >= 8
    assert all(later - earlier >= 0.2 - 1e-3 for earlier, later in zip(times, times[1:]))


def test_a_slow_host_times_out_into_a_failure(site, tmp_path):
    site.feed_items = ["/a/slow"]
    watcher, _ = _watcher(tmp_path, MemoryStore(), retries=0)
    report = watcher.poll([site.base + "/feed.xml"])
    assert report.new == 0 and report.failures and "no answer" in report.failures[0].reason


def test_a_refused_article_is_not_asked_for_again(site, tmp_path):
    watcher, _ = _watcher(tmp_path, lambda record: Failure(record.source, "no article text found"))
    site.feed_items = ["/a/one"]
    watcher.poll([site.base + "/feed.xml"])
    site.feed_etag = '"v2"'
    watcher.poll([site.base + "/feed.xml"])
    assert _article_hits(site, "one") == 1


def test_links_of_an_atom_feed_and_the_interval_syntax():
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><link href="http://x.example/"/>'
            b'<entry><link href="http://x.example/a/1"/></entry><entry><link rel="alternate" href="/a/2"/></entry></feed>')
    assert links_in(atom, "http://x.example/feed") == (["http://x.example/a/1", "http://x.example/a/2"], [])
    assert parse_every("15m") == 900 and parse_every("2h") == 7200 and parse_every("90") == 90
    with pytest.raises(ValueError):
        parse_every("0m")


def test_the_watch_command_stores_articles_once_in_the_database(site, tmp_path, cli):
    from dateline.store import Store

    db = f"sqlite:///{tmp_path / 'watch.db'}"
    args = ["watch", site.base + "/feed.xml", "--db", db, "--no-nlp", "--state", tmp_path / "w.json", "--rate", "0.01",
            "--retries", "1", "--timeout", "1"]
    first = cli(args)
    assert "4 new articles" in first.stderr and "404" in first.stderr
    assert Store(db).count() == 4
    site.feed_etag = '"v2"'
    again = cli(args)
    assert "0 new articles" in again.stderr and Store(db).count() == 4


def test_a_watch_process_killed_mid_poll_and_restarted_stores_every_article_once(site, tmp_path):
    """The acceptance run: ``dateline watch`` as a real process, killed (SIGKILL) while it is
    fetching, then started again on the same unchanged feed (same ETag): every article is
    stored once, none stored before the kill is fetched again, and requests to the host
    never come closer together than --rate, across both processes."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from dateline.store import Store

    site.feed_items = ["/a/one", "/a/two", "/a/three", "/a/four", "/a/five", "/a/moved", "/a/missing"]
    db, rate = f"sqlite:///{tmp_path / 'watch.db'}", 0.3
    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-c", "from dateline.cli import main; main()", "watch", site.base + "/feed.xml",
               "--db", db, "--no-nlp", "--state", str(tmp_path / "w.json"), "--rate", str(rate), "--retries", "0"]
    env = {**os.environ, "PYTHONPATH": str(root / "src")}

    first = subprocess.Popen(command, env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _article_hits(site, "three") == 0 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)  # mid-poll: three of seven links fetched, four to go
    first.wait(timeout=30)
    stored_before = Store(db).count()
    assert 1 <= stored_before < 6

    second = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True, timeout=180)
    assert second.returncode == 0, second.stderr
    assert Store(db).count() == 6  # one, two, three, four, five, moved-here
    fetched = [path for path, _ in site.hits if path.startswith("/a/") and path != "/a/moved"]
    # The one article that may have been in flight when the kill came is fetched again; nothing stored was.
    assert len(fetched) - len(set(fetched)) <= 1
    assert all(fetched.count(f"/a/{name}") == 1 for name in ("one", "two"))
    times = [t for _, t in site.hits]
    gaps = [(path, round(later - earlier, 3)) for (_, earlier), (path, later) in zip(site.hits, site.hits[1:])]
    assert all(gap >= rate - 0.02 for _, gap in gaps), gaps
