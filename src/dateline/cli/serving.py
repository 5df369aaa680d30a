"""``dateline serve``: the HTTP API, the analyst page and the reader over one store."""
from __future__ import annotations

import ctypes
import os
import socket
from pathlib import Path

import typer

from dateline.cli import app
from dateline.cli.options import CONFIG_OPTION, DB_OPTION
from dateline.cli.output import error, info

TOKEN_ENV = "DATELINE_API_TOKEN"
GLIBC_M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h


@app.command()
def serve(
    db: str | None = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (0.0.0.0 for every one)"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port"),
    config: Path | None = CONFIG_OPTION,
    max_post_mb: float = typer.Option(2.0, "--max-post-mb", min=0.01, help="Largest page POST /api/documents accepts"),
    token_file: Path | None = typer.Option(
        None, "--token-file", help=f"File holding the API token that write routes require (or set {TOKEN_ENV})"),
    private: bool = typer.Option(False, "--private", help="Reads need the token too"),
) -> None:
    """Serve the store over HTTP: API at /api (docs at /docs), analyst page at /, reader at /read.

    Writes (POST /api/documents and every other write route) need
    ``Authorization: Bearer <token>`` when a token is given; without one they are open to
    loopback clients only, and disabled when listening on any other interface."""
    import uvicorn

    from dateline.api import create_app
    from dateline.api.auth import settings_for
    from dateline.store.repository import StoreUnavailable, display_url

    try:
        auth = settings_for(host, _read_token(token_file), private)
    except ValueError as exc:
        error(str(exc))
        raise typer.Exit(2) from None
    _check_port_free(host, port)
    _cap_malloc_arenas()
    try:
        application = create_app(db, config_path=str(config) if config else None,
                                 max_post_bytes=int(max_post_mb * 1024 * 1024), auth=auth)
    except StoreUnavailable as exc:
        error(str(exc))
        raise typer.Exit(2) from None
    except Exception as exc:  # noqa: BLE001 - a bad URL or unreachable database: one line, exit 2
        error(f"cannot open the store {display_url(db)}: {' '.join(str(exc).split())[:300]}")
        raise typer.Exit(2) from None
    info("loading the language model ...")
    application.state.ingestor.preload()  # the first POST /api/documents must not wait for it
    if not auth.writes_enabled:
        info(f"warning: listening on {host} without a token: write routes are disabled "
              f"(give --token-file or set {TOKEN_ENV} to enable them)")
    info(f"Dateline on http://{host}:{port}/  (reader /read, API docs /docs; store {display_url(db)}"
         f"{'; writes need the token' if auth.token else ''}{'; private' if private else ''})")
    # Keep idle connections open longer than uvicorn's 5 s: a busy client reusing one
    # must not race the server closing it (a dropped request under load).
    uvicorn.run(application, host=host, port=port, log_level="info", timeout_keep_alive=75)


def _cap_malloc_arenas(arenas: int = 1) -> None:
    """Bound glibc's per-thread malloc arenas before the server starts its threads.

    glibc gives each allocating thread an arena of its own (up to 8 per core) and keeps
    freed memory in it: under 50 concurrent clients the server's worker threads made its
    RSS grow 1.3-1.6x in a minute with nothing leaked (one pass over every route first
    adds 1%). One arena keeps it near 1.2x, the rest being the connection pool filling;
    the GIL already serialises nearly all allocation, so no contention is added. This is
    what the MALLOC_ARENA_MAX variable does, but the variable is read only when a process
    starts. Not glibc (musl, macOS): nothing to do."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(GLIBC_M_ARENA_MAX, arenas)
    except (OSError, AttributeError):
        pass


def _read_token(token_file: Path | None) -> str | None:
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read the token file {token_file}: {getattr(exc, 'strerror', None) or exc}") \
                from None
        if not token:
            raise ValueError(f"the token file {token_file} is empty")
        return token
    return os.environ.get(TOKEN_ENV) or None


def _check_port_free(host: str, port: int) -> None:
    """One clear line and exit 1 when the port is taken (uvicorn would log and exit later)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            error(f"cannot listen on {host}:{port}: {exc.strerror or exc} (is another server running? try --port)")
            raise typer.Exit(1) from None
