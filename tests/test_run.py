"""The batch runner: same documents whatever the backend and worker count, resume after
SIGKILL, failures isolated and summarised, progress lines when not on a terminal."""
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from test_store_support import DATELINE, ROOT, article_text, write_articles

from dateline.model import Document, Failure, Record
from dateline.run import RunOptions, error_summary, reason_kind, run, run_batch_safely
from dateline.store import Store


def stored(url: str) -> list[dict]:
    return [doc.to_dict() for doc in Store(url).iter_documents()]


@pytest.fixture(scope="session")
def nlp_loaded():
    from dateline import nlp

    return nlp.load()


def no_hook(store, documents):
    """Runner tests check the runner; the stories stage has its own tests."""


def test_inline_run_stores_documents_and_reports_failures(tmp_path):
    write_articles(tmp_path / "in", 5)
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "blank.txt").write_text("   \n\n  \t\n")
    url = f"sqlite:///{tmp_path / 'a.db'}"
    report = run([tmp_path / "in", tmp_path / "missing.txt"], Store(url),
                 RunOptions(workers=1, analyse=False, progress=False), on_stored=no_hook)
    assert (report.new, report.updated, report.exit_code) == (5, 0, 1)
    assert sorted(f.source.rsplit("/", 1)[-1] for f in report.failures) == ["blank.txt", "empty.txt", "missing.txt"]
    assert all(f.reason for f in report.failures)
    assert Store(url).count() == 5


def test_rerun_skips_finished_inputs_and_force_redoes_them(tmp_path):
    write_articles(tmp_path / "in", 6)
    url = f"sqlite:///{tmp_path / 'a.db'}"
    options = RunOptions(workers=1, analyse=False, progress=False, batch_size=4)
    first = run([tmp_path / "in"], Store(url), options, on_stored=no_hook)
    again = run([tmp_path / "in"], Store(url), options, on_stored=no_hook)
    assert (first.new, again.skipped, again.documents) == (6, 6, 0)
    write_articles(tmp_path / "in", 1, start=6)             # a new file: only it is read
    (tmp_path / "in" / "article-0000.txt").write_text(article_text(100))  # changed: read again
    third = run([tmp_path / "in"], Store(url), options, on_stored=no_hook)
    assert (third.skipped, third.new) == (5, 2)
    forced = run([tmp_path / "in"], Store(url), RunOptions(workers=1, analyse=False, progress=False, force=True),
                 on_stored=no_hook)
    assert (forced.skipped, forced.updated) == (0, 7)
    assert Store(url).count() == 8                           # the old text of article-0000 stays stored


def test_pool_of_two_workers_gives_the_inline_documents(tmp_path, nlp_loaded):
    write_articles(tmp_path / "in", 8)
    inline, pooled = f"sqlite:///{tmp_path / 'inline.db'}", f"sqlite:///{tmp_path / 'pool.db'}"
    run([tmp_path / "in"], Store(inline), RunOptions(workers=1, progress=False), on_stored=no_hook)
    report = run([tmp_path / "in"], Store(pooled), RunOptions(workers=2, batch_size=3, progress=False),
                 on_stored=no_hook)
    assert report.exit_code == 0 and report.new == 8
    assert stored(inline) == stored(pooled)
    assert any(doc["entities"] for doc in stored(pooled))  # the full pipeline ran in the workers


@pytest.mark.ray
@pytest.mark.slow
def test_ray_backend_gives_the_local_documents(tmp_path, nlp_loaded):
    pytest.importorskip("ray")
    write_articles(tmp_path / "in", 4)
    local, on_ray = f"sqlite:///{tmp_path / 'local.db'}", f"sqlite:///{tmp_path / 'ray.db'}"
    run([tmp_path / "in"], Store(local), RunOptions(workers=1, progress=False), on_stored=no_hook)
    # One actor (a local Ray of 2 CPUs) keeps the test short: one model load.
    report = run([tmp_path / "in"], Store(on_ray), RunOptions(backend="ray", workers=1, batch_size=2, progress=False),
                 on_stored=no_hook)
    assert report.exit_code == 0 and report.new == 4
    assert stored(local) == stored(on_ray)


# Enough inputs that a kill after the fifth stored document lands mid-run even on a fast machine
# (150 once all finished between two polls of a loaded CI host).
ARTICLES = 600


def test_sigkill_mid_run_then_rerun_ends_with_the_uninterrupted_documents(tmp_path):
    """Crash safety is the runner's and the store's: extraction-only documents keep the test
    short (the pool and Ray tests show the full pipeline gives the same documents anywhere)."""
    inputs = tmp_path / "in"
    write_articles(inputs, ARTICLES)
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    run([inputs], Store(reference), RunOptions(workers=1, analyse=False, progress=False), on_stored=no_hook)

    url = f"sqlite:///{tmp_path / 'killed.db'}"
    command = [DATELINE, "ingest", str(inputs), "--db", url, "--workers", "2", "--batch-size", "1",
               "--no-nlp", "--format", "jsonl"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    stored_before_kill = _wait_for_documents(url, process, at_least=5)
    os.killpg(process.pid, signal.SIGKILL)  # parent and workers at once, like a lost machine
    process.wait(timeout=30)
    assert 5 <= stored_before_kill < ARTICLES, "the kill should land mid-run"

    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert rerun.returncode == 0, rerun.stderr
    assert "inputs skipped (done before)" in rerun.stderr
    assert "ingest: " in rerun.stderr and " inputs, " in rerun.stderr  # plain progress lines off a terminal
    assert stored(url) == stored(reference)


def _wait_for_documents(url: str, process: subprocess.Popen, at_least: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before it could be killed"
        try:
            count = Store(url).count()
        except Exception:  # noqa: BLE001 - the file may be mid-creation
            count = 0
        if count >= at_least:
            return count
        time.sleep(0.05)
    raise AssertionError("no documents stored in time")


class ExplodingPipeline:
    """Raises on one record, as a parser bug would; the others must survive."""

    def run_batch(self, records):
        if any("boom" in r.content for r in records):
            if len(records) == 1:
                raise RuntimeError("parser exploded")
            raise RuntimeError("batch failed")
        return [Document(doc=r.source, article=_article(r)) for r in records]


def _article(record):
    from dateline.model import Article

    return Article(title=record.source, body=[record.content])


def test_a_crash_on_one_record_fails_only_that_record():
    records = [Record(source=f"r{i}", content="boom" if i == 2 else f"text {i}") for i in range(5)]
    results = run_batch_safely(ExplodingPipeline(), records)
    assert [type(r).__name__ for r in results] == ["Document"] * 2 + ["Failure"] + ["Document"] * 2
    assert results[2].source == "r2" and "parser exploded" in results[2].reason


def test_a_broken_pipeline_stops_the_run_with_one_clear_message(tmp_path):
    write_articles(tmp_path / "in", 2)
    config = tmp_path / "broken.toml"
    config.write_text('[nlp]\nmodel = "no_such_spacy_model"\n')
    result = subprocess.run([DATELINE, "ingest", str(tmp_path / "in"), "--db", f"sqlite:///{tmp_path / 'a.db'}",
                             "--config", str(config)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "cannot build the pipeline" in result.stderr and "Traceback" not in result.stderr


def test_error_summary_counts_by_reason_and_names_first_inputs():
    failures = [Failure(f"f{i}.txt", f"input too large ({i} bytes, limit 10)") for i in range(5)]
    failures.append(Failure("g.txt", "empty file"))
    lines = error_summary(failures, examples=2)
    assert lines[0] == "6 inputs failed:"
    assert "5  input too large  (f0.txt, f1.txt, ... 3 more)" in lines[1]
    assert "1  empty file  (g.txt)" in lines[2]
    assert reason_kind("cannot read: Permission denied") == "cannot read"


class HangingPipeline:
    """Never returns on a record containing "hang" (a runaway regex, say); dies on "die"."""

    def run_batch(self, records):
        for record in records:
            if "hang" in record.content:
                time.sleep(3600)
            if "die" in record.content:
                os._exit(3)
        return [Document(doc=r.source, article=_article(r)) for r in records]


def test_pool_survives_a_hung_and_a_dying_worker(monkeypatch):
    import dateline.runner.backends as runner

    monkeypatch.setattr(runner, "build_pipeline", lambda config, analyse: HangingPipeline())
    monkeypatch.setattr(runner, "_warm_up", lambda pipeline: None)
    backend = runner.PoolBackend(RunOptions(workers=2, analyse=False), 2)
    backend.seconds_per_record = 1.0
    texts = ["fine 0", "fine 1", "hang here", "fine 3", "fine 4", "die now", "fine 6", "fine 7"]
    batches = [runner.Batch(i, [Record(source=f"r{i * 2 + k}", content=texts[i * 2 + k]) for k in range(2)],
                            [0, 0]) for i in range(4)]
    try:
        results = [r for _, rs in backend.map_unordered(iter(batches)) for r in rs]
    finally:
        backend.close()
    by_source = {getattr(r, "source", None) or r.doc: r for r in results}
    assert len(results) == 8
    assert "timed out" in by_source["r2"].reason and "died" in by_source["r5"].reason
    assert all(isinstance(by_source[f"r{i}"], Document) for i in (0, 1, 3, 4, 6, 7))
