"""The HTTP server: stdlib ThreadingHTTPServer, read-only, JSON API under /api, pages, static files.

Responses of GET requests are cached: the store is opened read-only, so an answer can only
change when another process writes. DuckDB allows no writer while the file is open read-only,
so its answers are kept until evicted; PostgreSQL's for `cache_ttl` seconds (default 30).
"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ..store.db import Store
from ..store.replica import Replica
from . import openapi, pages, queries

log = logging.getLogger(__name__)

_SECURITY_HEADERS = {
    # No inline script or style anywhere: an injected <script> in article text could not run even
    # if escaping ever failed.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".geojson": "application/geo+json",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
_STATIC_NAME = re.compile(r"[a-z0-9_-]+\.[a-z]+")
TIMELINE_PAGE = 50  # events per timeline page; "weitere …" pages on
_WORKING = 1


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str
    cache: bool = True


def _json(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
    return Response(status, body, "application/json; charset=utf-8")


def _html(text: str, status: int = 200) -> Response:
    return Response(status, text.encode("utf-8"), "text/html; charset=utf-8")


def _int(q: dict[str, str], name: str, default: int) -> int:
    try:
        return int(q.get(name, default))
    except ValueError:
        return default


class App:
    """Routes a path and query to a Response; no sockets, so tests can call `handle` directly."""

    def __init__(self, store: Store, *, cache_ttl: float | None = None, cache_size: int = 4096, replica: bool = True):
        self.store = store
        # Pages look rows up by key on a SQLite replica of a DuckDB store (see store/replica.py);
        # PostgreSQL has the B-tree indexes for that itself.
        self.reader: Store | Replica = store
        if replica and store.dialect == "duckdb" and store.read_only:
            self.reader = Replica.for_store(store, store.backend.path, queries.REPLICA_VIEWS)
            self.reader.facets([])  # the facet index is built now rather than during the first search
        if cache_ttl is None:
            cache_ttl = float("inf") if store.dialect == "duckdb" and store.read_only else 30.0
        self.cache_ttl = cache_ttl
        self.cache_size = cache_size
        self._cache: OrderedDict[str, tuple[float, Response]] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[str, threading.Event] = {}
        # Answers computed at once. Python runs one thread at a time and SQLite hands that lock
        # back and forth for every row: dozens of threads computing together took several times
        # the CPU of the same work queued (cached answers do not wait for this).
        self._working = threading.BoundedSemaphore(_WORKING)
        self._facets_lock = threading.Lock()
        self._static: dict[str, bytes] = {}
        self.routes: list[tuple[re.Pattern[str], Callable[..., Response]]] = [
            (re.compile(p), f)
            for p, f in [
                (r"/", self.page_map),
                (r"/timeline", self.page_timeline),
                (r"/search", self.page_search),
                (r"/network", self.page_network),
                (r"/article/([0-9a-f]{1,64})", self.page_article),
                (r"/entity/(.+)", self.page_entity),
                (r"/openapi\.json", lambda q: _json(openapi.spec())),
                (r"/api/stats", lambda q: _json(queries.stats(self.store))),
                (r"/api/events", self.api_events),
                (r"/api/trips", self.api_trips),
                (
                    r"/api/map",
                    lambda q: _json(queries.map_data(self.store, queries.EventFilter.from_query(q), self.reader)),
                ),
                (
                    r"/api/network",
                    lambda q: _json(queries.network(self.reader, min_weight=_int(q, "min_weight", 1))),
                ),
                (r"/api/search", self.api_search),
                (
                    r"/api/entities",
                    lambda q: _json(queries.entities(self.reader, q.get("q"), q.get("kind"), _int(q, "limit", 50))),
                ),
                (r"/api/entities/(.+)", lambda q, key: _json(queries.entity(self.reader, key))),
                (r"/api/articles/([0-9a-f]{1,64})", lambda q, h: _json(queries.article(self.reader, h))),
                (r"/static/([^/]+)", self.static),
                (r"/healthz", lambda q: Response(200, b"ok\n", "text/plain; charset=utf-8", cache=False)),
            ]
        ]

    # -- dispatch ---------------------------------------------------------------------------------

    def handle(self, target: str) -> Response:
        cached = self._cache_get(target)
        if cached is not None:
            return cached
        if target.startswith(("/static/", "/healthz")):  # files in memory: no queue
            return self._answer(target)
        with self._lock:
            pending = self._pending.get(target)
            if pending is None:
                self._pending[target] = threading.Event()
        if pending is not None:
            # Another request is answering the same target: wait for its answer rather than
            # compute it again (a burst of first requests for one page would otherwise each
            # run its queries, and the store's slowest pages are the ones most requested at once).
            pending.wait()
            cached = self._cache_get(target)
            if cached is not None:
                return cached
            with self._working:
                return self._answer(target)
        try:
            with self._working:
                return self._answer(target)
        finally:
            with self._lock:
                self._pending.pop(target).set()

    def _answer(self, target: str) -> Response:
        parts = urlsplit(target)
        path = unquote(parts.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=False))
        for pattern, fn in self.routes:
            m = pattern.fullmatch(path)
            if m is None:
                continue
            try:
                resp = fn(query, *m.groups())
            except queries.NotFound as e:
                resp = self._error(path, 404, str(e))
            except Exception:  # noqa: BLE001 - a failing query answers 500 and is logged, the server stays up
                log.exception("error answering %s", target)
                resp = self._error(path, 500, "internal error")
            if resp.status == 200 and resp.cache:
                self._cache_put(target, resp)
            return resp
        return self._error(path, 404, "not found")

    def _error(self, path: str, status: int, message: str) -> Response:
        if path.startswith("/api/") or path.endswith(".json"):
            return _json({"error": message, "status": status}, status)
        return _html(pages.error_page(status, message), status)

    def _cache_get(self, key: str) -> Response | None:
        with self._lock:
            hit = self._cache.get(key)
            if hit is None:
                return None
            if time.monotonic() - hit[0] > self.cache_ttl:
                del self._cache[key]
                return None
            self._cache.move_to_end(key)
            return hit[1]

    def _cache_put(self, key: str, resp: Response) -> None:
        if len(resp.body) > 4_000_000:
            return
        with self._lock:
            self._cache[key] = (time.monotonic(), resp)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    # -- API --------------------------------------------------------------------------------------

    def api_events(self, q: dict[str, str]) -> Response:
        f = queries.EventFilter.from_query(q)
        return _json(queries.events(self.reader, f, limit=_int(q, "limit", 100), offset=_int(q, "offset", 0)))

    def api_trips(self, q: dict[str, str]) -> Response:
        f = queries.EventFilter.from_query(q)
        return _json(queries.trips(self.reader, traveler=q.get("traveler"), f=f, limit=_int(q, "limit", 200)))

    def api_search(self, q: dict[str, str]) -> Response:
        return _json(self._search(q, _int(q, "limit", 20)))

    def _search(self, q: dict[str, str], limit: int) -> dict[str, Any]:
        return queries.search(
            self.reader,
            q.get("q", "")[:500],
            event_type=q.get("type"),
            entity=q.get("entity"),
            limit=limit,
            offset=_int(q, "offset", 0),
        )

    # -- pages ------------------------------------------------------------------------------------

    def page_map(self, q: dict[str, str]) -> Response:
        f = queries.EventFilter.from_query(q)
        return _html(pages.map_page(queries.trips(self.reader, f=f)["trips"], f, self._facet_values()))

    def page_timeline(self, q: dict[str, str]) -> Response:
        f = queries.EventFilter.from_query(q)
        offset = _int(q, "offset", 0)
        return _html(
            pages.timeline_page(
                queries.events(self.reader, f, limit=TIMELINE_PAGE, offset=offset), f, self._facet_values()
            )
        )

    def page_search(self, q: dict[str, str]) -> Response:
        text = q.get("q", "")[:500]
        result = self._search(q, 20)
        ents = queries.entities(self.reader, text, limit=10) if text.strip() else []
        return _html(pages.search_page(result, ents, q))

    def page_network(self, q: dict[str, str]) -> Response:
        return _html(pages.network_page())

    def page_article(self, q: dict[str, str], hash_: str) -> Response:
        return _html(pages.article_page(queries.article(self.reader, hash_)))

    def page_entity(self, q: dict[str, str], key: str) -> Response:
        return _html(pages.entity_page(queries.entity(self.reader, key)))

    def _facet_values(self) -> dict[str, list[dict[str, Any]]]:
        """The filter menus' entries; the same for every page, so computed once per cache period."""
        with self._facets_lock:  # computed by one request; the others wait for it
            hit = self._cache_get("\0facets")
            if hit is not None:
                return json.loads(hit.body)
            values = {
                "person": queries.entities(self.reader, kind="person", limit=200),
                "org": queries.entities(self.reader, kind="organization", limit=200),
                "place": queries.entities(self.reader, kind="place", limit=200),
            }
            self._cache_put("\0facets", _json(values))
            return values

    def static(self, q: dict[str, str], name: str) -> Response:
        if not _STATIC_NAME.fullmatch(name):
            return self._error("/static/", 404, "not found")
        body = self._static.get(name)
        if body is None:
            try:
                body = resources.files("treffpunkt.web").joinpath("static", name).read_bytes()
            except (FileNotFoundError, IsADirectoryError):
                return self._error("/static/", 404, "not found")
            self._static[name] = body
        ext = name[name.rfind(".") :]
        return Response(200, body, _STATIC_TYPES.get(ext, "application/octet-stream"), cache=False)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a client can reuse its connection
    server_version = "treffpunkt"
    app: App

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        if len(self.path) > 4096:
            resp = _json({"error": "request target too long", "status": 414}, 414)
        else:
            resp = self.app.handle(self.path)
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        for k, v in _SECURITY_HEADERS.items():
            self.send_header(k, v)
        if "/static/" in self.path:
            self.send_header("Cache-Control", "public, max-age=3600")
        self.end_headers()
        if send_body:
            self.wfile.write(resp.body)

    def _method_not_allowed(self) -> None:
        body = b'{"error":"read-only API: only GET and HEAD","status":405}'
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        # The request body is never read: close the connection rather than parse it as the next request.
        self.send_header("Connection", "close")
        self.close_connection = True
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_DELETE = do_PATCH = _method_not_allowed  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        log.debug("%s %s", self.address_string(), format % args)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


def make_server(
    store: Store,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    cache_ttl: float | None = None,
    sock: socket.socket | None = None,
) -> Server:
    """A server for the store; on `sock` if given (a listening socket shared by processes)."""
    app = App(store, cache_ttl=cache_ttl)
    handler = type("Handler", (_Handler,), {"app": app})
    if sock is None:
        return Server((host, port), handler)
    server = Server(sock.getsockname()[:2], handler, bind_and_activate=False)
    server.socket.close()
    server.socket = sock
    return server
