"""Paths -> articles: picks the reader by extension and turns every failure into a ReadError."""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..record import Article
from .errors import MAX_ARTICLE_BYTES, MAX_PAGE_BYTES, ReadError
from .html import article_from_html
from .jsonl import articles_from_jsonl
from .text import article_from_text

_HTML = {".html", ".htm", ".xhtml"}
_JSONL = {".jsonl", ".ndjson"}
_TEXT = {".txt", ".text", ".md", ""}


def _kind(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    ext = suffixes[-1] if suffixes else ""
    if ext in _HTML:
        return "html"
    if ext in _JSONL or ext == ".json":
        return "jsonl"
    return "text"


def _decode(data: bytes, source: str) -> str | ReadError:
    if not data.strip():
        return ReadError(source, "empty file")
    if b"\x00" in data[:4096]:
        return ReadError(source, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return ReadError(source, f"not UTF-8 (undecodable byte at offset {e.start})")


def _open_lines(path: Path) -> Iterator[bytes]:
    # Bytes, not text: the JSONL reader decodes each line, so one undecodable line costs that line
    # only (with its number), not the rest of the file.
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rb") as f:
        yield from f


def read_path(path: str | os.PathLike[str]) -> Iterator[Article | ReadError]:
    """All articles in one file; every problem becomes a ReadError naming the file (and line)."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        yield ReadError(source, "no such file")
        return
    kind = _kind(path)
    try:
        if kind == "jsonl":
            yield from articles_from_jsonl(_open_lines(path), source=source)
            return
        limit = MAX_PAGE_BYTES if kind == "html" else MAX_ARTICLE_BYTES
        what = "page" if kind == "html" else "article"
        size = path.stat().st_size
        if size > limit:
            yield ReadError(source, f"{size:,} bytes; the limit for one {what} is {limit:,}")
            return
        raw = path.read_bytes()
        if path.suffix.lower() == ".gz":
            raw = _gunzip(raw, limit + 1)
            if len(raw) > limit:
                yield ReadError(source, f"more than {limit:,} bytes unpacked; the limit for one {what} is {limit:,}")
                return
        text = _decode(raw, source)
        if isinstance(text, ReadError):
            yield text
            return
        if kind == "html":
            article = article_from_html(text, id=path.name, source=source)
            if not article.text.strip():
                yield ReadError(source, "HTML page without article text")
                return
            if len(article.text) > MAX_ARTICLE_BYTES:
                yield ReadError(
                    source, f"article text of {len(article.text):,} characters; the limit is {MAX_ARTICLE_BYTES:,}"
                )
                return
            yield article
        else:
            yield article_from_text(text, id=path.name, source=source)
    except (OSError, EOFError, zlib.error) as e:  # gzip.BadGzipFile is an OSError
        yield ReadError(source, f"cannot read: {e}")


def _gunzip(data: bytes, max_size: int) -> bytes:
    """At most `max_size` bytes of the unpacked data: a small file may unpack to gigabytes."""
    parts: list[bytes] = []
    total = 0
    while data and total < max_size:
        member = zlib.decompressobj(wbits=31)  # 31: gzip header and trailer
        chunk = member.decompress(data, max_size - total)
        parts.append(chunk)
        total += len(chunk)
        if total < max_size and not member.eof:
            raise EOFError("compressed file ended before the end-of-stream marker was reached")
        data = member.unused_data.lstrip(b"\x00")  # a further gzip member, or padding
    return b"".join(parts)


def read_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Article | ReadError]:
    """Files, or folders walked in sorted order for the file types the readers know."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and not child.name.startswith(".") and _known(child):
                    yield from read_path(child)
        else:
            yield from read_path(p)


def _known(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    ext = suffixes[-1] if suffixes else ""
    return ext in _HTML | _JSONL | _TEXT | {".json"}
