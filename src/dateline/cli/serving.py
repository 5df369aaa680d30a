"""``dateline serve``: the HTTP API, the analyst page and the reader over one store."""
from __future__ import annotations

from pathlib import Path

import typer

from dateline.cli import app
from dateline.cli.options import CONFIG_OPTION, DB_OPTION
from dateline.cli.output import error, info


@app.command()
def serve(
    db: str | None = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (0.0.0.0 for every one)"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port"),
    config: Path | None = CONFIG_OPTION,
    max_post_mb: float = typer.Option(2.0, "--max-post-mb", min=0.01, help="Largest page POST /api/documents accepts"),
) -> None:
    """Serve the store over HTTP: API at /api (docs at /docs), analyst page at /, reader at /read."""
    import uvicorn

    from dateline.api import create_app

    try:
        application = create_app(db, config_path=str(config) if config else None,
                                 max_post_bytes=int(max_post_mb * 1024 * 1024))
    except Exception as exc:  # noqa: BLE001 - a bad URL or unreachable database: one line, exit 2
        error(f"cannot open the store {db or ''}: {exc}")
        raise typer.Exit(2) from None
    info(f"Dateline on http://{host}:{port}/  (reader /read, API docs /docs)")
    # Keep idle connections open longer than uvicorn's 5 s: a busy client reusing one
    # must not race the server closing it (a dropped request under load).
    uvicorn.run(application, host=host, port=port, log_level="info", timeout_keep_alive=75)
