"""Faults of the store itself, measured (issue 17, item 6): a damaged SQLite file, a full
disk, PostgreSQL dropping every connection mid-run (as a restart does). Each ends in one
clear error line or a clean finish, and a rerun leaves the store as an uninterrupted run
would: nothing lost, nothing twice."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from test_hardening_faults import _counts
from test_store_support import DATELINE, ROOT, pg_url, write_articles  # noqa: F401


def _run(folder: Path, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DATELINE, "ingest", str(folder), "--db", url, "--no-nlp", "--workers", "0",
                           "--no-progress", "--format", "json", *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def _errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def test_a_damaged_sqlite_file_is_one_clear_error(tmp_path):
    write_articles(tmp_path / "in", 6)
    db = tmp_path / "s.db"
    assert _run(tmp_path / "in", f"sqlite:///{db}").returncode == 0
    write_articles(tmp_path / "more", 3, start=50)
    with sqlite3.connect(db) as conn:  # the schema page survives; the documents' tables do not
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [r[0] for r in conn.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name IN "
                                            "('documents', 'document_authors') AND rootpage > 1")]
    with open(db, "r+b") as handle:
        for root in roots:
            handle.seek(page_size * (root - 1))
            handle.write(b"\xff" * page_size)
    result = _run(tmp_path / "more", f"sqlite:///{db}")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    errors = _errors(result)
    # The store's line last (a repair of the stories tables tried first may add one before it).
    assert 1 <= len(errors) <= 2 and ("damaged" in errors[-1] or "cannot open the store" in errors[-1]), result.stderr
    with open(db, "r+b") as handle:  # the header too: not a database at all
        handle.write(b"garbage, not SQLite")
    listed = subprocess.run([DATELINE, "list", "--db", f"sqlite:///{db}"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert listed.returncode == 2 and "Traceback" not in listed.stderr
    assert listed.stderr.strip().count("\n") == 0 and "not a database" in listed.stderr


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"), reason="mounting a small tmpfs needs root")
def test_a_full_disk_stops_the_run_with_one_line_and_a_rerun_completes_it(tmp_path):
    folder = tmp_path / "in"
    write_articles(folder, 150)
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    assert _run(folder, clean).returncode == 0
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        url = f"sqlite:///{mount / 'full.db'}"
        result = _run(folder, url)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert any(" is full (free some space" in line for line in _errors(result)), result.stderr
        assert len(_errors(result)) <= 2  # the store's line (and the stories update it cut short)
        subprocess.run(["mount", "-o", "remount,size=64m", str(mount)], check=True)
        assert _run(folder, url).returncode == 0
        assert _counts(url) == _counts(clean)
    finally:
        subprocess.run(["umount", "-l", str(mount)])


@pytest.mark.slow
@pytest.mark.postgres
def test_postgres_dropping_every_connection_mid_run_is_waited_out(tmp_path, pg_url):
    """What a restart does to a running ingest: every connection terminated, new ones
    refused for a few seconds. The run waits, then finishes; nothing is lost or doubled.
    (On the test database only: the shared server itself is never restarted.)"""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    folder = tmp_path / "in"
    write_articles(folder, 90)
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    assert _run(folder, clean).returncode == 0
    name = make_url(pg_url).database
    admin = create_engine(os.environ["DATELINE_TEST_PG"], isolation_level="AUTOCOMMIT")
    run = subprocess.Popen([DATELINE, "ingest", str(folder), "--db", pg_url, "--no-nlp", "--workers", "0",
                            "--batch-size", "3", "--no-progress", "--format", "json"],
                           cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and run.poll() is None:
            try:
                if _counts(pg_url)["documents"] >= 15:
                    break
            except Exception:  # noqa: BLE001 - the schema is being created
                pass
            time.sleep(0.1)
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
            time.sleep(3)
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        _, stderr = run.communicate(timeout=240)
    finally:
        if run.poll() is None:
            run.kill()
        admin.dispose()
    assert "Traceback" not in stderr, stderr
    if run.returncode != 0:  # a clear line, then the rerun completes it
        assert any(line.startswith("error: ") for line in stderr.splitlines()), stderr
        assert _run(folder, pg_url).returncode == 0
    assert _counts(pg_url) == _counts(clean)


class _DriverError(Exception):
    sqlstate = None


@pytest.mark.parametrize("message, kind", [
    ('connection failed: FATAL:  database "d" is not currently accepting connections', "connection"),
    ("FATAL:  the database system is starting up", "connection"),
    ("server closed the connection unexpectedly", "connection"),
    ('connection failed: FATAL:  password authentication failed for user "d"', None),
    ('duplicate key value violates unique constraint "documents_pkey"', None),
])
def test_a_database_closed_to_connections_is_waited_for_but_a_wrong_password_is_not(message, kind):
    """A restore or failover closes the database for seconds (new connections refused with
    no SQLSTATE): a run waits for it; a wrong password or a bad row is reported at once."""
    from sqlalchemy.exc import OperationalError

    from dateline.store.faults import store_fault

    assert store_fault(OperationalError("connect", {}, _DriverError(message))) == kind


def test_a_hook_aborted_as_a_deadlock_is_run_again_and_only_that_hook(tmp_path):
    """The stories filing and another writer's upsert can deadlock on PostgreSQL; the
    aborted filing rolled back whole, so it runs again, and an earlier plugin is not redone."""
    from sqlalchemy.exc import OperationalError

    from dateline.model import Article, Document
    from dateline.store import Store

    class Deadlock(Exception):
        sqlstate = "40P01"

    calls = {"first": 0, "flaky": 0}

    class First:
        @staticmethod
        def documents_stored(store, documents):
            calls["first"] += 1

    class Flaky:
        @staticmethod
        def documents_stored(store, documents):
            calls["flaky"] += 1
            if calls["flaky"] == 1:
                raise OperationalError("UPDATE documents", {}, Deadlock("deadlock detected"))

    store = Store(f"sqlite:///{tmp_path / 'hooks.db'}", plugins=(First, Flaky))
    store.save(Document(doc="a.txt", article=Article(title="A", body=["Text."])))
    assert calls == {"first": 1, "flaky": 2}
