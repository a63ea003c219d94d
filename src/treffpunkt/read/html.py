"""HTML pages: main text, title and publication date."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from ..record import Article

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "date",
    "dc.date",
    "DC.date.issued",
    "pubdate",
)
_DROP = "script, style, noscript, nav, header, footer, aside, form, figure figcaption, iframe, svg"
_BLOCKS = "h1, h2, h3, p, li, blockquote"


def _meta(tree: HTMLParser, names: tuple[str, ...]) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            node = tree.css_first(f'meta[{attr}="{name}"]')
            if node is not None and node.attributes.get("content"):
                return node.attributes["content"]
    return None


def _published(tree: HTMLParser) -> str | None:
    value = _meta(tree, _DATE_META)
    if value is None:
        node = tree.css_first("time[datetime]")
        value = node.attributes.get("datetime") if node is not None else None
    m = _DATE.search(value or "")
    return m.group() if m else None


def _main(tree: HTMLParser) -> Node | None:
    for selector in ("article", "main", '[itemprop="articleBody"]', "body"):
        node = tree.css_first(selector)
        if node is not None:
            return node
    return tree.root


def article_from_html(html: str, *, id: str, source: str | None = None) -> Article:
    tree = HTMLParser(html)
    title = _meta(tree, ("og:title",))
    if title is None:
        node = tree.css_first("h1") or tree.css_first("title")
        title = node.text(strip=True) if node is not None else None
    published = _published(tree)
    for node in tree.css(_DROP):
        node.decompose()
    main = _main(tree)
    paragraphs: list[str] = []
    if main is not None:
        for node in main.css(_BLOCKS):
            # Nested blocks (p inside li) would repeat their words.
            if node.parent is not None and node.parent.tag in {"p", "li", "blockquote"}:
                continue
            words = " ".join(node.text(separator=" ").split())
            if words and words != title:
                paragraphs.append(words)
        if not paragraphs:
            paragraphs = [" ".join(main.text(separator=" ").split())]
    return Article(id=id, text="\n\n".join(p for p in paragraphs if p), published=published, title=title, source=source)
