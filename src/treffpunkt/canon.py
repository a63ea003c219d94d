"""Across articles: canonical entities, and one encounter (or trip) per real-world event.

Works on records as `serialize.record_dict` writes them, so it serves a batch
in memory and a store alike. Everything is keyed by content, never by order:
feeding the same article twice changes nothing.

- `Canon` gives every entity a stable key ("person:kai wegner",
  "place:5128581"); a surname alone joins a full name only when exactly one
  known person carries it, and the user's alias file can force a merge or
  keep two names apart.
- `merge_encounters` and `merge_trips` fold events and trips from different
  reports of the same encounter into one, keeping every source with its
  evidence span; the status follows the latest report.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_STATUS_RANK = {"unknown": 0, "planned": 1, "cancelled": 2, "ongoing": 3, "happened": 4}
_MEET_LIKE = {"meeting", "visit"}


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    s = unicodedata.normalize("NFKD", (name or "").casefold().translate(_FOLD))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", s).strip()


@dataclass(slots=True)
class CanonEntity:
    key: str
    name: str
    type: str
    aliases: set[str] = field(default_factory=set)
    # (role, article id, publication date): what the text said, when.
    roles: set[tuple[str, str, str | None]] = field(default_factory=set)
    parties: set[tuple[str, str, str | None]] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)


@dataclass(slots=True)
class AliasRules:
    """A user-editable TSV: `same<TAB>alias<TAB>canonical name` or `distinct<TAB>name<TAB>other name`."""

    same: dict[str, str] = field(default_factory=dict)
    distinct: set[frozenset[str]] = field(default_factory=set)

    @classmethod
    def read(cls, path: str | Path | None) -> AliasRules:
        rules = cls()
        if path is None or not Path(path).is_file():
            return rules
        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = [p.strip() for p in line.split("\t")]
            if len(parts) != 3 or parts[0] not in ("same", "distinct"):
                raise ValueError(f"{path}:{n}: expected 'same|distinct<TAB>name<TAB>name', got {line!r}")
            if parts[0] == "same":
                rules.same[fold(parts[1])] = parts[2]
            else:
                rules.distinct.add(frozenset({fold(parts[1]), fold(parts[2])}))
        return rules


class Canon:
    """Lookup-or-create of canonical entities; persons by full name, places by GeoNames id."""

    def __init__(self, rules: AliasRules | None = None, *, track: bool = True):
        """`track`: keep each entity's aliases, roles, parties and articles. The store does not:
        its rows keep them, and a registry of 100,000 articles' worth would only grow."""
        self.rules = rules or AliasRules()
        self.track = track
        self.entities: dict[str, CanonEntity] = {}
        self._surnames: dict[str, set[str]] = {}

    def remember(self, key: str, name: str, type: str) -> CanonEntity:
        """Put back a canonical entity known from before (a store reopening), surname index included."""
        canon = self.entities.setdefault(key, CanonEntity(key=key, name=name, type=type))
        words = fold(name).split()
        if type == "person" and len(words) > 1:
            self._surnames.setdefault(words[-1], set()).add(key)
        return canon

    def key_for(self, ent: dict[str, Any]) -> str:
        etype = ent.get("type") or "organization"
        name = self.rules.same.get(fold(ent["name"]), ent["name"])
        geo = ent.get("geo") or {}
        if etype in ("place", "polity") and geo.get("geonameid"):
            return f"place:{geo['geonameid']}"
        folded = fold(name)
        if etype == "person" and len(folded.split()) == 1:
            full = self._surnames.get(folded, set())
            allowed = {k for k in full if frozenset({folded, fold(self.entities[k].name)}) not in self.rules.distinct}
            if len(allowed) == 1:
                return next(iter(allowed))
        kind = "place" if etype == "polity" else etype
        return f"{kind}:{folded}"

    def add_record(self, rec: dict[str, Any]) -> dict[str, str]:
        """Canonical keys of one article's entities (article entity id -> key), recording what it says."""
        keys: dict[str, str] = {}
        article = str(rec.get("id"))
        published = rec.get("published")
        # Full names first, so a surname alone in the same article finds its person.
        for ent in sorted(rec.get("entities", []), key=lambda e: -len(fold(e["name"]).split())):
            key = self.key_for(ent)
            keys[ent["id"]] = key
            canon = self.entities.get(key)
            if canon is None:
                name = self.rules.same.get(fold(ent["name"]), ent["name"])
                canon = self.remember(key, name, ent.get("type") or "organization")
            if not self.track:
                continue
            canon.aliases.update(a for a in [ent["name"], *ent.get("aliases", [])] if a != canon.name)
            canon.roles.update((r, article, published) for r in ent.get("roles", []))
            if ent.get("party"):
                canon.parties.add((ent["party"], article, published))
            canon.articles.add(article)
        return keys


@dataclass(slots=True)
class Source:
    article: str
    item: str  # event or trip id within the article
    evidence: str
    span: tuple[int, int] | None
    published: str | None
    status: str


@dataclass(slots=True)
class Encounter:
    type: str
    actors: set[str]
    counterparts: set[str]
    place: str | None
    start: str | None
    end: str | None
    status: str
    sources: list[Source] = field(default_factory=list)

    @property
    def participants(self) -> set[str]:
        return self.actors | self.counterparts


def _dates_agree(a: str | None, b: str | None) -> bool:
    """Two dates can name the same day when one is a prefix of the other ("2024-11" and "2024-11-17")."""
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def _latest_status(sources: list[Source]) -> str:
    best = max(sources, key=lambda s: (s.published or "", _STATUS_RANK.get(s.status, 0)))
    return best.status


def _named(keys: set[str]) -> set[str]:
    """Participants that identify an encounter: named persons, organisations and places, not groups
    ("Regierungschefs", "Vertreter") that any number of encounters share."""
    return {k for k in keys if not k.startswith("group:")}


def _same_encounter(
    e: Encounter, typ: str, actors: set[str], counterparts: set[str], place: str | None, start: str | None
) -> bool:
    same_type = e.type == typ or (e.type in _MEET_LIKE and typ in _MEET_LIKE)
    if not same_type or (place and e.place and place != e.place) or not _dates_agree(start, e.start):
        return False
    shared = _named(e.participants) & _named(actors | counterparts)
    if not (start and e.start):
        # Without dates on both sides, only the same place and two of the same named parties will do.
        return bool(place and e.place) and len(shared) >= 2
    if typ in ("meeting", "agreement", "partnership"):
        return len(shared) >= min(2, len(_named(e.participants)), len(_named(actors | counterparts))) and bool(shared)
    return bool(_named(e.actors) & _named(actors)) and (
        not counterparts or not e.counterparts or bool(e.counterparts & counterparts)
    )


def merge_encounters(records: Iterable[dict[str, Any]], canon: Canon | None = None) -> list[Encounter]:
    """One Encounter per real-world event over all records, each with every source that reports it."""
    canon = canon or Canon()
    out: list[Encounter] = []
    seen: set[tuple[str, str]] = set()
    for rec in records:
        keys = canon.add_record(rec)
        article = str(rec.get("id"))
        for ev in rec.get("events", []):
            if (article, ev["id"]) in seen:
                continue
            seen.add((article, ev["id"]))
            args = ev.get("args") or {}
            actors = {keys[a["entity"]] for a in args.get("actors", []) if a and a.get("entity") in keys}
            counterparts = {keys[a["entity"]] for a in args.get("counterparts", []) if a and a.get("entity") in keys}
            place_arg = args.get("place") or {}
            place = keys.get(place_arg.get("entity")) if place_arg else None
            when = ev.get("when") or {}
            src = Source(
                article,
                ev["id"],
                ev.get("evidence", ""),
                tuple(ev["evidence_span"]) if ev.get("evidence_span") else None,
                rec.get("published"),
                ev.get("status", "unknown"),
            )
            match = next(
                (e for e in out if _same_encounter(e, ev["type"], actors, counterparts, place, when.get("start"))), None
            )
            if match is None:
                out.append(
                    Encounter(
                        ev["type"], actors, counterparts, place, when.get("start"), when.get("end"), src.status, [src]
                    )
                )
                continue
            match.sources.append(src)
            match.actors |= actors
            match.counterparts |= counterparts - match.actors
            match.place = match.place or place
            if when.get("start") and (not match.start or len(when["start"]) > len(match.start)):
                match.start = when["start"]  # the more precise date
            match.status = _latest_status(match.sources)
    return out


@dataclass(slots=True)
class MergedTrip:
    traveler: str
    legs: list[str]
    start: str | None
    status: str
    sources: list[Source] = field(default_factory=list)


def merge_trips(records: Iterable[dict[str, Any]], canon: Canon | None = None) -> list[MergedTrip]:
    """An announced trip and the later report that it happened become one trip with both sources."""
    canon = canon or Canon()
    out: list[MergedTrip] = []
    seen: set[tuple[str, str]] = set()
    for rec in records:
        keys = canon.add_record(rec)
        names = {e["name"]: e["id"] for e in rec.get("entities", [])}
        article = str(rec.get("id"))
        for trip in rec.get("trips", []):
            if (article, trip["id"]) in seen:
                continue
            seen.add((article, trip["id"]))
            traveler = keys.get(names.get(trip.get("traveler"), ""), "")
            legs = [keys.get(names.get(leg.get("place"), ""), fold(leg.get("place") or "")) for leg in trip["legs"]]
            span = trip.get("traveler_span")
            src = Source(
                article,
                trip["id"],
                trip.get("traveler") or "",
                tuple(span) if span else None,
                rec.get("published"),
                trip.get("status", "unknown"),
            )
            match = next(
                (
                    t
                    for t in out
                    if t.traveler == traveler and set(t.legs) & set(legs) and _dates_agree(t.start, trip.get("start"))
                ),
                None,
            )
            if match is None:
                out.append(MergedTrip(traveler, legs, trip.get("start"), src.status, [src]))
                continue
            match.sources.append(src)
            match.legs += [leg for leg in legs if leg not in match.legs]
            if trip.get("start") and (not match.start or len(trip["start"]) > len(match.start)):
                match.start = trip["start"]
            match.status = _latest_status(match.sources)
    return out
