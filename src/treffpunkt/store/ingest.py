"""Ingest: read files, skip what the store has, extract the rest on an engine, commit per batch.

Resumable by construction: an article's rows are written in the same transaction as
its `articles` row, and an article whose hash is in `articles` is never extracted
again. A process killed at any moment loses at most the batch in flight, which the
next run redoes.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..read import ReadError, read_path
from ..record import Article
from .db import Store
from .rows import Prepared, content_hash


@dataclass
class IngestStats:
    read: int = 0  # articles read from the inputs
    written: int = 0  # articles newly stored
    skipped: int = 0  # already in the store, or repeated within this run
    read_errors: int = 0
    extract_errors: int = 0  # articles stored with a stage error
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        return self.written / self.elapsed if self.elapsed > 0 else 0.0

    def line(self) -> str:
        return (
            f"{self.written:,} stored  {self.rate:.1f} articles/s  "
            f"{self.read_errors + self.extract_errors} errors  {self.skipped:,} skipped  "
            f"{self.elapsed:.0f}s"
        )


class Progress:
    """A one-line progress display on a stream (redrawn in place on a terminal)."""

    def __init__(self, stream: TextIO = sys.stderr, interval: float | None = None):
        self.stream = stream
        self.tty = stream.isatty()
        self.interval = interval if interval is not None else (0.2 if self.tty else 5.0)
        self._last = 0.0

    def update(self, stats: IngestStats, *, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self._last < self.interval:
            return
        self._last = now
        text = f"ingest: {stats.line()}"
        if self.tty:
            self.stream.write("\r\x1b[K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def message(self, text: str) -> None:
        self.stream.write(("\r\x1b[K" if self.tty else "") + text + "\n")
        self.stream.flush()


ErrorSink = Callable[[str], None]


def _files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """The files `read_paths` would read: given files, and known file types in given folders."""
    from ..read.files import _known  # the readers' own test of which file types they read

    for p in map(Path, paths):
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and not child.name.startswith(".") and _known(child):
                    yield child
        else:
            yield p


def read_guarded(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Article | ReadError]:
    """`read_paths`, file by file, so that a reader failing on one file costs only (the rest of) that file."""
    for path in _files(paths):
        try:
            yield from read_path(path)
        except Exception as e:  # noqa: BLE001 - a reader bug on one file must not stop an ingest
            yield ReadError(str(path), f"reader failed: {type(e).__name__}: {e}")


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    engine,
    *,
    batch_size: int = 1024,
    max_wait: float = 5.0,
    progress: Progress | None = None,
    on_error: ErrorSink | None = None,
) -> IngestStats:
    """Read `paths`, extract new articles with `engine`, write them to `store`; never aborts on bad input.

    A batch is committed when it holds `batch_size` articles or is `max_wait` seconds old: large
    batches keep the store's per-transaction cost small, the age bound keeps what a crash can
    lose (and redo) small.
    """
    stats = IngestStats()
    known = store.known_hashes()
    lock = threading.Lock()
    pending_errors: list[ReadError] = []

    def report(text: str) -> None:
        if on_error is not None:
            on_error(text)
        elif progress is not None:
            progress.message(text)

    def todo() -> Iterator[tuple[str, Article]]:
        # Runs in the engine's feeder thread for process pools: touch only `known`, stats, the lock.
        for item in read_guarded(paths):
            if isinstance(item, ReadError):
                with lock:
                    stats.read_errors += 1
                    pending_errors.append(item)
                report(f"skipped {item}")
                continue
            stats.read += 1
            h = content_hash(item)
            if h in known:
                stats.skipped += 1
                continue
            known.add(h)
            yield h, item

    batch: list[Prepared] = []
    started = [time.monotonic()]

    def flush() -> None:
        started[0] = time.monotonic()
        with lock:
            errors = list(pending_errors)
            pending_errors.clear()
        if batch or errors:
            stats.written += store.write_batch(batch, errors)
            batch.clear()

    for result in engine.map(todo()):
        if result.errors:
            stats.extract_errors += 1
            for err in result.errors:
                report(f"{result.label}: stage {err['stage']}: {err['message']}")
        batch.append(result)
        if len(batch) >= batch_size or time.monotonic() - started[0] >= max_wait:
            flush()
            if progress is not None:
                progress.update(stats)
    flush()
    if progress is not None:
        progress.update(stats, final=True)
    return stats
