"""The writer of posted pages in a child process (``dateline serve``): pipeline, store
write and stories filing, one page at a time, off the server's GIL.

In-process, a post's ~75 ms of CPU (spaCy, the store's write, the stories filing) held
the GIL that every read thread of the server needs; here the server's ingest thread waits
for the child without holding it, and reads go on on the other core.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import HTTPException

from dateline.model import Document, Failure, Record


def log_start_failure(future: Any) -> None:
    if future.exception() is not None:  # posts answer 503 with the reason; one line for the operator
        logging.getLogger(__name__).error("the analysis process did not start: %s", future.exception())


def store_result(store: Any, result: Document | Failure, replace: bool) -> tuple[Document | Failure, bool | None]:
    """Store an analysed page (its stored copy when ``replace`` is false and it is already
    there); (the document or failure, whether new, or None when nothing was written)."""
    if isinstance(result, Failure):
        return result, None
    if not replace:
        stored = store.get(result.id)
        if stored is not None:
            return stored, None
    return result, store.save(result)  # the store's hooks file it into the stories


class AnalysisProcess:
    """The posts' writer in a child process: pipeline, store write and stories filing.

    One page at a time (the ingest thread waits for each). A page that kills the process
    (a crash in a parser, memory) or runs past ``max_seconds_per_record`` costs its own
    post a 422; the process is started again for the next one. The child exits when the
    server dies (``runner.backends.exit_with_parent``)."""

    def __init__(self, db_url: str, settings: Any = None):
        from dateline.settings import Settings, load_settings

        # The child gets the parent's Settings (a picklable frozen dataclass), not a path
        # to read again: both sides run on the same configuration.
        self.db_url = db_url
        self.settings = settings if isinstance(settings, Settings) else load_settings(settings)
        self.timeout_s = float(self.settings.limits.max_seconds_per_record or 120)
        self._executor: Any = None

    def start(self) -> None:
        import multiprocessing
        import os
        from concurrent.futures import ProcessPoolExecutor

        # Spawned, not forked: the server has threads (a fork copies their locks held).
        self._executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_child_start,
                                             initargs=(self.db_url, self.settings, os.getpid()))
        try:
            self._executor.submit(_child_ready).result()  # the model is loaded before the first post
        except BaseException:
            self.close()
            raise

    def ingest(self, record: Record, replace: bool) -> tuple[Document | Failure, bool | None]:
        from concurrent.futures import TimeoutError as FutureTimeout
        from concurrent.futures.process import BrokenProcessPool

        if self._executor is None:
            try:
                self.start()
            except Exception as exc:  # noqa: BLE001 - a broken config or model: the post cannot be analysed
                self.close()
                raise HTTPException(503, f"the analysis process cannot start: {type(exc).__name__}: "
                                         f"{' '.join(str(exc).split())[:300]}", headers={"Retry-After": "30"}) from None
        future = self._executor.submit(_child_ingest, record, replace)
        try:
            return future.result(timeout=self.timeout_s)
        except FutureTimeout:
            self._restart()
            return Failure(record.source, f"timed out (no result after {self.timeout_s:.0f} s)", "pipeline"), None
        except BrokenProcessPool:
            self._restart()
            return Failure(record.source, "the analysis process died on this page", "pipeline"), None

    def _restart(self) -> None:
        self.close()
        self.start()

    def close(self) -> None:
        if self._executor is None:
            return
        from dateline.runner.backends import kill_pool

        kill_pool(self._executor)  # a busy worker cannot be stopped through the executor
        self._executor = None


_CHILD: dict[str, Any] = {}


def _child_start(db_url: str, settings: Any, parent_pid: int) -> None:
    from dateline.runner.backends import init_worker
    from dateline.store import Store

    init_worker(settings, True, parent_pid)
    _CHILD["store"] = Store(db_url, settings=settings)  # its hooks give the stories stage the server's settings


def _child_ready() -> bool:
    """One tiny page through the pipeline: its lazy data loads now, not on the first post
    (and a pipeline that cannot be built raises RunAborted here, at start-up)."""
    from dateline.ingest import record_from_text
    from dateline.runner.backends import WARM_UP_TEXT, worker_run_batch

    worker_run_batch([record_from_text(WARM_UP_TEXT, "warm-up")])
    return True


def _child_ingest(record: Record, replace: bool) -> tuple[Document | Failure, bool | None]:
    from dateline.runner.backends import worker_run_batch

    results = worker_run_batch([record])
    result = results[0] if results else Failure(record.source, "nothing could be extracted", stage="extract")
    return store_result(_CHILD["store"], result, replace)
