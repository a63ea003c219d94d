"""One extracted record (the `serialize.record_dict` shape) -> rows for each store table.

Pure functions, no database: every row is keyed by the article's content hash,
so an article's rows can be written (or skipped) as one unit.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..record import Article
from .schema import search_text

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


@dataclass
class ArticleRows:
    hash: str
    tables: dict[str, list[tuple]] = field(default_factory=dict)
    canon: list[tuple] = field(default_factory=list)

    def add(self, table: str, row: tuple) -> None:
        self.tables.setdefault(table, []).append(row)


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _span(value: list[int] | None) -> tuple[int | None, int | None]:
    return (value[0], value[1]) if value else (None, None)


def article_rows(
    article: Article, record: dict[str, Any], hash_: str, keys: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
) -> ArticleRows:
    """All rows of one article. `record` is `record_dict(record)` (without the text); `keys` maps its
    entity ids to canonical keys (default: kind and folded name), `names` keys to canonical names."""
    out = ArticleRows(hash_)
    ents = {e["id"]: e for e in record.get("entities", []) if e.get("id")}
    keys = dict(keys or {})
    for eid, e in ents.items():
        keys.setdefault(eid, entity_key(e.get("name"), e.get("type")))
    by_name = {e.get("name"): eid for eid, e in ents.items()}
    for eid, e in ents.items():
        geo = e.get("geo") or {}
        key = keys[eid]
        out.add(
            "entities",
            (
                hash_,
                eid,
                key,
                e.get("name"),
                e.get("type"),
                _j(e.get("roles") or []),
                e.get("party"),
                _j(e.get("aliases") or []),
                geo.get("lat"),
                geo.get("lon"),
                geo.get("country"),
                len(e.get("mentions") or []),
            ),
        )
        if key:
            out.canon.append((key, (names or {}).get(key) or e.get("name"), key.split(":", 1)[0]))

    def arg_key(arg: dict | None) -> str | None:
        return keys.get(arg["entity"]) if arg and arg.get("entity") else None

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
        out.add(
            "events",
            (
                hash_,
                ev["id"],
                ev["type"],
                ev.get("status"),
                _j(ev.get("actors") or []),
                _j(ev.get("counterparts") or []),
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
                out.add(
                    "event_args",
                    (hash_, ev["id"], role.rstrip("s"), pos, arg_key(arg), arg.get("name"), s, t),
                )
                pos += 1

    for n, q in enumerate(record.get("quotes", [])):
        s, t = _span(q.get("span"))
        ss, se = _span(q.get("speaker_span"))
        cs, ce = _span(q.get("cue_span"))
        out.add(
            "quotes",
            (
                hash_,
                n,
                q.get("kind"),
                q.get("speaker"),
                keys.get(q.get("speaker_id") or ""),
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
        out.add(
            "trips",
            (
                hash_,
                trip["id"],
                trip.get("traveler"),
                keys.get(traveler_id or "") or entity_key(trip.get("traveler"), "person"),
                ts,
                te,
                trip.get("start") or record.get("published"),
                trip.get("end"),
                trip.get("days"),
                trip.get("status"),
                _j(trip.get("companions") or []),
                _j(trip.get("topics") or []),
            ),
        )
        for n, leg in enumerate(trip.get("legs") or []):
            geo = leg.get("geo") or {}
            s, t = _span(leg.get("place_span"))
            when = leg.get("when") or {}
            out.add(
                "legs",
                (
                    hash_,
                    trip["id"],
                    n,
                    leg.get("place"),
                    keys.get(by_name.get(leg.get("place"), "")) or entity_key(leg.get("place"), "place"),
                    geo.get("lat"),
                    geo.get("lon"),
                    geo.get("country"),
                    _j(leg.get("appointments") or []),
                    _j(leg.get("joined_by") or []),
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
        _j(record),
        len(record.get("events", [])),
        len(record.get("quotes", [])),
        len(record.get("trips", [])),
        len(record.get("errors", [])),
        search_text(title, article.text),
    )
