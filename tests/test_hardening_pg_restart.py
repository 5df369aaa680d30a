"""PostgreSQL restarted under a running ingest (issue 17, item 6): the run waits for the
server and finishes, or stops with one clear line and a rerun completes it; never a
silently short store.

The test starts its own throw-away cluster (initdb in a temporary folder, a free port on
127.0.0.1, a random password) and restarts that one with ``pg_ctl restart``: the shared
test server other tests and helpers use is never touched. Needs root (the cluster runs as
the ``postgres`` user) and Debian's PostgreSQL binaries.
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from test_hardening_faults import _counts
from test_hardening_store_faults import _run
from test_store_support import DATELINE, ROOT, write_articles

BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))

pytestmark = [
    pytest.mark.slow, pytest.mark.postgres,
    pytest.mark.skipif(os.geteuid() != 0 or not BINARIES, reason="needs root and PostgreSQL's binaries"),
]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of its own, run as the postgres user from a temporary folder."""

    def __init__(self) -> None:
        self.bin = BINARIES[-1]
        self.folder = Path(tempfile.mkdtemp(prefix="dateline-pg-restart-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.password = secrets.token_hex(12)
        owner = pwd.getpwnam("postgres")
        os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        (self.folder / "pw").write_text(self.password)
        os.chown(self.folder / "pw", owner.pw_uid, owner.pw_gid)
        self._as_postgres(f"{self.bin}/initdb", "-D", str(self.data), "-U", "postgres", "-A", "scram-sha-256",
                          f"--pwfile={self.folder / 'pw'}")
        self.pg_ctl("start")

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, timeout=180)

    def pg_ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._as_postgres(f"{self.bin}/pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w",
                          "-m", "fast", "-o", options, action)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres:{self.password}@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        try:
            self._as_postgres(f"{self.bin}/pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def cluster():
    try:
        made = Cluster()
    except (subprocess.CalledProcessError, KeyError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"cannot start a PostgreSQL cluster here: {exc}")
    yield made
    made.remove()


def test_postgres_restarted_under_a_running_ingest(tmp_path, cluster):
    from sqlalchemy import create_engine, text

    admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE dateline"))
    admin.dispose()
    url = cluster.url("dateline")
    folder = tmp_path / "in"
    write_articles(folder, 90)
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    assert _run(folder, clean).returncode == 0
    run = subprocess.Popen([DATELINE, "ingest", str(folder), "--db", url, "--no-nlp", "--workers", "0",
                            "--batch-size", "3", "--no-progress", "--format", "json"],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180
        stored = 0
        while time.monotonic() < deadline and run.poll() is None:
            try:
                stored = _counts(url)["documents"]
                if stored >= 15:
                    break
            except Exception:  # noqa: BLE001 - the schema is being created
                pass
            time.sleep(0.1)
        assert run.poll() is None and stored >= 15, "the ingest finished before the restart"
        cluster.pg_ctl("restart")  # a real restart: every backend ends, the server is down a moment
        stdout, stderr = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            run.kill()
    output = stdout + stderr
    print(f"\ningest after a restart at {stored} documents: exit {run.returncode}; {stderr.strip()[-300:]}")
    assert "Traceback" not in output, stderr
    assert cluster.password not in output
    if run.returncode != 0:  # a clear line, then the rerun completes it
        assert any(line.startswith("error: ") for line in stderr.splitlines()), stderr
        assert _run(folder, url).returncode == 0
    assert _counts(url) == _counts(clean)
    rerun = _run(folder, url)
    assert rerun.returncode == 0 and _counts(url) == _counts(clean)  # and a rerun stores nothing twice
