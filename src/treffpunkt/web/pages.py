"""HTML pages, rendered on the server. Every value from the store goes through `esc` (article text
is untrusted); links carry values only as URL-encoded query parameters or path segments.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from .queries import EVENT_TYPES, STATUSES, EventFilter

TYPE_LABEL = {
    "trip": "Reise",
    "visit": "Besuch",
    "meeting": "Treffen",
    "accompany": "Begleitung",
    "agreement": "Vereinbarung",
    "partnership": "Partnerschaft",
}
STATUS_LABEL = {
    "planned": "geplant",
    "happened": "erfolgt",
    "ongoing": "laufend",
    "cancelled": "abgesagt",
    "unknown": "unbekannt",
}
KIND_LABEL = {
    "person": "Person",
    "organization": "Organisation",
    "place": "Ort",
    "group": "Gruppe",
    "other": "Sonstiges",
}


def esc(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def entity_href(key: str) -> str:
    return "/entity/" + quote(key, safe=":")


@lru_cache(maxsize=16384)  # pages repeat the same few hundred names
def _link_entity(key: str | None, name: str | None) -> str:
    if not key:
        return esc(name)
    return f'<a class="ent ent-{esc(key.split(":", 1)[0])}" href="{esc(entity_href(key))}">{esc(name)}</a>'


def layout(title: str, body: str, *, active: str = "", scripts: Iterable[str] = ()) -> str:
    nav = "".join(
        f'<a href="{href}"{" class=active" if name == active else ""}>{label}</a>'
        for name, href, label in (
            ("map", "/", "Karte"),
            ("timeline", "/timeline", "Zeitleiste"),
            ("search", "/search", "Suche"),
            ("network", "/network", "Netzwerk"),
        )
    )
    js = "".join(f'<script src="/static/{esc(s)}" defer></script>' for s in scripts)
    return (
        '<!doctype html><html lang="de"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f'<title>{esc(title)} · treffpunkt</title><link rel="stylesheet" href="/static/app.css">{js}</head>'
        f'<body><header><a class="brand" href="/">treffpunkt</a><nav>{nav}</nav>'
        '<form class="quick" action="/search" method="get" role="search">'
        '<input type="search" name="q" placeholder="Suche …" aria-label="Suche"></form></header>'
        f"<main>{body}</main>"
        "<footer>Basiskarte: Natural Earth (gemeinfrei) · Daten: aus Artikeltexten extrahiert, "
        "jede Angabe mit Textstelle</footer></body></html>"
    )


def error_page(status: int, message: str) -> str:
    return layout(f"Fehler {status}", f'<h1>Fehler {status}</h1><p class="error">{esc(message)}</p>')


def _count(total: int, shown: list) -> str:
    """A list heading's count: "12", or "die neuesten 50 von 812" when the page shows a part."""
    return str(total) if total <= len(shown) else f"die neuesten {len(shown)} von {total}"


def _select(name: str, label: str, options: list[tuple[str, str]], value: str | None) -> str:
    opts = ['<option value="">alle</option>'] + [
        f"{head} selected{tail}" if v == value else head + tail for v, head, tail in _escaped_options(tuple(options))
    ]
    return f'<label>{esc(label)} <select name="{esc(name)}">{"".join(opts)}</select></label>'


@lru_cache(maxsize=64)
def _escaped_options(options: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    # Every timeline and map page repeats the same few hundred menu entries: escape them once.
    return tuple((v, f'<option value="{esc(v)}"', f">{esc(t)}</option>") for v, t in options)


def filter_form(f: EventFilter, facets: dict[str, list[dict[str, Any]]], action: str) -> str:
    def ent_options(kind: str) -> list[tuple[str, str]]:
        return [(e["key"], f"{e['name']} ({e['articles']})") for e in facets.get(kind, [])]

    return (
        f'<form class="filters" action="{esc(action)}" method="get">'
        + _select("person", "Person", ent_options("person"), f.person)
        + _select("org", "Organisation", ent_options("org"), f.org)
        + _select("place", "Ort", ent_options("place"), f.place)
        + _select("type", "Art", [(t, TYPE_LABEL[t]) for t in EVENT_TYPES], f.type)
        + _select("status", "Status", [(s, STATUS_LABEL[s]) for s in STATUSES], f.status)
        + f'<label>von <input type="date" name="from" value="{esc(f.date_from)}"></label>'
        + f'<label>bis <input type="date" name="to" value="{esc(f.date_to)}"></label>'
        + '<button type="submit">Filtern</button></form>'
    )


def _query_string(f: EventFilter) -> str:
    pairs = [
        ("person", f.person),
        ("org", f.org),
        ("place", f.place),
        ("type", f.type),
        ("status", f.status),
        ("from", f.date_from),
        ("to", f.date_to),
        ("q", f.q),
    ]
    return urlencode([(k, v) for k, v in pairs if v])


def _event_line(ev: dict[str, Any]) -> str:
    args = ev.get("args") or []
    actors = [a for a in args if a["role"] == "actor"] or [{"key": None, "name": n} for n in ev["actors"]]
    counter = [a for a in args if a["role"] == "counterpart"] or [{"key": None, "name": n} for n in ev["counterparts"]]
    parts = [", ".join(_link_entity(a["key"], a["name"]) for a in actors) or "?"]
    if counter:
        parts.append(" → " + ", ".join(_link_entity(a["key"], a["name"]) for a in counter))
    if ev.get("place"):
        parts.append(" in " + _link_entity(ev.get("place_key"), ev["place"]))
    return "".join(parts)


def _event_card(ev: dict[str, Any]) -> str:
    when = ev["when"].get("start") or ev.get("date") or ev.get("published") or "?"
    evidence = ev.get("evidence")
    ev_html = f'<blockquote class="evidence">{esc(evidence)}</blockquote>' if evidence else ""
    return (
        f'<li class="event type-{esc(ev["type"])}" data-type="{esc(ev["type"])}">'
        f'<span class="date">{esc(when)}</span> '
        f'<span class="badge t-{esc(ev["type"])}">{esc(TYPE_LABEL.get(ev["type"], ev["type"]))}</span> '
        f'<span class="badge s-{esc(ev["status"])}">{esc(STATUS_LABEL.get(ev["status"], ev["status"]))}</span> '
        f'<span class="who">{_event_line(ev)}</span>{ev_html}'
        f'<a class="src" href="/article/{esc(ev["article"])}#ev-{esc(ev["id"])}">{esc(ev.get("title") or "Artikel")}'
        "</a></li>"
    )


def map_page(trips: list[dict[str, Any]], f: EventFilter, facets: dict[str, list[dict[str, Any]]]) -> str:
    items = []
    for t in trips:
        stops = " → ".join(_link_entity(leg["place_key"], leg["place"]) for leg in t["legs"]) or "—"
        items.append(
            f'<li class="trip" data-trip="{esc(t["article"])}/{esc(t["id"])}">'
            f'{_link_entity(t["traveler_key"], t["traveler"])} <span class="date">{esc(t["start"])}</span> '
            f'<span class="badge s-{esc(t["status"])}">{esc(STATUS_LABEL.get(t["status"], t["status"]))}</span>'
            f'<div class="stops">{stops}</div>'
            f'<a class="src" href="/article/{esc(t["article"])}">{esc(t.get("title") or "Artikel")}</a></li>'
        )
    api = "/api/map?" + _query_string(f)
    body = (
        "<h1>Reisen und Begegnungen</h1>"
        + filter_form(f, facets, "/")
        + '<div class="map-layout"><figure id="map" class="map" data-api="'
        + esc(api)
        + '">'
        '<svg id="map-svg" role="img" aria-label="Weltkarte mit Reisen und Begegnungen"></svg>'
        '<figcaption id="map-status">Karte wird gezeichnet …</figcaption></figure>'
        f'<aside><h2>Reisen ({len(trips)})</h2><ol class="trips">{"".join(items)}</ol></aside></div>'
    )
    return layout("Karte", body, active="map", scripts=["map.js"])


def timeline_page(result: dict[str, Any], f: EventFilter, facets: dict[str, list[dict[str, Any]]]) -> str:
    groups: dict[str, list[str]] = {}
    for ev in result["events"]:
        month = (ev.get("date") or ev.get("published") or "ohne Datum")[:7]
        groups.setdefault(month, []).append(_event_card(ev))
    sections = "".join(
        f'<section class="month"><h2>{esc(month)}</h2><ol class="events">{"".join(cards)}</ol></section>'
        for month, cards in groups.items()
    )
    more = ""
    shown = result["offset"] + len(result["events"])
    if shown < result["total"]:
        qs = _query_string(f)
        more = f'<a class="more" href="/timeline?{esc(qs)}&amp;offset={shown}">weitere …</a>'
    body = (
        "<h1>Zeitleiste</h1>"
        + filter_form(f, facets, "/timeline")
        + f'<p class="count">{result["total"]} Ereignisse</p>'
        + (sections or '<p class="empty">Keine Ereignisse für diese Auswahl.</p>')
        + more
    )
    return layout("Zeitleiste", body, active="timeline")


def highlight(text: str, facts: list[dict[str, Any]]) -> str:
    """The text, escaped, with every fact's span wrapped in <mark> segments naming the facts it belongs to."""
    n = len(text)
    spans = [f for f in facts if 0 <= f["start"] < f["end"] <= n]
    bounds = sorted({0, n, *(f["start"] for f in spans), *(f["end"] for f in spans)})
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        active = [f for f in spans if f["start"] <= a and f["end"] >= b]
        chunk = esc(text[a:b])
        if not active:
            out.append(chunk)
            continue
        kinds = sorted({f"k-{f['kind']}" for f in active} | {f"c-{f['class']}" for f in active if f.get("class")})
        ids = " ".join(f["id"] for f in active)
        title = "; ".join(f["label"] for f in active)
        out.append(
            f'<mark class="hl {esc(" ".join(kinds))}" data-facts="{esc(ids)}" data-start="{a}" '
            f'data-end="{b}" title="{esc(title)}">{chunk}</mark>'
        )
    return "".join(out)


def article_page(a: dict[str, Any]) -> str:
    rec = a["record"]
    keys = a["entity_keys"]
    by_name = {e["id"]: e for e in rec.get("entities", [])}
    fact_items = []
    for ev in rec.get("events", []):
        s = ev.get("evidence_span") or [None, None]
        fact_items.append(
            f'<li id="ev-{esc(ev["id"])}" class="fact" data-fact="ev-{esc(ev["id"])}" data-start="{esc(s[0])}" '
            f'data-end="{esc(s[1])}"><span class="badge t-{esc(ev["type"])}">'
            f"{esc(TYPE_LABEL.get(ev['type'], ev['type']))}</span> "
            f'<span class="badge s-{esc(ev["status"])}">{esc(STATUS_LABEL.get(ev["status"], ev["status"]))}</span> '
            f"{esc(', '.join(ev.get('actors') or []))}"
            + (f" → {esc(', '.join(ev['counterparts']))}" if ev.get("counterparts") else "")
            + (f" in {esc(ev['place'])}" if ev.get("place") else "")
            + (f' <span class="date">{esc(ev["when"].get("start"))}</span>' if ev.get("when") else "")
            + "</li>"
        )
    quote_items = []
    for n, q in enumerate(rec.get("quotes", [])):
        s = q.get("span") or [None, None]
        speaker = _link_entity(keys.get(q.get("speaker_id") or ""), q.get("speaker") or "?")
        quote_items.append(
            f'<li id="q-{n}" class="fact" data-fact="q-{n}" data-start="{esc(s[0])}" data-end="{esc(s[1])}">'
            f"{speaker} ({esc(q.get('kind'))}): <q>{esc(q.get('text'))}</q></li>"
        )
    trip_items = []
    for t in rec.get("trips", []):
        legs = " → ".join(esc(leg.get("place")) for leg in t.get("legs", []))
        trip_items.append(
            f'<li class="trip">{esc(t.get("traveler"))}: {legs} '
            f'<span class="badge s-{esc(t.get("status"))}">'
            f"{esc(STATUS_LABEL.get(t.get('status'), t.get('status')))}</span></li>"
        )
    ent_items = "".join(
        f"<li>{_link_entity(keys.get(eid), e.get('name'))} <small>{esc(e.get('type'))}"
        f"{' · ' + esc(', '.join(e.get('roles') or [])) if e.get('roles') else ''}</small></li>"
        for eid, e in by_name.items()
    )
    errors = "".join(f"<li>{esc(err.get('stage'))}: {esc(err.get('message'))}</li>" for err in rec.get("errors", []))
    body = (
        f'<article class="doc"><h1>{esc(a["title"] or a["id"])}</h1>'
        f'<p class="meta">{esc(a["published"] or "ohne Datum")} · {esc(a["source"])} · {esc(a["lang"])}</p>'
        '<p class="legend"><mark class="hl k-entity">Entität</mark> <mark class="hl k-event">Ereignis</mark> '
        '<mark class="hl k-quote">Zitat</mark> <mark class="hl k-time">Zeit</mark></p>'
        f'<div id="article-text" class="article-text">{highlight(a["text"], a["facts"])}</div></article>'
        '<aside class="facts">'
        f'<h2>Ereignisse ({len(fact_items)})</h2><ol class="events">{"".join(fact_items)}</ol>'
        f"<h2>Reisen ({len(trip_items)})</h2><ol>{''.join(trip_items)}</ol>"
        f'<h2>Zitate ({len(quote_items)})</h2><ol class="quotes">{"".join(quote_items)}</ol>'
        f"<h2>Entitäten ({len(by_name)})</h2><ul>{ent_items}</ul>"
        + (f'<h2>Fehler</h2><ul class="error">{errors}</ul>' if errors else "")
        + "</aside>"
    )
    return layout(a["title"] or "Artikel", f'<div class="article-layout">{body}</div>', scripts=["article.js"])


def entity_page(e: dict[str, Any]) -> str:
    roles = "".join(
        f"<tr><td>{esc(r['role'])}</td><td>{esc(r['first'])}</td><td>{esc(r['last'])}</td><td>{r['articles']}</td></tr>"
        for r in e["roles"]
    )
    trips = "".join(
        f'<li class="trip"><span class="date">{esc(t["start"])}</span> '
        + " → ".join(_link_entity(leg["place_key"], leg["place"]) for leg in t["legs"])
        + f' <a class="src" href="/article/{esc(t["article"])}">{esc(t.get("title") or "Artikel")}</a></li>'
        for t in e["trips"]
    )
    meetings = "".join(_event_card(ev) for ev in e["events"])
    quotes = "".join(
        f'<li><q>{esc(q["text"])}</q> <span class="date">{esc(q["published"])}</span> '
        f'<a class="src" href="/article/{esc(q["article"])}#q-{q["n"]}">{esc(q.get("title") or "Artikel")}</a></li>'
        for q in e["quotes"]
    )
    met = "".join(f"<li>{_link_entity(m['key'], m['name'])} ({m['times']}×)</li>" for m in e["met"])
    arts = "".join(
        f'<li><a href="/article/{esc(a["hash"])}">{esc(a["title"] or a["hash"])}</a> '
        f'<span class="date">{esc(a["published"])}</span></li>'
        for a in e["articles"]
    )
    kind = e["kind"]
    filt = {"person": "person", "organization": "org", "place": "place"}.get(kind)
    links = ""
    if filt:
        qs = urlencode({filt: e["key"]})
        links = f'<p class="links"><a href="/timeline?{esc(qs)}">Zeitleiste</a> · <a href="/?{esc(qs)}">Karte</a></p>'
    body = (
        f"<h1>{esc(e['name'])} <small>{esc(KIND_LABEL.get(kind, kind))}</small></h1>"
        + (f"<p>Partei: {esc(e['party'])}</p>" if e["party"] else "")
        + (f"<p>Auch: {esc(', '.join(e['aliases']))}</p>" if e["aliases"] else "")
        + links
        + (
            f'<h2>Rollen im Zeitverlauf</h2><table class="roles"><thead><tr><th>Rolle</th><th>zuerst</th>'
            f"<th>zuletzt</th><th>Artikel</th></tr></thead><tbody>{roles}</tbody></table>"
            if roles
            else ""
        )
        + (f'<h2>Reisen ({len(e["trips"])})</h2><ol class="trips">{trips}</ol>' if trips else "")
        + (
            f'<h2>Ereignisse ({_count(e["n_events"], e["events"])})</h2><ol class="events">{meetings}</ol>'
            if meetings
            else ""
        )
        + (f'<h2>Getroffen</h2><ul class="met">{met}</ul>' if met else "")
        + (f'<h2>Zitate ({_count(e["n_quotes"], e["quotes"])})</h2><ol class="quotes">{quotes}</ol>' if quotes else "")
        + f"<h2>Artikel ({_count(e['n_articles'], e['articles'])})</h2><ol>{arts}</ol>"
        + (
            f'<p class="more">Alle über <a href="/search?{esc(urlencode({"entity": e["key"]}))}">die Suche</a>.</p>'
            if e["n_articles"] > len(e["articles"])
            else ""
        )
    )
    return layout(e["name"], body)


def search_page(result: dict[str, Any], ents: list[dict[str, Any]], q: dict[str, str]) -> str:
    text = q.get("q", "")

    def facet_link(name: str, value: str, label: str, n: int) -> str:
        params = {k: v for k, v in q.items() if k in ("q", "type", "entity")}
        params[name] = value
        params.pop("offset", None)
        return f'<li><a href="/search?{esc(urlencode(params))}">{esc(label)}</a> <small>{n}</small></li>'

    facets = result["facets"]
    facet_html = (
        "<h2>Art</h2><ul>"
        + "".join(
            facet_link("type", f["value"], TYPE_LABEL.get(f["value"], f["value"]), f["n"]) for f in facets["type"]
        )
        + "</ul>"
        + "<h2>Entitäten</h2><ul>"
        + "".join(facet_link("entity", f["value"], f["name"], f["n"]) for f in facets["entity"])
        + "</ul>"
        + "<h2>Jahr</h2><ul>"
        + "".join(f"<li>{esc(f['value'])} <small>{f['n']}</small></li>" for f in facets["year"])
        + "</ul>"
    )
    rows = []
    for r in result["results"]:
        sn = r["snippet"]
        if sn["hit"]:
            a, b = sn["hit"]
            snip = esc(sn["text"][:a]) + "<mark>" + esc(sn["text"][a:b]) + "</mark>" + esc(sn["text"][b:])
        else:
            snip = esc(sn["text"])
        rows.append(
            f'<li class="result"><a href="/article/{esc(r["hash"])}">{esc(r["title"])}</a> '
            f'<span class="date">{esc(r["published"])}</span> '
            f"<small>{r['n_events']} Ereignisse · {r['n_quotes']} Zitate · {r['n_trips']} Reisen</small>"
            f'<p class="snippet">…{snip}…</p></li>'
        )
    ent_html = "".join(
        f"<li>{_link_entity(e['key'], e['name'])} <small>{esc(KIND_LABEL.get(e['kind'], e['kind']))}"
        f", {e['articles']} Artikel</small></li>"
        for e in ents
    )
    active = " ".join(f"{k}={v}" for k, v in q.items() if k in ("type", "entity"))
    body = (
        '<h1>Suche</h1><form class="search" action="/search" method="get">'
        f'<input type="search" name="q" value="{esc(text)}" aria-label="Suchbegriffe">'
        + "".join(f'<input type="hidden" name="{esc(k)}" value="{esc(q[k])}">' for k in ("type", "entity") if q.get(k))
        + '<button type="submit">Suchen</button></form>'
        + (
            f'<p class="active-facets">Filter: {esc(active)} <a href="/search?{esc(urlencode({"q": text}))}">'
            "entfernen</a></p>"
            if active
            else ""
        )
        + f'<div class="search-layout"><aside class="facets">{facet_html}</aside><div>'
        + (f'<h2>Entitäten</h2><ul class="entities">{ent_html}</ul>' if ent_html else "")
        + f'<h2>{result["total"]} Artikel</h2><ol class="results">{"".join(rows)}</ol></div></div>'
    )
    return layout(f"Suche: {text}" if text else "Suche", body, active="search")


def network_page() -> str:
    body = (
        "<h1>Wer traf wen</h1><p>Personen, Organisationen und Gruppen, verbunden durch Treffen, Besuche, "
        "Begleitungen, Vereinbarungen und Partnerschaften. Linienstärke: Anzahl der Begegnungen.</p>"
        '<figure class="network" id="network" data-api="/api/network">'
        '<svg id="network-svg" role="img" aria-label="Netzwerk der Begegnungen"></svg>'
        '<figcaption id="network-status">Netzwerk wird berechnet …</figcaption></figure>'
    )
    return layout("Netzwerk", body, active="network", scripts=["network.js"])
