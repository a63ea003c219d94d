"""A SQLite read replica of a DuckDB store, for serving pages.

DuckDB scans columns fast but needs 10–50 ms for a lookup that returns a few hundred rows by
key, and nearly every page is such a lookup (one person's events, one place's trips). SQLite's
B-trees answer those in about a millisecond. So `serve` copies the rows it looks up by key into a
SQLite file beside the store, in the order pages list them, indexes them, and stores each entity's
summary (roles over time, aliases, party) that a page would otherwise aggregate from all its
mentions, plus a trigram index for full-text search. Search facets are counted in memory
(`_FacetIndex`). Aggregates over the whole store (map dots, the network, stats) stay on DuckDB.

The replica is rebuilt when the store file changed since it was made (size and modification
time, recorded in the replica), into a temporary file renamed into place, so a crash leaves the
old replica or none. A store is only ever served read-only: DuckDB lets no writer in while it is
open, so the replica cannot go stale under a running server.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import tempfile
import threading
import time
import zlib
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .schema import TABLES

log = logging.getLogger(__name__)

# Bump when the replica's tables or the summaries change: older replicas are then rebuilt.
REPLICA_VERSION = 6

# Article columns; the record is stored zlib-compressed (a sixth of its size), see `read_record`.
_ARTICLE_COLUMNS = (
    *("hash", "id", "source", "published", "title", "lang", "text", "n_events", "n_quotes", "n_trips"),
    *("search", "record"),
)

# Tables whose rows are stored in the order pages list them (newest first), so that a row's rowid
# is its rank: SQLite then walks an index in rowid order and stops at the page's end, where
# sorting by date would first fetch every match (thousands for a capital city). SQLite sorts them
# after the copy (`{t}` is the copied table): its sorter spills to disk, where DuckDB sorting the
# articles with their texts and records held them all in memory (1 GB for 30,000 articles).
_ORDERED = {
    "articles": "SELECT * FROM {t} ORDER BY published DESC NULLS LAST, hash",
    "events": "SELECT e.* FROM {t} e JOIN articles a ON a.hash = e.article "
    "ORDER BY e.date_lo DESC NULLS LAST, a.published DESC NULLS LAST, e.article, e.eid",
    "quotes": "SELECT q.* FROM {t} q JOIN articles a ON a.hash = q.article "
    "ORDER BY a.published DESC NULLS LAST, q.article, q.n",
}
_COPIED = ("canon", "entities", "event_args", "trips", "legs")
_DERIVED = (
    # Each argument with its event's rank, so a page reads the arguments of its events only.
    "ALTER TABLE event_args RENAME TO event_args_copy",
    "CREATE TABLE event_args AS SELECT e.rowid AS rank, x.* FROM event_args_copy x "
    "JOIN events e ON e.article = x.article AND e.eid = x.event ORDER BY e.rowid, x.pos",
    "DROP TABLE event_args_copy",
    # The events an entity takes part in or that happen at a place, by rank.
    "CREATE TABLE key_events (key TEXT, rank INTEGER, PRIMARY KEY (key, rank)) WITHOUT ROWID",
    "INSERT OR IGNORE INTO key_events SELECT key, rank FROM event_args WHERE key IS NOT NULL",
    "INSERT OR IGNORE INTO key_events SELECT place_key, rowid FROM events WHERE place_key IS NOT NULL",
    # The articles that mention an entity, by rank.
    "CREATE TABLE key_articles (key TEXT, rank INTEGER, PRIMARY KEY (key, rank)) WITHOUT ROWID",
    "INSERT OR IGNORE INTO key_articles SELECT n.key, a.rowid FROM entities n "
    "JOIN articles a ON a.hash = n.article WHERE n.key IS NOT NULL",
    # Full-text search: a trigram index finds any substring of three characters or more, as
    # DuckDB's `contains` does, without reading every text. It indexes `articles.search`.
    "CREATE VIRTUAL TABLE article_search USING fts5(search, content='articles', content_rowid='rowid', "
    "tokenize='trigram')",
    "INSERT INTO article_search (article_search) VALUES ('rebuild')",
)
_INDEXES = (
    "CREATE UNIQUE INDEX canon_key ON canon (key)",
    "CREATE INDEX entities_key ON entities (key, article)",
    "CREATE INDEX entities_article ON entities (article)",
    "CREATE UNIQUE INDEX events_id ON events (article, eid)",
    "CREATE INDEX events_place ON events (place_key)",
    # For the timeline's filters: each yields the ranks of its events without reading them.
    "CREATE INDEX events_type ON events (type, date_hi)",
    "CREATE INDEX events_status ON events (status, date_hi)",
    "CREATE INDEX events_date ON events (date_hi)",
    "CREATE INDEX event_args_rank ON event_args (rank)",
    "CREATE INDEX quotes_speaker ON quotes (speaker_key)",
    "CREATE INDEX trips_traveler ON trips (traveler_key)",
    "CREATE INDEX legs_trip ON legs (article, tid)",
    "CREATE UNIQUE INDEX entity_summary_key ON entity_summary (key)",
)
_CHUNK = 20_000
_MMAP_BYTES = 1 << 34


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One entity's roles (with the first and last publication date that states each), its most
    used aliases and its party, from its mention rows (`roles`, `aliases`, `party`, `published`).
    Pages read this from the replica, or compute it from the store's rows when serving PostgreSQL."""
    roles: dict[str, dict[str, Any]] = {}
    aliases: dict[str, int] = {}
    parties: dict[str, int] = {}
    for r in rows:
        day = r["published"]
        for role in json.loads(r["roles"]) if r["roles"] else ():
            slot = roles.setdefault(role, {"role": role, "first": day, "last": day, "articles": 0})
            slot["articles"] += 1
            if day and (slot["first"] is None or day < slot["first"]):
                slot["first"] = day
            if day and (slot["last"] is None or day > slot["last"]):
                slot["last"] = day
        for alias in json.loads(r["aliases"]) if r["aliases"] else ():
            aliases[alias] = aliases.get(alias, 0) + 1
        if r["party"]:
            parties[r["party"]] = parties.get(r["party"], 0) + 1
    top = sorted(aliases, key=lambda a: (-aliases[a], a))[:10]
    return {
        "roles": sorted(roles.values(), key=lambda r: (r["first"] or "", r["role"])),
        "aliases": top,
        "party": min(parties, key=lambda p: (-parties[p], p)) if parties else None,
    }


def replica_path(store_path: str) -> Path:
    """Beside the store, or in the temporary folder when the store's folder is not writable."""
    path = Path(store_path).resolve()
    if os.access(path.parent, os.W_OK):
        return path.with_name(path.name + ".serve.sqlite")
    # A digest, not hash(): every server process must find the same file.
    tag = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"treffpunkt-{tag}-{path.name}.serve.sqlite"


def _fingerprint(store_path: str, views: dict[str, str]) -> str:
    digest = hashlib.sha1(json.dumps(views, sort_keys=True).encode("utf-8")).hexdigest()[:12]
    parts = [f"v{REPLICA_VERSION}", digest]
    for p in (store_path, store_path + ".wal"):
        if os.path.exists(p):
            st = os.stat(p)
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
    return "/".join(parts)


class Replica:
    """Read-only SQLite copy; `query` and `dialect` as `Store`, so the page queries run on either."""

    dialect = "sqlite"

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        self._facets: _FacetIndex | None = None
        self._facets_lock = threading.Lock()

    @classmethod
    def for_store(cls, store: Any, store_path: str, views: dict[str, str] | None = None) -> Replica:
        """The replica of a DuckDB store opened read-only, built or rebuilt when needed. `views`:
        tables to materialise from a DuckDB query each (name -> SQL), for aggregates over the
        whole store that a page shows as they are (the who-met-whom network)."""
        views = views or {}
        path = replica_path(store_path)
        wanted = _fingerprint(store_path, views)
        if _recorded_fingerprint(path) != wanted:
            started = time.monotonic()
            log.warning("building the read replica %s (once per store change)", path)
            build(store, path, wanted, views)
            log.warning("read replica ready in %.1f s", time.monotonic() - started)
        return cls(path)

    def _conn(self) -> sqlite3.Connection:
        # One connection per thread: sqlite3 objects stay in the thread that made them.
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            conn.create_function("fold", 1, _fold, deterministic=True)
            # Pages read through the operating system's cache, shared by every thread's connection,
            # instead of each new connection filling a private page cache first.
            conn.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
            self._local.conn = conn
        return conn

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        # A list parameter is one JSON array (see `in_list`).
        values = [json.dumps(p) if isinstance(p, list | tuple) else p for p in params]
        cur = self._conn().execute(sql, values)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def facets(self, ranks: list[int], top: int = 15) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The event types and the `top` entities of the articles with these ranks, each with the
        number of those articles, as search shows them (most articles first, then by value)."""
        with self._facets_lock:
            if self._facets is None:
                self._facets = _FacetIndex(self._conn())
        return self._facets.count(ranks, top)


class _FacetIndex:
    """Each article's entity keys and event types as integer ids, by article rank: counting them
    over thousands of matching articles is a NumPy bincount, where SQL grouping strings took tens
    of milliseconds. Built when the replica is opened; a few bytes per entity mention."""

    def __init__(self, conn: sqlite3.Connection):
        import numpy as np

        self.np = np
        n = conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0
        self.types = self._pairs(
            conn, n, "SELECT DISTINCT a.rowid, e.type, e.type FROM events e JOIN articles a ON a.hash = e.article"
        )
        # An entity's label is the least of its names in the matching articles, as min(name) in SQL.
        self.entities = self._pairs(
            conn,
            n,
            "SELECT a.rowid, n.key, min(n.name) FROM entities n JOIN articles a ON a.hash = n.article "
            "WHERE n.key IS NOT NULL GROUP BY a.rowid, n.key",
        )

    def _pairs(self, conn: sqlite3.Connection, n: int, sql: str) -> tuple[Any, ...]:
        """(values, labels, offsets, value ids, label ids): article r's pairs are ids[offsets[r]:offsets[r+1]];
        ids are positions in the sorted values and labels, so the least id is the least string."""
        np = self.np
        # Row by row into typed arrays: a list of all the pairs' tuples took 280 MB for 30,000 articles.
        vid: dict[str, int] = {}
        lid: dict[str, int] = {}
        ranks, ids, label_ids = array("q"), array("i"), array("i")
        for rank, value, label in conn.execute(sql + " ORDER BY 1"):
            ranks.append(rank)
            ids.append(vid.setdefault(value, len(vid)))
            label_ids.append(lid.setdefault(label, len(lid)))
        values, labels = sorted(vid), sorted(lid)
        # Renumber in sorted order, so that the least id is the least string.
        value_pos = np.empty(len(vid), dtype=np.int32)
        value_pos[[vid[v] for v in values]] = np.arange(len(values), dtype=np.int32)
        label_pos = np.empty(len(lid), dtype=np.int32)
        label_pos[[lid[v] for v in labels]] = np.arange(len(labels), dtype=np.int32)
        offsets = np.searchsorted(np.frombuffer(ranks, dtype=np.int64), np.arange(n + 2))
        ids_sorted = value_pos[np.frombuffer(ids, dtype=np.int32)] if len(ids) else np.empty(0, dtype=np.int32)
        labels_sorted = label_pos[np.frombuffer(label_ids, dtype=np.int32)] if len(ids) else np.empty(0, dtype=np.int32)
        return values, labels, offsets, ids_sorted, labels_sorted

    def count(self, ranks: list[int], top: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        types = [{"value": v, "n": n} for v, n, _ in self._count(self.types, ranks, None)]
        entities = [{"value": v, "name": name, "n": n} for v, n, name in self._count(self.entities, ranks, top)]
        return types, entities

    def _count(self, pairs: tuple[Any, ...], ranks: list[int], top: int | None) -> list[tuple[str, int, str]]:
        np = self.np
        values, labels, offsets, ids, label_ids = pairs
        r = np.asarray(ranks, dtype=np.int64)
        starts, ends = offsets[r], offsets[r + 1]
        lengths = ends - starts
        if not lengths.sum():
            return []
        # The positions of every matching article's pairs, without a Python loop over articles.
        pos = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        counts = np.bincount(ids[pos], minlength=len(values))
        least = np.full(len(values), len(labels), dtype=np.int64)
        np.minimum.at(least, ids[pos], label_ids[pos])
        found = np.nonzero(counts)[0]
        # Most articles first, then by value: ids are in value order, so a stable sort on -count.
        ordered = found[np.argsort(-counts[found], kind="stable")]
        if top is not None:
            ordered = ordered[:top]
        return [(values[i], int(counts[i]), labels[least[i]]) for i in ordered]


def _fold(value: str | None) -> str | None:
    return value.casefold() if value is not None else None


def _recorded_fingerprint(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT value FROM replica_meta WHERE name = 'fingerprint'").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError:
        return None


def build(store: Any, path: Path, fingerprint: str, views: dict[str, str] | None = None) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        # A throwaway file until renamed: no journal, no syncs.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        for table in (*_ORDERED, *_COPIED):
            columns = _ARTICLE_COLUMNS if table == "articles" else tuple(c for c, _ in TABLES[table][0])
            _copy(store, conn, table, columns)
            if table in _ORDERED:
                conn.execute(f"ALTER TABLE {table} RENAME TO {table}_copy")
                conn.execute(f"CREATE TABLE {table} AS {_ORDERED[table].format(t=table + '_copy')}")
                conn.execute(f"DROP TABLE {table}_copy")
                if table == "articles":  # the others join it to sort
                    conn.execute("CREATE UNIQUE INDEX articles_hash ON articles (hash)")
        for sql in _DERIVED:
            conn.execute(sql)
        conn.execute("CREATE TABLE entity_summary (key TEXT NOT NULL, articles INTEGER, lat REAL, lon REAL, body TEXT)")
        conn.executemany("INSERT INTO entity_summary VALUES (?, ?, ?, ?, ?)", _summaries(store))
        for name, sql in (views or {}).items():
            for k, (names, rows) in enumerate(store.backend.stream(sql, _CHUNK)):
                if k == 0:
                    conn.execute(f"CREATE TABLE {name} ({', '.join(names)})")
                conn.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(names))})", rows)
        for sql in _INDEXES:
            conn.execute(sql)
        conn.execute("CREATE TABLE replica_meta (name TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO replica_meta VALUES ('fingerprint', ?)", [fingerprint])
        conn.commit()
        conn.execute("ANALYZE")
        conn.commit()
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
    conn.close()
    os.replace(tmp, path)


def _copy(store: Any, conn: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> None:
    conn.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
    insert = f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})"
    record = columns.index("record") if "record" in columns else None
    # Articles carry their texts and records: small chunks keep the copy's memory small.
    chunk = 1_000 if record is not None else _CHUNK
    for _, rows in store.backend.stream(f"SELECT {', '.join(columns)} FROM {table}", chunk):
        if record is not None:
            rows = [(*r[:record], _compress(r[record]), *r[record + 1 :]) for r in rows]
        conn.executemany(insert, rows)


def _compress(record: str | None) -> bytes | None:
    return zlib.compress(record.encode("utf-8"), 1) if record is not None else None


def read_record(value: str | bytes | None) -> dict[str, Any]:
    """An article's record as stored: JSON text in the store, compressed JSON in the replica."""
    if value is None:
        return {}
    if isinstance(value, bytes):
        value = zlib.decompress(value).decode("utf-8")
    return json.loads(value)


def _summaries(store: Any):
    """Rows of `entity_summary`, one per canonical key, from one sorted pass over the mentions."""
    chunks = store.backend.stream(
        "SELECT n.key, n.article, n.roles, n.aliases, n.party, n.lat, n.lon, a.published FROM entities n "
        "JOIN articles a ON a.hash = n.article WHERE n.key IS NOT NULL ORDER BY n.key, a.published, a.hash",
        _CHUNK,
    )
    key, group = None, []
    for names, rows in chunks:
        for row in rows:
            r = dict(zip(names, row, strict=True))
            if r["key"] != key and group:
                yield _summary_row(key, group)
                group = []
            key = r["key"]
            group.append(r)
    if group:
        yield _summary_row(key, group)


def _summary_row(key: str, rows: list[dict[str, Any]]) -> tuple:
    located = next((r for r in rows if r["lat"] is not None), None)
    return (
        key,
        len({r["article"] for r in rows}),
        located["lat"] if located else None,
        located["lon"] if located else None,
        json.dumps(summarize(rows), ensure_ascii=False),
    )
