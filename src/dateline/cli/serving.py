"""``dateline serve``: the HTTP API, the analyst page and the reader over one store."""
from __future__ import annotations

import socket
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
    from dateline.cli.checks import open_store

    open_store(db)  # a bad or unreachable --db: one line, exit 2
    listener = _bind(host, port)
    try:
        application = create_app(db, config_path=str(config) if config else None,
                                 max_post_bytes=int(max_post_mb * 1024 * 1024))
    except Exception as exc:  # noqa: BLE001 - a bad URL or unreachable database: one line, exit 2
        error(f"cannot open the store {db or ''}: {exc}")
        raise typer.Exit(2) from None
    info("loading the language model ...")
    application.state.ingestor.preload()  # the first POST /api/documents must not wait for it
    info(f"Dateline on http://{host}:{port}/  (reader /read, API docs /docs)")
    # Keep idle connections open longer than uvicorn's 5 s: a busy client reusing one
    # must not race the server closing it (a dropped request under load).
    config = uvicorn.Config(application, log_level="info", timeout_keep_alive=75)
    uvicorn.Server(config).run(sockets=[listener])


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything is printed: a busy port is one line, exit 1."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        error(f"cannot listen on {host}:{port}: {exc.strerror or exc} (is another server running? try --port)")
        raise typer.Exit(1) from None
    listener.listen(2048)
    listener.set_inheritable(True)
    return listener
