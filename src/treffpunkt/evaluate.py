"""Score predictions against gold annotations, as shared/eval/FORMAT.md ("How score.py matches") defines.

Written from the contract, not copied from score.py; tests/test_evaluate.py checks that both give the
same numbers. `score` returns the same keys as `score.py --json`:

- `strict`, `encounter`, one key per event type, `quotes`: precision/recall/F1 with tp, pred, gold;
- `trips`, `trip appointments`, `trip joined_by`, `trip companions`, `trip topics`, when the gold
  has trips;
- `attributes`: accuracy of place, start date, status (on matched events) and trip leg order;
- `articles`: how many gold articles have a prediction.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

EVENT_TYPES = ("trip", "visit", "meeting", "accompany", "agreement", "partnership")
# Types the `encounter` score treats as one: who met whom matters there, not how.
ENCOUNTER_TYPES = frozenset({"visit", "meeting", "accompany"})
TRIP_KEYS = ("trips", "trip appointments", "trip joined_by", "trip companions", "trip topics")
QUOTE_MIN_F1 = 0.5

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

Row = dict[str, Any]


def fold(text: str | None) -> str:
    """Case, umlauts, accents and punctuation folded: 'Bürgermeisterin Bass' -> 'buergermeisterin bass'."""
    s = (text or "").casefold().translate(_UMLAUTS)
    s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub(" ", s).strip()


class GoldNames:
    """Maps a predicted name to the gold entity it names, within one article."""

    def __init__(self, entities: Iterable[Row]):
        # folded form -> gold name; the first entity to claim a form keeps it.
        self._forms: dict[str, str] = {}
        for ent in entities:
            for form in (ent["name"], *ent.get("aliases", [])):
                key = fold(form)
                if key and key not in self._forms:
                    self._forms[key] = ent["name"]

    def resolve(self, name: str | None) -> str | None:
        """The gold name; None for an empty name; '?<folded>' for a name no gold entity has."""
        key = fold(name)
        if not key:
            return None
        if key in self._forms:
            return self._forms[key]
        # A longer phrase that holds every word of a gold form ("Bürgermeisterin Karen Bass")
        # names that entity; the form with most words wins, the earliest on a tie.
        have = set(key.split())
        best_len, best = 0, None
        for form, gold in self._forms.items():
            need = form.split()
            if len(need) > best_len and have.issuperset(need):
                best_len, best = len(need), gold
        return best if best is not None else "?" + key

    def resolve_set(self, names: Iterable[str] | None) -> set[str | None]:
        return {self.resolve(n) for n in names or () if fold(n)}


def _dicts(value: Any) -> list[Row]:
    """The well-formed items of a prediction list; anything else is ignored, not fatal."""
    return [v for v in value or () if isinstance(v, dict)]


def _events_match(gold: Row, pred: Row, names: GoldNames, gold_type: str, pred_type: str | None) -> bool:
    """One gold and one predicted event, each with its type as the current score sees it."""
    if gold_type != pred_type:
        return False
    # Gold events name gold entities as they are; predicted names are resolved to those.
    g_act, g_cp = set(gold.get("actors", [])), set(gold.get("counterparts", []))
    p_act, p_cp = names.resolve_set(pred.get("actors")), names.resolve_set(pred.get("counterparts"))
    if gold_type == "meeting":
        return _meeting_match(g_act, g_cp, p_act, p_cp)
    if not g_act & p_act:
        return False
    if g_cp and not g_cp & p_cp:
        return False
    if gold_type == "trip" and gold.get("place"):
        return names.resolve(pred.get("place") or "") == names.resolve(gold["place"])
    return True


def _meeting_match(g_act: set, g_cp: set, p_act: set, p_cp: set) -> bool:
    # Who is actor and who counterpart in a meeting is arbitrary: compare the participants as one
    # set; when the gold names counterparts, at least two participants must be shared.
    shared = len((g_act | g_cp) & (p_act | p_cp))
    return shared >= 1 and (not g_cp or shared >= 2)


def _encounter_type(event_type: str | None) -> str | None:
    return "encounter" if event_type in ENCOUNTER_TYPES else event_type


def pair_events(
    gold: list[Row], pred: list[Row], names: GoldNames, *, merge_encounters: bool = False
) -> list[tuple[Row, Row]]:
    """Greedy one-to-one pairs: each gold event in order takes the first free prediction it matches."""
    taken: set[int] = set()
    pairs: list[tuple[Row, Row]] = []
    for g in gold:
        g_type = _encounter_type(g["type"]) if merge_encounters else g["type"]
        for j, p in enumerate(pred):
            if j in taken:
                continue
            p_type = _encounter_type(p.get("type")) if merge_encounters else p.get("type")
            ok = _events_match(g, p, names, g_type, p_type)
            if not ok and merge_encounters and g_type == "encounter" and p_type == "encounter":
                # Within the merged type a meeting-style match (participants as one set) counts too.
                ok = _events_match(g, p, names, "meeting", "meeting")
            if ok:
                taken.add(j)
                pairs.append((g, p))
                break
    return pairs


def token_f1(gold_text: str | None, pred_text: str | None) -> float:
    """F1 of the two texts' folded words, as multisets."""
    gold_words, pred_words = fold(gold_text).split(), fold(pred_text).split()
    if not gold_words or not pred_words:
        return 0.0
    common = sum(min(gold_words.count(w), pred_words.count(w)) for w in set(gold_words))
    if common == 0:
        return 0.0
    precision, recall = common / len(pred_words), common / len(gold_words)
    return 2 * precision * recall / (precision + recall)


def _date_right(gold_start: Any, pred_start: Any) -> bool | None:
    """Right when it agrees to the gold's precision ('2024-11-17' for '2024-11'); None: not judged."""
    if not gold_start:
        return None
    return bool(pred_start) and str(pred_start).startswith(str(gold_start))


class _Tally:
    """Counts for P/R/F1 (tp, predicted, gold) and for accuracies (right, judged)."""

    def __init__(self) -> None:
        self.counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.attrs: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, key: str, tp: int, n_pred: int, n_gold: int) -> None:
        c = self.counts[key]
        c[0] += tp
        c[1] += n_pred
        c[2] += n_gold

    def judge(self, key: str, right: bool) -> None:
        a = self.attrs[key]
        a[0] += int(right)
        a[1] += 1


def _score_events(gold: list[Row], pred: list[Row], names: GoldNames, tally: _Tally) -> None:
    for key, merge in (("strict", False), ("encounter", True)):
        tally.add(key, len(pair_events(gold, pred, names, merge_encounters=merge)), len(pred), len(gold))
    for t in EVENT_TYPES:
        g_t = [e for e in gold if e["type"] == t]
        p_t = [e for e in pred if e.get("type") == t]
        tally.add(t, len(pair_events(g_t, p_t, names)), len(p_t), len(g_t))
    for g, p in pair_events(gold, pred, names):
        if g.get("place"):
            tally.judge("place", names.resolve(p.get("place") or "") == names.resolve(g["place"]))
        right = _date_right((g.get("when") or {}).get("start"), (p.get("when") or {}).get("start"))
        if right is not None:
            tally.judge("start", right)
        if g.get("status") and g["status"] != "unknown":
            tally.judge("status", g["status"] == p.get("status"))


def _score_quotes(gold: list[Row], pred: list[Row], names: GoldNames, tally: _Tally) -> None:
    taken: set[int] = set()
    for q in gold:
        speaker = names.resolve(q["speaker"])
        for j, r in enumerate(pred):
            if (
                j not in taken
                and names.resolve(r.get("speaker") or "") == speaker
                and token_f1(q["text"], r.get("text") or "") >= QUOTE_MIN_F1
            ):
                taken.add(j)
                break
    tally.add("quotes", len(taken), len(pred), len(gold))


def _set_counts(gold: set, pred: set) -> tuple[int, int, int]:
    return len(gold & pred), len(pred), len(gold)


def _leg_pairs(legs: list[Row], key: str, names: GoldNames) -> set[tuple[str | None, str | None]]:
    """(stop, name) pairs: an appointment counts only at the right stop."""
    return {(names.resolve(leg.get("place") or ""), names.resolve(x)) for leg in legs for x in leg.get(key) or ()}


def _score_trips(gold: Row, pred: Row, names: GoldNames, tally: _Tally) -> None:
    """Trips pair by traveller; an unpaired gold trip is scored against an empty one."""
    pred_trips = _dicts(pred.get("trips"))
    taken: set[int] = set()
    for gt in gold.get("trips", []):
        traveler = names.resolve(gt.get("traveler") or "")
        j = next(
            (
                j
                for j, pt in enumerate(pred_trips)
                if j not in taken and names.resolve(pt.get("traveler") or "") == traveler
            ),
            None,
        )
        pt: Row = {}
        if j is not None:
            taken.add(j)
            pt = pred_trips[j]
        tally.add("trips", int(j is not None), 0, 1)
        g_legs, p_legs = gt.get("legs", []), _dicts(pt.get("legs"))
        tally.judge(
            "leg order",
            [names.resolve(leg.get("place") or "") for leg in g_legs]
            == [names.resolve(leg.get("place") or "") for leg in p_legs],
        )
        for key in ("appointments", "joined_by"):
            tally.add("trip " + key, *_set_counts(_leg_pairs(g_legs, key, names), _leg_pairs(p_legs, key, names)))
        tally.add(
            "trip companions",
            *_set_counts(names.resolve_set(gt.get("companions")), names.resolve_set(pt.get("companions"))),
        )
        tally.add(
            "trip topics",
            *_set_counts({fold(x) for x in gt.get("topics", [])}, {fold(x) for x in pt.get("topics") or ()}),
        )
    tally.add("trips", 0, len(pred_trips), 0)


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    """Precision, recall, F1 rounded to 4 places; nothing predicted for nothing gold is perfect."""
    p = tp / n_pred if n_pred else (0.0 if n_gold else 1.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def score(gold_rows: list[Row], pred_rows: list[Row]) -> dict[str, Any]:
    """Pair articles by `id` (a gold article without prediction predicts nothing) and score them."""
    by_id = {r.get("id"): r for r in pred_rows if isinstance(r, dict)}
    tally = _Tally()
    for g in gold_rows:
        p = by_id.get(g["id"], {})
        names = GoldNames(g.get("entities", []))
        _score_events(g.get("events", []), _dicts(p.get("events")), names, tally)
        _score_quotes(g.get("quotes", []), _dicts(p.get("quotes")), names, tally)
        if g.get("trips"):
            _score_trips(g, p, names, tally)
    out: dict[str, Any] = {k: prf(*v) for k, v in tally.counts.items()}
    out["attributes"] = {
        k: {"accuracy": round(right / n, 4) if n else None, "n": n} for k, (right, n) in tally.attrs.items()
    }
    out["articles"] = {"gold": len(gold_rows), "predicted": sum(1 for g in gold_rows if g["id"] in by_id)}
    return out


def read_jsonl(path: str | os.PathLike[str]) -> list[Row]:
    """One JSON object per non-blank line; a bad line raises ValueError naming file and line."""
    rows: list[Row] = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: not JSON ({e.msg} at column {e.colno})") from e
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{n}: expected a JSON object, got {type(row).__name__}")
            rows.append(row)
    return rows


def format_table(result: dict[str, Any]) -> str:
    """The scores as a fixed-width table, one metric a line."""
    lines = [f"{'':17} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}"]
    for key in ("strict", "encounter", *EVENT_TYPES, "quotes", *TRIP_KEYS):
        v = result.get(key)
        if v:
            lines.append(f"{key:17} {v['p']:6.3f} {v['r']:6.3f} {v['f1']:6.3f} {v['tp']:5} {v['pred']:5} {v['gold']:5}")
    for key, v in result.get("attributes", {}).items():
        acc = "n/a" if v["accuracy"] is None else f"{v['accuracy']:.3f}"
        lines.append(f"{key + ' acc':17} {acc:>6} (n={v['n']})")
    arts = result.get("articles", {})
    lines.append(f"{'articles':17} {arts.get('predicted', 0)}/{arts.get('gold', 0)} predicted")
    return "\n".join(lines)
