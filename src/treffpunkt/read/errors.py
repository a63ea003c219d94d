from __future__ import annotations

from dataclasses import dataclass

# Longer "articles" are dumps or mistakes; extracting them would stall a batch.
MAX_ARTICLE_BYTES = 2_000_000
# An HTML page carries markup, inline scripts and styles around its article: news pages of several
# megabytes are common, so the page gets its own, larger limit and the article text the one above.
MAX_PAGE_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class ReadError:
    """Why one input (a file, or one line of a JSONL file) gave no article."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"
