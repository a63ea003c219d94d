"""Token features for the German CRF tagger.

Features that depend only on the word are computed once per word form and cached, together
with the copies that neighbours see ("-1:...", "+2:..."), so that a sentence costs a few list
concatenations per token. That is what keeps feature extraction above 40k tokens/s on one core.
"""

from __future__ import annotations

from .ner_gazetteer import Lexicon

_QUOTES = {'"', "„", "“", "”", "»", "«", "‚", "‘", "’", "'"}
_OPENERS = {"„", "»", "‚"}
_CLOSERS = {"“", "«", "‘"}  # German closers; "”" and straight quotes toggle
_CACHE_LIMIT = 200_000


def shape(word: str) -> str:
    """Character classes with runs collapsed: "Wegner" -> "Xx", "L.A." -> "X.X.", "2024" -> "d"."""
    out: list[str] = []
    last = ""
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if c != last:
            out.append(c)
            last = c
    return "".join(out)


class Featurizer:
    """Turns a list of words into one list of feature strings per word."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        self._cache: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {}

    # -- one word -----------------------------------------------------------------------------

    def _flags(self, w: str) -> list[str]:
        """Lexicon flags of a word form; shared by the word itself and its neighbours."""
        lex = self.lex
        low = w.lower()
        out: list[str] = []
        if w in lex.first_names:
            out.append("fn")
        if w in lex.last_names:
            out.append("ln")
        if w in lex.places:
            out.append("loc")
            if w in lex.big_places:
                out.append("bigloc")
        elif len(w) > 3 and w[-1] == "s" and w[:-1] in lex.places:
            out.append("loc_gen")  # Berlins, Deutschlands
        if w in lex.orgs:
            out.append("org")
        if w in lex.org_cues:
            out.append("orgcue")
        if w in lex.roles:
            out.append("role")
        if w in lex.nouns:
            out.append("noun")
        elif w[:1].isupper() and w not in lex.common and len(w) > 1:
            # A capitalised word that is no known noun: a compound whose last part is a noun
            # ("Olivinzügen"), or else a rare unknown word, which is most often a name.
            nouns = lex.nouns
            for k in range(3, len(w) - 3):
                if w[k].islower() and w[k:].capitalize() in nouns:
                    out.append("cmpnoun")
                    break
            else:
                if lex.freq.get(low, 0) <= 3:
                    out.append("oovcap")
        if w in lex.common:
            out.append("common")
        if w in lex.loc_class:
            out.append("locclass")
        if w[:1].isupper() and len(w) > 4:
            # One C call for the common case of no match; the loop runs only on a hit.
            if low.endswith(lex.org_suffixes) and any(
                low.endswith(s) and len(low) > len(s) + 2 for s in lex.org_suffixes
            ):
                out.append("orgsuf")
            if low.endswith(lex.role_suffixes) and any(
                low.endswith(s) and len(low) > len(s) for s in lex.role_suffixes
            ):
                out.append("rolesuf")
            if low.endswith(lex.org_class_suffixes):
                out.append("orgclass")
        return out

    def word_entry(self, w: str) -> tuple[list[str], list[str], list[str], list[str]]:
        """(own features, features its neighbours see at offset 1 ("-1:..." / "+1:..."), at
        offset 2, lexicon flags) for a word form; cached."""
        hit = self._cache.get(w)
        if hit is not None:
            return hit
        low = w.lower()
        sh = shape(w)
        flags = self._flags(w)
        own = ["w=" + low, "sh=" + sh]
        n = len(low)
        for k in (1, 2, 3, 4):
            if n > k:
                own.append(f"s{k}=" + low[-k:])
        for k in (2, 3, 4):
            if n > k:
                own.append(f"p{k}=" + low[:k])
        first = w[:1]
        if first.isupper():
            own.append("cap")
            if n > 1 and w.isupper():
                own.append("allcap")
        elif first.islower():
            own.append("low")
        if n <= 2:
            own.append("short")
        fq = self.lex.freq.get(low, 0)
        own.append(f"fq={fq}")
        own.extend(flags)
        if "-" in w.strip("-"):
            parts = w.strip("-").split("-")
            head, tail = parts[0], parts[-1]
            own.append("h0=" + head.lower())
            own.append("hN=" + tail.lower())
            own.append("h0sh=" + shape(head))
            own.extend("h0:" + f for f in self._flags(head))
            own.extend("hN:" + f for f in self._flags(tail))
        elif n > 4 and first.isupper():
            # "Berliner", "Amerikas": a place stem with a derivational or genitive ending.
            for end in ("er", "ern", "ers", "erin", "isch", "ische", "ischen", "ischer", "isches"):
                if low.endswith(end) and w[: n - len(end)] in self.lex.places:
                    own.append("locstem+" + end)
                    break
        ctx = ["w=" + low, "sh=" + sh, "fq=" + str(fq)]
        ctx.extend(flags)
        far = ["w=" + low]
        far.extend(
            f for f in flags if f in ("role", "rolesuf", "orgcue", "fn", "loc", "common", "orgclass", "locclass")
        )
        entry = (own, ctx, far, flags)
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[w] = entry
        return entry

    # -- a sentence -----------------------------------------------------------------------------

    def _phrases(self, words: list[str]) -> list[str | None]:
        """Multi-word gazetteer names over the sentence, as B-/I- marks (longest match wins)."""
        marks: list[str | None] = [None] * len(words)
        phrases = self.lex.phrases
        i, n = 0, len(words)
        while i < n:
            cands = phrases.get(words[i])
            if cands:
                for parts, label in cands:
                    k = len(parts)
                    if tuple(words[i : i + k]) == parts:
                        marks[i] = "B-" + label
                        for j in range(i + 1, i + k):
                            marks[j] = "I-" + label
                        i += k
                        break
                else:
                    i += 1
            else:
                i += 1
        return marks

    def dynamic(self, words: list[str]) -> tuple[list[int], list[str]]:
        """Features that depend on the token's place in the sentence, as (token index, feature)."""
        n = len(words)
        rows: list[int] = []
        attrs: list[str] = []
        marks = self._phrases(words)
        inq = False
        for i in range(n):
            w = words[i]
            if w in _QUOTES:
                if w in _OPENERS:
                    inq = True
                elif w in _CLOSERS:
                    inq = False
                else:
                    inq = not inq
            if inq:
                rows.append(i)
                attrs.append("inq")
            m = marks[i]
            if m is not None:
                rows.append(i)
                attrs.append("gz=" + m)
            if i > 0 and marks[i - 1] is not None:
                rows.append(i)
                attrs.append("-1:gz=" + marks[i - 1])
            if 0 < i < n - 1 and words[i - 1] == "(" and words[i + 1] == ")":
                rows.append(i)  # "(MIT)", "(SPD)": a short name in brackets, often an acronym
                attrs.append("paren")
        # The shapes of the window, as one feature ("Xx Xx x": a two-word name before a verb),
        # and the word pair before the token ("Präsident Joe").
        entries = [self.word_entry(w) for w in words]
        shapes = ["^"] + [e[0][1][3:] for e in entries] + ["$"]
        lows = ["^"] + [e[0][0][2:] for e in entries]
        for i in range(n):
            rows.append(i)
            attrs.append(f"shw={shapes[i]}|{shapes[i + 1]}|{shapes[i + 2]}")
            rows.append(i)
            attrs.append(f"bi={lows[i]}|{lows[i + 1]}")
        # Sentence-initial capitals say little; these let the model learn which first words
        # are still names (by their lexicon flags) and which are not.
        e = entries[0]
        first = ["BOS", "bos&" + e[0][0]] + ["bos&" + f for f in e[3]]
        rows.extend([0] * len(first))
        attrs.extend(first)
        rows.append(n - 1)
        attrs.append("EOS")
        rows.extend(range(n))
        attrs.extend(["bias"] * n)
        return rows, attrs

    def sentence(self, words: list[str]) -> list[list[str]]:
        """All features of every token, as crfsuite takes them (training and reference tagging)."""
        n = len(words)
        entries = [self.word_entry(w) for w in words]
        out: list[list[str]] = []
        for i in range(n):
            feats = list(entries[i][0])
            if i > 0:
                feats += ["-1:" + f for f in entries[i - 1][1]]
            if i > 1:
                feats += ["-2:" + f for f in entries[i - 2][2]]
            if i + 1 < n:
                feats += ["+1:" + f for f in entries[i + 1][1]]
            if i + 2 < n:
                feats += ["+2:" + f for f in entries[i + 2][2]]
            out.append(feats)
        rows, attrs = self.dynamic(words)
        for i, a in zip(rows, attrs, strict=True):
            out[i].append(a)
        return out
