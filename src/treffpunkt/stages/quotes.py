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

import bisect
from collections.abc import Mapping
from dataclasses import dataclass

from ..record import Quote, QuoteKind, Record, Sentence, Span, Token
from .quotes_lexicon import QuoteLexicon
from .quotes_marks import Marked, find_marked
from .quotes_speaker import SpeakerFinder, SpeakerRef

_MARKS = set('„“”»«‚‘"')
_END = {".", "!", "?", "…"}
_CONJ_DROP = {"dass", "daß"}  # left out of the quote text
_CONJ_KEEP = {"ob", "wie", "warum", "weshalb", "wieso", "wann", "wo", "wer", "was", "welche", "welcher", "inwieweit"}
_FIRST_PERSON = frozenset(
    "ich wir mir mich uns unser unsere unserer unseren unserem meine mein meiner meinen meinem".split()
)
_SO = "so"
# endings of adjectives, which a clause-final "-e" word must not have to pass as a verb
_ADJECTIVE_ENDINGS = ("ische", "liche", "ige", "ale", "ive", "ene", "bare", "same", "lose", "ende", "ante", "ente")
# Konjunktiv II forms that report speech even without a reporting clause, right after a quote
_FREE_KII = {"würde", "würden", "hätte", "hätten"}
# lowercase words that may stand inside a multi-word name ("Departement Information und Presse")
_NAME_LINKS = frozenset(
    "und für der die das des von vom im in am an zu zur zum mit of the and for de la le du del y e".split()
)
# lowercase words after a comma that do not open an inverted reporting clause
_NOT_INVERTING = frozenset(
    "dass weil wenn obwohl damit nachdem bevor sondern aber denn doch oder und als seit bis trotzdem "
    "dennoch jedoch deshalb darunter gegen unter nach zwischen zuletzt zunächst erst meist etwa heißt "
    # auxiliaries and modals: "…, hatte Cameron die gleiche Antwort gegeben"
    "hatte hatten haben war waren wurde wurden werden konnte konnten sollte sollten musste mussten "
    "wollte wollten durfte sind wird kann soll muss will".split()
)
_MODALS = frozenset(
    "sollen sollten wollen wollten können konnten könnten müssen mussten müssten werden würden dürfen "
    "dürften lassen zu".split()
)
# A cue-less quote continues the last speaker only this close behind it.
_CONTINUE_SENTENCES = 3
# Zipf frequency from which a word form counts as one that exists
_COMMON = 2
# finite forms of "haben" before a reporting participle
_AUXILIARIES = frozenset({"hat", "hatte", "hatten", "haben", "habe", "hätte", "hätten"})


@dataclass(slots=True)
class _Last:
    """The last quote's speaker, for quotes that go on without a reporting clause."""

    entities: tuple[str, ...]
    ref: SpeakerRef | None
    sentence: int


def _is_word(tok: Token) -> bool:
    return any(c.isalnum() for c in tok.text)


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


class _Run:
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

    # -- indirect quotes ---------------------------------------------------------------------------

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
        elif self.tokens[lo].text.lower() not in {"dies", "das"} or self._konj(lo + 2, end) is not None:
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
            and self.tokens[end - 2].text == "zu"
            and last.isalpha()
            and last.islower()
            and self.tokens[start].text.lower() != "um"
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
            elif j > lo and self.tokens[j + 1].text.lower() in _AUXILIARIES and j + 2 < c:
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
