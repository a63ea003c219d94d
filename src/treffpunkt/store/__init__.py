"""Storage of extracted records: DuckDB (default) or PostgreSQL, idempotent and resumable."""

from .db import DEFAULT_STORE, Store, StoreError
from .ingest import IngestStats, ingest
from .rows import Prepared, content_hash, entity_key, slug

__all__ = [
    "DEFAULT_STORE",
    "Prepared",
    "IngestStats",
    "Store",
    "StoreError",
    "content_hash",
    "entity_key",
    "ingest",
    "slug",
]
