"""A linear-chain CRF decoder that scores word forms once and caches the scores.

A CRF's emission score is a sum of weights over binary features. Most of our features depend
only on one word form and its offset from the token being tagged (the word itself, the word
before, ...), so the sum for "this word at offset k" is computed once per word form and kept.
Tagging a sentence is then a few array additions and a Viterbi pass; that is several times
faster than handing feature strings to crfsuite for every token.

Weights come from a crfsuite model (training uses python-crfsuite) and are shipped as a small
`.npz` file: labels, attribute strings, sparse (attribute, label, weight) triples and the
label-transition matrix. `CompiledCrf.from_crfsuite` converts a crfsuite file; the two decoders
give the same tags (tests/test_ner.py checks this).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .ner_features import Featurizer

_CACHE_LIMIT = 300_000


class CompiledCrf:
    def __init__(
        self,
        labels: list[str],
        attributes: list[str],
        rows: np.ndarray,
        cols: np.ndarray,
        weights: np.ndarray,
        transitions: np.ndarray,
    ):
        self.labels = labels
        self.index = {a: i for i, a in enumerate(attributes)}
        n_attr, n_lab = len(attributes), len(labels)
        # Row n_attr stays zero: the index unknown attributes map to.
        self.W = np.zeros((n_attr + 1, n_lab), dtype=np.float64)
        np.add.at(self.W, (rows, cols), weights)
        self.T = transitions.astype(np.float64)
        self.unknown = n_attr
        self.attributes = attributes
        # Attributes about a neighbour ("-1:w=der"), by the neighbour's own feature ("w=der"):
        # the tagger looks a word's features up here without building the prefixed strings.
        self.views: dict[str, dict[str, int]] = {p: {} for p in ("-1:", "+1:", "-2:", "+2:")}
        for a, i in self.index.items():
            view = self.views.get(a[:3])
            if view is not None:
                view[a[3:]] = i

    # -- files ----------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path) -> CompiledCrf:
        path = Path(path)
        if path.suffix == ".crfsuite":
            return cls.from_crfsuite(path)
        with np.load(path, allow_pickle=False) as z:
            labels = str(z["labels"]).split("\n")
            attributes = str(z["attributes"]).split("\n")
            return cls(labels, attributes, z["rows"], z["cols"], z["weights"], z["transitions"])

    @classmethod
    def from_crfsuite(cls, path: str | Path) -> CompiledCrf:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        info = tagger.info()
        labels = list(tagger.labels())
        lab = {name: i for i, name in enumerate(labels)}
        attributes: list[str] = []
        aidx: dict[str, int] = {}
        rows, cols, weights = [], [], []
        for (attr, label), w in info.state_features.items():
            if attr not in aidx:
                aidx[attr] = len(attributes)
                attributes.append(attr)
            rows.append(aidx[attr])
            cols.append(lab[label])
            weights.append(w)
        trans = np.zeros((len(labels), len(labels)))
        for (a, b), w in info.transitions.items():
            trans[lab[a], lab[b]] = w
        return cls(
            labels,
            attributes,
            np.array(rows, dtype=np.int32),
            np.array(cols, dtype=np.int8),
            np.array(weights, dtype=np.float32),
            trans,
        )

    def save(self, path: str | Path) -> None:
        rows, cols = np.nonzero(self.W[: self.unknown])
        np.savez_compressed(
            path,
            labels=np.array("\n".join(self.labels)),
            attributes=np.array("\n".join(self.attributes)),
            rows=rows.astype(np.int32),
            cols=cols.astype(np.int8),
            weights=self.W[rows, cols].astype(np.float32),
            transitions=self.T.astype(np.float32),
        )

    # -- scoring --------------------------------------------------------------------------------

    def ids(self, attrs: list[str]) -> list[int]:
        get, unk = self.index.get, self.unknown
        return [get(a, unk) for a in attrs]

    def viterbi(self, emissions: list[np.ndarray]) -> list[list[int]]:
        """Best label paths for many sentences at once (one numpy step per token position)."""
        if not emissions:
            return []
        L = self.T.shape[0]
        lens = np.array([e.shape[0] for e in emissions])
        B, N = len(emissions), int(lens.max())
        E = np.zeros((B, N, L))
        for b, e in enumerate(emissions):
            E[b, : e.shape[0]] = e
        T = self.T[None]
        back = np.empty((B, N, L), dtype=np.intp)
        score = E[:, 0]
        keep = np.broadcast_to(np.arange(L), (B, L))
        for i in range(1, N):
            cand = score[:, :, None] + T  # B x from x to
            best = cand.argmax(axis=1)
            new = cand.max(axis=1) + E[:, i]
            live = (lens > i)[:, None]
            # A finished sentence keeps its score; its back pointer is the identity.
            score = np.where(live, new, score)
            back[:, i] = np.where(live, best, keep)
        paths: list[list[int]] = []
        last = score.argmax(axis=1)
        for b in range(B):
            n = int(lens[b])
            k = int(last[b])
            path = [k]
            bb = back[b]
            for i in range(n - 1, 0, -1):
                k = int(bb[i, k])
                path.append(k)
            path.reverse()
            paths.append(path)
        return paths


class FastTagger:
    """Featurizer + compiled CRF with per-word-form score caching."""

    def __init__(self, crf: CompiledCrf, featurizer: Featurizer):
        self.crf = crf
        self.featurizer = featurizer
        self.clear()

    def clear(self) -> None:
        """Forget the cached word scores."""
        self._row: dict[str, int] = {}
        self._M = np.zeros((4096, 5, len(self.crf.labels)))

    def _word_scores(self, word: str) -> np.ndarray:
        """5 x labels: the word's own score, and what it adds at offsets -1, +1, -2, +2."""
        own, near, far, _ = self.featurizer.word_entry(word)
        crf = self.crf
        unk, views = crf.unknown, crf.views
        # Each group starts with the all-zero row, so no group is empty for reduceat and the
        # attributes the model never saw add nothing.
        ids: list[int] = []
        bounds: list[int] = []
        for group, index in (
            (own, crf.index),
            (near, views["-1:"]),
            (near, views["+1:"]),
            (far, views["-2:"]),
            (far, views["+2:"]),
        ):
            bounds.append(len(ids))
            ids.append(unk)
            get = index.get
            for a in group:
                k = get(a)
                if k is not None:
                    ids.append(k)
        return np.add.reduceat(self.crf.W[ids], bounds, axis=0)

    def _rows(self, words: list[str]) -> list[int]:
        """Rows of the word-score table for `words`, scoring the word forms not seen before."""
        row = self._row
        if len(row) + len(words) > _CACHE_LIMIT:
            self.clear()  # a bounded cache: start over rather than grow without end
            row = self._row
        out = []
        for w in words:
            r = row.get(w)
            if r is None:
                r = len(row)
                if r >= len(self._M):
                    self._M = np.concatenate([self._M, np.zeros_like(self._M)])
                self._M[r] = self._word_scores(w)
                row[w] = r
            out.append(r)
        return out

    def emissions(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """Emission scores (tokens x labels) of non-empty sentences, computed in one batch."""
        lens = np.array([len(s) for s in sentences])
        words = [w for s in sentences for w in s]
        rows_of_words = self._rows(words)  # may grow self._M: look it up afterwards
        S = self._M[rows_of_words]  # tokens x 5 x labels
        # Position of each token in its sentence, to keep neighbours inside the sentence.
        ends = np.cumsum(lens)
        pos = np.arange(len(words)) - np.repeat(ends - lens, lens)
        left = np.repeat(lens, lens) - 1 - pos  # tokens to the right within the sentence
        E = S[:, 0].copy()
        E[1:] += S[:-1, 1] * (pos[1:] >= 1)[:, None]  # the word before, seen as "-1:"
        E[:-1] += S[1:, 2] * (left[:-1] >= 1)[:, None]  # the word after, seen as "+1:"
        E[2:] += S[:-2, 3] * (pos[2:] >= 2)[:, None]
        E[:-2] += S[2:, 4] * (left[:-2] >= 2)[:, None]
        rows: list[int] = []
        attrs: list[str] = []
        for offset, s in zip(ends - lens, sentences, strict=True):
            r, a = self.featurizer.dynamic(s)
            rows.extend([x + offset for x in r])
            attrs.extend(a)
        np.add.at(E, rows, self.crf.W[self.crf.ids(attrs)])
        return np.split(E, ends[:-1])

    def tag(self, words: list[str]) -> list[str]:
        return self.tag_many([words])[0]

    def tag_many(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO tags for many sentences; faster per token than one at a time."""
        labels = self.crf.labels
        todo = [s for s in sentences if s]
        if not todo:
            return [[] for _ in sentences]
        paths = iter(self.crf.viterbi(self.emissions(todo)))
        return [[labels[i] for i in next(paths)] if s else [] for s in sentences]
