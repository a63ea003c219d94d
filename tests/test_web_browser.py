"""The pages in headless Chromium (Debian's /usr/bin/chromium driven by Playwright): the map draws the
world and the trip, the article page highlights every fact at its span, hostile text stays text.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_store import DEMO, HAMBURG, handmade
from test_web import HOSTILE_TEXT

from treffpunkt.engines import LocalEngine
from treffpunkt.store import Store, content_hash, ingest
from treffpunkt.web.server import make_server

CHROMIUM = os.environ.get("TREFFPUNKT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    hostile = folder / "in"
    hostile.mkdir()
    (hostile / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    path = str(folder / "b.duckdb")
    with Store.open(path) as store:
        ingest([DEMO, hostile], store, LocalEngine(lambda: handmade, workers=1))
    store = Store.open(path, read_only=True)
    server = make_server(store, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    pg.errors = errors
    yield pg
    context.close()


@pytest.fixture(scope="module")
def reference_site(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Iterator[str]:
    """The reference article and the demo corpus, extracted by the real default pipeline."""
    path = str(tmp_path_factory.mktemp("reference") / "r.duckdb")
    with Store.open(path) as store:
        stats = ingest(
            [shared_dir / "examples" / "wegner-usa-2024-11.txt", DEMO], store, LocalEngine("full", workers=1)
        )
        assert stats.written == 13 and stats.extract_errors == 0
    store = Store.open(path, read_only=True)
    server = make_server(store, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    store.close()


def test_map_screenshot_of_the_reference_trip(reference_site: str, page: object) -> None:
    """Wegner's trip (New York, Boston, Los Angeles) drawn on the offline world map, as a PNG."""
    page.goto(reference_site + "/?person=person:kai%20wegner")
    page.wait_for_selector("#map-svg[data-ready='1']", timeout=15_000)
    assert page.locator("#map-svg path.country").count() > 150
    line = page.locator("#map-svg polyline.trip-line")
    assert line.count() == 1
    labels = page.locator("#map-svg text.leg-label").all_text_contents()
    assert labels == ["1 New York", "2 Boston", "3 Los Angeles"]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = page.locator("#map").screenshot(path=str(ARTIFACTS / "map_reference_trip.png"))
    width, height = _png_size(shot)
    assert width > 600 and height > 400 and len(shot) > 20_000
    # The whole demo corpus on one world map: every trip with located legs is drawn.
    page.goto(reference_site + "/")
    page.wait_for_selector("#map-svg[data-ready='1']", timeout=15_000)
    assert page.locator("#map-svg polyline.trip-line").count() >= 5
    page.locator("#map").screenshot(path=str(ARTIFACTS / "map_demo_corpus.png"))
    assert page.errors == []


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_map_draws_world_and_the_trip(site: str, page: object) -> None:
    page.goto(site + "/")
    page.wait_for_selector("#map-svg[data-ready='1']", timeout=15_000)
    assert page.locator("#map-svg path.country").count() > 150
    line = page.locator("#map-svg polyline.trip-line")
    assert line.count() == 1
    assert len(line.first.get_attribute("points").split()) == 3  # Kopenhagen, Oslo, Stockholm
    labels = page.locator("#map-svg text.leg-label").all_text_contents()
    assert labels == ["1 Kopenhagen", "2 Oslo", "3 Stockholm"]
    assert "1 Reisen" in page.locator("#map-status").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = page.locator("#map").screenshot(path=str(ARTIFACTS / "map.png"))
    width, height = _png_size(shot)
    assert width > 600 and height > 400
    assert len(shot) > 20_000  # a drawn map, not a blank box
    assert page.errors == []


def test_article_page_highlights_every_fact_at_its_span(site: str, page: object) -> None:
    text = HAMBURG.read_text(encoding="utf-8")
    h = content_hash(next(iter(_articles(HAMBURG))))
    page.goto(f"{site}/article/{h}")
    api = json.loads(page.context.request.get(f"{site}/api/articles/{h}").text())
    assert api["text"] == text
    shown = page.locator("#article-text").inner_text()
    assert shown.strip() == text.strip()
    segments = page.eval_on_selector_all(
        "#article-text mark.hl",
        "els => els.map(e => [e.dataset.facts, +e.dataset.start, +e.dataset.end, e.textContent])",
    )
    covered: dict[str, list[tuple[int, int]]] = {}
    for facts, start, end, seg_text in segments:
        assert seg_text == text[start:end]
        for fid in facts.split():
            covered.setdefault(fid, []).append((start, end))
    assert len(api["facts"]) > 20
    for fact in api["facts"]:
        pieces = sorted(covered[fact["id"]])
        assert pieces[0][0] == fact["start"] and pieces[-1][1] == fact["end"], fact
        assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:], strict=False)), fact  # contiguous
    # Clicking an event in the side list marks its evidence in the text.
    page.locator("li.fact[data-fact='ev-ev3']").click()
    focused = "".join(page.locator("mark.hl.focus").all_text_contents())
    assert "trifft Hartmann Oberbürgermeisterin Sofie Lund" in focused
    assert page.errors == []


def test_timeline_filters_and_entity_page(site: str, page: object) -> None:
    page.goto(site + "/timeline")
    assert page.locator("li.event").count() == 6
    page.select_option("select[name=type]", "meeting")
    page.locator("form.filters button").click()
    page.wait_for_url("**/timeline?*type=meeting*")
    assert page.locator("li.event").count() == 1
    page.locator("li.event a.ent", has_text="Sofie Lund").click()
    page.wait_for_url("**/entity/person:sofie%20lund")
    assert "Sofie Lund" in page.locator("h1").inner_text()
    assert "Lena Hartmann" in page.locator("ul.met").inner_text()


def test_network_and_search(site: str, page: object) -> None:
    page.goto(site + "/network")
    page.wait_for_selector("#network-svg[data-ready='1']", timeout=15_000)
    names = page.locator("#network-svg text.node-label").all_text_contents()
    assert {"Lena Hartmann", "Sofie Lund", "Erik Sandberg", "Moritz Albers"} <= set(names)
    page.goto(site + "/search?q=Landstrom")
    assert page.locator("li.result").count() == 1
    assert page.locator("li.result mark").first.inner_text().lower() == "landstrom"
    assert page.errors == []


def test_hostile_article_text_never_runs(site: str, page: object) -> None:
    page.goto(site + "/search?q=" + "onerror")
    link = page.locator("li.result a").first
    link.click()
    page.wait_for_selector("#article-text")
    assert "<script>" in page.locator("#article-text").inner_text()
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#article-text script, #article-text img, #article-text iframe").count() == 0
    assert page.errors == []


def _articles(path: Path) -> Iterator[object]:
    from treffpunkt.read import read_paths

    return read_paths([path])
