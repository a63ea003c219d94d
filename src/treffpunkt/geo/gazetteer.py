"""The gazetteer: place names -> GeoNames places, and a fast longest-match over token lists."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..lang import ordered, table, wordlist
from ..record import GeoRef
from .build import ALTERNATE, FEATURES, QUALITY_BONUS, Index, load_index
from .names import fold, inflection_variants, key

# A single-word match needs a place cue in front ("in", "nach", "Stadt") unless its best place
# scores at least this much: a town of ~40,000 people, any division, country or continent.
BARE_MIN_SCORE = 33.0
# ... and when the word is only an alternate name of that place (not its main or a curated
# German name: "Ban" for Van), the place must be a city of ~1.5 million or more.
BARE_ALTERNATE_MIN_SCORE = 41.0
# A name of several words ("Wiener Neustadt", "Surat Thani") without a cue: a town of ~6,000,
# or ~150,000 when only an alternate name ("Black Hawk" for Janesville).
MULTI_MIN_SCORE = 28.9
MULTI_ALTERNATE_MIN_SCORE = 36.0
# Cues without an article: only these make a common noun a place ("in Essen", not "im Norden").
PLAIN_CUES = frozenset({"in", "nach", "aus", "bei", "Richtung", "gen", "nahe"})
# A place whose name is also a German noun needs a plain cue unless it is a city of 400,000 or
# more ("Boston" is also a dance; "Essen" is listed as ambiguous regardless); one whose name is
# also a first name or surname needs one below that size too ("Maria", "Taylor"; not "Boston").
NOUN_PLACE_MIN_POPULATION = 400_000
NAME_PLACE_MIN_POPULATION = 400_000
FOREIGN_COUNTRY_NAME_SCORE = 34.0
MAX_CANDIDATES = 20
# A genitive "-s" is taken off only for places this prominent (a city of ~50,000 and up), so
# that ordinary words ending in -s do not turn into villages.
GENITIVE_MIN_SCORE = 33.5


@dataclass(frozen=True, slots=True)
class Candidate:
    place: int
    score: float


class Gazetteer:
    """Look up and match place names. Build with `Gazetteer.load()` (cached per process)."""

    def __init__(self, index: Index, *, lang: str = "de"):
        self.index = index
        c = index.columns
        self._ids = c["geonameid"]
        self._names = c["name"]
        self._lat = c["lat"]
        self._lon = c["lon"]
        self._country = c["country"]
        self._admin1 = c["admin1"]
        self._feature = c["feature"]
        self._population = c["population"]
        self._prior = c["prior"]
        # Month names are capitalised and several are towns somewhere ("Mai", "August").
        self.stopwords = wordlist(lang, "geo_stopwords.txt") | frozenset(table(lang, "months.tsv"))
        self.ambiguous = wordlist(lang, "geo_ambiguous.txt")
        self.cues = wordlist(lang, "geo_cues.txt")
        self.plain_cues = PLAIN_CUES | {c for c in self.cues if c[:1].isupper()}  # "Stadt Essen"
        self.class_nouns = tuple(sorted(ordered(lang, "geo_class_nouns.txt"), key=len, reverse=True))

    @classmethod
    def load(cls, *, cache_dir: Path | None = None) -> Gazetteer:
        if cache_dir is not None:
            return cls(load_index(cache=cache_dir))
        return _default()

    # -- places -------------------------------------------------------------------------------

    def georef(self, place: int) -> GeoRef:
        lat, lon = self._lat[place], self._lon[place]
        gid = self._ids[place]
        return GeoRef(
            geonameid=None if gid < 0 else gid,
            name=self._names[place],
            lat=None if math.isnan(lat) else lat,
            lon=None if math.isnan(lon) else lon,
            country=self._country[place],
            admin1=self._admin1[place],
            feature=FEATURES[self._feature[place]],
        )

    def feature(self, place: int) -> str:
        return FEATURES[self._feature[place]]

    def country_of(self, place: int) -> str | None:
        return self._country[place]

    def admin1_of(self, place: int) -> str | None:
        return self._admin1[place]

    def population(self, place: int) -> int:
        return self._population[place]

    def point(self, place: int) -> tuple[float, float] | None:
        lat, lon = self._lat[place], self._lon[place]
        return None if math.isnan(lat) else (lat, lon)

    def country_place(self, iso: str) -> int | None:
        return self.index.countries.get(iso)

    def capital(self, iso: str) -> int | None:
        """The capital city of a country, by its ISO code."""
        return self.index.capitals.get(iso)

    # -- lookup -------------------------------------------------------------------------------

    def candidates(self, name: str) -> list[Candidate]:
        """Scored candidates for a name as written, best first (see `lookup`)."""
        name = " ".join(name.split())
        found = self._by_key(key(name))
        if not found:
            for variant in inflection_variants(name):
                found = [c for c in self._by_key(key(variant)) if c.score >= GENITIVE_MIN_SCORE]
                if found:
                    break
        if not found:
            stripped = self._strip_class_noun(name)
            if stripped and stripped != name:
                return self.candidates(stripped)
        return found

    def lookup(self, name: str) -> list[GeoRef]:
        """Places a name may refer to, best first by feature precedence and population."""
        return [self.georef(c.place) for c in self.candidates(name)]

    def _by_key(self, k: str) -> list[Candidate]:
        entry = self.index.names.get(k)
        if entry is None:
            return []
        codes = (entry,) if isinstance(entry, int) else entry
        out = [Candidate(code // 4, self._score(code)) for code in codes]
        out.sort(key=lambda c: -c.score)
        return out

    def _score(self, code: int) -> float:
        place, quality = code // 4, code % 4
        score = self._prior[place] + QUALITY_BONUS[quality]
        if quality == ALTERNATE and self._feature[place] <= 1:
            # A country by a foreign name only: in German text "Georgia" is the US state (the
            # country is "Georgien"), so it ranks like a town of ~60,000, below a state of that name.
            score = min(score, FOREIGN_COUNTRY_NAME_SCORE)
        return score

    def _strip_class_noun(self, name: str) -> str | None:
        for noun in self.class_nouns:
            if name.startswith(noun + " "):
                return name[len(noun) + 1 :].strip()
        # Compounds ending in a class noun: "US-Hauptstadt Washington", "Hafenstadt Tripoli".
        first, _, rest = name.partition(" ")
        if rest and first[:1].isupper():
            low = first.lower()
            if any(low.endswith(noun.lower()) for noun in self.class_nouns if " " not in noun):
                return rest.strip()
        return None

    # -- matching in token lists --------------------------------------------------------------

    def match(self, words: list[str]) -> list[tuple[int, int, list[GeoRef]]]:
        """Longest place names in a token list: (first token, end token exclusive, candidates).

        A name starts with a capitalised token (or an all-caps one the gazetteer knows as a
        preferred name, like "USA"). Words that are common German words first ("Die", "Bad",
        "Essen") are skipped unless part of a longer name or, for the ambiguous ones, right after
        a place cue ("in Essen").
        """
        return [
            (s, e, [self.georef(c.place) for c in cands[:MAX_CANDIDATES]])
            for s, e, cands in self.match_candidates(words)
        ]

    def match_candidates(self, words: list[str]) -> list[tuple[int, int, list[Candidate]]]:
        out: list[tuple[int, int, list[Candidate]]] = []
        first = self.index.first
        pairs = self.index.pairs
        n = len(words)
        i = 0
        while i < n:
            w = words[i]
            if not w or not w[0].isupper():
                i += 1
                continue
            k0 = fold(w)
            hit = None
            longest = min(first.get(k0, 1), n - i)
            if longest > 1 and f"{k0} {fold(words[i + 1])}" not in pairs:
                longest = 1  # no name goes on with the next word: skip the longer tries
            for length in range(longest, 0, -1):
                k = k0 if length == 1 else " ".join([k0, *(fold(x) for x in words[i + 1 : i + length])])
                cands = self._by_key(k)
                if cands and self._acceptable(words, i, length, cands):
                    hit = (i, i + length, cands)
                    break
            if hit is None and len(w) > 4 and w.endswith("s") and w[-2].islower():
                # Genitive of a one-word name: "Berlins", "Bostons".
                cands = [c for c in self._by_key(k0[:-1]) if c.score >= GENITIVE_MIN_SCORE]
                if cands and self._acceptable(words, i, 1, cands, stem=w[:-1]):
                    hit = (i, i + 1, cands)
            if hit is None:
                i += 1
                continue
            out.append(hit)
            i = hit[1]
        return out

    def _acceptable(
        self, words: list[str], i: int, length: int, cands: list[Candidate], stem: str | None = None
    ) -> bool:
        w = stem or words[i]
        prev = words[i - 1] if i > 0 else ""
        nxt = words[i + length] if i + length < len(words) else ""
        top = cands[0]
        big = self.feature(top.place) in ("country", "continent")
        # Sentence-initial "In", "Nach" are cues too.
        cue_word = prev if prev in self.cues else prev.lower() if prev.lower() in self.cues else None
        if (
            not big
            and cue_word is None
            and prev not in self.stopwords
            and (prev in self.index.first_names or (len(prev) == 2 and prev[1] == "." and prev[0].isupper()))
        ):
            return False  # after a first name or an initial: "Woodrow Wilson", "Melissa C. Jackson"
        cue = cue_word is not None
        if cue and cue_word in ("von", "vom") and i > 1 and words[i - 2] in self.index.first_names:
            cue = False  # "Tessen von Heydebreck"
        if length > 1:
            if words[i] in self.index.first_names and not big and top.score < BARE_MIN_SCORE:
                return False  # "Rafael Ramirez", "Luis Rodríguez" (but "Rio de Janeiro")
            if cue:
                return True
            alternate = self._quality(self._key(words, i, length), top.place) == 2
            return top.score >= (MULTI_ALTERNATE_MIN_SCORE if alternate else MULTI_MIN_SCORE)
        if w in self.stopwords:
            return False
        if w.isupper() and len(w) > 1:
            # Acronyms: only where a preferred (curated) name says it is a place ("USA", "UK").
            code = self.index.names.get(fold(w))
            codes = (code,) if isinstance(code, int) else (code or ())
            return any(c % 4 == 0 for c in codes)
        # The hyphen after "Gesundheits-" is a truncated compound, not a name.
        if w.endswith("-"):
            return False
        if big:
            return True
        alternate = self._quality(fold(w), top.place) == 2
        plain_cue = cue and cue_word in self.plain_cues
        population = self.population(top.place)
        if w in self.ambiguous or (
            w in self.index.nouns
            and self.feature(top.place) in ("city", "region", "admin2")
            and (alternate or population < NOUN_PLACE_MIN_POPULATION)
        ):
            # "in Essen" but not "das Essen", "im Norden", "an der Mission", "in Panik".
            return plain_cue and top.score >= BARE_MIN_SCORE
        if (
            population < NAME_PLACE_MIN_POPULATION
            and not plain_cue
            and (w in self.index.first_names or w in self.index.last_names)
        ):
            return False  # "Maria", "Sophia", "Taylor", "von Johnson"
        if cue:
            if cue_word in ("von", "vom") and nxt[:1].isupper() and nxt[:1].isalpha():
                return False  # "von Javier Solana", "von Abu Mahdi"
            return not alternate or top.score >= BARE_MIN_SCORE
        if stem is None and nxt[:1].isupper() and nxt[:1].isalpha():
            # "Kai Wegner", "Washington Post", "Bayern München": a name that runs on is a person's
            # or an organisation's, unless a preposition made it a place ("in Berlin Kanzler …").
            return False
        if nxt in ("der", "de", "van", "von", "den", "da", "di", "du", "del", "la", "le"):
            return False  # "Van der Bellen"
        return top.score >= (BARE_ALTERNATE_MIN_SCORE if alternate else BARE_MIN_SCORE)

    @staticmethod
    def _key(words: list[str], i: int, length: int) -> str:
        return " ".join(fold(x) for x in words[i : i + length])

    def _quality(self, k: str, place: int) -> int:
        entry = self.index.names.get(k)
        codes = (entry,) if isinstance(entry, int) else (entry or ())
        return min((c % 4 for c in codes if c // 4 == place), default=3)

    # -- context ------------------------------------------------------------------------------

    def country_words(self, words: list[str]) -> list[tuple[int, str]]:
        """Country codes named by adjectives and compound prefixes: "im spanischen València",
        "US-Präsident". Returns (token index, ISO code)."""
        out: list[tuple[int, str]] = []
        adjectives = self.index.adjectives
        prefixes = self.index.prefixes
        for i, w in enumerate(words):
            if "-" in w[1:]:
                head = w.split("-", 1)[0]
                if head in prefixes:
                    out.append((i, prefixes[head]))
                    continue
            lw = w.lower()
            for ending in ("", "e", "en", "er", "es", "em"):
                if ending and not lw.endswith(ending):
                    continue
                stem = lw[: len(lw) - len(ending)] if ending else lw
                if stem in adjectives:
                    out.append((i, adjectives[stem]))
                    break
        return out


@cache
def _default() -> Gazetteer:
    return Gazetteer(load_index())
