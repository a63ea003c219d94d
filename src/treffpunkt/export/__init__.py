"""Export a store: JSONL records, event tables (CSV, Parquet), GeoJSON, PLOVER-style JSON lines.

Everything is written from the stored records (`articles.record`, the `extract` JSON shape),
read page by page in content-hash order, so the output is the same for the same store.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from ..store.db import Store

FORMATS = ("jsonl", "csv", "parquet", "geojson", "plover")
TABLES = ("events", "quotes", "trips", "entities")
PAGE = 500

_PLOVER = {
    "trip": "CONSULT",
    "visit": "CONSULT",
    "meeting": "CONSULT",
    "accompany": "CONSULT",
    "agreement": "AGREE",
    "partnership": "COOPERATE",
}
_INT_COLS = {
    "evidence_start",
    "evidence_end",
    "trigger_start",
    "trigger_end",
    "span_start",
    "span_end",
    "n",
    "days",
    "mentions",
}
_FLOAT_COLS = {"lat", "lon", "confidence"}
_REMOTE_CUES = ("telefon", "video", "zugeschaltet", "phone", "call", "online", "virtuell")


def iter_articles(store: Store, *, with_text: bool = False) -> Iterator[dict[str, Any]]:
    """(article row, parsed record) for every stored article, in hash order, one page in memory."""
    last = ""
    cols = "hash, id, source, published, title, record" + (", text" if with_text else "")
    while True:
        rows = store.query(f"SELECT {cols} FROM articles WHERE hash > ? ORDER BY hash LIMIT ?", [last, PAGE])
        if not rows:
            return
        for r in rows:
            r["record"] = json.loads(r["record"])
            yield r
        last = rows[-1]["hash"]


def _names(values: list[str | None]) -> str:
    return "; ".join(v for v in values if v)


def _span(value: list[int] | None, i: int) -> int | None:
    return value[i] if value else None


def _geo_of(record: dict[str, Any], arg: dict[str, Any] | None) -> dict[str, Any] | None:
    if not arg or not arg.get("entity"):
        return None
    for e in record.get("entities", []):
        if e.get("id") == arg["entity"]:
            return e.get("geo")
    return None


def table_rows(store: Store, table: str) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and rows of one flat table."""
    if table == "events":
        header = [
            "article",
            "article_id",
            "published",
            "event_id",
            "type",
            "status",
            "actors",
            "counterparts",
            "place",
            "lat",
            "lon",
            "when_start",
            "when_end",
            "when_text",
            "evidence",
            "evidence_start",
            "evidence_end",
            "trigger",
            "trigger_start",
            "trigger_end",
            "confidence",
        ]

        def events() -> Iterator[list[Any]]:
            for a in iter_articles(store):
                rec = a["record"]
                for ev in rec.get("events", []):
                    geo = _geo_of(rec, (ev.get("args") or {}).get("place")) or {}
                    when = ev.get("when") or {}
                    yield [
                        a["hash"],
                        a["id"],
                        a["published"],
                        ev["id"],
                        ev["type"],
                        ev.get("status"),
                        _names(ev.get("actors") or []),
                        _names(ev.get("counterparts") or []),
                        ev.get("place"),
                        geo.get("lat"),
                        geo.get("lon"),
                        when.get("start"),
                        when.get("end"),
                        when.get("text"),
                        ev.get("evidence"),
                        _span(ev.get("evidence_span"), 0),
                        _span(ev.get("evidence_span"), 1),
                        ev.get("trigger"),
                        _span(ev.get("trigger_span"), 0),
                        _span(ev.get("trigger_span"), 1),
                        ev.get("confidence"),
                    ]

        return header, events()
    if table == "quotes":
        header = [
            "article",
            "article_id",
            "published",
            "n",
            "speaker",
            "kind",
            "text",
            "span_start",
            "span_end",
        ]

        def quotes() -> Iterator[list[Any]]:
            for a in iter_articles(store):
                for n, q in enumerate(a["record"].get("quotes", [])):
                    yield [
                        a["hash"],
                        a["id"],
                        a["published"],
                        n,
                        q.get("speaker"),
                        q.get("kind"),
                        q.get("text"),
                        _span(q.get("span"), 0),
                        _span(q.get("span"), 1),
                    ]

        return header, quotes()
    if table == "trips":
        header = [
            "article",
            "article_id",
            "published",
            "trip_id",
            "traveler",
            "status",
            "start",
            "end",
            "days",
            "legs",
            "companions",
            "topics",
        ]

        def trips() -> Iterator[list[Any]]:
            for a in iter_articles(store):
                for t in a["record"].get("trips", []):
                    yield [
                        a["hash"],
                        a["id"],
                        a["published"],
                        t["id"],
                        t.get("traveler"),
                        t.get("status"),
                        t.get("start"),
                        t.get("end"),
                        t.get("days"),
                        " > ".join(leg.get("place") or "?" for leg in t.get("legs", [])),
                        _names(t.get("companions") or []),
                        _names(t.get("topics") or []),
                    ]

        return header, trips()
    if table == "entities":
        header = [
            "article",
            "article_id",
            "entity_id",
            "name",
            "type",
            "roles",
            "party",
            "aliases",
            "mentions",
            "lat",
            "lon",
            "country",
        ]

        def ents() -> Iterator[list[Any]]:
            for a in iter_articles(store):
                for e in a["record"].get("entities", []):
                    geo = e.get("geo") or {}
                    yield [
                        a["hash"],
                        a["id"],
                        e.get("id"),
                        e.get("name"),
                        e.get("type"),
                        _names(e.get("roles") or []),
                        e.get("party"),
                        _names(e.get("aliases") or []),
                        len(e.get("mentions") or []),
                        geo.get("lat"),
                        geo.get("lon"),
                        geo.get("country"),
                    ]

        return header, ents()
    raise ValueError(f"unknown table {table!r}; use one of {', '.join(TABLES)}")


def export_jsonl(store: Store, out: IO[str], *, with_text: bool = False) -> int:
    n = 0
    for a in iter_articles(store, with_text=with_text):
        rec = a["record"]
        if with_text:
            rec = {**rec, "text": a["text"]}
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def export_csv(store: Store, out: IO[str], table: str = "events") -> int:
    header, rows = table_rows(store, table)
    w = csv.writer(out)
    w.writerow(header)
    n = 0
    for row in rows:
        w.writerow(row)
        n += 1
    return n


def export_parquet(store: Store, path: str, table: str = "events") -> int:
    """Parquet through an in-memory DuckDB: the CSV of the table, typed, written with zstd."""
    import duckdb

    header, _ = table_rows(store, table)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = os.path.join(tmp, f"{table}.csv")
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            n = export_csv(store, f, table)
        con = duckdb.connect()
        try:
            types = {c: "BIGINT" if c in _INT_COLS else "DOUBLE" if c in _FLOAT_COLS else "VARCHAR" for c in header}
            con.execute(
                "COPY (SELECT * FROM read_csv(?, header = true, columns = "
                + "{"
                + ", ".join(f"'{c}': '{t}'" for c, t in types.items())
                + "}"
                + ")) TO '"
                + path.replace("'", "''")
                + "' (FORMAT parquet, COMPRESSION zstd)",
                [csv_path],
            )
        finally:
            con.close()
    return n


def export_geojson(store: Store, out: IO[str]) -> int:
    """RFC 7946 FeatureCollection: a LineString per trip (its located legs in order), a Point per located event."""
    features: list[dict[str, Any]] = []
    for a in iter_articles(store):
        rec = a["record"]
        for t in rec.get("trips", []):
            legs = [leg for leg in t.get("legs", []) if (leg.get("geo") or {}).get("lat") is not None]
            if not legs:
                continue
            coords = [[round(leg["geo"]["lon"], 5), round(leg["geo"]["lat"], 5)] for leg in legs]
            geometry = (
                {"type": "LineString", "coordinates": coords}
                if len(coords) > 1
                else {"type": "Point", "coordinates": coords[0]}
            )
            features.append(
                {
                    "type": "Feature",
                    "id": f"{a['hash']}/{t['id']}",
                    "geometry": geometry,
                    "properties": {
                        "kind": "trip",
                        "article": a["hash"],
                        "traveler": t.get("traveler"),
                        "status": t.get("status"),
                        "start": t.get("start"),
                        "end": t.get("end"),
                        "places": [leg.get("place") for leg in legs],
                        "title": a["title"],
                        "published": a["published"],
                    },
                }
            )
        for ev in rec.get("events", []):
            geo = _geo_of(rec, (ev.get("args") or {}).get("place"))
            if not geo or geo.get("lat") is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "id": f"{a['hash']}/{ev['id']}",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(geo["lon"], 5), round(geo["lat"], 5)],
                    },
                    "properties": {
                        "kind": "event",
                        "type": ev["type"],
                        "article": a["hash"],
                        "status": ev.get("status"),
                        "actors": ev.get("actors"),
                        "counterparts": ev.get("counterparts"),
                        "place": ev.get("place"),
                        "when": (ev.get("when") or {}).get("start"),
                        "evidence": ev.get("evidence"),
                    },
                }
            )
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)


def plover_event(article: dict[str, Any], ev: dict[str, Any]) -> dict[str, Any]:
    """One event in the PLOVER JSON shape (event / mode / context; actor and recipient lists)."""
    rec = article["record"]
    event = _PLOVER[ev["type"]]
    actors = list(ev.get("actors") or [])
    recipients = list(ev.get("counterparts") or [])
    mode = None
    if event == "CONSULT":
        trigger = (ev.get("trigger") or "").lower() + " " + (ev.get("evidence") or "").lower()
        if ev["type"] in ("trip", "visit", "accompany"):
            mode = "visit"  # PLOVER: actor = visitor, recipient = host
        elif any(cue in trigger for cue in _REMOTE_CUES):
            mode = "phone"
        elif len(set(actors) | set(recipients)) >= 3:
            mode = "multilateral"
    when = ev.get("when") or {}
    geo = _geo_of(rec, (ev.get("args") or {}).get("place")) or {}
    return {
        "id": f"{article['hash']}-{ev['id']}",
        "date": when.get("start") or article["published"],
        "enddate": when.get("end"),
        "event": event,
        "mode": mode,
        # PLOVER's auxiliary modes: an announced encounter is a future one.
        "aux_mode": {"planned": "future", "cancelled": "negation"}.get(ev.get("status") or ""),
        "context": ["diplomatic"],
        "actor": [{"entity_text": name} for name in actors],
        "recipient": [{"entity_text": name} for name in recipients],
        "event_loc": {
            "name": ev.get("place"),
            "lat": geo.get("lat"),
            "lon": geo.get("lon"),
            "geonameid": geo.get("geonameid"),
            "country": geo.get("country"),
        }
        if ev.get("place")
        else None,
        "event_text": ev.get("evidence"),
        "event_span": ev.get("evidence_span"),
        "cite_info": {
            "article": article["hash"],
            "id": article["id"],
            "source": article["source"],
            "title": article["title"],
            "published": article["published"],
        },
        "coder": "treffpunkt",
        "treffpunkt": {
            "type": ev["type"],
            "status": ev.get("status"),
            "trigger_span": ev.get("trigger_span"),
            "confidence": ev.get("confidence"),
        },
    }


def export_plover(store: Store, out: IO[str]) -> int:
    n = 0
    for a in iter_articles(store):
        for ev in a["record"].get("events", []):
            if ev.get("type") in _PLOVER:
                out.write(json.dumps(plover_event(a, ev), ensure_ascii=False) + "\n")
                n += 1
    return n


def export(
    store: Store,
    fmt: str,
    output: str | None,
    *,
    table: str = "events",
    with_text: bool = False,
    stdout: IO[str] | None = None,
) -> int:
    """Write `fmt` to `output` (a path) or to stdout; returns the number of records written."""
    import sys

    stdout = stdout or sys.stdout
    if fmt == "parquet":
        if output:
            return export_parquet(store, output, table)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "out.parquet")
            n = export_parquet(store, path, table)
            stdout.flush()
            with open(path, "rb") as f:
                shutil.copyfileobj(f, stdout.buffer)
            stdout.buffer.flush()
            return n
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    f = open(output, "w", encoding="utf-8", newline="") if output else stdout
    try:
        if fmt == "jsonl":
            return export_jsonl(store, f, with_text=with_text)
        if fmt == "csv":
            return export_csv(store, f, table)
        if fmt == "geojson":
            return export_geojson(store, f)
        return export_plover(store, f)
    finally:
        if output:
            f.close()
