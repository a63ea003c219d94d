"""The command line end to end, on articles written for these tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from treffpunkt.cli import build_parser, main

REPO = Path(__file__).resolve().parents[1]

ARTICLE = """date 2025-03-12 Bürgermeisterin auf Reisen (Archivbild)

Bremen - Bremens Bürgermeisterin Maria Vogt (SPD) reist am kommenden Montag nach Polen. Erste Station ist Danzig, \
wo sie Stadtpräsident Lars Brede trifft. Anschließend fährt die SPD-Politikerin nach Warschau.

„Wir wollen die Partnerschaft stärken“, sagte Vogt vor der Abreise.
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "vogt.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_extract_jsonl_spans_point_at_the_words(capsys, article):
    code, out, _ = run(capsys, "extract", str(article))
    assert code == 0
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["id"] == "vogt.txt" and record["published"] == "2025-03-12"
    text = ARTICLE
    trips = [e for e in record["events"] if e["type"] == "trip"]
    assert {e["place"] for e in trips} >= {"Polen", "Danzig", "Warschau"}
    for ev in record["events"]:
        start, end = ev["evidence_span"]
        assert text[start:end] == ev["evidence"]
        for arg in ev["args"]["actors"] + ev["args"]["counterparts"] + [ev["args"]["place"]]:
            if arg:
                s, e = arg["span"]
                assert text[s:e].strip()
        if ev["when"].get("span"):
            s, e = ev["when"]["span"]
            assert text[s:e] == ev["when"]["text"]
    (quote,) = record["quotes"]
    assert quote["speaker"] == "Maria Vogt" and text[slice(*quote["span"])] == quote["text"]
    person = next(e for e in record["entities"] if e["name"] == "Maria Vogt")
    assert person["party"] == "SPD"


def test_extract_text_geojson_and_workers(capsys, article, tmp_path):
    code, out, _ = run(capsys, "extract", str(article), "--format", "text")
    assert code == 0 and "Trip of Maria Vogt" in out and "Danzig" in out
    code, out, _ = run(capsys, "extract", str(article), "--format", "geojson")
    collection = json.loads(out)
    assert collection["type"] == "FeatureCollection"
    line = next(f for f in collection["features"] if f["properties"]["kind"] == "trip")
    assert line["geometry"]["type"] == "LineString" and line["properties"]["places"] == ["Danzig", "Warschau"]
    other = tmp_path / "other.txt"
    other.write_text(ARTICLE.replace("Danzig", "Posen"), encoding="utf-8")
    _, one, _ = run(capsys, "extract", str(article), str(other), "--workers", "1")
    _, two, _ = run(capsys, "extract", str(article), str(other), "--workers", "2")
    assert one == two and len(one.splitlines()) == 2


def test_bad_input_is_named_and_the_batch_goes_on(capsys, article, tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        json.dumps({"id": "ok", "text": ARTICLE}) + "\n{not json\n" + json.dumps({"id": "x"}) + "\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "extract", str(batch), str(article))
    assert code == 0 and [json.loads(x)["id"] for x in out.splitlines()] == ["ok", "vogt.txt"]
    assert f"{batch}:2" in err and f"{batch}:3" in err
    code, _, _ = run(capsys, "extract", str(batch), "--strict")
    assert code == 1


def test_every_command_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert re.search(rf"treffpunkt {name}\b", readme), f"command {name!r} is not in README.md"
