"""Faults measured: workers do not outlive a killed run; a slow record costs its own
time-out, not its batch's (issue 17, item 6)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_store_support import ROOT

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
