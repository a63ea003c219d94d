"""Read-only web UI and JSON API over a store: `serve(store_url, port=…)`."""

from __future__ import annotations

import logging
import os
import select
import signal
import socket
from collections.abc import Callable

from ..store.db import Store, StoreError
from ..store.replica import Replica
from . import queries
from .server import App, Server, make_server

__all__ = ["App", "make_server", "serve"]

log = logging.getLogger(__name__)


def serve(
    store_url: str | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    cache_ttl: float | None = None,
    processes: int | None = None,
) -> None:
    """Serve until interrupted, in `processes` processes (default: one per core, where the system
    can fork) sharing one listening socket. Python answers one request at a time per process, so
    a second process doubles what a two-core machine answers when many first requests arrive at
    once. Each process has its own store connections and answer cache."""
    processes = max(1, processes or os.cpu_count() or 1)
    if processes == 1 or not hasattr(os, "fork"):
        _serve_one(store_url, None, host, port, cache_ttl)
        return
    _prepare(store_url)
    sock = socket.create_server((host, port), backlog=Server.request_queue_size)
    # SIGTERM stops the parent as Ctrl-C does, so that it stops its workers too (inherited by them).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    # The workers accept only once all are ready: otherwise the first one ready takes every
    # connection a client opens at once, and a client that keeps its connections keeps it alone.
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()

    def when_ready() -> None:
        os.write(ready_w, b".")
        os.read(go_r, 1)

    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:  # a worker: serves until told to stop, never returns into the caller
            code = 0
            try:
                _serve_one(store_url, sock, host, port, cache_ttl, when_ready)
            except KeyboardInterrupt:
                pass
            except BaseException:
                log.exception("server process failed")
                code = 1
            os._exit(code)
        children.append(pid)
    sock.close()
    try:
        started = 0
        while started < processes:
            if select.select([ready_r], [], [], 0.5)[0]:
                started += len(os.read(ready_r, processes - started))
            elif any(os.waitpid(pid, os.WNOHANG)[0] for pid in children):
                log.error("a server process failed while starting; stopping")
                return
        os.write(go_w, b"." * processes)
        for pid in children:
            os.waitpid(pid, 0)
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def _prepare(store_url: str | None) -> None:
    """Open the store once before the workers start: a missing store or migration fails here with
    its message, and a DuckDB store's read replica is built once, not by every worker at once.
    In a child process: a process that forks must not have run DuckDB's (or NumPy's) threads,
    whose locks its children would inherit held."""
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            with Store.open(store_url, read_only=True) as store:
                if store.dialect == "duckdb":
                    Replica.for_store(store, store.backend.path, queries.REPLICA_VIEWS)
        except BaseException as e:  # noqa: BLE001 - handed to the parent, which raises it
            os.write(
                err_w, f"{type(e).__name__}: {e}".encode()[:4000] if not isinstance(e, StoreError) else str(e).encode()
            )
            code = 2 if isinstance(e, StoreError) else 1
        os._exit(code)
    os.close(err_w)
    _, status = os.waitpid(pid, 0)
    message = b"".join(iter(lambda: os.read(err_r, 4096), b"")).decode("utf-8", "replace")
    os.close(err_r)
    code = os.waitstatus_to_exitcode(status)
    if code == 2:
        raise StoreError(message)
    if code != 0:
        raise RuntimeError(f"preparing the store failed: {message or f'exit status {code}'}")


def _serve_one(
    store_url: str | None,
    sock: socket.socket | None,
    host: str,
    port: int,
    cache_ttl: float | None,
    when_ready: Callable[[], None] | None = None,
) -> None:
    store = Store.open(store_url, read_only=True)
    if store.dialect == "duckdb":
        # Many small concurrent queries: one thread each beats every query fanning out over all cores.
        store.backend.execute("SET threads = 1")
    server = make_server(store, host=host, port=port, cache_ttl=cache_ttl, sock=sock)
    if when_ready is not None:
        # A worker: it ends with os._exit, and the store is read-only, so nothing needs closing
        # (closing DuckDB while a request thread still used it could hold the exit up).
        when_ready()
        server.serve_forever()
        return
    try:
        server.serve_forever()
    finally:
        server.server_close()
        store.close()
