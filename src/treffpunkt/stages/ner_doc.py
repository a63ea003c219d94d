"""Document-level consistency for NER mentions: what the CRF found once holds everywhere.

The CRF tags sentence by sentence. In an article, a name it recognised in one sentence is
usually the same name where it stands alone later ("Kai Wegner" ... "Wegner"), an acronym in
brackets after a name stands for that name ("Massachusetts Institute of Technology (MIT)"), and
a known name heads compounds ("CDU-Politiker"). These rules add such mentions; they never
change or remove one the model made.
"""

from __future__ import annotations

from bisect import bisect_right

from ..record import Mention, Span, Token
from .ner_gazetteer import Lexicon

_SMALL = {"of", "the", "and", "for", "de", "la", "du", "der", "die", "das", "und", "für", "von"}


def acronym_of(words: list[str]) -> set[str]:
    """Acronyms a multi-word name can have: initials of all words, or of the capitalised ones."""
    caps = [w for w in words if w[:1].isupper()]
    out = set()
    if len(words) >= 2:
        out.add("".join(w[0] for w in words if w).upper())
    if len(caps) >= 2:
        out.add("".join(w[0] for w in caps))
    content = [w for w in words if w.lower() not in _SMALL]
    if len(content) >= 2:
        out.add("".join(w[0] for w in content).upper())
    return out


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and sum(c.isupper() for c in letters) >= 2


def compound_head(token: Token, skip: frozenset[str]) -> tuple[str, Span] | None:
    """The name part of a hyphenated compound ("CDU" in "Ex-CDU-Chef"), or None."""
    parts = token.text.split("-")
    if len(parts) < 2 or not parts[-1]:
        return None
    offset = 0
    for part in parts[:-1]:
        if part and part not in skip:
            return part, Span(token.start + offset, token.start + offset + len(part))
        offset += len(part) + 1
    return None


def complete(
    text: str,
    tokens: list[Token],
    mentions: list[Mention],
    lexicon: Lexicon,
    compound_prefixes: frozenset[str],
) -> list[Mention]:
    """Mentions to add to `mentions` (which cover `tokens` of one article body)."""
    starts = [t.start for t in tokens]
    start_index = {t.start: i for i, t in enumerate(tokens)}
    end_index = {t.end: i for i, t in enumerate(tokens)}
    covered = [False] * len(tokens)
    known: dict[tuple[str, ...], str] = {}  # token sequence -> label
    surnames: dict[str, str] = {}
    spans: list[tuple[int, int, str]] = []
    has_part: set[int] = set()
    for m in mentions:
        i, j = start_index.get(m.span.start), end_index.get(m.span.end)
        if i is None or j is None:
            # A compound-part mention ("CDU" of "CDU-Politiker"): it does not cover its token.
            t = bisect_right(starts, m.span.start) - 1
            if t >= 0 and m.span.end <= tokens[t].end:
                has_part.add(t)
            continue
        for k in range(i, j + 1):
            covered[k] = True
        words = tuple(t.text for t in tokens[i : j + 1])
        known.setdefault(words, m.label)
        spans.append((i, j + 1, m.label))
        if m.label == "PER" and len(words) >= 2 and words[-1][:1].isupper():
            surnames.setdefault(words[-1], "PER")

    added: list[Mention] = []

    def add(i: int, j: int, label: str) -> None:
        for k in range(i, j):
            covered[k] = True
        span = Span(tokens[i].start, tokens[j - 1].end)
        added.append(Mention(span=span, label=label, text=text[span.start : span.end], source="rule"))

    # "Name Words (NW)": the bracketed acronym names the same thing.
    for i, j, label in spans:
        if label == "PER" or j - i < 2 or j + 2 >= len(tokens):
            continue
        if tokens[j].text == "(" and tokens[j + 2].text == ")" and not covered[j + 1]:
            acro = tokens[j + 1].text
            if _is_acronym(acro) and acro.replace(".", "") in acronym_of([t.text for t in tokens[i:j]]):
                add(j + 1, j + 2, label)
                known.setdefault((acro,), label)

    # Later (or earlier) uses of a name the model found once, and surnames of people found in full.
    longest = max((len(k) for k in known), default=0)
    i = 0
    while i < len(tokens):
        if covered[i] or not tokens[i].text[:1].isupper():
            i += 1
            continue
        hit = None
        for n in range(min(longest, len(tokens) - i), 0, -1):
            words = tuple(t.text for t in tokens[i : i + n])
            label = known.get(words)
            if label and not any(covered[i : i + n]):
                if n == 1 and (words[0] in lexicon.common or len(words[0]) < 2):
                    continue
                hit = (n, label)
                break
        if hit is None and tokens[i].text in surnames:
            hit = (1, "PER")
        if hit is not None:
            add(i, i + hit[0], hit[1])
            i += hit[0]
        else:
            i += 1

    # Compounds headed by a name: known in this article, or a listed organisation or big place.
    for k, tok in enumerate(tokens):
        if covered[k] or k in has_part or "-" not in tok.text:
            continue
        part = compound_head(tok, compound_prefixes)
        if part is None:
            continue
        head, span = part
        label = known.get((head,))
        if label is None:
            if head in lexicon.orgs:
                label = "ORG"
            elif head in lexicon.big_places:
                label = "LOC"
        if label is not None:
            added.append(Mention(span=span, label=label, text=text[span.start : span.end], source="rule"))
    return added
