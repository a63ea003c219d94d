"""Plain text, optionally opening with a header line `date YYYY-MM[-DD] <teaser>`."""

from __future__ import annotations

import re

from ..record import Article, Span

_HEADER = re.compile(r"\A\s*date\s+(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b[ \t]*([^\n]*)")


def article_from_text(text: str, *, id: str, source: str | None = None, title: str | None = None) -> Article:
    """The whole text stays as it is; the header's date and teaser are marked, not cut."""
    m = _HEADER.match(text)
    if not m:
        return Article(id=id, text=text, title=title, source=source)
    teaser = Span(m.start(2), m.end(2)) if m.group(2).strip() else None
    return Article(
        id=id,
        text=text,
        published=m.group(1),
        title=title,
        body=Span(m.end(), len(text)),
        teaser=teaser,
        source=source,
    )
