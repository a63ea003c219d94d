"""German named entities (PER, ORG, LOC, OTH) with a linear-chain CRF.

The model (models/ner_de/ner_de.npz, see its MODEL_CARD.md) was trained on GermEval 2014
dev plus silver-labelled news sentences with features from ner_features and word lists from
ner_gazetteer. Tagging runs sentence by sentence over the tokens the tokenizer made, so every
mention starts and ends on a token boundary inside the article body.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from ..lang import wordlist
from ..record import Mention, Record, Span, Token
from .ner_crf import CompiledCrf, FastTagger
from .ner_doc import complete, compound_head
from .ner_features import Featurizer
from .ner_gazetteer import Lexicon, default_lexicon

MODEL_FILE = "ner_de.npz"
_LABELS = {"PER", "ORG", "LOC", "OTH"}


def default_model_path() -> str:
    return str(resources.files("treffpunkt").joinpath("models", "ner_de", MODEL_FILE))


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first, last exclusive, label) for each entity; an I- without its B- starts an entity."""
    out: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, t in enumerate([*tags, "O"]):
        if t.startswith("I-") and t[2:] == label:
            continue
        if label:
            out.append((start, i, label))
            start, label = -1, ""
        if t != "O":
            start, label = i, t[2:]
    return out


def coarse(tags: list[str]) -> list[str]:
    """Only PER/ORG/LOC/OTH tags; compound-part tags (B-ORGpart) become O."""
    return [t if t[2:] in _LABELS else "O" for t in tags]


class NerTagger:
    name = "ner"
    requires = ("tokens", "sentences")
    assigns = ("mentions",)

    def __init__(self, crf: CompiledCrf, lexicon: Lexicon, *, parts: bool = True, document: bool = True):
        # With `parts`, the name inside a hyphenated compound the model tags as a compound part
        # ("CDU" in "CDU-Politiker", "US" in "US-Präsidenten") becomes a mention too. It is the
        # one kind of mention that ends inside a token (at the hyphen); source "ner-part".
        self.parts = parts
        # With `document`, names found once are marked where they recur (see ner_doc).
        self.document = document
        self.lexicon = lexicon
        self.featurizer = Featurizer(lexicon)
        self.crf = crf
        self._fast = FastTagger(crf, self.featurizer)

    @classmethod
    def load(cls, path: str | None = None) -> NerTagger:
        """The shipped model (or the one at `path`), built once per process and path."""
        return _load(str(Path(path)) if path else default_model_path())

    def clear_caches(self) -> None:
        """Forget the per-word-form features and scores (for honest timing)."""
        self.featurizer._cache.clear()
        self._fast.clear()

    def tag(self, words: list[str]) -> list[str]:
        """BIO tags (B-PER, I-LOC, O, ...) for one sentence's words."""
        if not words:
            return []
        return coarse(self._fast.tag(words))

    def tag_many(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO tags for many sentences at once (faster per token than `tag`)."""
        return [coarse(t) for t in self._fast.tag_many(sentences)]

    def __call__(self, record: Record) -> Record:
        text = record.text
        body = record.article.body_span
        found: list[Mention] = []
        sentences = [record.sentence_tokens(s) for s in record.sentences]
        all_tags = self._fast.tag_many([[t.text for t in tokens] for tokens in sentences])
        for tokens, tags in zip(sentences, all_tags, strict=True):
            for first, last, label in bio_spans(tags):
                if label in _LABELS:
                    span = Span(tokens[first].start, tokens[last - 1].end)
                    source = "ner"
                elif self.parts and label[:3] in _LABELS and last == first + 1:
                    span = _compound_head(tokens[first])
                    label, source = label[:3], "ner-part"
                    if span is None:
                        continue
                else:
                    continue
                if body.contains(span):  # the header and teaser are not the article's words
                    found.append(Mention(span=span, label=label, text=text[span.start : span.end], source=source))
        if self.document and found:
            tokens = [t for sentence in sentences for t in sentence]
            prefixes = wordlist("de", "ner_compound_prefixes.txt")
            extra = complete(text, tokens, found, self.lexicon, prefixes)
            found.extend(m for m in extra if body.contains(m.span))
        record.mentions.extend(found)
        record.mentions.sort(key=lambda m: (m.span.start, m.span.end))
        return record


def _compound_head(token: Token) -> Span | None:
    """The span of the name part of a hyphenated compound token, if any."""
    head = compound_head(token, wordlist("de", "ner_compound_prefixes.txt"))
    return head[1] if head else None


@cache
def _load(path: str) -> NerTagger:
    if not Path(path).is_file():
        raise FileNotFoundError(f"NER model not found at {path}")
    return NerTagger(CompiledCrf.load(path), default_lexicon())
