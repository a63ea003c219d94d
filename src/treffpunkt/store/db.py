"""The store: an embedded DuckDB file (default) or a PostgreSQL database, one interface.

SQL is written once with `?` placeholders; the PostgreSQL backend turns them into `%s`.
All values travel as parameters, never pasted into SQL text.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..canon import Canon
from ..read import ReadError
from .rows import Prepared, resolve_keys
from .schema import ARTICLE_TABLES, SQL_TYPES, TABLES, migrations

DEFAULT_STORE = "treffpunkt.duckdb"


def in_list(dialect: str, column: str) -> str:
    """SQL for: `column` is one of a list given as one parameter (an array), in each dialect's words."""
    if dialect == "postgresql":
        return f"{column} = ANY(?)"
    if dialect == "sqlite":  # the replica passes a list as one JSON array
        return f"{column} IN (SELECT value FROM json_each(?))"
    return f"{column} IN (SELECT unnest(?::VARCHAR[]))"


def ilike(dialect: str, column: str) -> str:
    """SQL for: `column` matches a LIKE pattern (one parameter, backslash escapes), ignoring case.
    SQLite's own LIKE folds ASCII only, so the replica compares casefolded text (`fold`)."""
    if dialect == "sqlite":
        return f"fold({column}) LIKE fold(?) ESCAPE '\\'"
    return f"{column} ILIKE ? ESCAPE '\\'"


class StoreError(Exception):
    """The store cannot be opened or is not in the shape this version expects."""


_CHECKPOINT = "256MB"


class _DuckBackend:
    dialect = "duckdb"

    def __init__(self, path: str, read_only: bool):
        import duckdb

        if read_only and not Path(path).exists():
            raise StoreError(f"{path}: no such store; run `treffpunkt ingest` first")
        try:
            self._con = duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as e:
            raise StoreError(f"{path}: cannot open ({e})") from e
        self.path = path
        if not read_only:
            # A checkpoint rewrites the indexes whole: after every 1,024-article batch (DuckDB's
            # 16 MB default) it cost the writer a quarter of its time, growing with the store.
            # Committed batches are safe in the write-ahead log in between.
            self._con.execute(f"SET checkpoint_threshold = '{_CHECKPOINT}'")
        self._local = threading.local()

    def _cursor(self):
        # A DuckDB connection is not shared between threads; each thread gets its own cursor.
        cur = getattr(self._local, "cur", None)
        if cur is None:
            cur = self._local.cur = self._con.cursor()
        return cur

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._cursor().execute(sql, list(params))

    def stream(self, sql: str, chunk: int = 20_000) -> Iterator[tuple[list[str], list[tuple]]]:
        """A big result in chunks of rows, with the column names, without holding it all (an
        empty result is one empty chunk, so the names still come)."""
        cur = self._con.cursor()
        cur.execute(sql)
        names = [d[0] for d in cur.description]
        rows = cur.fetchmany(chunk)
        yield names, rows
        while rows := cur.fetchmany(chunk):
            yield names, rows

    def insert(self, table: str, rows: list[tuple], *, new: bool = False) -> None:
        """Rows in one statement, scanned from one NumPy object array per column: DuckDB reads
        those in C++, about four times faster than binding lists of Python values. `new`: the
        caller has checked in this transaction that no row can conflict (DuckDB has one writer),
        which spares the conflict handling."""
        if not rows:
            return
        import numpy as np

        cols = TABLES[table][0]
        frame = {}
        for (name, _), values in zip(cols, zip(*rows, strict=True), strict=True):
            # Filled element-wise so that no value is ever taken apart into a second dimension.
            column = np.empty(len(values), dtype=object)
            column[:] = values
            frame[name] = column
        types = SQL_TYPES["duckdb"]
        select = ", ".join(f"CAST({name} AS {types[t]})" for name, t in cols)
        cur = self._cursor()
        cur.register("_insert_rows", frame)
        try:
            conflict = "" if new else " ON CONFLICT DO NOTHING"
            cur.execute(f"INSERT INTO {table} SELECT {select} FROM _insert_rows{conflict}")
        finally:
            cur.unregister("_insert_rows")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self._cursor().execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def begin(self) -> None:
        self._cursor().execute("BEGIN TRANSACTION")

    def commit(self) -> None:
        self._cursor().execute("COMMIT")

    def rollback(self) -> None:
        self._cursor().execute("ROLLBACK")

    def close(self) -> None:
        self._con.close()


class _Holder:
    """A thread's connection; closed by its finalizer when the thread (and its locals) go away."""

    __slots__ = ("conn", "__weakref__")


class _PgBackend:
    dialect = "postgresql"

    def __init__(self, url: str, read_only: bool):
        import psycopg

        self._psycopg = psycopg
        self._url = url
        self._read_only = read_only
        self._local = threading.local()
        self._conn()  # fail early with a clear message

    def _conn(self):
        holder = getattr(self._local, "holder", None)
        if holder is None or holder.conn.closed:
            try:
                conn = self._psycopg.connect(self._url, autocommit=True)
            except self._psycopg.OperationalError as e:
                raise StoreError(f"cannot connect to PostgreSQL: {e}") from e
            if self._read_only:
                conn.execute("SET default_transaction_read_only = on")
            # One connection per thread (the server runs a thread per client connection); it is
            # closed when its thread ends, so short-lived threads leave no connections behind.
            holder = _Holder()
            holder.conn = conn
            weakref.finalize(holder, conn.close)
            self._local.holder = holder
        return holder.conn

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn().execute(self._sql(sql), list(params))

    def insert(self, table: str, rows: list[tuple], *, new: bool = False) -> None:
        # Always ON CONFLICT: another writer may store the same article between check and insert.
        if not rows:
            return
        marks = ", ".join(["%s"] * len(TABLES[table][0]))
        with self._conn().cursor() as cur:
            cur.executemany(f"INSERT INTO {table} VALUES ({marks}) ON CONFLICT DO NOTHING", rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._conn().cursor() as cur:
            cur.execute(self._sql(sql), list(params))
            names = [d.name for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def begin(self) -> None:
        self._conn().execute("BEGIN")

    def commit(self) -> None:
        self._conn().execute("COMMIT")

    def rollback(self) -> None:
        self._conn().execute("ROLLBACK")

    def close(self) -> None:
        holder = getattr(self._local, "holder", None)
        if holder is not None:
            holder.conn.close()


class Store:
    """Open with `Store.open(url)`; writes happen in `write_batch`, one transaction per batch."""

    def __init__(self, backend: _DuckBackend | _PgBackend, *, read_only: bool):
        self.backend = backend
        self.read_only = read_only
        self._canon: Canon | None = None

    def canon(self) -> Canon:
        """Canonical entities, rebuilt from the `canon` table on first use and kept up to date.

        Keys depend only on what the store holds and on the order articles arrive in, so a
        resumed ingest gives every article the keys an uninterrupted one would have.
        """
        if self._canon is None:
            canon = Canon(track=False)
            for r in self.query("SELECT key, name, kind FROM canon ORDER BY key"):
                canon.remember(r["key"], r["name"], r["kind"])
            self._canon = canon
        return self._canon

    @classmethod
    def open(cls, url: str | None = None, *, read_only: bool = False) -> Store:
        url = url or DEFAULT_STORE
        if url.startswith(("postgresql://", "postgres://")):
            backend: _DuckBackend | _PgBackend = _PgBackend(url, read_only)
        else:
            backend = _DuckBackend(url.removeprefix("duckdb://"), read_only)
        store = cls(backend, read_only=read_only)
        store.migrate()
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.backend.dialect

    def close(self) -> None:
        self.backend.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self.backend.query(sql, params)

    # -- schema ---------------------------------------------------------------------------------

    def applied_migrations(self) -> list[int]:
        exists = self.query(
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ?", ("schema_migrations",)
        )[0]["n"]
        if not exists:
            return []
        return [r["version"] for r in self.query("SELECT version FROM schema_migrations ORDER BY version")]

    def migrate(self) -> list[int]:
        """Apply the migrations this store lacks, each in its own transaction; returns those applied."""
        applied = set(self.applied_migrations())
        todo = [m for m in migrations(self.dialect) if m[0] not in applied]
        if todo and self.read_only:
            raise StoreError(f"store lacks schema migrations {[m[0] for m in todo]}; open it once for writing (ingest)")
        done = []
        b = self.backend
        if not applied and todo:
            b.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        for version, name, statements in todo:
            b.begin()
            try:
                for step in statements:
                    if callable(step):
                        step(self)
                    else:
                        b.execute(step)
                b.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    (version, name, datetime.now(UTC).isoformat(timespec="seconds")),
                )
                b.commit()
            except Exception:
                b.rollback()
                raise
            done.append(version)
        return done

    # -- writing --------------------------------------------------------------------------------

    def known_hashes(self) -> set[str]:
        return {r["hash"] for r in self.query("SELECT hash FROM articles")}

    def write_batch(self, items: Iterable[Prepared], errors: Iterable[ReadError] = ()) -> int:
        """Write the articles (and the input errors) in one transaction; returns articles written.

        Articles the store already holds are left out (checked inside the transaction), so writing
        a batch twice, or again after a crash in the middle of one, leaves the same rows.
        """
        batch = {item.hash: item for item in items}
        error_rows = sorted({(e.source, e.line or 0, e.reason) for e in errors})
        b = self.backend
        b.begin()
        try:
            if batch:
                for r in self.query(f"SELECT hash FROM articles WHERE {in_list(self.dialect, 'hash')}", [list(batch)]):
                    del batch[r["hash"]]
            tables: dict[str, list[tuple]] = {t: [] for t in ARTICLE_TABLES}
            articles: list[tuple] = []
            canon: dict[str, tuple] = {}
            registry = self.canon()
            for item in batch.values():
                keys = registry.add_record(item.canon_input())
                for table, rows in resolve_keys(item.tables, keys).items():
                    tables[table].extend(rows)
                for key in keys.values():
                    if key not in canon:
                        canon[key] = (key, registry.entities[key].name, key.split(":", 1)[0])
                articles.append(item.article)
            b.insert("canon", sorted(canon.values()))
            for table in ARTICLE_TABLES:
                b.insert(table, tables[table], new=True)
            # The article row last: its presence is what marks the article as stored.
            b.insert("articles", articles, new=True)
            b.insert("ingest_errors", error_rows)
            b.commit()
        except Exception:
            b.rollback()
            raise
        return len(articles)

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", *ARTICLE_TABLES, "canon", "ingest_errors"):
            out[table] = self.query(f"SELECT count(*) AS n FROM {table}")[0]["n"]
        return out
