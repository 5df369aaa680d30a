"""``dateline watch``: poll feeds and sitemaps, fetch new articles politely, store them.

Polite fetching: robots.txt is obeyed (per host, cached for the run), one request at a
time per host at most every ``rate`` seconds, timeouts, retries with exponential backoff
on timeouts and 5xx answers, and conditional GET (ETag / Last-Modified) for the feeds and
sitemaps themselves, so an unchanged feed costs a 304. Resume: a state file records every
article URL once it is stored (or permanently refused, e.g. a 404), written atomically
after each one; a watch that is killed and started again fetches none of them again.
Standard library HTTP (urllib), so the only moving parts are the ones tested here.
"""
from __future__ import annotations

import json
import os
import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

from dateline.model import Failure, Record

USER_AGENT = "Dateline-watch/1 (+https://example.invalid/dateline; polite news poller)"
MAX_LINKS_PER_SOURCE = 500  # a sitemap can list many thousands; one poll stays bounded


@dataclass
class Answer:
    status: int                        # HTTP status; 0 when no answer came (timeout, refused, robots)
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    url: str = ""                      # after redirects
    reason: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand a 3xx back to the Fetcher (as an HTTPError) instead of following it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib's signature
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5


class Fetcher:
    """HTTP GET with robots.txt, a per-host rate, timeouts and retries with backoff."""

    def __init__(self, rate: float = 1.0, timeout: float = 10.0, retries: int = 3, backoff: float = 1.0,
                 user_agent: str = USER_AGENT, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.rate, self.timeout, self.retries, self.backoff = rate, timeout, retries, backoff
        self.user_agent = user_agent
        self.clock, self.sleep = clock, sleep
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.requests: list[tuple[str, float]] = []  # (host, time) of every request sent, for tests and stats

    def get(self, url: str, headers: dict[str, str] | None = None) -> Answer:
        """GET URL, following redirects one request at a time (each waits its turn under
        the host's rate and is checked against robots.txt, which urllib's own redirect
        handling would do neither of)."""
        for _ in range(MAX_REDIRECTS + 1):
            answer = self._get_one(url, headers)
            location = answer.headers.get("Location") or answer.headers.get("location")
            if answer.status not in REDIRECTS or not location:
                return answer
            url = urljoin(url, location)
        return Answer(0, url=url, reason=f"more than {MAX_REDIRECTS} redirects")

    def _get_one(self, url: str, headers: dict[str, str] | None) -> Answer:
        if not self.allowed(url):
            return Answer(0, url=url, reason="disallowed by robots.txt")
        answer = Answer(0, url=url, reason="not tried")
        for attempt in range(self.retries + 1):
            answer = self._once(url, headers or {})
            if not _retryable(answer):
                return answer
            if attempt < self.retries:
                self.sleep(self.backoff * 2 ** attempt)
        return answer

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            answer = self._once(root + "/robots.txt", {})
            parser: urllib.robotparser.RobotFileParser | None = None
            if answer.status == 200:
                parser = urllib.robotparser.RobotFileParser()
                parser.parse(answer.body.decode("utf-8", "replace").splitlines())
            self._robots[root] = parser  # no robots.txt (404, error): everything is allowed
        parser = self._robots[root]
        return parser is None or parser.can_fetch(self.user_agent, url)

    def _once(self, url: str, headers: dict[str, str]) -> Answer:
        host = urlsplit(url).netloc
        self._wait_for(host)
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, **headers})
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                return Answer(response.status, response.read(), dict(response.headers.items()), response.geturl())
        except urllib.error.HTTPError as exc:
            return Answer(exc.code, b"", dict(exc.headers.items()) if exc.headers else {}, url, exc.reason or "")
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            return Answer(0, url=url, reason=f"no answer ({' '.join(str(reason).split())[:120]})")
        finally:
            # The next request to the host waits RATE from the end of this answer, not its
            # start: the host then sees at least RATE between two requests, however long
            # a connection took to open or the answer to come.
            self._last[host] = self.clock()

    def _wait_for(self, host: str) -> None:
        """At most one request per ``rate`` seconds to each host."""
        last = self._last.get(host)
        if last is not None:
            wait = self.rate - (self.clock() - last)
            if wait > 0:
                self.sleep(wait)
        self.requests.append((host, self.clock()))


def _retryable(answer: Answer) -> bool:
    return (answer.status == 0 and "robots" not in answer.reason) or answer.status in (429, 500, 502, 503, 504)


class WatchState:
    """Validators of the polled sources and the article URLs already handled, in one JSON file."""

    def __init__(self, path: Path):
        self.path = path
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        self.validators: dict[str, dict[str, str]] = data.get("validators", {})
        self.done: dict[str, str] = data.get("done", {})  # article URL -> "stored" | reason it was refused

    def save(self) -> None:
        """Atomically: a kill mid-write leaves the previous state, never half a file."""
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps({"validators": self.validators, "done": self.done}, indent=0), encoding="utf-8")
        os.replace(temporary, self.path)


def links_in(body: bytes, base: str) -> tuple[list[str], list[str]]:
    """(article links, nested sitemaps) of an RSS/Atom feed or a sitemap (index)."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return [], []
    links, sitemaps = [], []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag == "link" and element.get("href") and element.get("rel", "alternate") == "alternate":
            links.append(element.get("href", ""))           # Atom
        elif tag == "link" and (element.text or "").strip():
            links.append(element.text.strip())               # RSS
        elif tag == "loc" and (element.text or "").strip():
            parent_is_sitemap = root.tag.rsplit("}", 1)[-1].lower() == "sitemapindex"
            (sitemaps if parent_is_sitemap else links).append(element.text.strip())
    channel_links = {urljoin(base, "/"), base}
    links = [urljoin(base, link) for link in links]
    return list(dict.fromkeys(link for link in links if link not in channel_links)), [urljoin(base, s) for s in sitemaps]


@dataclass
class PollReport:
    sources: int = 0
    unchanged: int = 0                 # 304 answers
    new: int = 0
    failures: list[Failure] = field(default_factory=list)


class Watcher:
    """One poll: every source (conditionally), then every article link not handled before."""

    def __init__(self, fetcher: Fetcher, state: WatchState, store_record: Callable[[Record], Failure | None],
                 progress: Callable[[str], None] = lambda message: None):
        self.fetcher, self.state, self.store_record, self.progress = fetcher, state, store_record, progress

    def poll(self, sources: list[str]) -> PollReport:
        report = PollReport()
        for source in sources:
            report.sources += 1
            for link in self._article_links(source, report):
                self._article(link, report)
        return report

    def _article_links(self, source: str, report: PollReport, depth: int = 0) -> Iterator[str]:
        answer = self.fetcher.get(source, self._conditional_headers(source))
        if answer.status == 304:
            report.unchanged += 1
            return
        if answer.status != 200:
            report.failures.append(Failure(source, _why(answer), stage="watch"))
            return
        links, sitemaps = links_in(answer.body, answer.url or source)
        yield from links[:MAX_LINKS_PER_SOURCE]
        if depth == 0:
            for sitemap in sitemaps[:MAX_LINKS_PER_SOURCE]:
                yield from self._article_links(sitemap, report, depth + 1)
        # Only once every link of the source is handled: a poll killed half-way must not
        # leave the source's ETag behind, or the restart gets a 304 and never reads the
        # links the killed run did not reach.
        self._remember_validators(source, answer)

    def _article(self, link: str, report: PollReport) -> None:
        if link in self.state.done:
            return
        answer = self.fetcher.get(link)
        if answer.status != 200:
            report.failures.append(Failure(link, _why(answer), stage="watch"))
            if 400 <= answer.status < 500 and answer.status != 429:  # gone for good: do not ask again
                self._done(link, f"HTTP {answer.status}")
            return
        page = answer.body.decode(_charset(answer.headers), "replace")
        failure = self.store_record(Record(source=link, content=page, kind="html", url=answer.url or link))
        if failure is not None:
            report.failures.append(failure)
            self._done(link, failure.reason)
            return
        report.new += 1
        self._done(link, "stored")
        self.progress(f"stored {link}")

    def _done(self, link: str, outcome: str) -> None:
        self.state.done[link] = outcome
        self.state.save()

    def _conditional_headers(self, source: str) -> dict[str, str]:
        known = self.state.validators.get(source, {})
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        return headers

    def _remember_validators(self, source: str, answer: Answer) -> None:
        lowered = {k.lower(): v for k, v in answer.headers.items()}
        validators = {k: lowered[h] for k, h in (("etag", "etag"), ("last_modified", "last-modified")) if h in lowered}
        if validators:
            self.state.validators[source] = validators
            self.state.save()


def _why(answer: Answer) -> str:
    return f"HTTP {answer.status} {answer.reason}".strip() if answer.status else (answer.reason or "no answer")


def _charset(headers: dict[str, str]) -> str:
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    for part in content_type.split(";"):
        if part.strip().lower().startswith("charset="):
            return part.split("=", 1)[1].strip() or "utf-8"
    return "utf-8"


def parse_every(text: str) -> float:
    """ "15m" -> 900.0; "30s", "2h", "90" (seconds) too."""
    text = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    number, unit = (text[:-1], text[-1]) if text[-1:] in units else (text, "s")
    value = float(number) * units[unit]
    if value <= 0:
        raise ValueError(f"interval must be positive: {text!r}")
    return value
