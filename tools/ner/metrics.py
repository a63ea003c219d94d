"""Entity-level precision, recall and F1 (exact span and label), as in CoNLL/GermEval."""

from __future__ import annotations

from collections import Counter


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """(start, end, label) for every entity in a BIO sequence; a stray I- starts an entity."""
    out = set()
    start, label = None, None
    for i, t in enumerate(tags + ["O"]):
        if t.startswith("I-") and label == t[2:]:
            continue
        if label is not None:
            out.add((start, i, label))
            start, label = None, None
        if t != "O":
            start, label = i, t[2:]
    return out


COARSE = {"PER", "ORG", "LOC", "OTH"}


def _coarse(tags: list[str]) -> list[str]:
    return [t if t[2:] in COARSE else "O" for t in tags]


def score(gold: list[list[str]], pred: list[list[str]]) -> dict[str, dict[str, float]]:
    """Scores over PER/ORG/LOC/OTH only (compound-part labels count as O on both sides)."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred, strict=True):
        gs, ps = spans(_coarse(g)), spans(_coarse(p))
        for s in gs & ps:
            tp[s[2]] += 1
        for s in ps - gs:
            fp[s[2]] += 1
        for s in gs - ps:
            fn[s[2]] += 1
    out = {}
    for label in sorted(set(tp) | set(fp) | set(fn)) + ["ALL"]:
        a = sum(tp.values()) if label == "ALL" else tp[label]
        b = sum(fp.values()) if label == "ALL" else fp[label]
        c = sum(fn.values()) if label == "ALL" else fn[label]
        p = a / (a + b) if a + b else 0.0
        r = a / (a + c) if a + c else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[label] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "n": a + c}
    return out
