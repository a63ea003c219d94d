"""Read-side queries over the store, shared by the JSON API and the HTML pages.

Every value from a request travels as a query parameter; SQL text is fixed. No `%`
or `?` appears literally in SQL here (the PostgreSQL backend rewrites `?`).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from ..store.db import Store, ilike, in_list
from ..store.replica import read_record, summarize

EVENT_TYPES = ("trip", "visit", "meeting", "accompany", "agreement", "partnership")
STATUSES = ("planned", "happened", "ongoing", "cancelled", "unknown")
ENCOUNTER_TYPES = ("meeting", "visit", "accompany", "agreement", "partnership")
MAX_LIMIT = 500


class NotFound(Exception):
    pass


def like(term: str) -> str:
    """A substring pattern with the user's own wildcards escaped."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _jl(value: str | None) -> list:
    return json.loads(value) if value else []


@dataclass
class EventFilter:
    person: str | None = None
    org: str | None = None
    place: str | None = None
    type: str | None = None
    status: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    q: str | None = None
    article: str | None = None

    @classmethod
    def from_query(cls, q: dict[str, str]) -> EventFilter:
        def get(name: str) -> str | None:
            value = (q.get(name) or "").strip()
            return value[:200] or None

        return cls(
            person=get("person"),
            org=get("org"),
            place=get("place"),
            type=get("type"),
            status=get("status"),
            date_from=get("from"),
            date_to=get("to"),
            q=get("q"),
            article=get("article"),
        )

    def where(self, dialect: str) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.type:
            clauses.append("e.type = ?")
            params.append(self.type)
        if self.status:
            clauses.append("e.status = ?")
            params.append(self.status)
        if self.date_from:
            clauses.append("e.date_hi >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append("e.date_lo <= ?")
            params.append(self.date_to + "-99" if len(self.date_to) < 10 else self.date_to)
        if self.article:
            clauses.append("e.article = ?")
            params.append(self.article)
        for kind, value in (("person", self.person), ("organization", self.org)):
            if not value:
                continue
            # A key ("person:kai wegner") is an exact, indexed match; other text a part of a name.
            if value.startswith(kind + ":"):
                sql, values = _involving(dialect, value)
                clauses.append(sql)
                params += values
            else:
                clauses.append(
                    f"{_EVENT_ID} IN (SELECT x.article, x.event FROM event_args x "
                    f"WHERE x.key LIKE ? AND {ilike(dialect, 'x.name')})"
                )
                params += [kind + ":" + "%", like(value)]
        if self.place:
            if self.place.startswith("place:"):
                clauses.append("e.place_key = ?")
                params.append(self.place)
            else:
                clauses.append(ilike(dialect, "e.place"))
                params.append(like(self.place))
        if self.q:
            columns = ("a.title", "e.actors", "e.counterparts", "e.place")
            clauses.append("(" + " OR ".join(ilike(dialect, c) for c in columns) + ")")
            params += [like(self.q)] * len(columns)
        return (" AND ".join(clauses) or "TRUE"), params


def _event(row: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    out = {
        "article": row["article"],
        "id": row["eid"],
        "type": row["type"],
        "status": row["status"],
        "actors": _jl(row["actors"]),
        "counterparts": _jl(row["counterparts"]),
        "place": row["place"],
        "place_key": row["place_key"],
        "geo": {"lat": row["lat"], "lon": row["lon"]} if row["lat"] is not None else None,
        "when": {"start": row["when_start"], "end": row["when_end"], "text": row["when_text"]},
        "date": row["date_lo"],
        "evidence_span": [row["evidence_start"], row["evidence_end"]],
        "trigger_span": [row["trigger_start"], row["trigger_end"]],
        "confidence": row["confidence"],
        "title": row.get("title"),
        "published": row.get("published"),
    }
    if row.get("evidence") is not None:
        out["evidence"] = row["evidence"]
    return out


_EVENT_SELECT = "SELECT e.*, a.title, a.published FROM events e JOIN articles a ON a.hash = e.article"
# The replica's events with their rank (rowid), by which their arguments are found.
_RANKED_EVENT_SELECT = _EVENT_SELECT.replace("SELECT ", "SELECT e.rowid AS rank, ", 1)
# An event's identity, for `IN (SELECT article, event …)`: a semi-join planned from the inner
# side's key index.
_EVENT_ID = "(e.article, e.eid)"


def _event_order(dialect: str) -> str:
    """Newest first: by date, then publication. The replica holds events in this order (rowid)."""
    if dialect == "sqlite":
        return "e.rowid"
    return "e.date_lo DESC NULLS LAST, a.published DESC NULLS LAST, e.article, e.eid"


def _involving(dialect: str, key: str, *, places: bool = False) -> tuple[str, list[str]]:
    """SQL and parameters for: event `e` has the entity `key` among its arguments, or (`places`)
    happens at it. The replica lists both in `key_events`."""
    if dialect == "sqlite":
        return "e.rowid IN (SELECT k.rank FROM key_events k WHERE k.key = ?)", [key]
    sql = f"{_EVENT_ID} IN (SELECT x.article, x.event FROM event_args x WHERE x.key = ?)"
    return (f"(e.place_key = ? OR {sql})", [key, key]) if places else (sql, [key])


def events(store: Store, f: EventFilter, *, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    where, params = f.where(store.dialect)
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    # Only the text filter looks at the article (its title); every event has its article.
    source = "events e JOIN articles a ON a.hash = e.article" if f.q else "events e"
    if store.dialect == "sqlite":
        # The replica's rowid is the rank: the page's ranks come from an index (SQLite keeps the
        # smallest in a small sorter), then only the page's rows are read. Sorting the matching
        # rows instead costs tens of ms for a common type; scanning in rank order as much for a
        # rare one.
        total = store.query(f"SELECT count(*) AS n FROM {source} WHERE {where}", params)[0]["n"]
        ranks = store.query(
            f"SELECT e.rowid AS rank FROM {source} WHERE {where} ORDER BY e.rowid LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        rows = store.query(
            f"{_RANKED_EVENT_SELECT} WHERE {in_list(store.dialect, 'e.rowid')} ORDER BY e.rowid",
            [[r["rank"] for r in ranks]],
        )
    else:
        rows = store.query(
            f"{_EVENT_SELECT} WHERE {where} ORDER BY {_event_order(store.dialect)} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        total = store.query(f"SELECT count(*) AS n FROM {source} WHERE {where}", params)[0]["n"]
    args = _event_args(store, rows)
    items = []
    for r in rows:
        ev = _event(r)
        ev["args"] = args.get((r["article"], r["eid"]), [])
        items.append(ev)
    return {"total": total, "limit": limit, "offset": offset, "events": items}


def _event_args(store: Store, rows: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Entity keys of the listed events' arguments (so pages can link every name)."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    if rows and "rank" in rows[0]:  # the replica: the arguments of exactly these events
        events = {r["rank"]: (r["article"], r["eid"]) for r in rows}
        for x in store.query(
            f"SELECT rank, role, key, name FROM event_args WHERE {in_list(store.dialect, 'rank')} ORDER BY rank, pos",
            [list(events)],
        ):
            out[events[x["rank"]]].append({"role": x["role"], "key": x["key"], "name": x["name"]})
        return out
    articles = sorted({r["article"] for r in rows})
    if not articles:
        return out
    marks = ", ".join("?" * len(articles))
    for x in store.query(
        f"SELECT article, event, role, pos, key, name FROM event_args WHERE article IN ({marks}) ORDER BY pos",
        articles,
    ):
        out[(x["article"], x["event"])].append({"role": x["role"], "key": x["key"], "name": x["name"]})
    return out


def stats(store: Store) -> dict[str, Any]:
    counts = store.counts()
    by_type = {r["type"]: r["n"] for r in store.query("SELECT type, count(*) AS n FROM events GROUP BY type")}
    span = store.query("SELECT min(published) AS lo, max(published) AS hi FROM articles")[0]
    return {"counts": counts, "events_by_type": by_type, "published": {"from": span["lo"], "to": span["hi"]}}


def article(store: Store, hash_: str) -> dict[str, Any]:
    rows = store.query("SELECT * FROM articles WHERE hash = ?", [hash_])
    if not rows:
        raise NotFound(f"no article {hash_!r}")
    a = rows[0]
    record = read_record(a["record"])
    keys = {r["eid"]: r["key"] for r in store.query("SELECT eid, key FROM entities WHERE article = ?", [hash_])}
    return {
        "hash": a["hash"],
        "id": a["id"],
        "source": a["source"],
        "published": a["published"],
        "title": a["title"],
        "lang": a["lang"],
        "text": a["text"],
        "record": record,
        "entity_keys": keys,
        "facts": facts(record, keys),
    }


def facts(record: dict[str, Any], keys: dict[str, str]) -> list[dict[str, Any]]:
    """Every extracted fact with its span, for highlighting: entities' mentions, events, quotes, times."""
    out: list[dict[str, Any]] = []
    for e in record.get("entities", []):
        for n, (s, t) in enumerate(e.get("mentions") or []):
            out.append(
                {
                    "id": f"m-{e['id']}-{n}",
                    "kind": "entity",
                    "class": e.get("type"),
                    "start": s,
                    "end": t,
                    "label": f"{e.get('name')} ({e.get('type')})",
                    "key": keys.get(e["id"]),
                }
            )
    for ev in record.get("events", []):
        span = ev.get("evidence_span")
        if span:
            label = f"{ev['type']}: {', '.join(ev.get('actors') or [])}"
            if ev.get("counterparts"):
                label += " → " + ", ".join(ev["counterparts"])
            if ev.get("place"):
                label += f" @ {ev['place']}"
            out.append(
                {
                    "id": f"ev-{ev['id']}",
                    "kind": "event",
                    "class": ev["type"],
                    "start": span[0],
                    "end": span[1],
                    "label": f"{label} [{ev.get('status')}]",
                }
            )
        trig = ev.get("trigger_span")
        if trig:
            out.append(
                {
                    "id": f"tr-{ev['id']}",
                    "kind": "trigger",
                    "class": ev["type"],
                    "start": trig[0],
                    "end": trig[1],
                    "label": f"trigger of {ev['type']}",
                }
            )
    for n, q in enumerate(record.get("quotes", [])):
        if q.get("span"):
            out.append(
                {
                    "id": f"q-{n}",
                    "kind": "quote",
                    "class": q.get("kind"),
                    "start": q["span"][0],
                    "end": q["span"][1],
                    "label": f"{q.get('kind')} quote: {q.get('speaker') or '?'}",
                }
            )
    for n, t in enumerate(record.get("times", [])):
        if t.get("span"):
            out.append(
                {
                    "id": f"t-{n}",
                    "kind": "time",
                    "class": "time",
                    "start": t["span"][0],
                    "end": t["span"][1],
                    "label": f"time: {t.get('start') or '?'}",
                }
            )
    out.sort(key=lambda f: (f["start"], -f["end"], f["id"]))
    return out


def search(
    store: Store,
    q: str,
    *,
    event_type: str | None = None,
    entity: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> dict[str, Any]:
    """Full-text search over title and text (every word must occur), with facets of the matches."""
    terms = [t for t in q.split() if t][:8]
    clauses, params = _text_match(store.dialect, [t.casefold() for t in terms])
    if event_type:
        clauses.append("EXISTS (SELECT 1 FROM events e WHERE e.article = a.hash AND e.type = ?)")
        params.append(event_type)
    if entity:
        clauses.append("EXISTS (SELECT 1 FROM entities n WHERE n.article = a.hash AND n.key = ?)")
        params.append(entity)
    where = " AND ".join(clauses) or "TRUE"
    limit = max(1, min(limit, MAX_LIMIT))
    # One scan of the texts finds the matches; the page and the facets then work on their hashes.
    rank = "a.rowid AS rank, " if store.dialect == "sqlite" else ""
    matches = store.query(f"SELECT {rank}a.hash, a.published FROM articles a WHERE {where}", params)
    # Newest first, undated last, then by hash (Python's sorts are stable, reverse ones too).
    matches.sort(key=lambda r: r["hash"])
    matches.sort(key=lambda r: r["published"] or "", reverse=True)
    total = len(matches)
    hashes = [r["hash"] for r in matches]
    page = hashes[max(0, offset) : max(0, offset) + limit]
    years: Counter[str] = Counter((r["published"] or "")[:4] or None for r in matches)
    facet_years = [{"value": y, "n": n} for y, n in sorted(years.items(), key=lambda kv: kv[0] or "", reverse=True)]
    facet_types: list[dict[str, Any]] = []
    facet_entities: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    if hashes and store.dialect == "sqlite":  # the replica counts facets in memory
        facet_types, facet_entities = store.facets([r["rank"] for r in matches])  # type: ignore[attr-defined]
    elif hashes:
        # No condition: every article matches, and the facets need no list of them.
        d = store.dialect
        in_e, in_n, fp = (
            (in_list(d, "e.article"), in_list(d, "n.article"), [hashes]) if clauses else ("TRUE", "TRUE", [])
        )
        facet_types = store.query(
            f"SELECT e.type AS value, count(DISTINCT e.article) AS n FROM events e "
            f"WHERE {in_e} GROUP BY e.type ORDER BY n DESC, value",
            fp,
        )
        facet_entities = store.query(
            f"SELECT n.key AS value, min(n.name) AS name, count(DISTINCT n.article) AS n FROM entities n "
            f"WHERE {in_n} AND n.key IS NOT NULL GROUP BY n.key ORDER BY n DESC, value LIMIT 15",
            fp,
        )
    if page:
        by_hash = {
            r["hash"]: r
            for r in store.query(
                "SELECT a.hash, a.id, a.title, a.published, a.text, a.n_events, a.n_quotes, a.n_trips "
                f"FROM articles a WHERE {in_list(store.dialect, 'a.hash')}",
                [page],
            )
        }
        rows = [by_hash[h] for h in page]
    results = []
    for r in rows:
        results.append(
            {
                "hash": r["hash"],
                "id": r["id"],
                "title": r["title"] or _first_line(r["text"]),
                "published": r["published"],
                "snippet": snippet(r["text"], terms),
                "n_events": r["n_events"],
                "n_quotes": r["n_quotes"],
                "n_trips": r["n_trips"],
            }
        )
    return {
        "q": q,
        "total": total,
        "results": results,
        "facets": {"type": facet_types, "entity": facet_entities, "year": facet_years},
    }


def _text_match(dialect: str, terms: list[str]) -> tuple[list[str], list[str]]:
    """SQL conditions and parameters for: every (casefolded) term occurs in the article's `search`
    text, a casefolded copy of title and text. A substring test, so % or _ are just characters."""
    if dialect != "sqlite":
        test = "strpos(a.search, ?) > 0" if dialect == "postgresql" else "contains(a.search, ?)"
        return [test] * len(terms), terms
    # The replica's trigram index finds substrings of three characters or more; shorter terms
    # are tested on the text itself.
    clauses, params = [], []
    indexed = [t for t in terms if len(t) >= 3]
    if indexed:
        clauses.append("a.rowid IN (SELECT rowid FROM article_search WHERE article_search MATCH ?)")
        params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in indexed))
    for t in terms:
        if len(t) < 3:
            clauses.append("instr(a.search, ?) > 0")
            params.append(t)
    return clauses, params


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""


def snippet(text: str, terms: list[str], width: int = 90) -> dict[str, Any]:
    """A window of the text around the first hit; the hit's offsets let the page mark it."""
    low = text.lower()
    hits = [(low.find(t.lower()), len(t)) for t in terms]
    hits = [h for h in hits if h[0] >= 0]
    if not hits:
        return {"text": text[: 2 * width], "start": 0, "hit": None}
    pos, n = min(hits)
    lo = max(0, pos - width)
    return {"text": text[lo : pos + n + width], "start": lo, "hit": [pos - lo, pos - lo + n]}


def entities(store: Store, q: str | None = None, kind: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    clauses, params = [], []
    if q:
        clauses.append(ilike(store.dialect, "c.name"))
        params.append(like(q))
    if kind:
        clauses.append("c.kind = ?")
        params.append(kind)
    where = " AND ".join(clauses) or "TRUE"
    if store.dialect == "sqlite":  # the replica counts each entity's articles once, when it is built
        sql = (
            "SELECT c.key, c.name, c.kind, s.articles FROM canon c JOIN entity_summary s ON s.key = c.key "
            f"WHERE {where} ORDER BY s.articles DESC, c.key LIMIT ?"
        )
    else:
        sql = (
            "SELECT c.key, c.name, c.kind, count(DISTINCT n.article) AS articles FROM canon c "
            f"JOIN entities n ON n.key = c.key WHERE {where} GROUP BY c.key, c.name, c.kind "
            "ORDER BY articles DESC, c.key LIMIT ?"
        )
    return store.query(sql, [*params, max(1, min(limit, MAX_LIMIT))])


# How many of an entity's newest articles, events and quotes its page lists (the API pages on).
PAGE_ITEMS = 50


def _entity_summary(store: Store, key: str) -> dict[str, Any]:
    """Roles over time, aliases, party, article count and coordinates of one entity."""
    if store.dialect == "sqlite":
        row = store.query("SELECT articles, lat, lon, body FROM entity_summary WHERE key = ?", [key])
        if not row:
            return {"roles": [], "aliases": [], "party": None, "n_articles": 0, "geo": None}
        r = row[0]
        geo = {"lat": r["lat"], "lon": r["lon"]} if r["lat"] is not None else None
        return {**json.loads(r["body"]), "n_articles": r["articles"], "geo": geo}
    rows = store.query(
        "SELECT n.article, n.roles, n.party, n.aliases, a.published FROM entities n "
        "JOIN articles a ON a.hash = n.article WHERE n.key = ? ORDER BY a.published, a.hash",
        [key],
    )
    # Coordinates in a query of their own: fetching a DOUBLE column for every row an index finds
    # costs DuckDB several times the rest of the page, and one row is all the page shows.
    located = store.query("SELECT lat, lon FROM entities WHERE key = ? AND lat IS NOT NULL LIMIT 1", [key])
    geo = {"lat": located[0]["lat"], "lon": located[0]["lon"]} if located else None
    return {**summarize(rows), "n_articles": len({r["article"] for r in rows}), "geo": geo}


def entity(store: Store, key: str) -> dict[str, Any]:
    canon = store.query("SELECT * FROM canon WHERE key = ?", [key])
    if not canon:
        raise NotFound(f"no entity {key!r}")
    summary = _entity_summary(store, key)
    if store.dialect == "sqlite":  # the replica holds articles newest first (rowid)
        sql = (
            "SELECT a.hash, a.title, a.published FROM articles a "
            "WHERE a.rowid IN (SELECT k.rank FROM key_articles k WHERE k.key = ?) ORDER BY a.rowid LIMIT ?"
        )
    else:
        sql = (
            "SELECT DISTINCT a.hash, a.title, a.published FROM entities n JOIN articles a ON a.hash = n.article "
            "WHERE n.key = ? ORDER BY a.published DESC NULLS LAST, a.hash LIMIT ?"
        )
    articles = store.query(sql, [key, PAGE_ITEMS])
    # The newest events the entity takes part in (or that happen at it, for a place).
    involving, params = _involving(store.dialect, key, places=True)
    select = _RANKED_EVENT_SELECT if store.dialect == "sqlite" else _EVENT_SELECT
    evs = store.query(
        f"{select} WHERE {involving} ORDER BY {_event_order(store.dialect)} LIMIT ?", [*params, PAGE_ITEMS]
    )
    n_events = store.query(f"SELECT count(*) AS n FROM events e WHERE {involving}", params)[0]["n"]
    ev_args = _event_args(store, evs)
    event_list = []
    met: Counter[str] = Counter()
    for r in evs:
        ev = _event(r)
        ev["args"] = ev_args.get((r["article"], r["eid"]), [])
        if r["type"] in ENCOUNTER_TYPES:
            for a in ev["args"]:
                if a["key"] and a["key"] != key and a["role"] != "place":
                    met[a["key"]] += 1
        event_list.append(ev)
    names = _names(store, list(met))
    quotes = store.query(
        "SELECT q.*, a.title, a.published FROM quotes q JOIN articles a ON a.hash = q.article "
        "WHERE q.speaker_key = ? ORDER BY "
        + ("q.rowid" if store.dialect == "sqlite" else "a.published DESC NULLS LAST, q.article, q.n")
        + " LIMIT ?",
        [key, PAGE_ITEMS],
    )
    return {
        "key": key,
        "name": canon[0]["name"],
        "kind": canon[0]["kind"],
        "aliases": summary["aliases"],
        "party": summary["party"],
        "geo": summary["geo"],
        "roles": summary["roles"],
        "n_articles": summary["n_articles"],
        "n_events": n_events,
        "n_quotes": store.query("SELECT count(*) AS n FROM quotes WHERE speaker_key = ?", [key])[0]["n"],
        "articles": [{"hash": r["hash"], "title": r["title"], "published": r["published"]} for r in articles],
        "events": event_list,
        "trips": trips(store, traveler=key)["trips"],
        "quotes": [
            {
                "article": q["article"],
                "n": q["n"],
                "kind": q["kind"],
                "text": q["text"],
                "title": q["title"],
                "published": q["published"],
                "span": [q["start_char"], q["end_char"]],
            }
            for q in quotes
        ],
        "met": [{"key": k, "name": names.get(k, k), "times": n} for k, n in met.most_common(30)],
    }


def _names(store: Store, keys: list[str]) -> dict[str, str]:
    if not keys:
        return {}
    marks = ", ".join("?" * len(keys))
    return {r["key"]: r["name"] for r in store.query(f"SELECT key, name FROM canon WHERE key IN ({marks})", keys)}


def trips(
    store: Store, *, traveler: str | None = None, f: EventFilter | None = None, limit: int = 200
) -> dict[str, Any]:
    clauses, params = [], []
    if traveler:
        clauses.append("t.traveler_key = ?")
        params.append(traveler)
    if f is not None:
        if f.person:
            clauses.append(f"(t.traveler_key = ? OR {ilike(store.dialect, 't.traveler')})")
            params += [f.person, like(f.person)]
        if f.status:
            clauses.append("t.status = ?")
            params.append(f.status)
        if f.date_from:
            clauses.append("t.start_date >= ?")
            params.append(f.date_from[:7])
        if f.date_to:
            clauses.append("t.start_date <= ?")
            params.append(f.date_to)
        if f.place:
            clauses.append(
                "EXISTS (SELECT 1 FROM legs l WHERE l.article = t.article AND l.tid = t.tid "
                f"AND (l.place_key = ? OR {ilike(store.dialect, 'l.place')}))"
            )
            params += [f.place, like(f.place)]
        if f.article:
            clauses.append("t.article = ?")
            params.append(f.article)
    where = " AND ".join(clauses) or "TRUE"
    rows = store.query(
        f"SELECT t.*, a.title, a.published FROM trips t JOIN articles a ON a.hash = t.article WHERE {where} "
        "ORDER BY t.start_date DESC NULLS LAST, t.article, t.tid LIMIT ?",
        [*params, max(1, min(limit, MAX_LIMIT))],
    )
    legs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    articles = sorted({r["article"] for r in rows})
    if articles:
        marks = ", ".join("?" * len(articles))
        for leg in store.query(f"SELECT * FROM legs WHERE article IN ({marks}) ORDER BY article, tid, n", articles):
            legs[(leg["article"], leg["tid"])].append(
                {
                    "n": leg["n"],
                    "place": leg["place"],
                    "place_key": leg["place_key"],
                    "geo": {"lat": leg["lat"], "lon": leg["lon"]} if leg["lat"] is not None else None,
                    "country": leg["country"],
                    "appointments": _jl(leg["appointments"]),
                    "joined_by": _jl(leg["joined_by"]),
                    "when": leg["when_start"],
                    "span": [leg["start_char"], leg["end_char"]],
                }
            )
    return {
        "trips": [
            {
                "article": r["article"],
                "id": r["tid"],
                "traveler": r["traveler"],
                "traveler_key": r["traveler_key"],
                "start": r["start_date"],
                "end": r["end_date"],
                "days": r["days"],
                "status": r["status"],
                "companions": _jl(r["companions"]),
                "topics": _jl(r["topics"]),
                "title": r["title"],
                "published": r["published"],
                "legs": legs.get((r["article"], r["tid"]), []),
            }
            for r in rows
        ]
    }


def map_data(store: Store, f: EventFilter, reader: Store | None = None) -> dict[str, Any]:
    """Trips (legs with coordinates) and located encounters, one dot per place and type, for the map.
    The dots aggregate over the whole store; the trips come from `reader` (a replica) if given."""
    where, params = f.where(store.dialect)
    rows = store.query(
        "SELECT e.place_key, min(e.place) AS place, avg(e.lat) AS lat, avg(e.lon) AS lon, e.type, "
        "count(*) AS n, max(e.date_lo) AS last FROM events e JOIN articles a ON a.hash = e.article "
        f"WHERE {where} AND e.lat IS NOT NULL AND e.type <> ? "
        "GROUP BY e.place_key, e.type ORDER BY n DESC, e.place_key, e.type LIMIT 2000",
        [*params, "trip"],
    )
    encounters = [
        {
            "place": r["place"],
            "place_key": r["place_key"],
            "type": r["type"],
            "n": r["n"],
            "last": r["last"],
            "geo": {"lat": r["lat"], "lon": r["lon"]},
        }
        for r in rows
    ]
    return {"trips": trips(reader or store, f=f)["trips"], "encounters": encounters}


def _pairs_sql(types: tuple[str, ...], marks: str) -> str:
    """Pairs of participants (not places) of events of these types: weight = distinct events."""
    return (
        "SELECT x.key AS a, y.key AS b, count(DISTINCT x.article || '/' || x.event) AS weight, "
        "count(*) AS pairs, min(e.type) AS type FROM event_args x JOIN event_args y ON x.article = y.article "
        "AND x.event = y.event AND x.key < y.key JOIN events e ON e.article = x.article AND e.eid = x.event "
        f"WHERE x.role <> 'place' AND y.role <> 'place' AND e.type IN ({marks}) GROUP BY x.key, y.key"
    )


# Tables the replica materialises from the store: the network of all encounters.
REPLICA_VIEWS = {"network_pairs": _pairs_sql(ENCOUNTER_TYPES, ", ".join(f"'{t}'" for t in ENCOUNTER_TYPES))}


def network(
    store: Store, *, types: tuple[str, ...] = ENCOUNTER_TYPES, min_weight: int = 1, limit: int = 300
) -> dict[str, Any]:
    """Who met whom: an edge per pair of participants (actors and counterparts) of an encounter."""
    if store.dialect == "sqlite" and types == ENCOUNTER_TYPES:
        source, params = "network_pairs", []  # the replica has the pairs of all encounters
    else:
        source, params = f"({_pairs_sql(types, ', '.join('?' * len(types)))})", list(types)
    edges = store.query(
        f"SELECT a, b, weight, type FROM {source} p WHERE pairs >= ? ORDER BY weight DESC, a, b LIMIT ?",
        [*params, min_weight, limit],
    )
    keys = sorted({e["a"] for e in edges} | {e["b"] for e in edges})
    names = _names(store, keys)
    degree: Counter[str] = Counter()
    for e in edges:
        degree[e["a"]] += e["weight"]
        degree[e["b"]] += e["weight"]
    nodes = [{"key": k, "name": names.get(k, k), "kind": k.split(":", 1)[0], "degree": degree[k]} for k in keys]
    return {"nodes": nodes, "edges": edges}
