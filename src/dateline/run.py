"""The batch runner: many inputs through the pipeline on every core, into the store.

``run(paths, store, RunOptions(workers=4))`` walks the inputs, skips the files an
earlier run finished (the store's ``inputs`` table), reads records in this process,
sends batches of them to workers (a local process pool, or Ray actors on a cluster),
and writes each batch's documents in one transaction together with the inputs it
completed. A run killed at any point and started again therefore redoes only what was in
flight, and ends with the documents an uninterrupted run stores.

Workers run the pure ``Pipeline`` (the spaCy model loaded once per worker); a crash on
one input becomes a ``Failure`` with a reason, never a dead run.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dateline.config import load_config
from dateline.model import Document, Failure, Record
from dateline.store.repository import InputKey, Store

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


@dataclass
class InputFile:
    path: str
    key: InputKey | None              # None for URLs: never skipped
    container: bool                   # WARC / JSON Lines: many records, no size guard on the file


@dataclass
class Batch:
    seq: int
    records: list[Record]
    inputs: list[int]                 # index into the run's inputs, one per record
    attempt: int = 0


@dataclass
class RunReport:
    inputs: int = 0
    skipped: int = 0                  # inputs a previous run finished
    new: int = 0
    updated: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    summaries: list[dict[str, Any]] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return self.new + self.updated

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0


# -- inputs ---------------------------------------------------------------------------

def discover(paths: Iterable[str | Path], salt: str = "") -> Iterator[InputFile | Failure]:
    """Every input file under ``paths`` (folders walked recursively, sorted), each once.

    ``salt`` goes into every input key: runs with other settings do not skip each other's inputs."""
    from dateline.ingest import JSONL_SUFFIXES, KNOWN_SUFFIXES, WARC_SUFFIXES

    seen: set[str] = set()
    for raw in paths:
        text = str(raw)
        if re.match(r"^https?://", text):
            yield InputFile(text, None, container=True)
            continue
        path = Path(text)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(KNOWN_SUFFIXES)
                           and not p.name.startswith("."))
            if not files:
                yield Failure(text, "folder holds no readable inputs (.txt, .html, .warc, .jsonl ...)")
        elif path.exists():
            files = [path]
        else:
            yield Failure(text, "no such file or folder")
            continue
        for file in files:
            absolute = str(file.resolve())
            if absolute in seen:
                continue
            seen.add(absolute)
            container = file.name.lower().endswith(JSONL_SUFFIXES + WARC_SUFFIXES)
            yield InputFile(str(file), input_key(file, salt), container)


def input_key(path: Path, salt: str = "") -> InputKey:
    """Path, size and modification time: cheap to take, and changes when the file does."""
    stat = path.stat()
    absolute = str(path.resolve())
    text = f"{absolute}\0{stat.st_size}\0{stat.st_mtime_ns}\0{salt}"
    digest = hashlib.sha256(text.encode("utf-8", "surrogateescape"))
    return InputKey(digest.hexdigest()[:32], absolute, stat.st_size, stat.st_mtime_ns)


def read_input(item: InputFile, max_bytes: int) -> Iterator[Record | Failure]:
    """The records of one input; any error reading it becomes a Failure naming it."""
    from dateline.ingest import iter_records

    name = Path(item.path).name
    size = _page_size(item)
    if max_bytes and size > max_bytes:
        # Refused before reading: a 20 MB "page" (or a gzip bomb) never enters memory.
        yield Failure(name, f"input too large ({size} bytes, limit {max_bytes})")
        return
    try:
        yield from iter_records([item.path])
    except Exception as exc:  # noqa: BLE001 - a reader bug on one input must not end the run
        yield Failure(name, f"cannot read: {type(exc).__name__}: {_short(exc)}")


def _page_size(item: InputFile) -> int:
    """Bytes one page file holds; for a gzipped page, the size its gzip trailer says it
    decompresses to (modulo 4 GiB, so also checked against the file size). Containers: 0."""
    if item.key is None or item.container:
        return 0
    size = item.key.size
    if item.path.lower().endswith(".gz") and size >= 18:
        try:
            with open(item.path, "rb") as handle:
                handle.seek(-4, os.SEEK_END)
                size = max(size, int.from_bytes(handle.read(4), "little"))
        except OSError:
            pass  # the reader reports it
    return size


# -- workers --------------------------------------------------------------------------

class RunAborted(Exception):
    """The pipeline cannot run at all (a broken config or model): no input is to blame."""


_WORKER_PIPELINE: Any = None
_WORKER_SETUP_ERROR: str | None = None


def build_pipeline(config_path: str | None, analyse: bool) -> Any:
    """The pipeline with its spaCy model loaded now (once per worker, not per task)."""
    from dateline.pipeline import Pipeline

    try:
        pipeline = Pipeline(config_path, analyse)
        if analyse:
            pipeline.nlp  # noqa: B018 - load eagerly
    except Exception as exc:
        raise RunAborted(f"cannot build the pipeline: {type(exc).__name__}: {_short(exc, 300)}") from exc
    return pipeline


def init_worker(config_path: str | None, analyse: bool) -> None:
    global _WORKER_PIPELINE, _WORKER_SETUP_ERROR
    try:
        _WORKER_PIPELINE = build_pipeline(config_path, analyse)
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
        self.pipeline = build_pipeline(options.config_path, options.analyse)

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
        limits = load_config(options.config_path).get("limits", {})
        self.seconds_per_record = float(limits.get("max_seconds_per_record") or 120)
        self.fork = "fork" in multiprocessing.get_all_start_methods()
        if self.fork:
            global _WORKER_PIPELINE
            _WORKER_PIPELINE = build_pipeline(options.config_path, options.analyse)
            _warm_up(_WORKER_PIPELINE)
        self.executor = self._new_executor()

    def _new_executor(self) -> Any:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        if self.fork:
            executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"))
            # Fork every worker now, before this process starts threads (the progress bar).
            list(executor.map(_noop, range(self.workers)))
            return executor
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=init_worker, initargs=(self.options.config_path, self.options.analyse))

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
                       if time.monotonic() - submitted[f] > self.seconds_per_record * len(batch.records)]
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
            limit = int(self.seconds_per_record * len(batch.records))
            yield from self._after_crash(batch, retry, f"timed out (no result after {limit} s)")

    def _kill_workers(self) -> None:
        # ProcessPoolExecutor cannot stop a busy worker (3.14 adds terminate_workers()):
        # kill its processes, then let shutdown clean up.
        for process in list(getattr(self.executor, "_processes", {}).values()):
            try:
                process.kill()
            except Exception:  # noqa: BLE001 - already gone
                pass
        self.executor.shutdown(wait=False, cancel_futures=True)

    def _after_crash(self, batch: Batch, retry: list[Batch], reason: str) -> Iterator[tuple[Batch, list[Result]]]:
        # A single record on a retry ran alone: it is the culprit.
        if len(batch.records) > 1 or batch.attempt < 1:
            retry.extend(Batch(batch.seq, [r], [i], batch.attempt + 1) for r, i in zip(batch.records, batch.inputs))
        else:
            yield batch, [Failure(batch.records[0].source, reason, "pipeline")]

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


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
        self.actors = [actor_class.remote(options.config_path, options.analyse) for _ in range(workers)]

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

    def __init__(self, config_path: str | None, analyse: bool):
        init_worker(config_path, analyse)

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


# -- bookkeeping ----------------------------------------------------------------------

class InputTracker:
    """Which inputs are complete: all their records read and stored, none failed."""

    def __init__(self, inputs: Sequence[InputFile]):
        self.inputs = inputs
        self.read: Counter[int] = Counter()
        self.stored: Counter[int] = Counter()
        self.failed: set[int] = set()
        self.reading_done: set[int] = set()
        self.completed: set[int] = set()

    def newly_complete(self, candidates: Iterable[int]) -> list[int]:
        out = []
        for index in set(candidates):
            if (index in self.reading_done and index not in self.completed
                    and self.stored[index] == self.read[index]):
                self.completed.add(index)
                out.append(index)
        return sorted(out)

    def finished(self) -> int:
        """Inputs dealt with (stored or failed): the progress count."""
        failed = {i for i in self.failed if i in self.reading_done and self.stored[i] == self.read[i]}
        return len(self.completed | failed)

    def done_keys(self, indices: Iterable[int]) -> list[InputKey]:
        return [key for i in indices if i not in self.failed and (key := self.inputs[i].key) is not None]


# -- the run --------------------------------------------------------------------------

class Runner:
    def __init__(self, store: Store | None, options: RunOptions,
                 on_stored: Callable[[Store, list[Document]], None] | None = None):
        self.store = store
        self.options = options
        config = load_config(options.config_path)
        self.limits = config.get("limits", {})
        run_settings = config.get("run", {})
        self.batch_size = options.batch_size or int(run_settings.get("batch_size", 16))
        self.interval = options.progress_interval or float(run_settings.get("progress_interval", 10))
        self.on_stored = on_stored if on_stored is not None else _stories_hook()
        self.report = RunReport()
        self.on_failure: Callable[[Failure], None] = lambda f: None
        self.on_document: Callable[[Document, bool], None] = lambda d, new: None

    def run(self, paths: Iterable[str | Path]) -> RunReport:
        started = time.monotonic()
        inputs: list[InputFile] = []
        for item in discover(paths, self._settings_salt()):
            if isinstance(item, Failure):
                self._fail(item)
            else:
                inputs.append(item)
        todo = self._not_done(inputs)
        self.report.inputs = len(inputs)
        self.report.skipped = len(inputs) - len(todo)
        tracker = InputTracker(todo)
        if not todo:  # nothing new: no model to load
            self.report.seconds = time.monotonic() - started
            return self.report
        backend = make_backend(self.options, len(todo))
        progress = Progress(len(todo), self.options.progress, self.interval)
        try:
            for batch, results in backend.map_unordered(self._batches(todo, tracker)):
                self._store(batch, results, tracker)
                progress.update(tracker.finished(), self.report.documents,
                                len(self.report.failures))
        finally:
            backend.close()
            progress.close(tracker.finished(), self.report.documents,
                           len(self.report.failures))
        self.report.seconds = time.monotonic() - started
        return self.report

    def _settings_salt(self) -> str:
        """What changes the documents besides the input: analysis on/off and the config file."""
        config = Path(self.options.config_path) if self.options.config_path else None
        config_hash = hashlib.sha256(config.read_bytes()).hexdigest()[:12] if config and config.is_file() else ""
        return f"analyse={self.options.analyse};config={config_hash}"

    def _not_done(self, inputs: list[InputFile]) -> list[InputFile]:
        if self.options.force or self.store is None:
            return inputs
        done = self.store.done_inputs(i.key.key for i in inputs if i.key)
        return [i for i in inputs if not (i.key and i.key.key in done)]

    def _batches(self, inputs: Sequence[InputFile], tracker: InputTracker) -> Iterator[Batch]:
        """Records read lazily (as workers free up), grouped into batches."""
        max_bytes = int(self.limits.get("max_input_bytes") or 0)
        seq = 0
        records: list[Record] = []
        owners: list[int] = []
        for index, item in enumerate(inputs):
            for found in read_input(item, max_bytes):
                if isinstance(found, Failure):
                    tracker.failed.add(index)
                    self._fail(found)
                    continue
                tracker.read[index] += 1
                records.append(found)
                owners.append(index)
                if len(records) >= self.batch_size:
                    yield Batch(seq, records, owners)
                    seq, records, owners = seq + 1, [], []
            tracker.reading_done.add(index)
            # Its records may all be stored already (or it had none): complete it now.
            self._complete_after_reading(tracker, index)
        if records:
            yield Batch(seq, records, owners)

    def _complete_after_reading(self, tracker: InputTracker, index: int) -> None:
        keys = tracker.done_keys(tracker.newly_complete([index]))
        if keys and self.store is not None:
            self.store.mark_inputs_done(keys)

    def _store(self, batch: Batch, results: list[Result], tracker: InputTracker) -> None:
        documents: list[Document] = []
        for result, owner in zip(results, batch.inputs):
            tracker.stored[owner] += 1
            if isinstance(result, Failure):
                tracker.failed.add(owner)
                self._fail(result)
            else:
                documents.append(result)
        keys = tracker.done_keys(tracker.newly_complete(batch.inputs))
        if self.store is None:
            flags = [True] * len(documents)
        else:
            flags = self.store.save_many(documents, keys)
        for document, new in zip(documents, flags):
            self.report.new += new
            self.report.updated += not new
            self.on_document(document, new)
        if documents and self.store is not None and self.on_stored is not None:
            try:
                self.on_stored(self.store, documents)
            except Exception as exc:  # noqa: BLE001 - documents are committed; say what failed
                from dateline.cli.output import error

                error(f"updating stories after a batch failed: {type(exc).__name__}: {_short(exc)}")

    def _fail(self, failure: Failure) -> None:
        self.report.failures.append(failure)
        self.on_failure(failure)


def _stories_hook() -> Callable[[Store, list[Document]], None]:
    from dateline.stories import on_documents_stored

    return on_documents_stored


def run(paths: Iterable[str | Path], store: Store | None, options: RunOptions | None = None,
        on_stored: Callable[[Store, list[Document]], None] | None = None) -> RunReport:
    """Process ``paths`` into ``store`` (None: process only, e.g. for a benchmark).

    ``on_stored(store, documents)`` runs after each committed batch; by default the
    stories stage's incremental update."""
    return Runner(store, options or RunOptions(), on_stored).run(paths)


# -- progress and summary -------------------------------------------------------------

class Progress:
    """A Rich bar (documents/s, errors, ETA) on a terminal; a plain line every few seconds
    on stderr otherwise (logs of batch jobs stay readable)."""

    def __init__(self, total: int, enabled: bool | None, interval: float):
        self.total = total
        self.started = time.monotonic()
        self.last_line = self.started
        self.interval = interval
        self.bar: Any = None
        self.last_counts = ""
        tty = sys.stderr.isatty()
        self.lines = enabled is not False and not tty
        if (enabled is None and tty) or (enabled and tty):
            self._start_bar()

    def _start_bar(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        from dateline.cli.output import stderr

        self.bar = RichProgress(
            TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("inputs"),
            TextColumn("{task.fields[docs]} docs, {task.fields[rate]:.1f} docs/s, [red]{task.fields[errors]} errors"),
            TimeRemainingColumn(), console=stderr, transient=False)
        self.bar.start()
        self.task = self.bar.add_task("ingest", total=self.total, docs=0, rate=0.0, errors=0)

    def update(self, done: int, docs: int, errors: int, force: bool = False) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = docs / elapsed
        if self.bar is not None:
            self.bar.update(self.task, completed=done, docs=docs, rate=rate, errors=errors)
        elif self.lines and (force or time.monotonic() - self.last_line >= self.interval):
            self.last_line = time.monotonic()
            eta = (elapsed / done * (self.total - done)) if done else 0
            counts = f"ingest: {done}/{self.total} inputs, {docs} documents, {errors} errors"
            if counts != self.last_counts:
                print(f"{counts}, {rate:.1f} docs/s, elapsed {_clock(elapsed)}, ETA {_clock(eta)}",
                      file=sys.stderr, flush=True)
            self.last_counts = counts

    def close(self, done: int, docs: int, errors: int) -> None:
        if self.bar is not None:
            self.update(done, docs, errors)
            self.bar.stop()
        else:
            self.update(done, docs, errors, force=True)


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def reason_kind(reason: str) -> str:
    """The reason without its particulars (sizes, offsets, messages): what to group by."""
    kind = re.split(r"[:(\[]", reason, maxsplit=1)[0].strip()
    return re.sub(r"\d+", "N", kind) or reason


def error_summary(failures: Sequence[Failure], examples: int = 3) -> list[str]:
    """Lines of the end-of-run summary: failures counted by reason, the first few inputs of each."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for failure in failures:
        by_kind[reason_kind(failure.reason)].append(failure.source)
    lines = [f"{len(failures)} inputs failed:"] if failures else []
    for kind, sources in sorted(by_kind.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        more = f", ... {len(sources) - examples} more" if len(sources) > examples else ""
        lines.append(f"  {len(sources):6d}  {kind}  ({', '.join(sources[:examples])}{more})")
    return lines
