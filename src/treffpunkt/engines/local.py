"""Extraction in local worker processes, one pipeline per process."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator

from ..record import Article
from ..store.rows import Prepared
from .base import ExtractFn, ExtractorFactory, extract_one, resolve_factory

_worker_extract: ExtractFn | None = None


def _init(factory: ExtractorFactory) -> None:
    global _worker_extract  # one extractor per worker process, built once
    _worker_extract = factory()


def _work(item: tuple[str, Article]) -> Prepared:
    assert _worker_extract is not None, "worker used before _init"
    return extract_one(_worker_extract, *item)


class LocalEngine:
    """`workers` processes (default: all cores); with one worker, runs in this process."""

    def __init__(
        self, factory: ExtractorFactory | str | None = None, *, workers: int | None = None, chunksize: int = 8
    ):
        self.factory = resolve_factory(factory)
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.chunksize = chunksize

    def map(self, items: Iterable[tuple[str, Article]]) -> Iterator[Prepared]:
        global _worker_extract
        # Built here first: a missing model fails once, with its message, not in every worker;
        # forked workers then share the loaded pipeline copy-on-write instead of loading it again.
        extract = self.factory()
        if self.workers == 1:
            for hash_, article in items:
                yield extract_one(extract, hash_, article)
            return
        if "fork" in mp.get_all_start_methods():
            _worker_extract = extract
            pool = mp.get_context("fork").Pool(self.workers)
        else:
            pool = mp.get_context("spawn").Pool(self.workers, initializer=_init, initargs=(self.factory,))
        with pool:
            yield from pool.imap(_work, items, chunksize=self.chunksize)
