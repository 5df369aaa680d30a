"""Faults measured: workers do not outlive a killed run; a slow record costs its own
time-out, not its batch's (issue 17, item 6)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_store_support import ROOT, pg_url, store_url  # noqa: F401

PARENT = """
import sys, time
from dateline.runner.backends import PoolBackend, RunOptions
backend = PoolBackend(RunOptions(workers=2, analyse=False), 2)
print(" ".join(str(p.pid) for p in backend.executor._processes.values()), flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        state = next(line for line in status.read_text().splitlines() if line.startswith("State:"))
    except (FileNotFoundError, StopIteration, ProcessLookupError):
        return False
    return "zombie" not in state.lower()


def test_workers_exit_when_the_run_is_killed():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(p) for p in workers)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(p) for p in workers), "a worker outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()


def test_a_batch_deadline_is_one_slow_record_not_all_of_them():
    from dateline.runner.backends import PoolBackend

    backend = PoolBackend.__new__(PoolBackend)
    backend.seconds_per_record = 120.0
    assert backend.batch_deadline(1) == 120.0
    assert backend.batch_deadline(16) <= 120.0 + 15 * 10  # not 16 x 120 s


def test_a_resume_files_documents_a_killed_run_left_out_of_the_stories(tmp_path):
    """The state a kill -9 between a batch's commit and its filing leaves: documents stored,
    stories tables short. The next run repairs them before its own inputs."""
    from sqlalchemy import func, select
    from test_store_support import make_documents

    from dateline.run import Runner, RunOptions, unfiled_documents
    from dateline.store import Store
    from dateline.stories import on_documents_stored
    from dateline.stories.schema import story_documents

    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    docs = make_documents(10)
    with store.hooks.paused():  # committed, then killed before the store's hooks ran
        store.save_many(docs)
    on_documents_stored(store, docs[:4])  # filed before the kill; the other six never were
    assert len(unfiled_documents(store)) == 6
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "new.txt").write_text("Talks resume\n\nOSLO -- Norway and Chile met on Monday, officials said.\n")
    Runner(store, RunOptions(workers=0, analyse=False)).run([tmp_path / "in"])
    assert unfiled_documents(store) == []
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(story_documents)).scalar_one() == 11


def _counts(url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from dateline.store import Store, schema
    from dateline.stories.schema import story_documents

    store = Store(url)
    with store.engine.connect() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                  for t in (schema.documents, schema.inputs, story_documents)}
    store.close()
    return counts


def _ingest(folder: Path, url: str) -> subprocess.Popen:
    from test_store_support import DATELINE

    return subprocess.Popen([DATELINE, "ingest", str(folder), "--db", url, "--no-nlp", "--workers", "2",
                             "--batch-size", "3", "--no-progress", "--format", "json"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_kill_9_at_several_moments_then_resume_matches_an_uninterrupted_run(tmp_path, store_url):
    from test_store_support import write_articles

    folder = tmp_path / "in"
    write_articles(folder, 60)
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    assert _ingest(folder, clean).wait(240) == 0
    expected = _counts(clean)
    assert expected["documents"] == 60 and expected["story_documents"] == 60
    killed = store_url  # SQLite or PostgreSQL
    for wanted in (1, 20, 40):  # kill once this many documents are stored
        run = _ingest(folder, killed)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and run.poll() is None:
            try:
                if _counts(killed)["documents"] >= wanted:
                    break
            except Exception:  # noqa: BLE001 - the store is being created
                pass
            time.sleep(0.05)
        if run.poll() is None:
            os.kill(run.pid, signal.SIGKILL)
        run.wait(30)
    assert _ingest(folder, killed).wait(240) == 0
    assert _counts(killed) == expected
