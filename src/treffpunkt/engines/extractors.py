"""Extractor factories an engine can build in each worker, by name (`--extractor NAME`)."""

from __future__ import annotations

from ..record import Article, Record


def full():
    """The default pipeline: entities, places, times, quotes, events, trips."""
    from ..api import Extractor

    return Extractor()


def tokens():
    """Tokens and sentences only: stores articles for search and reading, without extraction."""
    from ..pipeline import Pipeline
    from ..stages.tokens import Tokenizer

    pipeline = Pipeline([Tokenizer()])

    def run(article: Article) -> Record:
        return pipeline.run(article)

    return run
