"""The HTTP API and pages without a browser: routes, filters, escaping, hostile queries, real sockets."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from test_store import DEMO, handmade

from treffpunkt.engines import LocalEngine
from treffpunkt.store import Store, ingest
from treffpunkt.web.server import App, make_server

HOSTILE_TEXT = (
    "date 2025-01-01 <script>window.__pwned=1</script> Titel\n\n"
    'Lena Hartmann trifft in Oslo "<img src=x onerror="window.__pwned=2">" und </textarea><iframe src=//x>. '
    "' OR 1=1; DROP TABLE articles; -- \u202e\u0000x & &amp; {{7*7}} ${7*7}"
).replace("\u0000", "")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "in"
    hostile.mkdir()
    (hostile / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    path = str(folder / "w.duckdb")
    with Store.open(path) as store:
        ingest([DEMO, hostile], store, LocalEngine(lambda: handmade, workers=1))
    store = Store.open(path, read_only=True)
    yield App(store)
    store.close()


def get_json(app: App, target: str, status: int = 200) -> object:
    resp = app.handle(target)
    assert resp.status == status, (target, resp.body[:300])
    assert resp.content_type.startswith("application/json")
    return json.loads(resp.body)


def get_html(app: App, target: str, status: int = 200) -> str:
    resp = app.handle(target)
    assert resp.status == status, (target, resp.body[:300])
    return resp.body.decode("utf-8")


def test_openapi_lists_every_api_route(app: App) -> None:
    spec = get_json(app, "/openapi.json")
    assert spec["openapi"].startswith("3.")
    routes = {p.pattern for p, _ in app.routes if p.pattern.startswith("/api/")}
    documented = {path.replace("{key}", "(.+)").replace("{hash}", "([0-9a-f]{1,64})") for path in spec["paths"]}
    assert routes == documented


def test_events_filter_by_person_type_status_and_dates(app: App) -> None:
    all_events = get_json(app, "/api/events")
    assert all_events["total"] == 6
    meetings = get_json(app, "/api/events?type=meeting&person=person:lena%20hartmann")
    assert [e["counterparts"] for e in meetings["events"]] == [["Sofie Lund"]]
    assert get_json(app, "/api/events?person=Hartmann&type=agreement")["total"] == 1
    assert get_json(app, "/api/events?person=person:nobody")["total"] == 0
    assert get_json(app, "/api/events?status=happened")["total"] == 0
    assert get_json(app, "/api/events?from=2025-03-01&to=2025-03-31")["total"] == 6
    assert get_json(app, "/api/events?from=2025-04-01")["total"] == 0
    assert get_json(app, "/api/events?place=Oslo")["total"] == 1
    page = get_json(app, "/api/events?limit=2&offset=2")
    assert len(page["events"]) == 2 and page["offset"] == 2


def test_trip_and_map_carry_legs_in_order_with_coordinates(app: App) -> None:
    trips = get_json(app, "/api/trips?traveler=person:lena%20hartmann")["trips"]
    assert [leg["place"] for leg in trips[0]["legs"]] == ["Kopenhagen", "Oslo", "Stockholm"]
    assert trips[0]["legs"][0]["appointments"] == ["Sofie Lund"]
    m = get_json(app, "/api/map")
    assert len(m["trips"]) == 1
    assert {e["type"] for e in m["encounters"]} == {"meeting", "agreement"}
    assert all(e["geo"]["lat"] > 50 for e in m["encounters"])


def test_entity_page_shows_roles_trips_meetings_quotes(app: App) -> None:
    e = get_json(app, "/api/entities/person:lena%20hartmann")
    # The hostile article (2025-01-01) names her too; roles span both articles.
    assert e["roles"] == [{"role": "Erste Bürgermeisterin", "first": "2025-01-01", "last": "2025-03-09", "articles": 2}]
    assert len(e["trips"]) == 1 and len(e["quotes"]) == 1
    assert {m["name"] for m in e["met"]} == {"Sofie Lund", "Erik Sandberg", "Moritz Albers"}
    html = get_html(app, "/entity/person:lena%20hartmann")
    for needle in ("Rollen im Zeitverlauf", "Kopenhagen", "Der Norden Europas", "Sofie Lund"):
        assert needle in html


def test_search_with_facets(app: App) -> None:
    r = get_json(app, "/api/search?q=Oslo")
    assert r["total"] >= 2
    assert {f["value"] for f in r["facets"]["type"]} >= {"trip", "meeting"}
    narrowed = get_json(app, "/api/search?q=Oslo&type=agreement")
    assert narrowed["total"] == 1
    assert get_json(app, "/api/search?q=Oslo&entity=person:lena%20hartmann")["total"] == 2  # Hamburg + hostile
    hit = r["results"][0]["snippet"]
    assert hit["text"][hit["hit"][0] : hit["hit"][1]].lower() == "oslo"


def test_network_links_participants_not_places(app: App) -> None:
    net = get_json(app, "/api/network")
    pairs = {(e["a"], e["b"]) for e in net["edges"]}
    assert ("person:lena hartmann", "person:sofie lund") in pairs
    assert not any(k.startswith("place:") for pair in pairs for k in pair)


@pytest.mark.parametrize(
    "q",
    [
        "' OR 1=1 --",
        "%",
        "_",
        "\\",
        "'; DROP TABLE articles; --",
        '" OR ""="',
        "%' UNION SELECT text FROM articles --",
        "\u0000",
        "x" * 5000,
        "?",
        "$1",
    ],
)
def test_hostile_search_terms_are_data(app: App, q: str) -> None:
    for target in (
        f"/api/search?q={quote(q)}",
        f"/api/events?person={quote(q)}&place={quote(q)}&q={quote(q)}",
        f"/api/entities?q={quote(q)}",
        f"/search?q={quote(q)}",
        f"/timeline?person={quote(q)}",
    ):
        resp = app.handle(target)
        assert resp.status == 200, (target, resp.body[:200])
    assert get_json(app, f"/api/search?q={quote(q)}")["total"] <= 1  # no wildcard: % and _ match themselves
    assert get_json(app, "/api/stats")["counts"]["articles"] == 13  # nothing dropped


def test_hostile_article_text_is_escaped_everywhere(app: App) -> None:
    h = get_json(app, "/api/search?q=onerror")["results"][0]["hash"]
    for target in (f"/article/{h}", "/search?q=onerror", "/timeline", "/entity/person:lena%20hartmann"):
        html = get_html(app, target)
        assert "<script>window" not in html and "<img src=x" not in html and "<iframe" not in html
    html = get_html(app, f"/article/{h}")
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html


def test_unknown_paths_and_bad_ids_answer_404(app: App) -> None:
    assert app.handle("/api/articles/ffff").status == 404
    assert app.handle("/api/articles/not-hex").status == 404
    assert app.handle("/entity/person:nobody").status == 404
    assert app.handle("/static/../store/db.py").status == 404
    assert app.handle("/static/..%2f..%2fcli.py").status == 404
    assert app.handle("/wp-admin").status == 404


@pytest.fixture(scope="module")
def server(app: App) -> Iterator[tuple[str, int]]:
    srv = make_server(app.store, port=0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def test_real_http_keepalive_headers_and_read_only(server: tuple[str, int]) -> None:
    conn = http.client.HTTPConnection(*server, timeout=10)
    for _ in range(3):  # one connection, several requests
        conn.request("GET", "/api/stats")
        resp = conn.getresponse()
        body = resp.read()
        assert resp.status == 200 and json.loads(body)["counts"]["articles"] == 13
    assert "script-src 'self'" in resp.getheader("Content-Security-Policy")
    assert resp.getheader("X-Content-Type-Options") == "nosniff"
    conn.request("POST", "/api/stats", body=b"{}")
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 405
    conn.close()
    conn = http.client.HTTPConnection(*server, timeout=10)
    conn.request("GET", "/" + "a" * 5000)
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 414
    conn.request("GET", "/static/world.geojson")
    resp = conn.getresponse()
    world = json.loads(resp.read())
    assert world["type"] == "FeatureCollection" and len(world["features"]) > 150
    conn.close()


def test_pages_link_only_local_assets(app: App) -> None:
    for target in ("/", "/timeline", "/network", "/search?q=Oslo"):
        html = get_html(app, target)
        assert "http://" not in html and "https://" not in html and "//cdn" not in html


def test_static_assets_have_no_remote_urls() -> None:
    static = Path(__file__).resolve().parents[1] / "src/treffpunkt/web/static"
    for path in static.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert "https://" not in text and "innerHTML" not in text, path
