"""Readers: files of plain text, JSONL or HTML -> `Article`s, bad input -> `ReadError`s."""

from .errors import MAX_ARTICLE_BYTES, ReadError
from .files import read_path, read_paths
from .html import article_from_html
from .jsonl import articles_from_jsonl
from .text import article_from_text

__all__ = [
    "MAX_ARTICLE_BYTES",
    "ReadError",
    "article_from_html",
    "article_from_text",
    "articles_from_jsonl",
    "read_path",
    "read_paths",
]
