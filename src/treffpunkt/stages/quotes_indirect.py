"""Indirect quotes: reported speech without quotation marks, found by its reporting clause
("sagte, …", "…, so Merkel", "laut X"), by its mood (Konjunktiv I), or as the sentence a
"Das sagte X" points back to."""

from __future__ import annotations

from ..record import QuoteKind, Sentence, Span
from .quotes_common import (
    _CONJ_DROP,
    _CONJ_KEEP,
    _END,
    _MARKS,
    _NOT_INVERTING,
    _SO,
    _is_word,
)
from .quotes_speaker import SpeakerRef


class IndirectQuotes:
    """The indirect-quote rules of the quote stage's run over one record (a mixin of `quotes._Run`)."""

    def _source_phrase(self, lo: int, hi: int) -> tuple[SpeakerRef | None, int, int]:
        """ "laut X", "X zufolge", "nach Angaben von X": the speaker and the phrase's token range."""
        for i in range(lo, hi):
            if i in self.in_marks:
                continue
            low = self.tokens[i].text.lower()
            if low in self.lex.source_preps:
                j = i + 1
                if j < hi and self.tokens[j].text.lower() in self.lex.source_nouns:
                    j += 1  # "laut Angaben der Polizei"
                    while j < hi and self.tokens[j].text.lower() in {"der", "des", "von", "vom"}:
                        j += 1
                ref = self.speakers.phrase_at(j, hi, bare_noun=True)
                if ref is not None:
                    return ref, i, self._after(ref, hi)
            elif low == "nach" and i + 1 < hi:
                j = i + 1
                if self.tokens[j].text.lower() in {"den", "ihren", "seinen", "eigenen"}:
                    j += 1
                if j < hi and self.tokens[j].text.lower() in self.lex.source_nouns:
                    j += 1
                    while j < hi and self.tokens[j].text.lower() in {"der", "des", "von", "vom"}:
                        j += 1
                    ref = self.speakers.phrase_at(j, hi, bare_noun=True)
                    if ref is not None:
                        return ref, i, self._after(ref, hi)
            elif low in self.lex.source_posts and i > lo:
                for k in range(i - 1, max(lo, i - 6) - 1, -1):
                    ref = self.speakers.phrase_at(k, i)
                    if ref is not None and self.speakers.token_range(ref.span).stop == i:
                        return ref, k, i + 1
        return None, -1, -1

    def _after(self, ref: SpeakerRef, hi: int) -> int:
        """Where a source phrase ends: after the speaker, and after an apposition that describes them
        ("Nach Ansicht von Senator Dodd, Vorsitzender des Bankenausschusses, hat die Fed …")."""
        stop = min(self.speakers.token_range(ref.span).stop, hi)
        if stop + 1 < hi and self.tokens[stop].text == "," and self.tokens[stop + 1].text[:1].isupper():
            for k in range(stop + 2, min(stop + 10, hi)):
                if self.tokens[k].text == ",":
                    return k + 1
                if k in self.in_marks or self.tokens[k].text in _END:
                    break
        return stop

    def _indirect(self, sent: Sentence, si: int) -> None:
        lo, hi = sent.first_token, sent.last_token
        free = [i for i in range(lo, hi) if i not in self.in_marks]
        if not free or sum(1 for i in free if _is_word(self.tokens[i])) < 3:
            return
        if len(free) < (hi - lo) / 2 and not self.unmarked:
            return  # mostly a direct quote: its reporting clause was read there
        end = hi
        while end > lo and self.tokens[end - 1].text in _END | _MARKS:
            end -= 1
        if self._back_reference(lo, end, hi, si):
            return
        named_source = self._source_phrase(lo, end)[0]
        if (
            named_source is not None
            and named_source.kind == "name"
            and not (not self._speaks_as_person(named_source) and self._person_cue(free, lo, end, hi))
            and self._source(lo, end, hi, si)
        ):
            # "… sind laut Klubchef Robert Lugar eine Drohung, wie er sagte"; but in "…, sagte IPN-Direktor
            # Kaminski der Agentur PAP zufolge" the agency only passes on what the person said
            return
        for c in free:
            if not self._is_cue(c, hi):
                continue
            if self._reported_cue(c, lo, si):
                continue
            if self.tokens[c - 1].text == "," if c > lo else False:
                if self._cue_after_content(c, lo, end, hi, si) or self._cue_before_content(c, lo, end, hi, si):
                    return
            elif self._cue_before_content(c, lo, end, hi, si) or self._cue_after_content(c, lo, end, hi, si):
                return
        if self._so_after_content(lo, end, si) or self._inverted(lo, end, si):
            return
        if self._source(lo, end, hi, si):
            return
        self._free(lo, end, si)

    def _person_cue(self, free: list[int], lo: int, end: int, hi: int) -> bool:
        """A reporting verb in the sentence whose subject is a person."""
        return any(self._is_cue(c, hi) and self._speaks_as_person(self._speaker_near(c, lo, end)) for c in free)

    def _reported_cue(self, c: int, lo: int, si: int) -> bool:
        """ "Die OECD habe die Minister gewarnt, dass …" right after a quote: the reporting verb itself
        stands in Konjunktiv, so the whole sentence goes on with the last speaker's words."""
        if c == lo or self.tokens[c - 1].text == "," or self._continued(si, 1) is None:
            return False
        return any(
            self.tokens[i].text.lower() in {"habe", "haben", "hätte", "hätten", "sei", "seien"}
            for i in range(lo, c)
            if self.tokens[i].text != "," and i not in self.in_marks
        ) and not any(self.tokens[i].text == "," for i in range(lo, c))

    def _back_reference(self, lo: int, end: int, hi: int, si: int) -> bool:
        """ "Dies äußerten X und Y.": the quote before, left without a speaker, is theirs; so is the
        sentence before when no quote was read from it and it is speech by its form (Konjunktiv, or
        any statement where the text carries no quotation marks)."""
        if si == 0 or end - lo < 3:
            return False
        if self.tokens[lo].text.lower() not in {"dies", "das", "dieses", "so"} or not self._is_cue(lo + 1, hi):
            return False
        if self.pending is not None and self.pending[3] == si - 1:
            kind, span, _, _ = self.pending
        elif self.tokens[lo].text.lower() not in self.lex.words["back_pointers"] or self._konj(lo + 2, end) is not None:
            return False  # "So betonte Sarkozy, sein Land habe …": the sentence reports its own words
        else:
            prev = self.record.sentences[si - 1]
            a, b = self._after_dateline(prev.first_token, prev.last_token), prev.last_token
            while b > a and self.tokens[b - 1].text in _END | _MARKS:
                b -= 1
            if si - 1 in self.quoted_sentences or b - a < 4 or any(i in self.in_marks for i in range(a, b)):
                return False
            if not self.unmarked and self._konj(a, b, strong_only=True) is None:
                return False
            # the speaker's own words when they speak in the first person; else a report they confirm,
            # which still tells what happened ("Während des Besuchs … sind 50 Dissidenten festgenommen
            # worden. Das sagte …")
            kind = self._kind(a, b) if self._first_person(a, b) else "indirect"
            span = Span(self.tokens[a].start, self.tokens[b - 1].end)
        ref = self.speakers.phrase_after(lo + 2, end)
        if ref is None:
            return False
        ents = self._resolve(ref, si, plural=self._plural(lo + 1))
        if not ents:
            return False
        self.pending = None
        self._emit(kind, span, ref, ents, self.tokens[lo + 1].span, si)
        return True

    def _after_dateline(self, a: int, b: int) -> int:
        """Where a sentence starts after a dateline ("Wien/Berlin – Beim Verhältnis …")."""
        for i in range(a + 1, min(a + 5, b)):
            if self.tokens[i].text in {"–", "—"}:
                return i + 1
        return a

    def _kind(self, lo: int, hi: int) -> QuoteKind:
        if self.unmarked and self._konj(lo, hi) is None:
            return "direct"
        return "indirect"

    def _cue_before_content(self, c: int, lo: int, end: int, hi: int, si: int) -> bool:
        """ "Merkel sagte (am Montag), (dass) die Lage sei ernst." / "Fischer stellt klar: …" """
        j = c + 1
        while j < end and self.tokens[j].text not in {",", ":"} and j not in self.in_marks:
            j += 1
        if j >= end - 1 or j in self.in_marks:
            return False
        sep = self.tokens[j].text
        start = j + 1
        nxt = self.tokens[start].text.lower()
        if nxt in _CONJ_DROP:
            start += 1
        elif nxt in _CONJ_KEEP:
            pass
        elif (
            self._konj(start, end) is None
            and not (sep == ":" and self.unmarked)
            and not (sep == "," and self._zu_infinitive(c, start, end))
        ):
            return False
        if any(i in self.in_marks for i in range(start, end)) and not self.unmarked:
            # the content has marks: count it only when most of it is outside them
            inside = sum(1 for i in range(start, end) if i in self.in_marks)
            if inside > (end - start) / 2:
                return False
        ref = self._speaker_near(c, lo, j)
        if ref is None:
            ref = self.speakers.phrase_before(c, lo)
        span = Span(self.tokens[start].start, self.tokens[end - 1].end)
        if ref is None:
            # a reporting clause whose subject we cannot name: the quote is someone's, not the last speaker's
            self._emit("indirect", span, None, (), self.tokens[c].span, si)
            return True
        ents = self._resolve(ref, si, plural=self._plural(c))
        kind = self._kind(start, end) if sep == ":" else "indirect"
        # "Von einer Vision sei kaum etwas zu bemerken, daher glaubt er, dass …": the clause before is his too
        before = max((i for i in range(lo, c) if self.tokens[i].text == ","), default=-1)
        if (
            before > lo + 2
            and self._konj(lo, before, strong_only=True) is not None
            and not any(i in self.in_marks for i in range(lo, before))
        ):
            self._emit(
                "indirect",
                Span(self.tokens[lo].start, self.tokens[before - 1].end),
                ref,
                ents,
                self.tokens[c].span,
                si,
            )
        self._emit(kind, span, ref, ents, self.tokens[c].span, si)
        return True

    def _zu_infinitive(self, c: int, start: int, end: int) -> bool:
        """ "erklärte, von solchen Absprachen nichts zu wissen": a statement verb and a clause ending in
        "zu" + infinitive, what the speaker says of themselves (not "um … zu": a purpose)."""
        last = self.tokens[end - 1].text
        return (
            end - start >= 3
            and self.tokens[c].text.lower() in self.lex.infinitive_verbs
            and self.tokens[end - 2].text in self.lex.words["infinitive_marker"]
            and last.isalpha()
            and last.islower()
            and self.tokens[start].text.lower() not in self.lex.words["purpose"]
        )

    def _cue_after_content(self, c: int, lo: int, end: int, hi: int, si: int) -> bool:
        """ "Die Lage sei ernst, sagte Merkel." / "…, wie die Polizei mitteilte." """
        if c - 1 <= lo:
            return False
        ref: SpeakerRef | None = None
        comma = -1
        if self.tokens[c - 1].text == ",":
            comma = c - 1
            ref = self.speakers.phrase_after(c + 1, end)
        else:
            # verb-final "…, wie Merkel sagte" / "…, teilte die Polizei mit"
            j = c - 1
            while j > lo and self.tokens[j].text != ",":
                j -= 1
            if j > lo and self.tokens[j + 1].text.lower() == "wie":
                comma = j
                ref = self.speakers.phrase_at(j + 2, c)
            elif j > lo and self.tokens[j + 1].text.lower() == _SO and c == j + 2:
                # "…, so erklärte der Minister zu Beginn der Woche."
                comma = j
                ref = self.speakers.phrase_after(c + 1, end)
            elif j > lo and self.tokens[j + 1].text.lower() in self.lex.words["auxiliaries"] and j + 2 < c:
                # "…, hatte Obama bei seinem Treffen mit Medwedew gesagt": a participle closing the clause
                comma = j
                ref = self.speakers.phrase_after(j + 2, c)
            elif self.lex.verbs.get(self.tokens[c].text.lower()) and j > lo:
                return False
        if comma <= lo or ref is None:
            return False
        content_lo = lo
        if any(self.tokens[i].text in {"Frage", "Nachfrage", "Anfrage"} for i in range(lo, min(lo + 4, comma))):
            return False  # "Auf die Frage, ob …, erwiderte X, …": the question is not X's words
        inside = sum(1 for i in range(content_lo, comma) if i in self.in_marks)
        if inside > (comma - content_lo) / 2:
            return False  # a direct quote's reporting clause
        konj = self._konj(content_lo, comma) is not None
        ents = self._resolve(ref, si, plural=self._plural(c))
        person = any(self.record.entities[e].type == "person" for e in ents if e in self.record.entities)
        wie = self.tokens[comma + 1].text.lower() == "wie"
        if wie and not konj and not person and not self.ex.source_facts:
            return False  # "…, wie das Ministerium mitteilte": a source of facts, not a quote
        if not wie and not konj and not self.unmarked:
            return False  # marked text puts indicative speech in marks; this is an object clause
        kind: QuoteKind = "indirect" if konj or not self.unmarked else "direct"
        first = self._unmarked_start(content_lo, si) if kind == "direct" and content_lo == lo else content_lo
        span = Span(self.tokens[first].start, self.tokens[comma - 1].end)
        self._emit(kind, span, ref, ents, self.tokens[c].span, si)
        # "…, sagt Riedl, das zu klären sei Sache der Gemeinde."
        after = self.speakers.token_range(ref.span).stop
        while after < end and self.tokens[after].text != ",":
            after += 1
        if after + 1 < end and self._konj(after + 1, end) is not None:
            self._emit(
                "indirect",
                Span(self.tokens[after + 1].start, self.tokens[end - 1].end),
                ref,
                ents,
                self.tokens[c].span,
                si,
            )
        return True

    def _so_after_content(self, lo: int, end: int, si: int) -> bool:
        """ "Die Lage sei ernst, so Merkel." """
        for c in range(lo + 2, end):
            if self.tokens[c].text.lower() != _SO or self.tokens[c - 1].text != "," or c in self.in_marks:
                continue
            ref = self.speakers.phrase_at(c + 1, end, bare_noun=True)
            if ref is None or self.speakers.token_range(ref.span).stop < end - 1:
                continue
            if sum(1 for i in range(lo, c - 1) if i in self.in_marks) > (c - 1 - lo) / 2:
                return False
            ents = self._resolve(ref, si)
            kind = self._kind(lo, c - 1)
            first = self._unmarked_start(lo, si) if kind == "direct" else lo
            span = Span(self.tokens[first].start, self.tokens[c - 2].end)
            self._emit(kind, span, ref, ents, self.tokens[c].span, si)
            return True
        return False

    def _unmarked_start(self, lo: int, si: int) -> int:
        """Where unmarked direct speech that ends in "…, sagte X." begins: it may take in up to two
        sentences before in the first person, as long as they name no one, report nothing and quote no
        one themselves ("Wir sind zu einem Abkommen gelangt. Es werden keine Mauern errichtet,
        kommentierte Alfano.")."""
        first = lo
        for n in range(si - 1, max(si - 3, -1), -1):
            if n in self.quoted_sentences:
                break
            sent = self.record.sentences[n]
            a, b = sent.first_token, sent.last_token
            if any(i in self.speakers.mention_at for i in range(a, b)):
                break
            if any(self._is_cue(i, b) for i in range(a, b)) or self._konj(a, b) is not None:
                break
            if any(self.tokens[i].text == ":" for i in range(a, b)) or not self._first_person(a, b):
                break  # only sentences in the first person read as the speaker's own words
            first = a
        return first

    def _inverted(self, lo: int, end: int, si: int) -> bool:
        """ "Die Nachbarn sind offen, zerstreut Bürgermeister Kurt Fischer die Bedenken.": a verb right after
        the comma with a named person as its subject reports what stands before the comma."""
        for c in range(lo + 4, end - 1):
            t = self.tokens[c].text
            if self.tokens[c - 1].text != "," or c in self.in_marks or not (t.isalpha() and t.islower()):
                continue
            if len(t) < 4 or t in _NOT_INVERTING or not t.endswith(("t", "te", "ten", "en")):
                continue
            ref = self.speakers.phrase_after(c + 1, end)
            if ref is None or ref.kind == "pronoun" or not ref.entities:
                continue
            if not all(self.speakers.is_person(e) for e in ref.entities):
                continue
            if any(i in self.in_marks for i in range(lo, c - 1)):
                return False
            if self._konj(lo, c - 1) is None and not self.unmarked:
                return False
            kind = self._kind(lo, c - 1)
            first = self._unmarked_start(lo, si) if kind == "direct" else lo
            span = Span(self.tokens[first].start, self.tokens[c - 2].end)
            self._emit(kind, span, ref, ref.entities, self.tokens[c].span, si)
            return True
        return False

    def _source(self, lo: int, end: int, hi: int, si: int) -> bool:
        """ "Laut Merkel sei die Lage ernst." — Konjunktiv, or a person as the source."""
        ref, p_lo, p_hi = self._source_phrase(lo, end)
        if ref is None:
            return False
        ents = self._resolve(ref, si)
        konj = self._konj(lo, end) is not None
        person = any(self.record.entities[e].type == "person" for e in ents if e in self.record.entities)
        if not konj and not person and not self.ex.source_facts:
            return False
        if p_lo <= lo + 1:
            start, stop = p_hi, end  # the phrase opens the sentence
        elif p_hi >= end - 1:
            start, stop = lo, p_lo
        else:
            start, stop = lo, end
        if stop - start < 3:
            return False
        self._emit(
            "indirect", Span(self.tokens[start].start, self.tokens[stop - 1].end), ref, ents, self.tokens[p_lo].span, si
        )
        return True

    def _free(self, lo: int, end: int, si: int) -> None:
        """A Konjunktiv sentence with no reporting clause: its speaker is named before a colon in it,
        is the pronoun it opens with, or is the last speaker or the sentence before's subject."""
        k = self._konj(lo, end, free=True)
        strong = self._konj(lo, end, strong_only=True)
        first_person = self.unmarked and self._first_person(lo, end)
        if k is None and not first_person:
            return
        colon = next((i for i in range(lo + 1, end) if self.tokens[i].text == ":" and i not in self.in_marks), None)
        if colon is not None and not (k is not None and k > colon) and not self._first_person(colon + 1, end):
            colon = None
        if (
            colon is not None
            and self.unmarked
            and k is not None
            and k < colon
            and self._first_person(colon + 1, end)
            and self._konj(colon + 1, end) is None
        ):
            # unmarked "Es müsse mehr Mittel geben: Wenn …, werden wir nicht zustimmen." -- two quotes
            last = self._context(si, 2)
            if last is not None:
                self._emit(
                    "indirect", Span(self.tokens[lo].start, self.tokens[colon - 1].end), None, last.entities, None, si
                )
                self._emit(
                    "direct",
                    Span(self.tokens[colon + 1].start, self.tokens[end - 1].end),
                    None,
                    last.entities,
                    None,
                    si,
                )
                return
        if colon is not None:
            # "Kowalenko dankte für die Hilfe: Die Generatoren seien …" / unmarked "Fischer: Wir werden …"
            ref = self.speakers.phrase_before(colon, lo)
            if ref is not None and not ref.anonymous:
                ents = self._resolve(ref, si)
                if ents:
                    kind_c: QuoteKind = (
                        "indirect" if k is not None and self._konj(colon + 1, end) is not None else "direct"
                    )
                    self._emit(
                        kind_c, Span(self.tokens[colon + 1].start, self.tokens[end - 1].end), ref, ents, None, si
                    )
                    return
        tok = self.tokens[lo]
        if (
            tok.text.lower() in self.lex.pronouns
            and k is not None
            and k <= lo + 2
            and (strong is not None or self._continued(si, 1) is not None)
        ):
            # "Er wolle in Amerika …": the pronoun names the speaker
            ref = SpeakerRef(tok.span, "pronoun")
            last = self._continued(si)
            if last is not None and last.entities:
                ents = last.entities
            else:
                ents = self._resolve(ref, si)
            self._emit("indirect", Span(self.tokens[lo].start, self.tokens[end - 1].end), ref, ents, None, si)
            return
        if colon is None and k is not None:
            later = next((i for i in range(k + 1, end) if self.tokens[i].text == ":" and i not in self.in_marks), None)
            if later is not None and self._konj(later + 1, end) is None:
                end = later  # "Es habe sich viel verbessert: Noch 2014 war …" -- the rest is the writer's
        opener = self._opening_speaker(lo, k if k is not None else end)
        if opener is not None and k is not None:
            # "Schollbach lehnt einen Verkauf ab, ein Verkauf von Anteilen werde geprüft": the sentence's
            # own subject speaks in the Konjunktiv clause after the comma
            ref, comma = opener
            self._emit(
                "indirect",
                Span(self.tokens[comma + 1].start, self.tokens[end - 1].end),
                ref,
                self._resolve(ref, si),
                None,
                si,
            )
            return
        span = Span(self.tokens[lo].start, self.tokens[end - 1].end)
        kind: QuoteKind = "indirect" if k is not None else "direct"
        last = self._context(si, 2) if strong is not None else self._continued(si, 1)
        if last is None:
            return
        self._emit(kind, span, None, last.entities, None, si)

    def _opening_speaker(self, lo: int, k: int) -> tuple[SpeakerRef, int] | None:
        """A named person or organisation that opens the sentence, and the last comma before the
        Konjunktiv verb at k (the clause that reports what they say)."""
        ref = self.speakers.phrase_at(lo, k)
        if ref is None or ref.kind != "name" or not ref.entities or self.speakers.is_genitive(ref):
            return None
        stop = self.speakers.token_range(ref.span).stop
        commas = [i for i in range(stop + 2, k) if self.tokens[i].text == "," and i not in self.in_marks]
        if not commas:
            return None
        # the comma must close a clause with its own verb, not an apposition right after the name
        return (ref, commas[-1]) if commas[-1] > stop + 3 else None
