"""Extraction on Ray: one actor per worker, each holding its own pipeline, results in input order.

Connects to the cluster named by RAY_ADDRESS if set, else starts a local Ray instance with
`workers` CPUs. Articles travel in small chunks to keep the object store traffic low; the
driver (this process) keeps writing to the store, as with the local engine.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator

from ..record import Article
from ..store.rows import Prepared
from .base import ExtractorFactory, extract_one, resolve_factory


class _Worker:
    def __init__(self, factory: ExtractorFactory):
        self.extract = factory()

    def run(self, chunk: list[tuple[str, Article]]) -> list[Prepared]:
        return [extract_one(self.extract, h, a) for h, a in chunk]


class RayEngine:
    def __init__(
        self,
        factory: ExtractorFactory | str | None = None,
        *,
        workers: int | None = None,
        chunksize: int = 8,
        address: str | None = None,
    ):
        try:
            import ray
        except ImportError as e:
            raise ValueError("--engine ray needs the ray package: pip install 'treffpunkt[ray]'") from e
        self.ray = ray
        self.factory = resolve_factory(factory)
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.chunksize = chunksize
        self.address = address or os.environ.get("RAY_ADDRESS")

    def _init(self) -> bool:
        """Start or join Ray; returns whether this engine started it (and so must shut it down)."""
        if self.ray.is_initialized():
            return False
        kwargs = (
            {"address": self.address}
            if self.address
            else {
                "num_cpus": self.workers,
                "include_dashboard": False,
                "log_to_driver": False,
                "configure_logging": False,
            }
        )
        self.ray.init(**kwargs)
        return True

    def map(self, items: Iterable[tuple[str, Article]]) -> Iterator[Prepared]:
        ray = self.ray
        started = self._init()
        try:
            actor = ray.remote(num_cpus=1)(_Worker)
            actors = [actor.remote(self.factory) for _ in range(self.workers)]
            pending: deque = deque()
            chunk: list[tuple[str, Article]] = []
            n = 0

            def submit(c: list[tuple[str, Article]]) -> None:
                nonlocal n
                pending.append(actors[n % len(actors)].run.remote(c))
                n += 1

            for item in items:
                chunk.append(item)
                if len(chunk) >= self.chunksize:
                    submit(chunk)
                    chunk = []
                    # Bounded in-flight work: a few chunks per actor, results yielded in order.
                    while len(pending) >= 3 * len(actors):
                        yield from ray.get(pending.popleft())
            if chunk:
                submit(chunk)
            while pending:
                yield from ray.get(pending.popleft())
        finally:
            if started:
                ray.shutdown()
