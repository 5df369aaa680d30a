"""Load on `dateline serve`: many clients mixing reads and posts for a fixed time, on loopback.

    .venv/bin/python bench/api_load.py                       # SQLite in a temporary folder
    .venv/bin/python bench/api_load.py --db postgresql+psycopg://user:pw@127.0.0.1/dateline_bench
    .venv/bin/python bench/api_load.py --clients 50 --seconds 60 --post-share 0.05

Seeds the store with invented articles (``dateline ingest --no-nlp``), starts the server
in a subprocess with a token (posts send it), then runs the clients: each picks a read
route (lists, filters, stories, search, article pages) or, with ``--post-share``
probability, posts a new invented article. Prints requests/s, p50/p95 per kind, the
status counts and the 5xx count, and the server's RSS before and after. Exit 1 on any
5xx or dropped connection. Bounded: loopback only, one run of ``--seconds``.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DATELINE = str(Path(sys.executable).parent / "dateline")
COUNTRIES = ["Norway", "Chile", "Kenya", "Vietnam", "Poland", "Egypt", "Canada", "Peru"]
CITIES = ["OSLO", "SANTIAGO", "NAIROBI", "HANOI", "WARSAW", "CAIRO", "OTTAWA", "LIMA"]
READS = ["/api/documents?limit=20", "/api/documents?q=talks&limit=10", "/api/events?limit=20",
         "/api/events?type=CONSULT&limit=10", "/api/actors?limit=10", "/api/quotes?limit=10", "/api/stories",
         "/api/timeline", "/api/negotiations", "/api/trending", "/api/latest", "/read", "/read?q=talks",
         "/read?q=minister", "/api/events/timeline", "/api/events/facets"]


def article(n: int) -> str:
    a, b = COUNTRIES[n % 8], COUNTRIES[(n // 8 + n + 1) % 8]
    return (f"{a} and {b} resume talks, bulletin {n}\n\n{CITIES[n % 8]} (Wire) -- The foreign minister of {a} met "
            f"the envoy of {b} on Tuesday to discuss a fishing agreement, officials said in bulletin {n}.\n\n"
            f"\"We will keep talking,\" the minister told reporters on Wednesday, after case {n * 7 + 3}.\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    """The server's child processes (the analysis process ``serve`` starts for posts)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process and its threads (for CPU per request)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def seed(db: str, folder: Path, count: int) -> None:
    inputs = folder / "seed"
    inputs.mkdir()
    for n in range(count):
        (inputs / f"seed-{n:04d}.txt").write_text(article(n), encoding="utf-8")
    subprocess.run([DATELINE, "ingest", str(inputs), "--db", db, "--no-nlp", "--workers", "0", "--no-progress",
                    "--format", "json"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)


async def client(http: httpx.AsyncClient, rng: random.Random, until: float, share: float, token: str,
                 ids: list[str], log: list[tuple[str, int, float]], counter: list[int]) -> None:
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            if rng.random() < share:
                counter[0] += 1
                kind = "post"
                response = await http.post("/api/documents", json={"text": article(100_000 + counter[0] * 97 + rng.randrange(97))},
                                           headers={"Authorization": f"Bearer {token}"})
            else:
                kind = "read"
                path = rng.choice(READS + [f"/read/{rng.choice(ids)}", f"/api/documents/{rng.choice(ids)}"])
                response = await http.get(path)
                kind = "read " + re.sub(r"/[0-9a-f]{16,}$", "/{id}", path)
            status = response.status_code
            if status == 503:
                await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
        except httpx.TransportError:
            kind, status = "dropped", 599
        log.append((kind, status, time.perf_counter() - started))


async def run_load(base: str, clients: int, seconds: float, share: float, token: str, ids: list[str]):
    log: list[tuple[str, int, float]] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as http:
        until = time.monotonic() + seconds
        counter = [0]
        await asyncio.gather(*(client(http, random.Random(n), until, share, token, ids, log, counter)
                               for n in range(clients)))
    return log


def p(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="store URL (default: a temporary SQLite file)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--post-share", type=float, default=0.05)
    parser.add_argument("--seed-documents", type=int, default=200)
    parser.add_argument("--per-route", action="store_true", help="p95 of each read route")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dateline-load-"))
    db = args.db or f"sqlite:///{folder / 'load.db'}"
    token = secrets.token_urlsafe(24)
    port = free_port()
    server = None
    try:
        seed(db, folder, args.seed_documents)
        env = {**os.environ, "DATELINE_API_TOKEN": token}
        server = subprocess.Popen([DATELINE, "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300  # the analysis process loads the model first
        while True:
            try:
                if httpx.get(f"{base}/api/documents?limit=1", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("the server did not start", file=sys.stderr)
                return 1
            time.sleep(0.3)
        warm = httpx.post(f"{base}/api/documents", json={"text": article(99_999)}, timeout=300,
                          headers={"Authorization": f"Bearer {token}"})  # the spaCy model loads outside the load
        ids = [d["id"] for d in httpx.get(f"{base}/api/documents?limit=100").json()["items"]]
        rss_before = rss_mb(server.pid)
        helpers = children(server.pid)
        helper_rss_before = sum(rss_mb(c) for c in helpers)
        cpu_before, client_before = cpu_s(server.pid), time.process_time()
        helper_cpu_before = sum(cpu_s(c) for c in helpers)
        started = time.monotonic()
        log = asyncio.run(run_load(base, args.clients, args.seconds, args.post_share, token, ids))
        elapsed = time.monotonic() - started
        server_cpu, client_cpu = cpu_s(server.pid) - cpu_before, time.process_time() - client_before
        helper_cpu = sum(cpu_s(c) for c in helpers) - helper_cpu_before
        rss_after = rss_mb(server.pid)
        helper_rss_after = sum(rss_mb(c) for c in helpers)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(folder, ignore_errors=True)
    statuses = Counter(status for _, status, _ in log)
    reads = [s for kind, status, s in log if kind.startswith("read") and status < 500]
    by_path: dict[str, list[float]] = {}
    for kind, status, seconds in log:
        if kind.startswith("read "):
            by_path.setdefault(kind[5:], []).append(seconds)
    posts = [s for kind, status, s in log if kind == "post" and status < 500]
    errors = sum(n for status, n in statuses.items() if status >= 500 and status != 503)
    kind = db.split(":", 1)[0]
    print(f"{kind}: {len(log)} requests from {args.clients} clients in {elapsed:.1f} s = {len(log) / elapsed:.1f} "
          f"requests/s (warm-up post {warm.status_code})")
    print(f"  reads: {len(reads)}, p50 {p(reads, .5) * 1000:.0f} ms, p95 {p(reads, .95) * 1000:.0f} ms")
    print(f"  posts: {len(posts)}, p50 {p(posts, .5) * 1000:.0f} ms, p95 {p(posts, .95) * 1000:.0f} ms")
    print(f"  statuses: {dict(sorted(statuses.items()))}; 5xx other than 503: {errors}; "
          f"503 (busy, Retry-After): {statuses.get(503, 0)}")
    # CPU per request does not depend on what else the machine runs; latency does.
    print(f"  CPU per request: server {server_cpu / max(len(log), 1) * 1000:.1f} ms, "
          f"its analysis process {helper_cpu / max(len(log), 1) * 1000:.1f} ms, "
          f"client {client_cpu / max(len(log), 1) * 1000:.1f} ms; load average {os.getloadavg()[0]:.1f}")
    if args.per_route:
        for path, values in sorted(by_path.items(), key=lambda kv: -p(kv[1], .95)):
            print(f"    {path}: {len(values)}, p95 {p(values, .95) * 1000:.0f} ms")
    print(f"  server RSS: {rss_before:.0f} MB before, {rss_after:.0f} MB after ({rss_after / max(rss_before, 1):.2f}x); "
          f"analysis process {helper_rss_before:.0f} MB before, {helper_rss_after:.0f} MB after; together "
          f"{(rss_after + helper_rss_after) / max(rss_before + helper_rss_before, 1):.2f}x")
    return 1 if errors or statuses.get(599) else 0


if __name__ == "__main__":
    sys.exit(main())
