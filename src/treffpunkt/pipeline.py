"""The stage contract and the runner.

A stage is a callable `Record -> Record` with a `name` and the record layers
it `requires` and `assigns`. The runner checks once, before any article is
processed, that every layer a stage requires is assigned by an earlier stage.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from .record import Article, Record, StageError

log = logging.getLogger(__name__)


class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, record: Record) -> Record: ...


class PipelineError(Exception):
    """A stage failed on one article; carries the stage name and article id."""

    def __init__(self, stage: str, article_id: str, cause: BaseException):
        super().__init__(f"stage {stage!r} failed on article {article_id!r}: {cause}")
        self.stage = stage
        self.article_id = article_id


@dataclass
class Pipeline:
    stages: Sequence[Stage]

    def __post_init__(self) -> None:
        have: set[str] = {"article"}
        for stage in self.stages:
            missing = [layer for layer in stage.requires if layer not in have]
            if missing:
                raise ValueError(f"stage {stage.name!r} requires {missing}, which no earlier stage assigns")
            have.update(stage.assigns)

    def run(self, article: Article, *, strict: bool = False) -> Record:
        """Run every stage; a failing stage is recorded in `record.errors` unless strict."""
        record = Record(article=article)
        for stage in self.stages:
            try:
                record = stage(record)
                record.done.append(stage.name)
                if record.halted:
                    break
            except Exception as e:  # noqa: BLE001 - one bad article must not stop a batch
                if strict:
                    raise PipelineError(stage.name, article.id, e) from e
                log.warning("stage %s failed on %s: %s", stage.name, article.id, e)
                record.errors.append(StageError(stage=stage.name, message=f"{type(e).__name__}: {e}"))
                break
        return record

    def run_many(self, articles: Iterable[Article]) -> Iterator[Record]:
        for article in articles:
            yield self.run(article)
