"""The HTTP API under load: 50 concurrent clients on loopback mixing reads and ingests
(``POST /api/documents``) against ``dateline serve`` in a subprocess. A fixed number of
requests, a time limit; no 5xx and no dropped connection; p50/p95 latencies printed."""
from __future__ import annotations

import asyncio
import socket
import statistics
import subprocess
import time

import httpx
import pytest
from test_store_support import DATELINE, ROOT, article_text, make_documents

from dateline.store import Store

CLIENTS = 50
READS_PER_CLIENT = 4
POSTING_CLIENTS = 25          # half the clients also ingest one page each
TIME_LIMIT_S = 240            # the whole load, on 2 shared cores
READ_PATHS = ["/api/documents?limit=20", "/api/events?type=CONSULT&limit=10", "/api/actors?limit=10",
              "/api/quotes?limit=10", "/api/events?country=NOR&limit=5", "/api/documents?limit=5&offset=5"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    url = f"sqlite:///{tmp_path / 'load.db'}"
    docs = make_documents(30)
    Store(url).save_many(docs)
    port = free_port()
    process = subprocess.Popen([DATELINE, "serve", "--db", url, "--host", "127.0.0.1", "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        # One post first: the spaCy model loads once, outside the measured load.
        warm = httpx.post(f"{base}/api/documents", json={"text": article_text(2000), "source": "warm-up.txt"},
                          timeout=300)
        assert warm.status_code in (200, 201), warm.text
        yield base, [d.id for d in docs], process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_up(base: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            if httpx.get(f"{base}/api/documents?limit=1", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not start")


async def client(http: httpx.AsyncClient, number: int, doc_ids: list[str], log: list[tuple[str, int, float]]) -> None:
    plan = [READ_PATHS[(number + k) % len(READ_PATHS)] for k in range(READS_PER_CLIENT - 1)]
    plan.append(f"/api/documents/{doc_ids[number % len(doc_ids)]}")
    if number < POSTING_CLIENTS:
        plan.insert(number % len(plan), "POST")
    for step in plan:
        started = time.perf_counter()
        try:
            if step == "POST":
                payload = {"text": article_text(3000 + number), "source": f"load-{number}.txt"}
                response = await http.post("/api/documents", json=payload)
            else:
                response = await http.get(step)
            status = response.status_code
        except httpx.TransportError as exc:
            status = 599  # a dropped or refused connection counts as a server failure
            log.append(("error " + type(exc).__name__, status, 0.0))
            continue
        log.append(("POST" if step == "POST" else "GET", status, time.perf_counter() - started))


async def load(base: str, doc_ids: list[str]) -> list[tuple[str, int, float]]:
    log: list[tuple[str, int, float]] = []
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, timeout=TIME_LIMIT_S, limits=limits) as http:
        await asyncio.wait_for(asyncio.gather(*(client(http, n, doc_ids, log) for n in range(CLIENTS))),
                               timeout=TIME_LIMIT_S)
    return log


def rss_mb(pid: int) -> float:
    from pathlib import Path

    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1] if len(values) > 1 else values[0]


@pytest.mark.slow
def test_fifty_concurrent_clients_reading_and_ingesting(server):
    base, doc_ids, pid = server
    rss_before = rss_mb(pid)
    started = time.monotonic()
    log = asyncio.run(load(base, doc_ids))
    elapsed = time.monotonic() - started
    rss_after = rss_mb(pid)
    print(f"\nserver RSS {rss_before:.0f} MB before the load, {rss_after:.0f} MB after")
    assert rss_after <= 1.2 * rss_before, (rss_before, rss_after)
    reads = [seconds for kind, status, seconds in log if kind == "GET"]
    posts = [seconds for kind, status, seconds in log if kind == "POST"]
    every = reads + posts
    print(f"\nAPI load: {len(log)} requests from {CLIENTS} clients in {elapsed:.1f} s; "
          f"p50 {percentile(every, .5) * 1000:.0f} ms, p95 {percentile(every, .95) * 1000:.0f} ms; "
          f"reads p95 {percentile(reads, .95) * 1000:.0f} ms, ingests p95 {percentile(posts, .95) * 1000:.0f} ms")
    server_errors = [entry for entry in log if entry[1] >= 500]
    assert not server_errors, server_errors[:10]
    assert len(log) == CLIENTS * READS_PER_CLIENT + POSTING_CLIENTS
    assert all(status < 400 for _, status, _ in log), [e for e in log if e[1] >= 400][:10]
    listing = httpx.get(f"{base}/api/documents?limit=1", timeout=30).json()
    assert listing["total"] == 30 + 1 + POSTING_CLIENTS  # seeds + warm-up + one per posting client
