"""Which language an article is in, from the share of each language's function words.

Extraction rules exist for German only; an article in another language is
marked so that the later stages leave it alone and say why, instead of
applying German rules to it.
"""

from __future__ import annotations

import re

from ..lang import wordlist
from ..record import Record

_WORD = re.compile(r"[^\W\d_]+")
SUPPORTED = ("de",)


class LanguageGuesser:
    name = "language"
    requires = ("article",)
    assigns = ("lang",)

    def __init__(
        self, languages: tuple[str, ...] = ("de", "en"), sample: int = 400, supported: tuple[str, ...] = SUPPORTED
    ):
        self.stopwords = {lang: wordlist(lang, "stopwords.txt") for lang in languages}
        self.sample = sample
        self.supported = supported

    def guess(self, text: str) -> str | None:
        words = [w.lower() for w in _WORD.findall(text[:5000])][: self.sample]
        if len(words) < 5:
            return None
        scores = {lang: sum(w in stop for w in words) for lang, stop in self.stopwords.items()}
        best = max(scores, key=lambda k: scores[k])
        return best if scores[best] >= max(2, len(words) // 20) else None

    def __call__(self, record: Record) -> Record:
        # A language given with the article (a JSONL "lang" key) stands; otherwise guess.
        if not record.article.meta.get("lang_given"):
            guessed = self.guess(record.text[record.article.body_span.start : record.article.body_span.end])
            if guessed:
                record.article.lang = guessed
        if record.article.lang not in self.supported:
            record.halted = (
                f"language {record.article.lang!r}: extraction rules exist for "
                f"{', '.join(self.supported)} only; nothing was extracted"
            )
        return record
