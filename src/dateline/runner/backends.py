"""Where batches run: in this process, a local process pool, or Ray actors.

Every backend takes an iterator of ``Batch`` and yields ``(batch, results)`` as batches
finish (any order), one result per record. Workers hold one ``Pipeline`` each (the spaCy
model loaded once per worker); an error on one record becomes that record's Failure.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dateline.model import Document, Failure, Record
from dateline.settings import Settings, load_settings

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

Result = Document | Failure


@dataclass
class RunOptions:
    workers: int | None = None        # None: one per core (in this process for a handful of inputs)
    backend: str = "local"            # local | ray
    address: str | None = None        # Ray cluster address; None starts a local Ray
    batch_size: int | None = None     # records per task; default from config [run]
    config_path: str | None = None
    analyse: bool = True
    force: bool = False               # redo inputs an earlier run finished
    progress: bool | None = None      # None: a bar on a terminal, periodic lines otherwise
    progress_interval: float | None = None
    settings: Settings | None = None  # the run's settings (the Runner loads them from config_path once)

    def resolved_settings(self) -> Settings:
        return self.settings or load_settings(self.config_path)


@dataclass
class Batch:
    seq: int
    records: list[Record]
    inputs: list[int]                 # index into the run's inputs, one per record
    attempt: int = 0


# -- workers --------------------------------------------------------------------------

class RunAborted(Exception):
    """The pipeline cannot run at all (a broken config or model): no input is to blame."""


_WORKER_PIPELINE: Any = None
TYPICAL_SECONDS_PER_RECORD = 10.0  # generous: ~0.3 s on an idle core, a few s on a loaded one
_WORKER_SETUP_ERROR: str | None = None


def build_pipeline(settings: Settings | str | None, analyse: bool) -> Any:
    """The pipeline with its spaCy model loaded now (once per worker, not per task)."""
    from dateline.pipeline import Pipeline

    try:
        pipeline = Pipeline(settings, analyse)
        if analyse:
            pipeline.nlp  # noqa: B018 - load eagerly
    except Exception as exc:
        raise RunAborted(f"cannot build the pipeline: {type(exc).__name__}: {_short(exc, 300)}") from exc
    return pipeline


def exit_with_parent(parent_pid: int, interval: float = 1.0) -> None:
    """In a worker: exit as soon as the run that started it is gone (killed with -9, say),
    instead of living on holding hundreds of MB. A daemon thread watches the parent pid."""
    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval)
        os._exit(1)

    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=watch, name="dateline-parent-watch", daemon=True).start()


def init_worker(settings: Settings | str | None, analyse: bool, parent_pid: int | None = None) -> None:
    global _WORKER_PIPELINE, _WORKER_SETUP_ERROR
    if parent_pid is not None:
        exit_with_parent(parent_pid)
    try:
        _WORKER_PIPELINE = build_pipeline(settings, analyse)
    except RunAborted as exc:  # raised again on the first task, where the parent sees it
        _WORKER_SETUP_ERROR = str(exc)


def worker_run_batch(records: list[Record]) -> list[Result]:
    if _WORKER_SETUP_ERROR:
        raise RunAborted(_WORKER_SETUP_ERROR)
    return run_batch_safely(_WORKER_PIPELINE, records)


def run_batch_safely(pipeline: Any, records: list[Record]) -> list[Result]:
    """One result per record, whatever happens: a batch that raises is retried record by
    record so the input at fault becomes a Failure and the others are kept."""
    try:
        results = pipeline.run_batch(records)
        if len(results) == len(records):
            return results
    except Exception:  # noqa: BLE001 - isolated below
        pass
    out: list[Result] = []
    for record in records:
        try:
            single = pipeline.run_batch([record])
            out.append(single[0] if single else Failure(record.source, "no result from the pipeline", "pipeline"))
        except Exception as exc:  # noqa: BLE001
            out.append(Failure(record.source, f"pipeline error: {type(exc).__name__}: {_short(exc)}", "pipeline"))
    return out


def _short(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit] + "..."


# -- backends -------------------------------------------------------------------------

class InlineBackend:
    """Batches run in this process: no start-up cost, for a handful of inputs and tests."""

    def __init__(self, options: RunOptions):
        self.pipeline = build_pipeline(options.resolved_settings(), options.analyse)

    def map_unordered(self, batches: Iterator[Batch]) -> Iterator[tuple[Batch, list[Result]]]:
        for batch in batches:
            yield batch, run_batch_safely(self.pipeline, batch.records)

    def close(self) -> None:
        pass


class PoolBackend:
    """A local process pool; at most two batches per worker in flight (bounded memory).

    Where the OS can fork, the pipeline is built once here and the workers are forked
    from it: they start at once and share the model's weights copy-on-write. Elsewhere
    each worker is spawned and loads the model once in its initializer.

    A worker that dies (out of memory, a segfault in a parser) breaks the pool: it is
    rebuilt and the batches in flight are retried one record at a time, so only the
    record that kills a worker again is reported as a failure."""

    def __init__(self, options: RunOptions, workers: int):
        import multiprocessing

        self.options = options
        self.workers = workers
        self.settings = options.resolved_settings()
        self.seconds_per_record = float(self.settings.limits.max_seconds_per_record or 120)
        self.fork = "fork" in multiprocessing.get_all_start_methods()
        if self.fork:
            global _WORKER_PIPELINE
            _WORKER_PIPELINE = build_pipeline(self.settings, options.analyse)
            _warm_up(_WORKER_PIPELINE)
        self.executor = self._new_executor()

    def _new_executor(self) -> Any:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        if self.fork:
            executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                           initializer=exit_with_parent, initargs=(os.getpid(),))
            # Fork every worker now, before this process starts threads (the progress bar).
            list(executor.map(_noop, range(self.workers)))
            return executor
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=init_worker,
                                   initargs=(self.settings, self.options.analyse, os.getpid()))

    def map_unordered(self, batches: Iterator[Batch]) -> Iterator[tuple[Batch, list[Result]]]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        retry: list[Batch] = []      # suspects after a crash or hang: run one at a time
        resubmit: list[Batch] = []   # bystanders of a killed pool: run again as they were
        running: dict[Any, Batch] = {}
        submitted: dict[Any, float] = {}
        exhausted = False
        while True:
            while len(running) < (1 if retry else 2 * self.workers) and (retry or resubmit or not exhausted):
                batch = retry.pop() if retry else resubmit.pop() if resubmit else next(batches, None)
                if batch is None:
                    exhausted = True
                    break
                future = self.executor.submit(worker_run_batch, batch.records)
                running[future], submitted[future] = batch, time.monotonic()
            if not running:
                return
            done, _ = wait(running, timeout=5, return_when=FIRST_COMPLETED)
            crashed: list[Batch] = []
            for future in done:
                batch = running.pop(future)
                submitted.pop(future, None)
                problem = future.exception()
                if isinstance(problem, BrokenProcessPool):
                    crashed.append(batch)
                elif isinstance(problem, RunAborted):
                    raise problem
                elif problem is not None:  # the worker catches pipeline errors; this is pickling and the like
                    yield batch, [Failure(r.source, f"worker error: {type(problem).__name__}: {_short(problem)}",
                                          "pipeline") for r in batch.records]
                else:
                    yield batch, future.result()
            overdue = [f for f, batch in running.items()
                       if time.monotonic() - submitted[f] > self.batch_deadline(len(batch.records))]
            if crashed or overdue:
                yield from self._restart(crashed, overdue, running, submitted, retry, resubmit)

    def _restart(self, crashed: list[Batch], overdue: list[Any], running: dict[Any, Batch],
                 submitted: dict[Any, float], retry: list[Batch],
                 resubmit: list[Batch]) -> Iterator[tuple[Batch, list[Result]]]:
        """A new pool after a worker died or hung. The batches at fault are retried record by
        record, one at a time, so a record that fails alone is the culprit and is reported."""
        late = [running[f] for f in overdue]
        others = [batch for f, batch in running.items() if f not in overdue]
        if crashed:
            crashed += others   # a broken pool fails every batch it held: each is suspect
        else:
            resubmit.extend(others)  # killed only to stop a hung one: run again unchanged
        running.clear()
        submitted.clear()
        self._kill_workers()
        self.executor = self._new_executor()
        for batch in crashed:
            yield from self._after_crash(batch, retry, "worker process died on this input")
        for batch in late:
            limit = int(self.batch_deadline(len(batch.records)))
            yield from self._after_crash(batch, retry, f"timed out (no result after {limit} s)")

    def batch_deadline(self, records: int) -> float:
        """Seconds a batch may take: one record's full allowance plus a typical record's time
        for each other one. A pathological page then costs its own time-out, not
        ``records`` times it (16 x 120 s froze a run for half an hour)."""
        typical = min(TYPICAL_SECONDS_PER_RECORD, self.seconds_per_record / 4)
        return self.seconds_per_record + typical * (records - 1)

    def _kill_workers(self) -> None:
        kill_pool(self.executor)

    def _after_crash(self, batch: Batch, retry: list[Batch], reason: str) -> Iterator[tuple[Batch, list[Result]]]:
        # A single record on a retry ran alone: it is the culprit.
        if len(batch.records) > 1 or batch.attempt < 1:
            retry.extend(Batch(batch.seq, [r], [i], batch.attempt + 1) for r, i in zip(batch.records, batch.inputs))
        else:
            yield batch, [Failure(batch.records[0].source, reason, "pipeline")]

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def kill_pool(executor: ProcessPoolExecutor) -> None:
    """Stop a process pool now, busy workers too (the runner's hung batch, the API's hung post).

    ProcessPoolExecutor cannot stop a busy worker (3.14 adds terminate_workers()): kill
    its processes, then let shutdown clean up."""
    for process in list(getattr(executor, "_processes", {}).values()):
        try:
            process.kill()
        except Exception:  # noqa: BLE001 - already gone
            pass
    executor.shutdown(wait=False, cancel_futures=True)


WARM_UP_TEXT = (
    "A short page\n\nPARIS (Wire) -- The foreign minister of France met his German counterpart in "
    "Berlin on Monday, officials said. \"We agree,\" the minister told reporters.\n"
)


def _warm_up(pipeline: Any) -> None:
    """Run one tiny page so components load their lazy data (dictionaries, gazetteers)
    once here, before the workers are forked, instead of once in every worker."""
    try:
        pipeline.run_batch([Record(source="warm-up", content=WARM_UP_TEXT)])
    except Exception:  # noqa: BLE001 - only an optimisation; real inputs report real errors
        pass


def _noop(_: int) -> None:
    return None


class RayBackend:
    """The same batches as Ray actor calls: one actor per worker holds a pipeline.

    With no address a local Ray is started (and stopped at the end); with one, the run
    joins that cluster, whose nodes need dateline installed (same version)."""

    def __init__(self, options: RunOptions, workers: int):
        import ray

        self.ray = ray
        self.started = not ray.is_initialized()
        if self.started:
            if options.address:  # an existing cluster: its own settings rule (and ray:// clients take few)
                ray.init(address=options.address)
            else:  # a local Ray sized for the workers (at least 2 CPUs: the driver reads and stores)
                ray.init(num_cpus=max(2, workers), include_dashboard=False, log_to_driver=False,
                         configure_logging=False)
        actor_class = ray.remote(num_cpus=1)(PipelineActor)
        settings = options.resolved_settings()
        self.actors = [actor_class.remote(settings, options.analyse) for _ in range(workers)]

    def map_unordered(self, batches: Iterator[Batch]) -> Iterator[tuple[Batch, list[Result]]]:
        idle = list(self.actors)
        running: dict[Any, tuple[Any, Batch]] = {}
        exhausted = False
        while True:
            while idle and not exhausted:
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                    break
                actor = idle.pop()
                running[actor.run_batch.remote(batch.records)] = (actor, batch)
            if not running:
                return
            ready, _ = self.ray.wait(list(running), num_returns=1)
            for ref in ready:
                actor, batch = running.pop(ref)
                idle.append(actor)
                try:
                    results = self.ray.get(ref)
                except self.ray.exceptions.RayTaskError as exc:
                    if isinstance(exc.cause, RunAborted):
                        raise RunAborted(str(exc.cause)) from None
                    results = [Failure(r.source, f"ray task failed: {type(exc.cause).__name__}", "pipeline")
                               for r in batch.records]
                except Exception as exc:  # noqa: BLE001 - an actor died: report the batch, go on
                    results = [Failure(r.source, f"ray task failed: {type(exc).__name__}", "pipeline")
                               for r in batch.records]
                yield batch, results

    def close(self) -> None:
        for actor in self.actors:
            self.ray.kill(actor)
        if self.started:
            self.ray.shutdown()


class PipelineActor:
    """A Ray actor: ``Pipeline`` built once, batches run like a pool worker runs them."""

    def __init__(self, settings: Settings | str | None, analyse: bool):
        init_worker(settings, analyse)

    def run_batch(self, records: list[Record]) -> list[Result]:
        return worker_run_batch(records)


def make_backend(options: RunOptions, inputs: int) -> Any:
    workers = options.workers if options.workers is not None else (os.cpu_count() or 1)
    if options.backend == "ray":
        return RayBackend(options, max(1, workers))
    if options.backend != "local":
        raise ValueError(f"unknown backend {options.backend!r} (local or ray)")
    if workers <= 1 or (options.workers is None and inputs <= 2):
        return InlineBackend(options)
    return PoolBackend(options, workers)
