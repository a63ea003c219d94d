"""The library entry points: `extract` for one text, `Extractor` for batches."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TypeVar

from .pipeline import Pipeline, Stage
from .record import Article, Record


def default_stages(lang: str = "de") -> list[Stage]:
    """The full German pipeline, heavy resources loaded once per process."""
    from .stages.entities import EntityResolver
    from .stages.events import EventExtractor
    from .stages.language import LanguageGuesser
    from .stages.ner import NerTagger
    from .stages.place_names import PlaceNameTagger
    from .stages.places import PlaceResolver
    from .stages.quotes import QuoteExtractor
    from .stages.time import TimeTagger
    from .stages.tokens import Tokenizer
    from .stages.trips import TripAssembler

    return [
        LanguageGuesser(),
        Tokenizer(lang),
        NerTagger.load(),
        PlaceNameTagger.load(),
        EntityResolver(lang),
        PlaceResolver.load(),
        TimeTagger(lang),
        QuoteExtractor(lang),
        EventExtractor(lang),
        TripAssembler(lang),
    ]


@cache
def default_pipeline() -> Pipeline:
    return Pipeline(default_stages())


@dataclass
class Extractor:
    """Runs a pipeline over articles; inject `pipeline` to use other stages or models."""

    pipeline: Pipeline = field(default_factory=default_pipeline)

    def __call__(self, article: Article) -> Record:
        return self.pipeline.run(article)

    def many(self, articles: Iterable[Article]) -> Iterator[Record]:
        return self.pipeline.run_many(articles)


def extract(text: str, published: str | None = None, title: str | None = None, *, id: str = "text") -> Record:
    """Extract entities, events, quotes and trips from one German news text."""
    from .read.text import article_from_text

    article = article_from_text(text, id=id, title=title)
    if published is not None:
        article.published = published
    return default_pipeline().run(article)


T = TypeVar("T")
_worker_fn: Callable[[Article], object] | None = None


def _call_worker_fn(article: Article) -> object:
    assert _worker_fn is not None
    return _worker_fn(article)


def map_articles(
    fn: Callable[[Article], T], articles: Iterable[Article], *, workers: int | None = None, chunksize: int = 8
) -> Iterator[T]:
    """`fn` over articles in `workers` processes (default: all cores), results in input order.

    `fn` should build its pipeline through `default_pipeline()` (or another cached builder): it is built
    here once before the workers fork, and they share it instead of loading models again.
    """
    global _worker_fn
    workers = max(1, workers or os.cpu_count() or 1)
    if workers == 1 or "fork" not in mp.get_all_start_methods():
        yield from (fn(a) for a in articles)
        return
    _worker_fn = fn
    with mp.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_call_worker_fn, articles, chunksize=chunksize)  # type: ignore[misc]
