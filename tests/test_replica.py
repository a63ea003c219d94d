"""The SQLite read replica answers every page exactly as the store itself would, and follows the store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from test_store import DEMO, handmade

from treffpunkt.engines import LocalEngine
from treffpunkt.store import Store, ingest
from treffpunkt.store.replica import Replica, replica_path
from treffpunkt.web.server import App


def _corpus(folder: Path) -> Path:
    """The demo articles three times over, published on other days (one copy undated), so that
    pages sort ties, missing dates and many events per entity."""
    folder.mkdir()
    with open(folder / "corpus.jsonl", "w", encoding="utf-8") as f:
        for n, path in enumerate(sorted(DEMO.glob("*.txt"))):
            text = path.read_text(encoding="utf-8").split("\n", 1)[1]  # without its date line
            for copy, published in enumerate(("2025-03-09", "2024-11", None)):
                row = {"id": f"{path.stem}-{copy}", "text": text + f"\n\nMeldung {n}/{copy}.", "published": published}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return folder


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, App]]:
    """Two apps over one store of real extractions: one reads the replica, one the store."""
    folder = tmp_path_factory.mktemp("replica")
    path = str(folder / "r.duckdb")
    with Store.open(path) as store:
        ingest([_corpus(folder / "in")], store, LocalEngine(workers=1))
    store = Store.open(path, read_only=True)
    with_replica, without = App(store, cache_ttl=0), App(store, cache_ttl=0, replica=False)
    assert isinstance(with_replica.reader, Replica) and without.reader is store
    yield with_replica, without
    store.close()


def _targets(app: App) -> list[str]:
    entities = json.loads(app.handle("/api/entities?limit=500").body)
    assert len(entities) > 20
    keys = [quote(e["key"], safe=":") for e in entities]
    people = [k for k in keys if k.startswith("person:")]
    places = [k for k in keys if k.startswith("place:")]
    out = [
        "/api/events",
        "/api/events?limit=7&offset=5",
        "/api/events?type=meeting",
        "/api/events?type=visit&from=2025-01-01",
        "/api/events?status=planned&to=2025-02",
        "/api/events?q=Oslo",
        "/api/events?person=Hartmann",
        "/api/events?place=Oslo&type=trip",
        "/api/trips",
        "/api/trips?place=Oslo",
        "/api/map",
        "/api/network",
        "/api/network?min_weight=2",
        "/api/entities?kind=person",
        "/api/entities?q=ber",
        "/timeline?type=agreement",
        "/api/search?q=Oslo",
        "/api/search?q=OSLO%20besuch&limit=3&offset=1",
        "/api/search?q=in%20Oslo",  # a term too short for the trigram index
        "/api/search?q=B%C3%BCrgermeisterin",
        "/api/search?q=stra%C3%9Fe",
        "/api/search?q=%22Oslo%22",
        "/api/search?q=Oslo&type=trip",
        "/api/search?q=",
        "/search?q=Hamburg",
    ]
    out += [f"/api/search?entity={k}" for k in keys[:10]]
    hashes = [r["hash"] for r in json.loads(app.handle("/api/search?q=&limit=500").body)["results"]]
    out += [f"/api/articles/{h}" for h in hashes] + [f"/article/{h}" for h in hashes[:5]]
    out += [f"/api/entities/{k}" for k in keys]
    out += [f"/api/events?person={k}" for k in people] + [f"/api/events?place={k}&limit=3" for k in places]
    out += [f"/timeline?person={k}" for k in people[:5]] + [f"/entity/{k}" for k in people[:5]]
    return out


def test_replica_answers_every_page_as_the_store_does(stores: tuple[App, App]) -> None:
    with_replica, without = stores
    targets = _targets(without)
    for target in targets:
        got, want = with_replica.handle(target), without.handle(target)
        assert got.status == want.status == 200, target
        if got.content_type.startswith("application/json"):
            assert json.loads(got.body) == json.loads(want.body), target
        else:
            assert got.body == want.body, target
    # Not vacuous: entities with several events and articles, events without a date.
    events = json.loads(without.handle("/api/events?limit=500").body)["events"]
    assert len(events) > 30 and any(e["date"] is None for e in events)


def test_replica_is_rebuilt_when_the_store_changed(tmp_path: Path) -> None:
    path = str(tmp_path / "s.duckdb")
    with Store.open(path) as store:
        ingest([DEMO / "kiel-danzig-2025-02.txt"], store, LocalEngine(lambda: handmade, workers=1))
    with Store.open(path, read_only=True) as store:
        app = App(store)
        assert replica_path(path).exists()
        before = json.loads(app.handle("/api/stats").body)["counts"]["articles"]
        assert json.loads(app.handle("/api/entities?q=Oslo").body) == []
    built = replica_path(path).stat().st_mtime_ns
    with Store.open(path) as store:
        ingest([DEMO], store, LocalEngine(lambda: handmade, workers=1))
    with Store.open(path, read_only=True) as store:
        app = App(store)
        assert json.loads(app.handle("/api/stats").body)["counts"]["articles"] > before
        assert json.loads(app.handle("/api/entities?q=Oslo").body)  # named by the new articles
    assert replica_path(path).stat().st_mtime_ns != built
    with Store.open(path, read_only=True) as store:  # unchanged store: the replica is reused
        App(store)
    assert len(list(tmp_path.glob("*.sqlite*"))) == 1
