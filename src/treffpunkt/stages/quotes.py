"""Quotations: direct („…“) and indirect (Konjunktiv I, "sagte, dass …", "laut X"), with speakers.

One pass over the sentences in text order. A direct quote is the inside of one
pair of marks; its speaker is the phrase next to a reporting verb in the
sentence(s) around it, or the previous quote's speaker when a quote paragraph
goes on without a new reporting clause. An indirect quote is a clause that a
reporting verb, a source phrase ("laut", "zufolge", "nach Angaben") or a
Konjunktiv verb marks as reported. Quoted names and titles ("das
„Kyoto-Protokoll“") are not quotations: one or two words in marks need more
than marks to count.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..record import Quote, QuoteKind, Record, Span
from .quotes_common import _CONTINUE_SENTENCES, _END, _MARKS, _MODALS, _NAME_LINKS, _SO, _is_word, _Last
from .quotes_indirect import IndirectQuotes
from .quotes_lexicon import QuoteLexicon
from .quotes_marks import Marked, find_marked
from .quotes_mood import Mood
from .quotes_speaker import SpeakerFinder, SpeakerRef


class QuoteExtractor:
    name = "quotes"
    requires = ("tokens", "sentences", "mentions", "entities")
    assigns = ("quotes",)

    def __init__(
        self,
        lang: str = "de",
        *,
        keep_unattributed: bool = False,
        source_facts: bool = False,
        min_words: int = 3,
        frequencies: Mapping[str, int] | None = None,
    ):
        """keep_unattributed: also emit quotes whose speaker is unknown or anonymous (speaker None).
        source_facts: also report indicative statements credited to an organisation or medium
        ("Nach Angaben der Polizei wurden drei Menschen verletzt"); the evaluation contract
        (shared/eval/FORMAT.md) does not count these as quotes, some corpora do.
        min_words: fewer words in marks than this need a full sentence and a speaker to count.
        frequencies: lowercase word -> Zipf bucket, to tell Konjunktiv I forms the lists lack
        ("bekenne": "bekennt" and "bekennen" are words); defaults to the NER lexicon's."""
        if frequencies is None:
            from .ner_gazetteer import default_lexicon

            frequencies = default_lexicon().freq
        self.lang = lang
        self.lex = QuoteLexicon.load(lang)
        self.freq = frequencies
        self.keep_unattributed = keep_unattributed
        self.source_facts = source_facts
        self.min_words = min_words

    def __call__(self, record: Record) -> Record:
        record.quotes = _Run(record, self).quotes()
        return record


class _Run(IndirectQuotes, Mood):
    """The state of one article's pass."""

    def __init__(self, record: Record, ex: QuoteExtractor):
        self.record = record
        self.ex = ex
        self.lex = ex.lex
        self.text = record.text
        self.tokens = record.tokens
        self.speakers = SpeakerFinder(record, ex.lex)
        body = record.article.body_span
        self.marked = find_marked(self.text, body.start, body.end)
        # Text whose body has no quotation marks (10kGNAD strips them; a headline may keep some):
        # direct speech is unmarked there too.
        head_end = record.sentences[1].span.end if len(record.sentences) > 5 else -1
        self.unmarked = not any(m.start > head_end for m in self.marked)
        # token index -> index of the quotation (marks included) it lies in
        self.in_marks: dict[int, int] = {}
        for k, m in enumerate(self.marked):
            first = self.speakers.token_range(Span(m.start - 1, m.end + (1 if m.closed else 0)))
            for i in first:
                self.in_marks[i] = k
        # tokens that may be a Konjunktiv verb, found once per article
        self._konj_tokens = [i for i in range(len(self.tokens)) if self._konj_candidate(i)]
        self.quoted_sentences: set[int] = set()  # sentences a quote was read from
        self.last: _Last | None = None
        self.pending: tuple[QuoteKind, Span, Span | None, int] | None = None  # a quote still without speaker
        self.out: list[Quote] = []

    # -- driver ----------------------------------------------------------------------------------

    def quotes(self) -> list[Quote]:
        sentences = self.record.sentences
        starts = [self._sentence_index(m.start - 1) for m in self.marked]
        for si, sent in enumerate(sentences):
            for k, m in enumerate(self.marked):
                if starts[k] == si:
                    self._direct(k, m, si)
            self._indirect(sent, si)
        return self._clean(self.out)

    def _sentence_index(self, offset: int) -> int:
        sents = self.record.sentences
        lo, hi = 0, len(sents)
        while lo < hi:
            mid = (lo + hi) // 2
            if sents[mid].span.end <= offset:
                lo = mid + 1
            else:
                hi = mid
        return min(lo, len(sents) - 1)

    def _emit(
        self, kind: QuoteKind, span: Span, ref: SpeakerRef | None, ents: tuple[str, ...], cue: Span | None, si: int
    ) -> None:
        span = self._trim(span)
        if span.end <= span.start:
            return
        self.quoted_sentences.add(si)
        if ents:
            for e in ents:
                self.out.append(Quote(kind, span, e, ref.span if ref else None, cue))
        else:
            self.pending = (kind, span, cue, si)
            if self.ex.keep_unattributed:
                self.out.append(Quote(kind, span, None, ref.span if ref else None, cue))
        self.last = _Last(ents, ref, si) if ents else None

    def _trim(self, span: Span) -> Span:
        s, e = span.start, span.end
        while s < e and (self.text[s].isspace() or self.text[s] in ",;:–-"):
            s += 1
        while e > s and (self.text[e - 1].isspace() or self.text[e - 1] in ",;:–-"):
            e -= 1
        # keep the closing mark of a quoted phrase that ends the span: „zur Kenntnis“
        inner = self.text[s:e]
        opened = inner.count("„") + inner.count("»") - inner.count("“") - inner.count("«")
        if e < len(self.text) and self.text[e] in "“«" and opened > 0:
            e += 1
        return Span(s, e)

    def _resolve(self, ref: SpeakerRef, si: int, *, plural: bool = False) -> tuple[str, ...]:
        recent = self._continued(si, 2)
        since = self.record.sentences[recent.sentence].span.start if recent else 0
        phrase = recent.ref.span.text(self.text) if recent and recent.ref else ""
        return self.speakers.resolve(
            ref,
            plural=plural,
            before=self.record.sentences[si].span.start,
            recent=recent.entities if recent else (),
            since=since,
            recent_phrase=phrase,
        )

    def _continued(self, si: int, within: int = _CONTINUE_SENTENCES) -> _Last | None:
        if self.last is not None and si - self.last.sentence <= within:
            return self.last
        return None

    def _context(self, si: int, within: int) -> _Last | None:
        """Who speaks in a sentence without a reporting clause: the speaker of the sentence just before,
        else the person or organisation that sentence opens with, else a recent speaker."""
        if self.last is not None and self.last.sentence >= si - 1:
            return self.last
        return self._topic(si - 1) or self._continued(si, within)

    def _topic(self, si: int) -> _Last | None:
        """The named person or organisation a sentence opens with ("Die Staatsanwaltschaft begründete …"):
        the speaker of Konjunktiv sentences that follow it."""
        if si < 0:
            return None
        sent = self.record.sentences[si]
        lo, hi = sent.first_token, sent.last_token
        if self._konj(lo, hi, strong_only=True) is not None:
            return None  # a reported sentence itself: who it names is content, not the speaker
        # text without marks (10kGNAD) also runs its subheadings into the next sentence:
        # "Pontifikale Metaphern Franziskus erwähnte …"
        for i in range(lo, min(lo + (3 if self.unmarked else 2), hi)):
            if i in self.in_marks:
                return None
            ref = self.speakers.phrase_at(i, hi)
            if ref is None:
                continue
            if ref.anonymous or ref.kind == "description" and not ref.entities:
                return None
            ents = self._resolve(ref, si)
            return _Last(ents, ref, si) if ents else None
        return None

    # -- cues --------------------------------------------------------------------------------------

    def _is_cue(self, i: int, stop: int) -> bool:
        """A reporting verb at token i; a separable one needs its particle before `stop`."""
        low = self.tokens[i].text.lower()
        particles = self.lex.verbs.get(low)
        if particles is None:
            return False
        if low.endswith("en") and self._infinitive(i):
            return False
        if not particles:
            return True
        return any(self.tokens[j].text.lower() in particles for j in range(i + 1, stop) if j not in self.in_marks)

    def _infinitive(self, i: int) -> bool:
        """ "erklären sollten", "zu erklären": the "-en" form is an infinitive, not a finite reporting verb."""
        prev = self.tokens[i - 1].text.lower() if i > 0 else ""
        nxt = self.tokens[i + 1].text.lower() if i + 1 < len(self.tokens) else ""
        return prev == "zu" or nxt in _MODALS

    def _speaker_near(self, c: int, lo: int, hi: int) -> SpeakerRef | None:
        """The subject of the reporting verb at c: right after it (V2 inversion) or right before it."""
        after = self.speakers.phrase_after(c + 1, hi)
        before = self.speakers.phrase_before(c, lo)
        named_after = after is not None and (bool(after.entities) or after.kind == "pronoun")
        named_before = before is not None and (bool(before.entities) or before.kind == "pronoun")
        if named_after and named_before:
            # "Kauder erklärte der Leipziger Volkszeitung, …": the person before the verb is the subject,
            # the medium after it a dative object; "Dem Spiegel sagte Merkel": the person after it
            if self._speaks_as_person(before) != self._speaks_as_person(after):
                return before if self._speaks_as_person(before) else after
            return after
        if named_after:
            return after
        if named_before or after is None:
            return before
        return after

    def _speaks_as_person(self, ref: SpeakerRef | None) -> bool:
        if ref is None:
            return False
        if ref.kind == "pronoun":
            return True
        return any(self.speakers.is_person(e) for e in ref.entities)

    def _plural(self, c: int) -> bool:
        return self.tokens[c].text.lower().endswith("en")

    # -- direct quotes -----------------------------------------------------------------------------

    def _direct(self, k: int, m: Marked, si: int) -> None:
        inner = [i for i in self.speakers.token_range(Span(m.start, m.end))]
        n_words = sum(1 for i in inner if _is_word(self.tokens[i]))
        if n_words < 1:
            return
        sents = self.record.sentences
        s_first = si
        s_last = self._sentence_index(max(m.end - 1, m.start))
        lo = sents[s_first].first_token
        hi = sents[min(s_last, len(sents) - 1)].last_token
        open_tok = inner[0] - 1 if inner else lo
        close_tok = inner[-1] + 1 if inner else lo
        content = self.text[m.start : m.end].strip()
        full = content[-1:] in _END or (content[-1:] in _MARKS and content[-2:-1] in _END)
        starts_clause = self._starts_clause(open_tok, lo)

        # the title or name of something: "das Buch „…“", "Operation „…“"
        if open_tok - 1 >= lo and self.lex.is_title_noun(self.tokens[open_tok - 1].text) and not full:
            return

        ref: SpeakerRef | None = None
        cue: Span | None = None
        plural = False
        # reporting verbs in the frame, nearest to the quote first
        frame = [i for i in range(lo, hi) if i not in self.in_marks]
        cues = [i for i in frame if self._is_cue(i, hi)]
        cues.sort(key=lambda i: min(abs(i - open_tok), abs(i - close_tok)))
        for c in cues:
            r = self._speaker_near(c, self._clause_start(c, lo), self._clause_end(c, hi))
            if r is not None:
                ref, cue, plural = r, self.tokens[c].span, self._plural(c)
                break
        if ref is None and cues:
            cue = self.tokens[cues[0]].span
        # "…“, so Merkel."
        if (
            ref is None
            and close_tok + 2 < hi
            and self.tokens[close_tok + 1].text == ","
            and self.tokens[close_tok + 2].text.lower() == _SO
        ):
            ref = self.speakers.phrase_at(close_tok + 3, hi)
            if ref is not None:
                cue = self.tokens[close_tok + 2].span
        # "Merkel: „…“"
        if ref is None and open_tok - 1 >= lo and self.tokens[open_tok - 1].text == ":":
            ref = self.speakers.phrase_before(open_tok - 1, lo)
        if ref is None:
            ref = self._source_phrase(lo, hi)[0]

        if n_words < self.ex.min_words and not (full and ref is not None):
            return  # scare quotes, names and titles
        if not full and self._name_like(inner) and open_tok > 0 and self.tokens[open_tok - 1].text != ":":
            return  # "„New York Times“", "„Departement Information und Presse“": a name in marks
        if ref is None and cue is None:
            # no reporting clause: a whole quoted sentence goes on with the last speaker, or with the
            # person the sentence before opens with ("X verurteilte die Haltung … „…“")
            if not (full and starts_clause and n_words >= 4):
                last = self._continued(si, 1)
                if last is not None and n_words >= self.ex.min_words:
                    self._emit("direct", Span(m.start, m.end), None, last.entities, None, si)
                return
            last = self._context(si, _CONTINUE_SENTENCES)
            if last is None:
                if self.ex.keep_unattributed:
                    self._emit("direct", Span(m.start, m.end), None, (), None, si)
                return
            self._emit("direct", Span(m.start, m.end), None, last.entities, None, si)
            return
        if ref is None and not starts_clause and not full:
            return  # a phrase in marks next to a verb of saying that has no subject here
        ents = self._resolve(ref, si, plural=plural) if ref is not None else ()
        if ref is None:
            last = self._continued(si)
            ents = last.entities if last else ()
        self._emit("direct", Span(m.start, m.end), ref, ents, cue, si)

    def _name_like(self, inner: list[int]) -> bool:
        """Every word capitalised but short linking words: the name of something, not speech."""
        words = [self.tokens[i].text for i in inner if _is_word(self.tokens[i])]
        return bool(words) and all(w[:1].isupper() or w[:1].isdigit() or w in _NAME_LINKS for w in words)

    def _starts_clause(self, open_tok: int, lo: int) -> bool:
        return open_tok <= lo or self.tokens[open_tok - 1].text in {":", ".", "!", "?", "“", "”", "«", "»", ","}

    def _clause_start(self, c: int, lo: int) -> int:
        j = c
        while j > lo and self.tokens[j - 1].text not in {":", ";"} and (j - 1) not in self.in_marks:
            j -= 1
        return j

    def _clause_end(self, c: int, hi: int) -> int:
        j = c + 1
        while j < hi and self.tokens[j].text not in {":", ";", ",", "."} and j not in self.in_marks:
            j += 1
        return j

    # -- output ------------------------------------------------------------------------------------

    def _clean(self, quotes: list[Quote]) -> list[Quote]:
        """Drop a quoted fragment that lies inside a reported clause of the same speaker; sort."""
        out = []
        for q in quotes:
            if q.kind == "direct" and any(
                o.kind == "indirect" and o.span.contains(q.span) and o.span != q.span and o.speaker == q.speaker
                for o in quotes
            ):
                continue
            out.append(q)
        seen = set()
        uniq = []
        for q in sorted(out, key=lambda q: (q.span.start, q.span.end)):
            key = (q.span, q.speaker)
            if key not in seen:
                seen.add(key)
                uniq.append(q)
        return uniq
