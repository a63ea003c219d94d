"""Exports: JSONL records as `extract` gives them, CSV and Parquet that DuckDB reads, valid GeoJSON, PLOVER."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from test_store import HAMBURG, demo_store, hamburg_article, handmade  # noqa: F401 - fixture

from treffpunkt.export import export
from treffpunkt.serialize import record_dict
from treffpunkt.store import Store


def _export(store_path: Path, fmt: str, **kw: object) -> str:
    out = io.StringIO()
    with Store.open(str(store_path), read_only=True) as store:
        export(store, fmt, None, stdout=out, **kw)
    return out.getvalue()


def test_jsonl_is_one_extract_record_per_article(demo_store: Path) -> None:  # noqa: F811
    lines = _export(demo_store, "jsonl").splitlines()
    assert len(lines) == len(list(HAMBURG.parent.glob("*.txt")))
    records = [json.loads(line) for line in lines]
    expected = record_dict(handmade(hamburg_article()))
    assert expected in records
    with_text = [json.loads(line) for line in _export(demo_store, "jsonl", with_text=True).splitlines()]
    assert HAMBURG.read_text(encoding="utf-8") in {r["text"] for r in with_text}


def test_csv_opens_in_duckdb_and_csv_module(demo_store: Path, tmp_path: Path) -> None:  # noqa: F811
    text = _export(demo_store, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["type"] for r in rows) == ["accompany", "agreement", "meeting", "trip", "trip", "trip"]
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    con = duckdb.connect()
    got = con.execute(
        "SELECT type, evidence_start, lat FROM read_csv(?, header = true) WHERE type = 'meeting'", [str(path)]
    ).fetchall()
    assert got[0][0] == "meeting" and isinstance(got[0][1], int) and abs(got[0][2] - 55.68) < 0.01
    for table in ("quotes", "trips", "entities"):
        assert len(list(csv.reader(io.StringIO(_export(demo_store, "csv", table=table))))) > 1


def test_parquet_is_typed(demo_store: Path, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "events.parquet"
    with Store.open(str(demo_store), read_only=True) as store:
        assert export(store, "parquet", str(path)) == 6
    con = duckdb.connect()
    schema = dict(con.execute("SELECT name, type FROM parquet_schema(?)", [str(path)]).fetchall())
    assert schema["evidence_start"] == "INT64" and schema["lat"] == "DOUBLE" and schema["type"] == "BYTE_ARRAY"
    assert con.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()[0] == 6


def _valid_position(p: object) -> bool:
    return (
        isinstance(p, list)
        and len(p) == 2
        and all(isinstance(v, int | float) for v in p)
        and -180 <= p[0] <= 180
        and -90 <= p[1] <= 90
    )


def test_geojson_follows_rfc7946(demo_store: Path) -> None:  # noqa: F811
    fc = json.loads(_export(demo_store, "geojson"))
    assert fc["type"] == "FeatureCollection"
    kinds = {}
    for f in fc["features"]:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict)
        g = f["geometry"]
        if g["type"] == "Point":
            assert _valid_position(g["coordinates"])
        else:
            assert g["type"] == "LineString" and len(g["coordinates"]) >= 2
            assert all(_valid_position(p) for p in g["coordinates"])
        kinds.setdefault(f["properties"]["kind"], []).append(f)
    trip = kinds["trip"][0]
    assert trip["properties"]["places"] == ["Kopenhagen", "Oslo", "Stockholm"]
    assert trip["geometry"]["coordinates"][0] == [12.57, 55.68]  # lon, lat
    # DuckDB reads it as JSON too.
    con = duckdb.connect()
    assert con.execute("SELECT json_array_length(?::JSON -> 'features')", [json.dumps(fc)]).fetchone()[0] == len(
        fc["features"]
    )


def test_plover_maps_types_and_modes(demo_store: Path) -> None:  # noqa: F811
    events = [json.loads(line) for line in _export(demo_store, "plover").splitlines()]
    by_type = {e["treffpunkt"]["type"]: e for e in events}
    assert by_type["trip"]["event"] == "CONSULT" and by_type["trip"]["mode"] == "visit"
    assert by_type["accompany"]["event"] == "CONSULT"
    assert by_type["meeting"]["event"] == "CONSULT"
    assert by_type["meeting"]["recipient"] == [{"entity_text": "Sofie Lund"}]
    assert by_type["agreement"]["event"] == "AGREE"
    assert by_type["meeting"]["aux_mode"] == "future"  # announced: PLOVER's future mode
    assert by_type["meeting"]["event_loc"]["name"] == "Kopenhagen"
    text = HAMBURG.read_text(encoding="utf-8")
    s, e = by_type["agreement"]["event_span"]
    assert by_type["agreement"]["event_text"] == text[s:e]


def test_plover_partnership_is_cooperate() -> None:
    from treffpunkt.export import plover_event

    article = {
        "hash": "h",
        "id": "a",
        "source": None,
        "title": None,
        "published": "1967",
        "record": {"entities": []},
    }
    ev = {
        "id": "e",
        "type": "partnership",
        "actors": ["Berlin"],
        "counterparts": ["Los Angeles"],
        "place": None,
        "when": {"start": "1967"},
        "status": "happened",
        "evidence": "…",
        "evidence_span": [0, 1],
    }
    out = plover_event(article, ev)
    assert out["event"] == "COOPERATE" and out["date"] == "1967" and out["mode"] is None


def test_cli_export_to_stdout_and_file(demo_store: Path, tmp_path: Path) -> None:  # noqa: F811
    cmd = [sys.executable, "-m", "treffpunkt.cli", "export", "--store", str(demo_store)]
    out = subprocess.run([*cmd, "--format", "geojson"], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(out.stdout)["type"] == "FeatureCollection"
    pq = subprocess.run([*cmd, "--format", "parquet"], capture_output=True, check=True, timeout=60)
    assert pq.stdout[:4] == b"PAR1" and pq.stdout[-4:] == b"PAR1"
    target = tmp_path / "out.jsonl"
    done = subprocess.run(
        [*cmd, "--format", "jsonl", "--output", str(target)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "wrote 12 records" in done.stderr
    missing = subprocess.run(
        [*cmd[:-1], str(tmp_path / "none.duckdb"), "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2 and "run `treffpunkt ingest` first" in missing.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "geojson", "plover"])
def test_empty_store_exports_cleanly(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "empty.duckdb"
    Store.open(str(path)).close()
    text = _export(path, fmt)
    if fmt == "geojson":
        assert json.loads(text) == {"type": "FeatureCollection", "features": []}
    elif fmt == "csv":
        assert text.count("\n") == 1  # the header
    else:
        assert text == ""
