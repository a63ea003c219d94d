"""Place names from the gazetteer, over the NER output: trips stand or fall with their places.

The statistical NER misses or splits some place names ("Los Angeles" tagged as
the person "Angeles", an unseen "Żary"). This stage matches the GeoNames
gazetteer over each sentence and
- adds a LOC mention where no mention is and the name is certainly a place
  (several words, a country or state, or a city of some size);
- replaces mentions that a longer place name covers only in part;
- adds a LOC mention for a capital named by its country ("in der indischen Hauptstadt");
- adds a LOC mention for the country or region that opens a trip noun ("Israelbesuch").
A mention that itself contains the place ("Universität Tokio") stays as it is.
"""

from __future__ import annotations

from ..geo import Gazetteer
from ..lang import wordlist
from ..record import Mention, Record, Span, Token

_CERTAIN_FEATURES = {"country", "admin1", "continent", "region"}
_MIN_CITY_POPULATION = 50_000


class PlaceNameTagger:
    name = "place_names"
    requires = ("tokens", "sentences", "mentions")
    assigns = ("mentions",)

    def __init__(self, gazetteer: Gazetteer, lang: str = "de"):
        self.gazetteer = gazetteer
        self.capital_nouns = wordlist(lang, "capital_nouns.txt")
        # longest first, so "besuches" is cut before "besuch"
        self.trip_heads = tuple(sorted(wordlist(lang, "trip_compound_heads.txt"), key=len, reverse=True))

    @classmethod
    def load(cls) -> PlaceNameTagger:
        return cls(Gazetteer.load())

    def _certain(self, place: int, n_words: int) -> bool:
        g = self.gazetteer
        return (
            n_words > 1
            or g.feature(place) in _CERTAIN_FEATURES
            or (g.feature(place) == "city" and g.population(place) >= _MIN_CITY_POPULATION)
        )

    def _capitals(self, record: Record, toks: list[Token], mentions: list[Mention]) -> list[Mention]:
        """ "in der indischen Hauptstadt" with no name after it: a place, the country's capital
        (resolved by the places stage)."""
        out = []
        for i in range(1, len(toks)):
            before, nxt = toks[i - 1].text, toks[i + 1].text if i + 1 < len(toks) else ""
            if (
                toks[i].text in self.capital_nouns
                and before[:1].islower()
                and not nxt[:1].isupper()
                and self.gazetteer.country_words([before])
            ):
                span = Span(toks[i - 1].start, toks[i].end)
                if not any(m.span.overlaps(span) for m in mentions):
                    out.append(Mention(span, "LOC", span.text(record.text), source="rule:capital"))
        return out

    def _trip_compounds(self, record: Record, toks: list[Token], mentions: list[Mention]) -> list[Mention]:
        """ "bei seinem Israelbesuch", "die Chinareise": the place that opens a trip noun written as one
        word (hyphenated ones, "China-Reise", the model finds itself)."""
        out = []
        for tok in toks:
            word = tok.text
            if not (word[:1].isupper() and word.isalpha()):
                continue
            low = word.lower()
            head = next((h for h in self.trip_heads if low.endswith(h) and len(low) - len(h) >= 3), None)
            if head is None or any(m.span.overlaps(tok.span) for m in mentions):
                continue
            prefix = word[: len(word) - len(head)]
            cands = self.gazetteer.candidates(prefix)
            if cands and self.gazetteer.feature(cands[0].place) in _CERTAIN_FEATURES:
                span = Span(tok.start, tok.start + len(prefix))
                out.append(Mention(span, "LOC", prefix, source="rule:compound"))
        return out

    def __call__(self, record: Record) -> Record:
        body = record.article.body_span
        mentions = sorted(record.mentions, key=lambda m: m.span.start)
        drop: set[int] = set()
        added: list[Mention] = []
        for sent in record.sentences:
            if not body.contains(sent.span):
                continue
            toks = record.sentence_tokens(sent)
            for s, e, cands in self.gazetteer.match_candidates([t.text for t in toks]):
                if not cands:
                    continue
                span = Span(toks[s].start, toks[e - 1].end)
                overlapping = [k for k, m in enumerate(mentions) if m.span.overlaps(span)]
                if any(mentions[k].span.contains(span) for k in overlapping):
                    continue  # "Universität Tokio", or the place itself already found
                if overlapping and e - s > 1:
                    drop.update(overlapping)  # "Los [Angeles]" -> "[Los Angeles]"
                elif overlapping or not self._certain(cands[0].place, e - s):
                    continue
                added.append(Mention(span, "LOC", span.text(record.text), source="gazetteer"))
            added.extend(self._capitals(record, toks, mentions))
            added.extend(self._trip_compounds(record, toks, mentions))
        if drop or added:
            record.mentions = [m for k, m in enumerate(mentions) if k not in drop] + added
            record.mentions.sort(key=lambda m: (m.span.start, -m.span.end))
        return record
