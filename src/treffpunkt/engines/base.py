"""The engine contract and the per-worker extraction step they share."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from ..record import Article, Record
from ..serialize import record_dict
from ..store.rows import Prepared, prepare

ExtractFn = Callable[[Article], Record]
# Builds one extractor; called once in each worker, so heavy models load once per process.
ExtractorFactory = Callable[[], ExtractFn]

DEFAULT_FACTORY = "treffpunkt.engines.extractors:full"


class Engine(Protocol):
    workers: int

    def map(self, items: Iterable[tuple[str, Article]]) -> Iterator[Prepared]:
        """(content hash, article) pairs in -> results out, in input order."""
        ...


def resolve_factory(factory: ExtractorFactory | str | None) -> ExtractorFactory:
    """A callable, or "module:attribute" naming one (so it can be named on the command line)."""
    if factory is None:
        factory = DEFAULT_FACTORY
    if callable(factory):
        return factory
    module, _, attr = factory.partition(":")
    if not attr:
        from . import extractors

        if hasattr(extractors, module):
            return getattr(extractors, module)
        raise ValueError(f"extractor {factory!r}: use a name from treffpunkt.engines.extractors or module:function")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as e:
        raise ValueError(f"extractor {factory!r}: {e}") from e


def extract_one(extract: ExtractFn, hash_: str, article: Article) -> Prepared:
    """Run the extractor; an exception becomes an error in the record, never a lost batch."""
    try:
        record = extract(article)
    except Exception as e:  # noqa: BLE001 - one bad article must not stop an ingest
        record = Record(article=article)
        from ..record import StageError

        record.errors.append(StageError(stage="extract", message=f"{type(e).__name__}: {e}"))
    return prepare(article, record_dict(record), hash_)
