"""Read-only web UI and JSON API over a store: `serve(store_url, port=…)`."""

from __future__ import annotations

import logging

from ..store.db import Store
from .server import App, make_server

__all__ = ["App", "make_server", "serve"]

log = logging.getLogger(__name__)


def serve(
    store_url: str | None = None, *, host: str = "127.0.0.1", port: int = 8000, cache_ttl: float | None = None
) -> None:
    """Serve until interrupted."""
    store = Store.open(store_url, read_only=True)
    if store.dialect == "duckdb":
        # Many small concurrent queries: one thread each beats every query fanning out over all cores.
        store.backend.execute("SET threads = 1")
    server = make_server(store, host=host, port=port, cache_ttl=cache_ttl)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        store.close()
