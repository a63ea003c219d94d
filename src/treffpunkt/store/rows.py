"""One extracted record (the `serialize.record_dict` shape) -> rows for each store table.

Pure functions, no database: every row is keyed by the article's content hash,
so an article's rows can be written (or skipped) as one unit.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..record import Article
from .schema import ARTICLE_TABLES, TABLES, search_text

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Entity types that share one page: Berlin the polity and Berlin the place are one place.
_KIND = {"person": "person", "organization": "org", "polity": "place", "place": "place", "group": "group"}
_LAST_DAY = {"02": "29", "04": "30", "06": "30", "09": "30", "11": "30"}


def content_hash(article: Article) -> str:
    """The article's key: its text and publication date (which the extraction depends on)."""
    h = hashlib.sha256()
    h.update(article.text.encode("utf-8"))
    h.update(b"\x00" + (article.published or "").encode("utf-8"))
    return h.hexdigest()[:32]


@lru_cache(maxsize=65536)
def slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD).lower())
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    return _NON_WORD.sub("-", ascii_only).strip("-") or "x"


def entity_key(name: str | None, type_: str | None) -> str | None:
    """Canonical key across articles: kind and folded name ("person:kai-wegner")."""
    if not name:
        return None
    return f"{_KIND.get(type_ or '', 'other')}:{slug(name)}"


def date_bounds(value: str | None) -> tuple[str | None, str | None]:
    """A date at any precision -> the first and last day it can mean ("2024-11" -> 2024-11-01, 2024-11-30)."""
    if not value or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return None, None
    if len(value) == 10:
        return value, value
    if len(value) == 7:
        return value + "-01", value + "-" + _LAST_DAY.get(value[5:], "31")
    return value + "-01-01", value + "-12-31"


# A key column's value before the canonical keys are known: the article's entity id, and the key
# to use where no entity stands behind the value (a traveller or leg named without one). A plain
# tuple, not a class: rows travel pickled from the workers, and tuples unpickle fastest.
Ref = tuple[str | None, str | None]


def _ref(entity: str | None, fallback: str | None = None) -> Ref:
    return (entity, fallback)


# Where each table holds a canonical key (columns "key" and "…_key"): a `Ref` until `resolve_keys`.
KEY_COLUMNS: dict[str, tuple[int, ...]] = {
    table: tuple(i for i, (name, _) in enumerate(cols) if name == "key" or name.endswith("_key"))
    for table, (cols, _) in TABLES.items()
    if table in ARTICLE_TABLES
}


@dataclass(slots=True)
class Prepared:
    """One article's extraction as rows, built where it was extracted (a worker process, a Ray node),
    so that the single writer only resolves canonical keys and inserts."""

    hash: str
    label: str  # the article's source or id, for messages
    article: tuple  # its `articles` row
    tables: dict[str, list[tuple]]  # its rows per table, key columns holding `Ref`s
    entities: list[dict[str, Any]]  # what `Canon.add_record` reads: names, types, roles, GeoNames ids
    record_id: str
    published: str | None
    errors: list[dict[str, Any]]

    def canon_input(self) -> dict[str, Any]:
        return {"id": self.record_id, "published": self.published, "entities": self.entities}


_CANON_FIELDS = ("id", "name", "type", "aliases", "roles", "party")


def prepare(article: Article, record: dict[str, Any], hash_: str) -> Prepared:
    """Everything the store writes for one article, but the canonical keys (see `resolve_keys`)."""
    entities = []
    for e in record.get("entities", []):
        slim = {f: e.get(f) for f in _CANON_FIELDS}
        geonameid = (e.get("geo") or {}).get("geonameid")
        slim["geo"] = {"geonameid": geonameid} if geonameid else None
        entities.append(slim)
    return Prepared(
        hash=hash_,
        label=article.source or article.id,
        article=article_row(article, record, hash_),
        tables=article_rows(article, record, hash_),
        entities=entities,
        record_id=str(record.get("id")),
        published=record.get("published"),
        errors=list(record.get("errors") or []),
    )


def resolve_keys(tables: dict[str, list[tuple]], keys: dict[str, str]) -> dict[str, list[tuple]]:
    """The rows with each `Ref` replaced by its entity's canonical key (`keys`: entity id -> key)."""
    out = {}
    for table, rows in tables.items():
        cols = KEY_COLUMNS.get(table, ())
        if not cols:
            out[table] = rows
            continue
        resolved = []
        for row in rows:
            cells = list(row)
            for i in cols:
                entity, fallback = cells[i]
                cells[i] = (keys.get(entity) if entity else None) or fallback
            resolved.append(tuple(cells))
        out[table] = resolved
    return out


# One encoder for every column (json.dumps with options builds a new one per call).
_encode = json.JSONEncoder(ensure_ascii=False).encode


def _j(value: list | None) -> str:
    """A list column as JSON text."""
    return _encode(value) if value else "[]"


def _span(value: list[int] | None) -> tuple[int | None, int | None]:
    return (value[0], value[1]) if value else (None, None)


def article_rows(article: Article, record: dict[str, Any], hash_: str) -> dict[str, list[tuple]]:
    """All rows of one article, per table, key columns as `Ref`s. `record` is `record_dict(record)`
    (without the text)."""
    out: dict[str, list[tuple]] = {}

    def add(table: str, row: tuple) -> None:
        out.setdefault(table, []).append(row)

    ents = {e["id"]: e for e in record.get("entities", []) if e.get("id")}
    by_name = {e.get("name"): eid for eid, e in ents.items()}
    for eid, e in ents.items():
        geo = e.get("geo") or {}
        add(
            "entities",
            (
                hash_,
                eid,
                _ref(eid, entity_key(e.get("name"), e.get("type"))),
                e.get("name"),
                e.get("type"),
                _j(e.get("roles")),
                e.get("party"),
                _j(e.get("aliases")),
                geo.get("lat"),
                geo.get("lon"),
                geo.get("country"),
                len(e.get("mentions") or []),
            ),
        )

    def arg_key(arg: dict | None) -> Ref:
        return _ref(arg.get("entity") if arg else None)

    for ev in record.get("events", []):
        when = ev.get("when") or {}
        start = when.get("start") or record.get("published")
        lo, _ = date_bounds(start)
        _, hi = date_bounds(when.get("end") or start)
        args = ev.get("args") or {}
        place = args.get("place")
        geo = (ents.get(place["entity"]) or {}).get("geo") if place and place.get("entity") else None
        geo = geo or {}
        ev_s, ev_e = _span(ev.get("evidence_span"))
        tr_s, tr_e = _span(ev.get("trigger_span"))
        add(
            "events",
            (
                hash_,
                ev["id"],
                ev["type"],
                ev.get("status"),
                _j(ev.get("actors")),
                _j(ev.get("counterparts")),
                ev.get("place"),
                arg_key(place),
                geo.get("lat"),
                geo.get("lon"),
                when.get("start"),
                when.get("end"),
                when.get("text"),
                lo,
                hi,
                ev_s,
                ev_e,
                tr_s,
                tr_e,
                ev.get("confidence"),
                article.text[ev_s:ev_e] if ev_s is not None and ev_e is not None else None,
            ),
        )
        pos = 0
        for role in ("actors", "counterparts", "place"):
            items = args.get(role)
            items = [items] if isinstance(items, dict) else (items or [])
            for arg in items:
                if not arg:
                    continue
                s, t = _span(arg.get("span"))
                add(
                    "event_args",
                    (hash_, ev["id"], role.rstrip("s"), pos, arg_key(arg), arg.get("name"), s, t),
                )
                pos += 1

    for n, q in enumerate(record.get("quotes", [])):
        s, t = _span(q.get("span"))
        ss, se = _span(q.get("speaker_span"))
        cs, ce = _span(q.get("cue_span"))
        add(
            "quotes",
            (
                hash_,
                n,
                q.get("kind"),
                q.get("speaker"),
                _ref(q.get("speaker_id")),
                q.get("text"),
                s,
                t,
                ss,
                se,
                cs,
                ce,
            ),
        )

    traveler_ids = _trip_traveler_ids(record)
    for trip, traveler_id in zip(record.get("trips", []), traveler_ids, strict=True):
        ts, te = _span(trip.get("traveler_span"))
        add(
            "trips",
            (
                hash_,
                trip["id"],
                trip.get("traveler"),
                _ref(traveler_id, entity_key(trip.get("traveler"), "person")),
                ts,
                te,
                trip.get("start") or record.get("published"),
                trip.get("end"),
                trip.get("days"),
                trip.get("status"),
                _j(trip.get("companions")),
                _j(trip.get("topics")),
            ),
        )
        for n, leg in enumerate(trip.get("legs") or []):
            geo = leg.get("geo") or {}
            s, t = _span(leg.get("place_span"))
            when = leg.get("when") or {}
            add(
                "legs",
                (
                    hash_,
                    trip["id"],
                    n,
                    leg.get("place"),
                    _ref(by_name.get(leg.get("place")), entity_key(leg.get("place"), "place")),
                    geo.get("lat"),
                    geo.get("lon"),
                    geo.get("country"),
                    _j(leg.get("appointments")),
                    _j(leg.get("joined_by")),
                    when.get("start"),
                    s,
                    t,
                ),
            )
    return out


def _trip_traveler_ids(record: dict[str, Any]) -> list[str | None]:
    """The traveller's entity id, found through the entity whose mention is the traveller span."""
    by_span: dict[tuple[int, int], str] = {}
    for e in record.get("entities", []):
        for m in e.get("mentions") or []:
            by_span[tuple(m)] = e["id"]
    out = []
    for trip in record.get("trips", []):
        span = trip.get("traveler_span")
        eid = by_span.get(tuple(span)) if span else None
        if eid is None:
            eid = next((e["id"] for e in record.get("entities", []) if e.get("name") == trip.get("traveler")), None)
        out.append(eid)
    return out


def article_title(article: Article) -> str | None:
    """The title, or else the teaser of a text file's `date …` header line."""
    if article.title:
        return article.title
    teaser = article.teaser.text(article.text).strip() if article.teaser else ""
    return teaser[:300] or None


def article_row(article: Article, record: dict[str, Any], hash_: str) -> tuple:
    title = article_title(article)
    return (
        hash_,
        article.id,
        article.source,
        article.published,
        title,
        article.lang,
        article.text,
        _encode(record),
        len(record.get("events", [])),
        len(record.get("quotes", [])),
        len(record.get("trips", [])),
        len(record.get("errors", [])),
        search_text(title, article.text),
    )
