"""treffpunkt.evaluate gives score.py's numbers and scores hand-made cases as FORMAT.md says."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from treffpunkt.cli import main as cli_main
from treffpunkt.evaluate import GoldNames, fold, format_table, prf, read_jsonl, score, token_f1

DEV_SETS = ("eval/dev.gold.jsonl", "eval/dev_visits.gold.jsonl", "examples/wegner-usa-2024-11.gold.jsonl")


# --- hand-made cases: these fail without any shared data -------------------------------------------

ENTITIES = [
    {"name": "Kai Wegner", "type": "person", "aliases": ["Wegner"]},
    {"name": "Karen Bass", "type": "person", "aliases": []},
    {"name": "Massachusetts Institute of Technology", "type": "organization", "aliases": ["MIT"]},
    {"name": "Boston", "type": "place", "aliases": []},
    {"name": "Franziska Giffey", "type": "person", "aliases": ["Giffey"]},
]


def _gold(**extra) -> dict:
    row = {"id": "a", "entities": ENTITIES, "events": [], "quotes": []}
    row.update(extra)
    return row


def test_fold_umlauts_accents_punctuation():
    assert fold("Bürgermeisterin Straße") == "buergermeisterin strasse"
    assert fold("L.A. Police-Department") == "l a police department"
    assert fold("Médecins") == "medecins"
    assert fold(None) == ""


def test_names_resolve_alias_containment_and_unknown():
    names = GoldNames(ENTITIES)
    assert names.resolve("wegner") == "Kai Wegner"
    assert names.resolve("Bürgermeisterin Karen Bass") == "Karen Bass"
    # Two one-word forms are contained: the earlier gold entity wins.
    assert names.resolve("das MIT in Boston") == "Massachusetts Institute of Technology"
    assert names.resolve("Angela Merkel") == "?angela merkel"
    assert names.resolve("  ") is None


def test_token_f1():
    assert token_f1("a b c d", "a b c d") == 1.0
    assert token_f1("a b c d", "a b") == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert token_f1("a b", "") == 0.0


def test_prf_conventions():
    assert prf(0, 0, 0)["f1"] == 1.0  # nothing to find, nothing found
    assert prf(0, 0, 3) == {"p": 0.0, "r": 0.0, "f1": 0.0, "tp": 0, "pred": 0, "gold": 3}
    assert prf(1, 3, 2)["f1"] == round(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5), 4)


def test_trip_needs_place_and_actor():
    trip = {
        "type": "trip",
        "actors": ["Kai Wegner"],
        "counterparts": [],
        "place": "Boston",
        "when": {"start": "2024-11"},
        "status": "planned",
    }
    gold = [_gold(events=[trip])]
    right = {
        "type": "trip",
        "actors": ["Wegner"],
        "place": "boston",
        "when": {"start": "2024-11-17"},
        "status": "happened",
    }
    wrong_place = dict(right, place="New York")
    wrong_actor = dict(right, actors=["Karen Bass"])
    r = score(gold, [{"id": "a", "events": [right]}])
    assert r["strict"]["tp"] == 1 and r["trip"]["f1"] == 1.0
    assert r["attributes"]["start"] == {"accuracy": 1.0, "n": 1}
    assert r["attributes"]["status"] == {"accuracy": 0.0, "n": 1}
    unknown = [_gold(events=[dict(trip, status="unknown", when={"start": None})])]
    judged = score(unknown, [{"id": "a", "events": [right]}])["attributes"]
    assert judged == {"place": {"accuracy": 1.0, "n": 1}}  # no status, no start to judge
    assert score(gold, [{"id": "a", "events": [wrong_place]}])["strict"]["tp"] == 0
    assert score(gold, [{"id": "a", "events": [wrong_actor]}])["strict"]["tp"] == 0


def test_meeting_participants_as_one_set_and_encounter_merge():
    meeting = {"type": "meeting", "actors": ["Kai Wegner"], "counterparts": ["Karen Bass"]}
    gold = [_gold(events=[meeting])]
    swapped = {"type": "meeting", "actors": ["Karen Bass"], "counterparts": ["Wegner"]}
    one_side = {"type": "meeting", "actors": ["Wegner"], "counterparts": ["Angela Merkel"]}
    as_visit = {"type": "visit", "actors": ["Wegner"], "counterparts": ["Karen Bass"]}
    assert score(gold, [{"id": "a", "events": [swapped]}])["strict"]["tp"] == 1
    assert score(gold, [{"id": "a", "events": [one_side]}])["strict"]["tp"] == 0
    r = score(gold, [{"id": "a", "events": [as_visit]}])
    assert (r["strict"]["tp"], r["encounter"]["tp"], r["meeting"]["tp"], r["visit"]["pred"]) == (0, 1, 0, 1)


def test_matching_is_one_to_one():
    trip = {"type": "trip", "actors": ["Kai Wegner"], "counterparts": [], "place": None}
    gold = [_gold(events=[trip])]
    r = score(gold, [{"id": "a", "events": [trip, trip]}])
    assert (r["strict"]["tp"], r["strict"]["pred"], r["strict"]["p"]) == (1, 2, 0.5)


def test_quotes_need_speaker_and_half_the_words():
    q = {"speaker": "Kai Wegner", "kind": "direct", "text": "Die USA und Berlin verbinden viele Dinge"}
    gold = [_gold(quotes=[q])]
    assert (
        score(gold, [{"id": "a", "quotes": [dict(q, speaker="Wegner", text="USA und Berlin verbinden")]}])["quotes"][
            "tp"
        ]
        == 1
    )
    assert score(gold, [{"id": "a", "quotes": [dict(q, text="Die USA")]}])["quotes"]["tp"] == 0
    assert score(gold, [{"id": "a", "quotes": [dict(q, speaker="Karen Bass")]}])["quotes"]["tp"] == 0


def test_trips_legs_appointments_companions_topics():
    trip = {
        "traveler": "Kai Wegner",
        "legs": [
            {"place": "New York", "appointments": ["Pfizer"], "joined_by": []},
            {
                "place": "Boston",
                "appointments": ["Massachusetts Institute of Technology"],
                "joined_by": ["Franziska Giffey"],
            },
        ],
        "companions": ["Delegation"],
        "topics": ["Künstliche Intelligenz", "Sicherheit"],
    }
    gold = [_gold(trips=[trip])]
    pred = {
        "traveler": "Wegner",
        "legs": [
            {"place": "Boston", "appointments": ["MIT"], "joined_by": ["Giffey"]},
            {"place": "New York", "appointments": ["Pfizer", "Microsoft"]},
        ],
        "companions": [],
        "topics": ["kuenstliche Intelligenz"],
    }
    r = score(gold, [{"id": "a", "trips": [pred]}])
    assert r["trips"]["tp"] == 1
    assert r["attributes"]["leg order"] == {"accuracy": 0.0, "n": 1}
    appointments = r["trip appointments"]
    assert (appointments["tp"], appointments["pred"], appointments["gold"]) == (2, 3, 2)
    assert r["trip joined_by"]["f1"] == 1.0
    assert r["trip companions"]["r"] == 0.0
    assert (r["trip topics"]["tp"], r["trip topics"]["gold"]) == (1, 2)


def test_missing_article_predicts_nothing_and_bad_items_are_ignored():
    trip = {"type": "trip", "actors": ["Kai Wegner"], "place": "Boston"}
    gold = [_gold(id="a", events=[trip]), _gold(id="b")]
    r = score(gold, [{"id": "b", "events": ["not an event", 3], "quotes": None}])
    assert r["articles"] == {"gold": 2, "predicted": 1}
    assert (r["strict"]["tp"], r["strict"]["pred"], r["strict"]["gold"]) == (0, 0, 1)


def test_read_jsonl_names_bad_line(tmp_path: Path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": "a"}\n\n{broken\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"p\.jsonl:3: not JSON"):
        read_jsonl(path)


# --- same numbers as score.py on the dev sets -----------------------------------------------------


def _drop_half(rows: list[dict], rng: random.Random) -> list[dict]:
    out = []
    for g in rows:
        out.append(
            {
                "id": g["id"],
                "events": [e for e in g.get("events", []) if rng.random() < 0.5],
                "quotes": [q for q in g.get("quotes", []) if rng.random() < 0.5],
            }
        )
    return out


def _perturb(rows: list[dict], rng: random.Random) -> list[dict]:
    """Gold with wrong types, swapped roles, role-prefixed names, wrong dates, cut quotes, extra events."""
    out = []
    for g in rows[1:] if len(rows) > 1 else rows:  # the first article gets no prediction
        names = [n for e in g.get("entities", []) for n in (e["name"], *e.get("aliases", []))] or ["X"]
        events = []
        for e in copy.deepcopy(g.get("events", [])):
            if rng.random() < 0.25:
                e["type"] = rng.choice(["trip", "visit", "meeting", "accompany", "agreement"])
            if rng.random() < 0.25:
                e["actors"], e["counterparts"] = e.get("counterparts", []), e.get("actors", [])
            if rng.random() < 0.3:
                e["actors"] = ["Minister " + a.upper() for a in e.get("actors", [])]
            if rng.random() < 0.3:
                e["place"] = rng.choice(names + [None, "Paris"])
            if rng.random() < 0.3:
                start = (e.get("when") or {}).get("start") or "2020"
                e["when"] = {"start": rng.choice([start[:4], start + "-01", "1999", None])}
            if rng.random() < 0.3:
                e["status"] = rng.choice(["planned", "happened", "unknown"])
            events.append(e)
        events += [{"type": "meeting", "actors": [rng.choice(names)], "counterparts": [rng.choice(names)]}]
        quotes = []
        for q in copy.deepcopy(g.get("quotes", [])):
            words = q["text"].split()
            q["text"] = " ".join(words[: rng.randint(0, len(words))])
            if rng.random() < 0.2:
                q["speaker"] = rng.choice(names)
            quotes.append(q)
        trips = copy.deepcopy(g.get("trips", []))
        for t in trips:
            if rng.random() < 0.5:
                t["legs"].reverse()
            for leg in t["legs"]:
                leg["appointments"] = leg.get("appointments", [])[1:] + [rng.choice(names)]
            t["topics"] = t.get("topics", [])[::2]
        out.append({"id": g["id"], "events": events, "quotes": quotes, "trips": trips})
    return out


PREDICTIONS = {
    "gold": lambda rows, rng: rows,
    "empty": lambda rows, rng: [],
    "nothing_found": lambda rows, rng: [{"id": g["id"], "events": [], "quotes": [], "trips": []} for g in rows],
    "dropped": _drop_half,
    "perturbed": _perturb,
}


def _score_py(shared: Path, gold: Path, pred: Path) -> dict:
    done = subprocess.run(
        [sys.executable, str(shared / "eval" / "score.py"), str(gold), str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("dev", DEV_SETS)
@pytest.mark.parametrize("kind", PREDICTIONS)
def test_same_numbers_as_score_py(shared_dir: Path, tmp_path: Path, dev: str, kind: str):
    gold_path = shared_dir / dev
    gold = read_jsonl(gold_path)
    pred = PREDICTIONS[kind](gold, random.Random(f"{dev}/{kind}"))
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pred), encoding="utf-8")
    ours = score(gold, read_jsonl(pred_path))
    assert ours == _score_py(shared_dir, gold_path, pred_path)
    # The synthetic predictions must exercise the scorer: perfect, zero, and in between.
    f1 = ours["strict"]["f1"]
    if kind == "gold":
        assert f1 == 1.0 and ours["quotes"]["f1"] == 1.0
    elif kind in ("empty", "nothing_found"):
        assert ours["strict"]["tp"] == 0 and ours["quotes"]["tp"] == 0
    else:
        assert 0.0 < f1 < 1.0


def test_cli_json_equals_score_py(shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    gold_path = shared_dir / DEV_SETS[1]
    pred_path = tmp_path / "pred.jsonl"
    pred = _perturb(read_jsonl(gold_path), random.Random(7))
    pred_path.write_text("".join(json.dumps(r) + "\n" for r in pred), encoding="utf-8")
    assert cli_main(["evaluate", str(gold_path), str(pred_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == _score_py(shared_dir, gold_path, pred_path)


def test_table_matches_score_py_table(shared_dir: Path, tmp_path: Path):
    gold_path = shared_dir / DEV_SETS[1]
    pred_path = tmp_path / "pred.jsonl"
    pred = _drop_half(read_jsonl(gold_path), random.Random(3))
    pred_path.write_text("".join(json.dumps(r) + "\n" for r in pred), encoding="utf-8")
    command = [sys.executable, str(shared_dir / "eval" / "score.py"), str(gold_path), str(pred_path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)
    assert format_table(score(read_jsonl(gold_path), read_jsonl(pred_path))) == done.stdout.rstrip("\n")


def test_same_numbers_on_many_random_predictions(shared_dir: Path):
    """Many more perturbations, scored in-process by score.py imported as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("shared_score", shared_dir / "eval" / "score.py")
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    for dev in DEV_SETS:
        gold = read_jsonl(shared_dir / dev)
        for seed in range(6):
            rng = random.Random(seed)
            pred = _perturb(gold, rng)
            if seed % 2:
                pred += _drop_half(gold[:1], rng)  # the article _perturb leaves out, half predicted
            assert score(gold, pred) == reference.score(gold, pred), f"{dev}, seed {seed}"
