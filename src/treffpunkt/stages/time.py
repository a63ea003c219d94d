"""Time expressions: find them, and date them against the publication date.

Dates are honest: never more precise than the text and the publication date allow. A weekday
resolves to a day only when the publication day is known; with only "YYYY-MM" known,
"an diesem Sonntag" is "YYYY-MM"; with no publication date a relative expression keeps its span
and text but has start None. Which Sunday: "kommenden"/"vergangenen" say it; otherwise the tense
of the clause (past: the last one on or before publication; present or future: the next one on
or after it). A month or a day without a year takes the nearest year in the tense's direction.

    TimeTagger()(record)           -> record.times
    normalize("am 3.11.", "2024-11-14", "past") -> ("2024-11-03", None)
    sentence_tense(record, s), is_irrealis(record, s)   (from time_tense)
"""

from __future__ import annotations

import re

from ..record import Record, Span, TimeExpr
from .time_calendar import DAY, Anchor, parse_published, precision_of
from .time_patterns import lexicon, pattern
from .time_resolve import Context, Resolver, final_direction
from .time_tense import ClauseTense, clause_tense, clauses, is_irrealis, sentence_tense

__all__ = ["TimeTagger", "normalize", "sentence_tense", "is_irrealis", "is_reporting_time"]

_WORD = re.compile(r"\w+")
_DIGITS = frozenset("0123456789")
_YEAR_IN = re.compile(r"(?<![\d.])(?:1[0-9]|20)\d\d(?!\d)")
_BREAK = re.compile(r"\n\s*")


def _paragraph_breaks(text: str, start: int, end: int) -> int:
    """How many line breaks (a blank line counts once) lie between start and end."""
    return len(_BREAK.findall(text, start, end))


class TimeTagger:
    """Finds time expressions in the article body and dates them against `published`."""

    name = "time"
    requires = ("tokens", "sentences")
    assigns = ("times",)

    def __init__(self, lang: str = "de"):
        self.lang = lang
        self.lexicon = lexicon(lang)
        self.pattern = pattern(lang)
        self.resolver = Resolver(self.lexicon)
        self._stop = tuple(s.lower() for s in self.lexicon.stop)

    def find(
        self,
        text: str,
        start: int,
        end: int,
        anchor: Anchor | None,
        tense_at,
        words=None,
        sentence_at=None,
        reporting_at=None,
    ) -> list[TimeExpr]:
        """Every expression in text[start:end]; `tense_at(offset)` gives the clause tense there.

        `words`: (offset, word) pairs to try as expression starts (the record's tokens);
        by default every word of the text. `sentence_at(offset)`: where the sentence there starts.
        `reporting_at(offset)`: the clause there only reports ("teilte … am Freitag mit"); its day
        is when the news was told, not a step of the story, so later "tags darauf" skip it.
        """
        if words is None:
            words = [(w.start(), w.group()) for w in _WORD.finditer(text, start, end)]
        out: list[TimeExpr] = []
        last_day: str | None = None
        last_at = start  # where last_day was named
        year_at: tuple[int | None, int] | None = None  # (sentence start, year) of the last year named
        done = start
        pat = self.pattern
        lows = [w.lower() for _, w in words]
        # The cheap test on every word, inlined (a call per word would cost as much as the rest).
        by_word, stems = pat.by_word, pat.weekday_stems
        starts = [
            k
            for k, w in enumerate(lows)
            if w in by_word or w[:1] in _DIGITS or w[:5] in stems or "ägig" in w or "öchig" in w
        ]
        for k in starts:
            pos = words[k][0]
            if pos < done:
                continue
            families = pat.families_for(lows, k)
            if not families:
                continue
            m = pat.match_with(text, pos, families, end)
            if m is None or (self._stop and self._is_stop(text, m)):
                continue
            kind = m.lastgroup
            # "am Nachmittag", "tags darauf" refer back within this paragraph or the one before.
            recent = last_day if _paragraph_breaks(text, last_at, m.start()) <= 1 else None
            ctx = Context(anchor, tense_at, m.start(), recent)
            sent = sentence_at(m.start()) if sentence_at else None
            if year_at is not None and year_at[0] == sent:
                ctx.sentence_year = year_at[1]
            handler = getattr(self.resolver, kind)
            if kind in ("deictic", "year"):
                f = handler(m, ctx, text)
            else:
                f = handler(m, ctx)
            if f is None:
                continue
            done = m.end()
            direction = final_direction(f, anchor, ctx)
            named = _YEAR_IN.search(m.group())
            if named and sentence_at is not None:
                year_at = (sent, int(named.group()))
            s, e = m.span()
            out.append(TimeExpr(Span(s, e), text[s:e], f.start, f.end, f.days, direction))
            # The day the story is at, for "tags darauf", "am Nachmittag", "anschließend".
            day = f.start
            if not day or kind in ("daypart", "sequence"):
                continue
            if kind != "anaph" and precision_of(day) < DAY:
                continue
            if reporting_at is not None and reporting_at(s):
                continue
            last_day, last_at = day, s
        return out

    def _is_stop(self, text: str, m: re.Match[str]) -> bool:
        window = text[max(0, m.start() - 30) : m.end()].lower()
        return any(window.endswith(s) for s in self._stop)

    def __call__(self, record: Record) -> Record:
        article = record.article
        body = article.body_span
        anchor = parse_published(article.published)
        clauses_of = _ClauseIndex(record, self.lang)
        # The tokenizer covers the body only; find() skips anything before `start` anyway.
        words = [(t.start, t.text) for t in record.tokens]

        def sentence_at(offset: int) -> int | None:
            sent = record.sentence_of(offset)
            return sent.span.start if sent else None

        record.times = self.find(
            record.text, body.start, body.end, anchor, clauses_of.tense, words, sentence_at, clauses_of.reporting
        )
        return record


class _ClauseIndex:
    """Clause tenses of a record's sentences, worked out once per sentence when first asked."""

    def __init__(self, record: Record, lang: str):
        self.record = record
        self.lang = lang
        self.cache: dict[int, list[tuple[int, int, ClauseTense]]] = {}

    def _parts(self, offset: int) -> list[tuple[int, int, ClauseTense]] | None:
        sent = self.record.sentence_of(offset)
        if sent is None:
            return None
        key = sent.span.start
        if key not in self.cache:
            parts = []
            for i, clause in enumerate(clauses(self.record.sentence_tokens(sent))):
                words = [t.text for t in clause if t.text[:1].isalpha()]
                parts.append((clause[0].start, clause[-1].end, clause_tense(words, self.lang, first=i == 0)))
            self.cache[key] = parts
        return self.cache[key]

    def tense(self, offset: int) -> str:
        parts = self._parts(offset)
        if parts is None:
            return "unknown"
        here = next((ct for s, e, ct in parts if s <= offset < e), None)
        if here is None or not (here.strong or here.tense == "past"):
            # A clause without a tense of its own (", dem 25. Februar,") borrows the main
            # clause's, else the strongest in the sentence.
            main = [ct.tense for _, _, ct in parts if ct.strong and not ct.subordinate and not ct.report]
            if main:
                return main[0]
            strong = [ct.tense for _, _, ct in parts if ct.strong]
            if "future" in strong:
                return "future"
            if "past" in strong:
                return "past"
        return here.tense if here else "present"

    def reporting(self, offset: int) -> bool:
        parts = self._parts(offset) or []
        here = next((ct for s, e, ct in parts if s <= offset < e), None)
        return here is not None and here.report and not here.strong


def is_reporting_time(record: Record, time: TimeExpr, lang: str = "de") -> bool:
    """The expression dates the report, not the event: it sits in a clause that only reports
    ("…, teilte die Senatskanzlei am Freitag mit"). Events should prefer another time."""
    return _ClauseIndex(record, lang).reporting(time.span.start)


def normalize(text: str, published: str | None, direction: str = "unknown") -> tuple[str | None, str | None]:
    """Date one expression on its own: (start, end). `direction` stands in for the clause tense
    ("past", "present", "future"; "unknown" is treated as present)."""
    tagger = _default_tagger()
    tense = direction if direction in ("past", "present", "future") else "present"
    found = tagger.find(text, 0, len(text), parse_published(published), lambda _: tense)
    if not found:
        return None, None
    # The longest expression is the one the caller meant ("vom 3. bis 14. Dezember", not a part).
    best = max(found, key=lambda t: t.span.end - t.span.start)
    return best.start, best.end


_TAGGERS: dict[str, TimeTagger] = {}


def _default_tagger(lang: str = "de") -> TimeTagger:
    if lang not in _TAGGERS:
        _TAGGERS[lang] = TimeTagger(lang)
    return _TAGGERS[lang]
