"""Engines: local processes and Ray give the same stored rows as one process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_store import DEMO, dump, handmade

from treffpunkt.engines import LocalEngine, make_engine, resolve_factory
from treffpunkt.engines.extractors import tokens
from treffpunkt.store import Store, ingest


def _ingest(path: Path, engine: object) -> dict[str, list[tuple]]:
    with Store.open(str(path)) as store:
        ingest([DEMO], store, engine, batch_size=5)
        return dump(store)


def test_factories_resolve_by_name_and_path() -> None:
    assert resolve_factory("tokens") is tokens
    assert resolve_factory("treffpunkt.engines.extractors:tokens") is tokens
    with pytest.raises(ValueError, match="nope"):
        resolve_factory("nope")
    with pytest.raises(ValueError, match="unknown engine"):
        make_engine("spark")


def test_ray_engine_gives_the_rows_of_a_local_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ray = pytest.importorskip("ray", reason="the ray package is not installed (pip install ray)")
    # Ray's workers unpickle the test's extractor by importing this folder's modules.
    here = str(Path(__file__).resolve().parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p))
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")  # a private instance on loopback, gone after the test
    expected = _ingest(tmp_path / "local.duckdb", LocalEngine(lambda: handmade, workers=1))
    engine = make_engine("ray", lambda: handmade, workers=2)
    got = _ingest(tmp_path / "ray.duckdb", engine)
    assert not ray.is_initialized()  # the engine shut down the local instance it started
    assert got == expected
    assert len(got["events"]) == 6
