"""Name keys: how a place name and a run of text tokens are made comparable.

A key folds case, accents and umlauts (so "València", "Valencia" and "Zary" meet "Żary"),
ß to ss, apostrophes to one form and hyphens to spaces ("Ho-Chi-Minh-Stadt"). Names are split
into tokens with the same pattern as the tokenizer, so a name's token count is the number of
text tokens it spans.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..stages.tokens import Tokenizer

_SPACES = re.compile(r"\s+")
_tokenizer = Tokenizer()


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """One token (or name) folded for comparison."""
    if word.isascii():
        s = word.lower()
        return _SPACES.sub(" ", s.replace("-", " ")).strip() if "-" in s or " " in s else s
    # Umlauts fold the German way, so "Länder" does not meet a town called "Lander" while
    # "Köln" still meets GeoNames' "Koeln".
    s = word.casefold().translate(_UMLAUTS).replace("’", "'").replace("‘", "'")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    # Letters NFKD does not decompose.
    s = s.translate(_EXTRA)
    return _SPACES.sub(" ", s.replace("-", " ").replace("–", " ")).strip()


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_EXTRA = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})


def split(name: str) -> list[str]:
    """The tokens a name spans in text, as the tokenizer would cut them."""
    return [t.text for t in _tokenizer.tokenize(name)]


def key(name: str) -> str:
    """The lookup key of a whole name."""
    return " ".join(fold(t) for t in split(name))


def tokens_key(words: list[str]) -> str:
    return " ".join(fold(w) for w in words)


def inflection_variants(name: str) -> list[str]:
    """Uninflected forms a German inflected place name may stand for, most likely first.

    Genitive "Berlins", "Bostons" -> Berlin, Boston; dative plural "Niederlanden" -> Niederlande;
    adjectives inside a name "Vereinigten Königreich" -> Vereinigtes/Vereinigte Königreich.
    """
    out: list[str] = []
    words = name.split(" ")
    last = words[-1]
    head = " ".join(words[:-1])
    join = (lambda w: f"{head} {w}") if head else (lambda w: w)
    if len(last) > 3 and last[-1] in "s":
        out.append(join(last[:-1]))  # Berlins
        if last.endswith("'s") or last.endswith("’s"):
            out.append(join(last[:-2]))
    if len(last) > 3 and last[-1] in "’'":
        out.append(join(last[:-1]))  # "Paris'" -> Paris
    if len(last) > 4 and last.endswith("en"):
        out.append(join(last[:-1]))  # Niederlanden -> Niederlande
    if len(words) > 1:
        # Attributive adjectives: vary the ending of every capitalised word before the last.
        for ending in ("es", "e", "er", "en"):
            changed = []
            for w in words[:-1]:
                stem = _adjective_stem(w)
                changed.append(stem + ending if stem else w)
            variant = " ".join([*changed, last])
            if variant != name:
                out.append(variant)
    return out


def _adjective_stem(word: str) -> str | None:
    for ending in ("en", "es", "er", "em", "e"):
        if len(word) > len(ending) + 3 and word.endswith(ending) and word[0].isupper():
            return word[: -len(ending)]
    return None
