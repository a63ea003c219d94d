"""Tokens and sentences by rule: fast, no model, offsets into the one text."""

from __future__ import annotations

import re

from ..lang import table, wordlist
from ..record import Record, Sentence, Span, Token

# Initialisms with dots (L.A., U.S.A.), compounds with a number, numbers with inner separators (3.11.2024, 1.000,5),
# words with inner hyphens or apostrophes and an optional trailing hyphen ("Gesundheits-"),
# and any other single non-space character.
_TOKEN = re.compile(
    r"(?:[^\W\d_]\.){2,}"
    r"|\d+(?:[.,]\d+)*-[^\W_]+(?:-[^\W_]+)*"  # "40-köpfigen", "5-Sterne-Hotel"
    r"|\d+(?:[.,:/]\d+)*"
    r"|[^\W_]+(?:[-'’][^\W_]+)*-?"
    r"|\S",
)
_END = {".", "!", "?"}
_CLOSERS = {"“", "”", '"', "«", "»", "'", "’", ")", "‘"}


class Tokenizer:
    name = "tokens"
    requires = ("article",)
    assigns = ("tokens", "sentences")

    def __init__(self, lang: str = "de"):
        self.abbreviations = wordlist(lang, "abbreviations.txt")
        self.months = set(table(lang, "months.tsv"))

    def tokenize(self, text: str, start: int = 0, end: int | None = None) -> list[Token]:
        tokens: list[Token] = []
        for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
            tokens.append(Token(m.start(), m.end(), m.group()))
        return self._attach_abbreviation_dots(text, tokens)

    def _attach_abbreviation_dots(self, text: str, tokens: list[Token]) -> list[Token]:
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if (
                nxt is not None
                and nxt.text == "."
                and nxt.start == tok.end
                and (tok.text in self.abbreviations or (len(tok.text) == 1 and tok.text.isupper()))
            ):
                out.append(Token(tok.start, nxt.end, text[tok.start : nxt.end]))
                i += 2
                continue
            out.append(tok)
            i += 1
        return out

    def split(self, text: str, tokens: list[Token]) -> list[Sentence]:
        sentences: list[Sentence] = []
        first = 0
        n = len(tokens)
        for i, tok in enumerate(tokens):
            last = i + 1 == n
            boundary = last
            if not last:
                nxt = tokens[i + 1]
                gap = text[tok.end : nxt.start]
                if "\n" in gap:
                    boundary = True
                elif tok.text in _END or (tok.text in _CLOSERS and i > 0 and tokens[i - 1].text in _END):
                    boundary = self._ends_sentence(tokens, i, nxt)
            if boundary:
                # A closing quote right after the end mark belongs to this sentence.
                sentences.append(Sentence(Span(tokens[first].start, tok.end), first, i + 1))
                first = i + 1
        return sentences

    def _ends_sentence(self, tokens: list[Token], i: int, nxt: Token) -> bool:
        if nxt.text in _CLOSERS and nxt.start == tokens[i].end:
            return False  # the closer is still part of this sentence
        c = nxt.text[0]
        if c.islower() or c in ",;:":
            return False
        prev = tokens[i - 1].text if i > 0 else ""
        if tokens[i].text == "." and prev.isdigit() and len(prev) <= 2 and nxt.text in self.months:
            return False  # "am 3. November"
        return True

    def __call__(self, record: Record) -> Record:
        text = record.text
        body = record.article.body_span
        record.tokens = self.tokenize(text, body.start, body.end)
        record.sentences = self.split(text, record.tokens)
        return record
