"""Accuracy gate: the default pipeline's dev-set scores may not fall below the floors in floors.json.

Raising a floor after an improvement is routine; lowering one is a deliberate edit, explained in the
commit that makes it. Print the current scores (to pin floors) with
    python tests/test_accuracy_gate.py [SHARED_DIR]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from treffpunkt.evaluate import read_jsonl, score

FLOORS_FILE = Path(__file__).with_name("floors.json")
SEED_ID = "seed-wegner-usa"
SETS = {
    "dev": "eval/dev.gold.jsonl",
    "visits": "eval/dev_visits.gold.jsonl",
    "seed": "examples/wegner-usa-2024-11.gold.jsonl",
}
ATTRIBUTES = {"place", "start", "status", "leg order"}


def load_floors() -> dict[str, float]:
    return {
        k: float(v) for k, v in json.loads(FLOORS_FILE.read_text(encoding="utf-8")).items() if not k.startswith("_")
    }


def _articles(name: str, shared: Path) -> list[Any]:
    """The articles of one set as the pipeline gets them in use: dev texts with their gold metadata,
    the reference article read from its .txt file (its `date` header parsed by the reader)."""
    from treffpunkt.read import ReadError, article_from_text, read_path

    if name == "seed":
        items = list(read_path(shared / "examples" / "wegner-usa-2024-11.txt"))
        assert len(items) == 1 and not isinstance(items[0], ReadError), f"reference article: {items}"
        items[0].id = SEED_ID  # the gold record's id
        return items
    articles = []
    for row in read_jsonl(shared / SETS[name]):
        article = article_from_text(row["text"], id=row["id"], title=row.get("title"))
        if row.get("published"):
            article.published = row["published"]
        articles.append(article)
    return articles


def run_sets(shared: Path) -> dict[str, dict[str, Any]]:
    """{set: {"scores": score(...), "errors": ["<id>: stage <s>: <message>", ...]}}."""
    from treffpunkt import default_pipeline
    from treffpunkt.serialize import record_dict

    pipeline = default_pipeline()
    out = {}
    for name, gold_file in SETS.items():
        preds, errors = [], []
        for article in _articles(name, shared):
            record = pipeline.run(article)
            errors += [f"{article.id}: stage {e.stage}: {e.message}" for e in record.errors]
            preds.append(record_dict(record))
        out[name] = {"scores": score(read_jsonl(shared / gold_file), preds), "errors": errors}
    return out


def metric_value(scores: dict[str, Any], metric: str, field: str) -> float | None:
    """A P/R/F1 field of `metric`, or an attribute's accuracy (None when nothing was judged)."""
    if metric in scores and isinstance(scores[metric], dict) and field in scores[metric]:
        return scores[metric][field]
    attr = scores.get("attributes", {}).get(metric)
    if attr is not None and field in attr:
        return attr[field]
    if metric in ATTRIBUTES and field == "accuracy":
        return None  # the scorer lists an attribute only once it judged one
    raise KeyError(f"the scorer reports no {metric!r} with a {field!r}")


def _split(key: str) -> tuple[str, str, str]:
    set_name, rest = key.split(".", 1)
    metric, field = rest.rsplit(".", 1)
    return set_name, metric, field


@pytest.fixture(scope="module")
def results(shared_dir: Path) -> dict[str, dict[str, Any]]:
    try:
        from treffpunkt import default_pipeline

        default_pipeline()
    except Exception as e:  # noqa: BLE001 - any failure to build is the finding
        pytest.fail(f"the default pipeline does not build: {type(e).__name__}: {e}")
    return run_sets(shared_dir)


def test_floors_file_is_well_formed():
    floors = load_floors()
    assert floors, "floors.json holds no floors"
    for key, floor in floors.items():
        set_name, _, field = _split(key)
        assert set_name in SETS, f"{key}: unknown set {set_name!r} (one of {sorted(SETS)})"
        assert field in {"p", "r", "f1", "accuracy"}, f"{key}: unknown field {field!r}"
        assert 0.0 <= floor <= 1.0, f"{key}: floor {floor} is not in [0, 1]"


def test_no_stage_fails_on_the_dev_articles(results: dict[str, dict[str, Any]]):
    errors = [e for r in results.values() for e in r["errors"]]
    assert not errors, f"{len(errors)} stage failures:\n" + "\n".join(errors[:20])


@pytest.mark.parametrize("key", sorted(load_floors()))
def test_score_at_or_above_floor(results: dict[str, dict[str, Any]], key: str):
    floor = load_floors()[key]
    set_name, metric, field = _split(key)
    value = metric_value(results[set_name]["scores"], metric, field)
    # An accuracy over no matched events is not measured; it passes only an unpinned (0.0) floor.
    assert value is not None or floor == 0.0, f"{key}: floor {floor}, value not measured (no matched events)"
    assert value is None or value >= floor, (
        f"{key} = {value} is below its floor {floor} (tests/floors.json; lower it only on purpose)"
    )


if __name__ == "__main__":
    shared_path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared")
    res = run_sets(shared_path)
    for k in sorted(load_floors()):
        s, m, f = _split(k)
        print(f"{k:36} {metric_value(res[s]['scores'], m, f)}")
    for r in res.values():
        for err in r["errors"]:
            print("error:", err)
