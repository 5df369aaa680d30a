"""Options shared by several commands."""
from __future__ import annotations

import typer

DB_OPTION = typer.Option(None, "--db", envvar="DATELINE_DB",
                         help="Database URL (sqlite:///file.db or postgresql+psycopg://...); default ./dateline.db")
CONFIG_OPTION = typer.Option(None, "--config", help="A TOML file merged over the default configuration")
