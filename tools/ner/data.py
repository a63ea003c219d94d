"""Readers for NER training and test data: GermEval 2014 TSV and silver JSONL sentences."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

COARSE = {"PER", "ORG", "LOC", "OTH"}
PARTS = {"PERpart", "ORGpart", "LOCpart", "OTHpart"}


def coarse(tag: str, parts: bool = False) -> str:
    """GermEval outer tag -> coarse BIO: B-PER stays, B-PERderiv becomes O; B-LOCpart becomes O
    or, with `parts`, stays (the model learns compounds like "CDU-Politiker" as their own class)."""
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, label = tag.split("-", 1)
    return f"{prefix}-{label}" if label in COARSE or (parts and label in PARTS) else "O"


def read_germeval(path: str | Path, parts: bool = False) -> Iterator[tuple[list[str], list[str]]]:
    """Sentences as (words, outer BIO tags): coarse labels, plus *part labels with `parts`."""
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if words:
                    yield words, tags
                words, tags = [], []
                continue
            if line.startswith("#\t") or line.startswith("# "):
                continue
            cols = line.split("\t")
            words.append(cols[1])
            tags.append(coarse(cols[2], parts))
    if words:
        yield words, tags


def align_silver(
    words: list[str], offsets: list[tuple[int, int]], text: str, entities: list[list[str]]
) -> list[str] | None:
    """BIO tags for a tokenised sentence from (surface, label) pairs; None when nothing fits.

    Each surface is looked up left to right in the text; it is kept only when it starts and ends
    on token boundaries. Entities that cannot be aligned are skipped (the rest of the sentence
    keeps its labels: an unaligned entity makes its tokens O, a small, accepted noise).
    """
    tags = ["O"] * len(words)
    starts = {s: i for i, (s, _) in enumerate(offsets)}
    ends = {e: i for i, (_, e) in enumerate(offsets)}
    cursor = 0
    for ent in entities:
        if len(ent) < 2:
            continue
        surface, label = str(ent[0]).strip(), str(ent[1]).upper()
        if label not in COARSE or not surface:
            continue
        pos = text.find(surface, cursor)
        if pos < 0:
            pos = text.find(surface)
        placed = False
        while pos >= 0:
            i, j = starts.get(pos), ends.get(pos + len(surface))
            if i is not None and j is not None and all(t == "O" for t in tags[i : j + 1]):
                tags[i] = "B-" + label
                for k in range(i + 1, j + 1):
                    tags[k] = "I-" + label
                cursor = pos + len(surface)
                placed = True
                break
            pos = text.find(surface, pos + 1)
        if not placed:
            # "CDU" inside "CDU-Politiker": the whole token is a compound with a name part.
            pos = text.find(surface + "-")
            while pos >= 0:
                i = starts.get(pos)
                if i is not None and tags[i] == "O" and offsets[i][1] > pos + len(surface) + 1:
                    tags[i] = f"B-{label}part"
                    break
                pos = text.find(surface + "-", pos + 1)
    return tags


def read_silver(paths: list[Path]) -> Iterator[tuple[str, list[str], list[str]]]:
    """(doc id, words, tags) from silver JSONL files, tokenised with the project tokenizer."""
    from treffpunkt.lang import wordlist
    from treffpunkt.stages.tokens import Tokenizer

    tok = Tokenizer()
    # GermEval labels currencies OTH; silver annotators mostly did not. Agree with GermEval.
    currencies = wordlist("de", "ner_currencies.txt")
    seen: set[str] = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    continue
                text = obj.get("text")
                if not isinstance(text, str) or not text.strip() or text in seen:
                    continue
                seen.add(text)
                tokens = tok.tokenize(text)
                if not tokens:
                    continue
                words = [t.text for t in tokens]
                tags = align_silver(words, [(t.start, t.end) for t in tokens], text, obj.get("entities") or [])
                if tags is not None:
                    tags = ["B-OTH" if t == "O" and w in currencies else t for w, t in zip(words, tags, strict=True)]
                    yield str(obj.get("doc", path.stem)), words, tags
