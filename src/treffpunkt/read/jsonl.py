"""JSONL: one article per line with `id`, `text`, `published`, `title`; other keys kept as metadata."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from ..record import Article
from .errors import MAX_ARTICLE_BYTES, ReadError
from .text import article_from_text

_KNOWN = {"id", "text", "published", "title", "date", "lang"}


def articles_from_jsonl(lines: Iterable[str | bytes], *, source: str) -> Iterator[Article | ReadError]:
    """Lines as text, or as bytes that are decoded here (UTF-8, a BOM dropped) one line at a time."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(line) > MAX_ARTICLE_BYTES:
            unit = "bytes" if isinstance(line, bytes) else "characters"
            yield ReadError(source, f"line is {len(line):,} {unit}; the limit is {MAX_ARTICLE_BYTES:,}", n)
            continue
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig")
            except UnicodeDecodeError as e:
                yield ReadError(source, f"not UTF-8 (undecodable byte at column {e.start + 1})", n)
                continue
        elif n == 1:
            line = line.removeprefix("\ufeff")
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            yield ReadError(source, f"not JSON ({e.msg} at column {e.colno})", n)
            continue
        except RecursionError:
            yield ReadError(source, "JSON nested too deeply to read", n)
            continue
        if not isinstance(row, dict):
            yield ReadError(source, f"expected a JSON object, got {type(row).__name__}", n)
            continue
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            yield ReadError(source, "no 'text' (a non-empty string) in this line", n)
            continue
        art_id = str(row["id"]) if row.get("id") is not None else f"{source}:{n}"
        title = row.get("title") if isinstance(row.get("title"), str) else None
        article = article_from_text(text, id=art_id, source=f"{source}:{n}", title=title)
        published = row.get("published") or row.get("date")
        if isinstance(published, str) and published.strip():
            article.published = published.strip()[:10]
        article.meta = {k: v for k, v in row.items() if k not in _KNOWN}
        if isinstance(row.get("lang"), str):
            article.lang = row["lang"]
            article.meta["lang_given"] = True
        yield article
