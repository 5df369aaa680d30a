"""Shared fixtures: a CLI runner and temporary stores."""
from __future__ import annotations

import importlib
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
