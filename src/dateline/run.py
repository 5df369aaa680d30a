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

import dataclasses
import hashlib
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dateline.model import Document, Failure, Record
from dateline.settings import load_settings
from dateline.runner.backends import (  # noqa: F401 - the runner's public names live here too
    Batch,
    InlineBackend,
    PoolBackend,
    RayBackend,
    Result,
    RunAborted,
    RunOptions,
    _short,
    build_pipeline,
    make_backend,
    run_batch_safely,
)
from dateline.runner.progress import Progress, error_summary, reason_kind  # noqa: F401
from dateline.store.repository import InputKey, Store, StoreFault


# A 50 MB file of broken rows must not print millions of lines: the first ones, then one summary.
MAX_ERRORS_PER_INPUT = 20


@dataclass
class InputFile:
    path: str
    key: InputKey | None              # None for URLs: never skipped
    container: bool                   # WARC / JSON Lines: many records, no size guard on the file


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
    from dateline.ingest import JSONL_SUFFIXES, WARC_SUFFIXES, walk

    seen: set[str] = set()
    for raw in paths:
        text = str(raw)
        if re.match(r"^https?://", text):
            yield InputFile(text, None, container=True)
            continue
        for file in walk(Path(text)):
            if isinstance(file, Failure):
                yield file
                continue
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
        # The settings are read once, here, and go with the options to every backend and worker.
        self.settings = options.settings or load_settings(options.config_path)
        self.options = dataclasses.replace(options, settings=self.settings)
        self.limits = self.settings.limits
        self.batch_size = options.batch_size or self.settings.run.batch_size
        self.interval = options.progress_interval or self.settings.run.progress_interval
        # None: the store's own hooks (the stories stage), called here so that a failing
        # hook is reported as such and never taken for a failed save.
        self.on_stored = on_stored
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
        self._file_unfiled()
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

    def _file_unfiled(self) -> None:
        """File into the stories tables the documents a killed run committed but never filed
        (filing runs after each batch's commit): a resume then ends with the tables an
        uninterrupted run has, not only its documents."""
        if self.store is None or self.on_stored is not None:
            return
        from dateline.console import error, info

        try:
            ids = unfiled_documents(self.store)
            for start in range(0, len(ids), self.batch_size):
                documents = [d for d in (self.store.get(i) for i in ids[start:start + self.batch_size]) if d]
                self.store.notify_stored(documents)
        except Exception as exc:  # noqa: BLE001 - the run's own inputs still go ahead
            error(f"repairing the stories tables failed: {type(exc).__name__}: {_short(exc)}")
            return
        if ids:
            info(f"filed {len(ids)} documents an interrupted run had left out of the stories tables")

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
        max_bytes = int(self.limits.max_input_bytes or 0)
        seq = 0
        records: list[Record] = []
        owners: list[int] = []
        for index, item in enumerate(inputs):
            errors = 0
            for found in read_input(item, max_bytes):
                if isinstance(found, Failure):
                    tracker.failed.add(index)
                    errors += 1
                    if errors <= MAX_ERRORS_PER_INPUT:
                        self._fail(found)
                    continue
                tracker.read[index] += 1
                records.append(found)
                owners.append(index)
                if len(records) >= self.batch_size:
                    yield Batch(seq, records, owners)
                    seq, records, owners = seq + 1, [], []
            if errors > MAX_ERRORS_PER_INPUT:
                self._fail(Failure(item.path, f"{errors - MAX_ERRORS_PER_INPUT} more errors in this file "
                                              f"not shown ({errors} in all)"))
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
        owners: list[int] = []
        for result, owner in zip(results, batch.inputs):
            tracker.stored[owner] += 1
            if isinstance(result, Failure):
                tracker.failed.add(owner)
                self._fail(result)
            else:
                documents.append(result)
                owners.append(owner)
        if self.store is None:
            flags = [True] * len(documents)
            tracker.newly_complete(batch.inputs)
        else:
            with self.store.hooks.paused():  # the hooks run below, where their failure is reported
                documents, flags = self._save(documents, owners, batch, tracker)
        for document, new in zip(documents, flags):
            self.report.new += new
            self.report.updated += not new
            self.on_document(document, new)
        if documents and self.store is not None:
            try:
                if self.on_stored is None:
                    self.store.notify_stored(documents)
                else:
                    self.on_stored(self.store, documents)
            except Exception as exc:  # noqa: BLE001 - documents are committed; say what failed
                from dateline.console import error

                fault = self.store.fault(exc)
                if fault:  # the store itself failed: stop; the next run files these documents
                    raise RunAborted(fault) from None
                error(f"updating stories after a batch failed: {type(exc).__name__}: {_short(exc)}")

    def _save(self, documents: list[Document], owners: list[int], batch: Batch,
              tracker: InputTracker) -> tuple[list[Document], list[bool]]:
        """The batch in one transaction; if the store refuses it, each document alone, so a
        document the database will not take costs only itself (and its input is not marked
        done, so a rerun tries it again but goes past it)."""
        assert self.store is not None
        try:
            keys = tracker.done_keys(tracker.newly_complete(batch.inputs))
            return documents, self.store.save_many(documents, keys)
        except StoreFault as exc:  # the store failed, not a document: stop with its one line
            raise RunAborted(str(exc)) from None
        except Exception:  # noqa: BLE001 - narrowed below, one document at a time
            if not documents:
                raise
        for index in set(batch.inputs):
            tracker.completed.discard(index)
        saved, flags = [], []
        for document, owner in zip(documents, owners):
            try:
                flags.append(self.store.save(document))
                saved.append(document)
            except StoreFault as exc:
                raise RunAborted(str(exc)) from None
            except Exception as exc:  # noqa: BLE001 - this document only
                tracker.failed.add(owner)
                self._fail(Failure(document.doc, f"cannot store: {type(exc).__name__}: {_short(exc)}"))
        keys = tracker.done_keys(tracker.newly_complete(batch.inputs))
        if keys:
            self.store.mark_inputs_done(keys)
        return saved, flags

    def _fail(self, failure: Failure) -> None:
        self.report.failures.append(failure)
        self.on_failure(failure)


def unfiled_documents(store: Store) -> list[str]:
    """Ids of stored documents with no row in the stories tables, oldest first."""
    from sqlalchemy import exists, select

    from dateline.store import schema
    from dateline.stories.schema import story_documents

    d = schema.documents.c
    query = (select(d.id).where(~exists().where(story_documents.c.doc_id == d.id))
             .order_by(d.ingested_at, d.id))
    with store.engine.connect() as conn:
        return list(conn.execute(query).scalars())


def run(paths: Iterable[str | Path], store: Store | None, options: RunOptions | None = None,
        on_stored: Callable[[Store, list[Document]], None] | None = None) -> RunReport:
    """Process ``paths`` into ``store`` (None: process only, e.g. for a benchmark).

    ``on_stored(store, documents)`` runs after each committed batch instead of the store's
    hooks (by default the stories stage's incremental update)."""
    return Runner(store, options or RunOptions(), on_stored).run(paths)
