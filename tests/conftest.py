"""Shared fixtures: a CLI runner and temporary stores."""
from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def cli():
    """Invoke ``dateline`` in-process: ``cli(["extract", path])`` -> click Result."""
    from dateline.cli import COMMAND_MODULES, app

    for module in COMMAND_MODULES:
        importlib.import_module(f"dateline.cli.{module}")
    runner = CliRunner()

    def invoke(args, **kwargs):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, **kwargs)

    return invoke


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'test.db'}"


# Debian's chromium as the browser tests start it: headless, and none of the background
# connections this machine's closed network refuses.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """One headless chromium per test module (Playwright driving DATELINE_CHROMIUM)."""
    executable = os.environ.get("DATELINE_CHROMIUM")
    if not executable:
        pytest.skip("DATELINE_CHROMIUM is not set (scripts/services/chromium.sh sets it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def nlp():
    """The real pipeline, loaded once for the whole run."""
    from dateline import nlp as dateline_nlp

    return dateline_nlp.load()


@pytest.fixture(scope="session")
def analyse(nlp):
    """Analyse a short invented text, dated against ``anchor``; each text is parsed once per run."""
    cache: dict[str, object] = {}

    def run(text: str, anchor: str | None = None):
        key = f"{anchor}|{text}"
        if key not in cache:
            doc = nlp.make_doc(text)
            doc._.anchor_date = anchor
            cache[key] = nlp(doc)
        return cache[key]

    return run


@pytest.fixture(scope="session")
def event_coder(nlp):
    """Code one sentence or paragraph with the real pipeline, dated against ``anchor``."""

    def run(text: str, anchor: str | None = None):
        doc = nlp.make_doc(text)
        doc._.anchor_date = anchor
        return list(nlp(doc)._.events)

    return run
