"""Pairs of quotation marks in German (and English-style) news text.

Only the outermost pair counts: a ‚nested‘ quote inside „…“ belongs to the outer
quotation. A pair never crosses a line break; a quotation left open at the end
of a paragraph (the German convention for a quote that goes on in the next
paragraph) ends there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# opening mark -> the marks that close it
_CLOSERS: dict[str, tuple[str, ...]] = {
    "„": ("“", "”"),
    "»": ("«",),
    "«": ("»",),
    "“": ("”",),
    "‚": ("‘", "’"),
    '"': ('"',),
}


# the characters the scan stops at: line breaks, every mark, and apostrophe-like glyphs
_CANDIDATES = re.compile('[\n„“”»«‚‘’"]')


@dataclass(frozen=True, slots=True)
class Marked:
    """The inside of one pair of marks: text[start:end]; the marks sit at start-1 and end (if closed)."""

    start: int
    end: int
    closed: bool


def _opens_straight(text: str, i: int) -> bool:
    """A straight double quote opens when nothing word-like stands right before it."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{:—–-/") and not after.isspace()


def find_marked(text: str, start: int = 0, end: int | None = None) -> list[Marked]:
    """The outermost quotations in text[start:end], in text order."""
    end = len(text) if end is None else end
    out: list[Marked] = []
    stack: list[tuple[str, int]] = []  # (opening mark, its offset)
    for hit in _CANDIDATES.finditer(text, start, end):
        i = hit.start()
        c = text[i]
        if c == "\n":
            if stack:
                # An open quotation ends with its paragraph.
                out.append(Marked(stack[0][1] + 1, _rstrip(text, stack[0][1] + 1, i), False))
                stack.clear()
        elif stack and c in _CLOSERS[stack[-1][0]] and not _is_apostrophe(text, i, stack[-1][0]):
            mark, pos = stack.pop()
            if not stack:
                out.append(Marked(pos + 1, i, True))
        elif c in _CLOSERS and (c != '"' or _opens_straight(text, i)) and not _is_apostrophe(text, i, c):
            if c == "‚" and not stack:
                pass  # a low single mark outside a quotation is a comma-like glyph more often than a quote
            else:
                stack.append((c, i))
    if stack:
        out.append(Marked(stack[0][1] + 1, _rstrip(text, stack[0][1] + 1, end), False))
    return [m for m in out if m.end > m.start]


def _is_apostrophe(text: str, i: int, mark: str) -> bool:
    """’ or ‘ between two letters ("geht’s") is an apostrophe, not a closing mark."""
    if text[i] not in "’‘":
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalpha() and after.isalpha()


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
