"""Mood: which words are Konjunktiv verbs, the mark of reported speech."""

from __future__ import annotations

import bisect

from .quotes_common import _ADJECTIVE_ENDINGS, _COMMON, _FIRST_PERSON, _FREE_KII, _MARKS


class Mood:
    """Konjunktiv detection for the quote stage's run over one record (a mixin of `quotes._Run`)."""

    def _konj(self, lo: int, hi: int, *, strong_only: bool = False, free: bool = False) -> int | None:
        """The first Konjunktiv verb in tokens lo..hi-1 outside quotation marks, not in a fixed phrase.
        strong_only: Konjunktiv I only; free: Konjunktiv I or the Konjunktiv II forms that report."""
        n = bisect.bisect_left(self._konj_tokens, lo)
        while n < len(self._konj_tokens) and self._konj_tokens[n] < hi:
            i = self._konj_tokens[n]
            n += 1
            if i in self.in_marks or (self.tokens[i].text[:1].isupper() and i != lo):
                continue
            low = self.tokens[i].text.lower()
            if strong_only and low in self.lex.konjunktiv2:
                continue
            if free and low in self.lex.konjunktiv2 and low not in _FREE_KII:
                continue  # "das wäre gut", "sie könnten": a conditional more often than a report
            return i
        return None

    def _konj_candidate(self, i: int) -> bool:
        low = self.tokens[i].text.lower()
        if low not in self.lex.konjunktiv and not self._clause_final_verb(i) and not self._konjunktiv_i(low):
            return False
        if self._fixed(i):
            return False
        # "stelle ich", "ich habe": first person indicative, not Konjunktiv
        return "ich" not in {self.tokens[n].text.lower() for n in (i - 1, i + 1) if 0 <= n < len(self.tokens)}

    def _konjunktiv_i(self, low: str) -> bool:
        """A third-person Konjunktiv I the lists lack: "-e" on a stem whose "-t" and "-en" forms are
        frequent words ("bekenne": bekennt, bekennen) and that is no word itself (so not an adjective
        like "grüne"), nor the weak past ("sagte": sagen)."""
        if len(low) < 5 or not low.endswith("e") or not low.isalpha() or low in self.lex.not_verbs:
            return False
        stem = low[:-1]
        if self.ex.freq.get(stem, 0) >= _COMMON or (low.endswith("te") and self.ex.freq.get(stem[:-1] + "en", 0)):
            return False
        third = stem + "et" if stem.endswith(("t", "d")) else stem + "t"
        return self.ex.freq.get(third, 0) >= _COMMON and self.ex.freq.get(stem + "en", 0) >= _COMMON

    def _clause_final_verb(self, i: int) -> bool:
        """A lowercase "-e" word closing a clause is a verb ("…, wenn er zurückkehre."): German
        puts the finite verb last in subordinate clauses, and few other lowercase words end in -e."""
        t = self.tokens[i].text
        if len(t) < 5 or not t.endswith("e") or not t.isalpha() or not t.islower() or t in self.lex.not_verbs:
            return False
        if t.endswith("te") or t in self.lex.verbs:
            return False  # "sagte", "machte": the weak past tense ends in -te too
        if t.endswith(_ADJECTIVE_ENDINGS):
            return False  # "politische, …", "die tiefgreifende, …": adjectives
        nxt = self.tokens[i + 1].text if i + 1 < len(self.tokens) else "."
        return nxt in {",", ".", ";", ":", "!", "?"} | _MARKS

    def _fixed(self, i: int) -> bool:
        for phrase in self.lex.fixed:
            for off in range(len(phrase)):
                lo = i - off
                if lo < 0 or lo + len(phrase) > len(self.tokens):
                    continue
                if all(self.tokens[lo + n].text.lower() == w for n, w in enumerate(phrase)):
                    return True
        return False

    def _first_person(self, lo: int, hi: int) -> bool:
        return any(self.tokens[i].text.lower() in _FIRST_PERSON for i in range(lo, hi))
