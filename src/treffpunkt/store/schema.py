"""The store's tables, as numbered migrations recorded in `schema_migrations` and applied on open.

Migration 1 is generated from `TABLES` (one definition serves DuckDB and PostgreSQL and the
bulk inserts); later migrations append SQL. Every table but `canon` and `ingest_errors` is
keyed by the article's content hash, so an article's rows are written or skipped as one unit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Column types: T text, I integer, F double.
TABLES: dict[str, tuple[list[tuple[str, str]], tuple[str, ...]]] = {
    "articles": (
        [
            ("hash", "T"),
            ("id", "T"),
            ("source", "T"),
            ("published", "T"),
            ("title", "T"),
            ("lang", "T"),
            ("text", "T"),
            ("record", "T"),
            ("n_events", "I"),
            ("n_quotes", "I"),
            ("n_trips", "I"),
            ("n_errors", "I"),
            ("search", "T"),  # casefolded title and text, for substring search (migration 2)
        ],
        ("hash",),
    ),
    # Canonical entities across articles, looked up or created by key ("person:kai-wegner").
    "canon": ([("key", "T"), ("name", "T"), ("kind", "T")], ("key",)),
    "entities": (
        [
            ("article", "T"),
            ("eid", "T"),
            ("key", "T"),
            ("name", "T"),
            ("type", "T"),
            ("roles", "T"),
            ("party", "T"),
            ("aliases", "T"),
            ("lat", "F"),
            ("lon", "F"),
            ("country", "T"),
            ("n_mentions", "I"),
        ],
        ("article", "eid"),
    ),
    "events": (
        [
            ("article", "T"),
            ("eid", "T"),
            ("type", "T"),
            ("status", "T"),
            ("actors", "T"),
            ("counterparts", "T"),
            ("place", "T"),
            ("place_key", "T"),
            ("lat", "F"),
            ("lon", "F"),
            ("when_start", "T"),
            ("when_end", "T"),
            ("when_text", "T"),
            ("date_lo", "T"),
            ("date_hi", "T"),
            ("evidence_start", "I"),
            ("evidence_end", "I"),
            ("trigger_start", "I"),
            ("trigger_end", "I"),
            ("confidence", "F"),
            ("evidence", "T"),  # the evidence sentence's text (migration 3), so lists need no article text
        ],
        ("article", "eid"),
    ),
    "event_args": (
        [
            ("article", "T"),
            ("event", "T"),
            ("role", "T"),
            ("pos", "I"),
            ("key", "T"),
            ("name", "T"),
            ("start_char", "I"),
            ("end_char", "I"),
        ],
        ("article", "event", "pos"),
    ),
    "quotes": (
        [
            ("article", "T"),
            ("n", "I"),
            ("kind", "T"),
            ("speaker", "T"),
            ("speaker_key", "T"),
            ("text", "T"),
            ("start_char", "I"),
            ("end_char", "I"),
            ("speaker_start", "I"),
            ("speaker_end", "I"),
            ("cue_start", "I"),
            ("cue_end", "I"),
        ],
        ("article", "n"),
    ),
    "trips": (
        [
            ("article", "T"),
            ("tid", "T"),
            ("traveler", "T"),
            ("traveler_key", "T"),
            ("traveler_start", "I"),
            ("traveler_end", "I"),
            ("start_date", "T"),
            ("end_date", "T"),
            ("days", "I"),
            ("status", "T"),
            ("companions", "T"),
            ("topics", "T"),
        ],
        ("article", "tid"),
    ),
    "legs": (
        [
            ("article", "T"),
            ("tid", "T"),
            ("n", "I"),
            ("place", "T"),
            ("place_key", "T"),
            ("lat", "F"),
            ("lon", "F"),
            ("country", "T"),
            ("appointments", "T"),
            ("joined_by", "T"),
            ("when_start", "T"),
            ("start_char", "I"),
            ("end_char", "I"),
        ],
        ("article", "tid", "n"),
    ),
    "ingest_errors": ([("source", "T"), ("line", "I"), ("reason", "T")], ("source", "line", "reason")),
}

SQL_TYPES = {
    "duckdb": {"T": "VARCHAR", "I": "BIGINT", "F": "DOUBLE"},
    "postgresql": {"T": "TEXT", "I": "BIGINT", "F": "DOUBLE PRECISION"},
}

# Tables holding an article's extracted rows, in the order they are written (the article row last).
ARTICLE_TABLES = ("entities", "events", "event_args", "quotes", "trips", "legs")


# Columns added by a later migration: migration 1 creates the tables without them.
_ADDED_LATER = {("articles", "search"), ("events", "evidence")}


def search_text(title: str | None, text: str) -> str:
    """What full-text search looks in: title and text, casefolded (so "STRASSE" finds "Straße")."""
    return f"{title or ''}\n{text}".casefold()


def create_table(name: str, dialect: str) -> str:
    cols, key = TABLES[name]
    types = SQL_TYPES[dialect]
    body = ", ".join(
        f"{c} {types[t]}{' NOT NULL' if c in key or c == 'text' else ''}"
        for c, t in cols
        if (name, c) not in _ADDED_LATER
    )
    return f"CREATE TABLE {name} ({body}, PRIMARY KEY ({', '.join(key)}))"


def _backfill_search(store: Any) -> None:
    """Fill the new search column of articles stored before migration 2, page by page."""
    last = ""
    while True:
        rows = store.query("SELECT hash, title, text FROM articles WHERE hash > ? ORDER BY hash LIMIT 500", [last])
        if not rows:
            return
        for r in rows:
            store.backend.execute(
                "UPDATE articles SET search = ? WHERE hash = ?", [search_text(r["title"], r["text"]), r["hash"]]
            )
        last = rows[-1]["hash"]


_SECONDARY_INDEXES = {
    "events_type": "events (type)",
    "event_args_key": "event_args (key)",
    "entities_key": "entities (key)",
    "quotes_speaker": "quotes (speaker_key)",
    "trips_traveler": "trips (traveler_key)",
}


def _drop_article_table_keys(store: Any) -> None:
    """DuckDB only: an article's rows need no primary key there. DuckDB has one writer, which checks
    inside its transaction that an article is new before writing its rows, and maintaining the
    keys was a fifth of the cost of writing. (PostgreSQL, which may have several writers, keeps
    them.) DuckDB drops no constraint in place: each table is copied without one."""
    if store.dialect != "duckdb":
        return
    for name in _SECONDARY_INDEXES:
        store.backend.execute(f"DROP INDEX {name}")
    for table in ARTICLE_TABLES:
        store.backend.execute(f"CREATE TABLE {table}__copy AS SELECT * FROM {table}")
        store.backend.execute(f"DROP TABLE {table}")
        store.backend.execute(f"ALTER TABLE {table}__copy RENAME TO {table}")
    for name, on in _SECONDARY_INDEXES.items():
        store.backend.execute(f"CREATE INDEX {name} ON {on}")


Migration = tuple[int, str, list["str | Callable[[Any], None]"]]


def migrations(dialect: str) -> list[Migration]:
    """Each step is SQL or a function of the store; a migration's steps run in one transaction."""
    return [
        (
            1,
            "articles, canonical entities, entities, events, quotes, trips, legs, input errors",
            [
                *(create_table(name, dialect) for name in TABLES),
                *(f"CREATE INDEX {name} ON {on}" for name, on in _SECONDARY_INDEXES.items()),
            ],
        ),
        (
            2,
            "articles.search: casefolded text for fast substring search",
            [
                f"ALTER TABLE articles ADD COLUMN search {SQL_TYPES[dialect]['T']}",
                _backfill_search,
            ],
        ),
        (
            3,
            "events.evidence: the evidence text beside its span",
            [
                # DuckDB alters no table that an index depends on: drop it around the change.
                "DROP INDEX events_type",
                f"ALTER TABLE events ADD COLUMN evidence {SQL_TYPES[dialect]['T']}",
                "UPDATE events SET evidence = (SELECT substr(a.text, CAST(events.evidence_start + 1 AS INTEGER), "
                "CAST(events.evidence_end - events.evidence_start AS INTEGER)) FROM articles a "
                "WHERE a.hash = events.article)",
                "CREATE INDEX events_type ON events (type)",
            ],
        ),
        (
            4,
            "DuckDB: article rows without primary keys (new articles are checked in the writing transaction)",
            [_drop_article_table_keys],
        ),
    ]
