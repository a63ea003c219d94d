#!/usr/bin/env python3
"""Score the quote stage on German Wikinews articles with hand-annotated quotations.

    python tools/quotes/eval_wikinews.py [--lines odd|even|all] [--exclude-dev] [--errors N] [--json]

Data: shared/data/wikinews_de/articles_quotes.jsonl (one article per line: text and `quotes`, each
with `type` Direct/Indirect/FreeIndirect/IndirectFreeIndirect/Reported, `speaker`, `cue` and
`quote` given as text plus `char_spans`). The articles run through the real tokens -> NER ->
entities -> quotes stages.

Two scores:
- detection: a predicted quote matches a gold quote (one to one) when their words overlap with
  token F1 >= 0.5, as shared/eval/score.py matches quotes;
- attribution: a gold quote paired (one to one) with a predicted quote that overlaps it the same
  way and whose speaker is right: the predicted speaker phrase overlaps the gold speaker's span,
  or every word of the predicted entity's name (or of one of its aliases) occurs in the gold
  speaker text ("Kennedy" in "Präsident Kennedy am 25. Mai 1961"), or every gold
  speaker word occurs in the name ("Schnappauf" for "Werner Schnappauf").
  Gold quotes without a speaker count as gold for detection only.

Odd lines (1, 3, 5, …) are for tuning, even lines for the reported number. "Reported" quotes
(a speech act without its content: "X kritisierte die Entscheidung") and quotes nested in
other quotes are left out of the gold unless --types / --with-nested say otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

from treffpunkt.read.text import article_from_text
from treffpunkt.record import Record, Span

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
DEFAULT_DATA = SHARED / "data" / "wikinews_de" / "articles_quotes.jsonl"
DEFAULT_DEV = SHARED / "eval" / "dev.gold.jsonl"
DEFAULT_TYPES = ("Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def words(s: str) -> list[str]:
    s = (s or "").casefold().translate(_FOLD)
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", s).split()


def token_f1(a: str, b: str) -> float:
    ta, tb = words(a), words(b)
    if not ta or not tb:
        return 0.0
    common = sum(min(ta.count(w), tb.count(w)) for w in set(ta))
    if not common:
        return 0.0
    p, r = common / len(tb), common / len(ta)
    return 2 * p * r / (p + r)


def prf(tp: int, pred: int, gold: int) -> dict[str, float | int]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": pred, "gold": gold}


def load_rows(path: Path, lines: str, exclude: set[str]) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or (lines == "odd" and n % 2 == 0) or (lines == "even" and n % 2 == 1):
                continue
            row = json.loads(line)
            if row["id"] not in exclude:
                rows.append(row)
    return rows


def gold_quotes(row: dict, types: tuple[str, ...], with_nested: bool) -> list[dict]:
    out = []
    for q in row.get("quotes", []):
        if q["type"] not in types or (q.get("is_nested") and not with_nested):
            continue
        text = " ".join(row["text"][a:b] for a, b in q["quote"]["char_spans"])
        spk = q.get("speaker") or None
        out.append(
            {
                "type": q["type"],
                "text": text,
                "speaker": spk["text"] if spk else None,
                "speaker_spans": [Span(a, b) for a, b in spk["char_spans"]] if spk else [],
            }
        )
    return out


def build_stages(
    lang: str, ner_model: str | None = None, keep_unattributed: bool = False, source_facts: bool = False
) -> list:
    from treffpunkt.stages.entities import EntityResolver
    from treffpunkt.stages.ner import NerTagger
    from treffpunkt.stages.quotes import QuoteExtractor
    from treffpunkt.stages.tokens import Tokenizer

    return [
        Tokenizer(lang),
        NerTagger.load(ner_model),
        EntityResolver(lang),
        QuoteExtractor(lang, keep_unattributed=keep_unattributed, source_facts=source_facts),
    ]


def speaker_right(record: Record, q, g: dict) -> bool:
    if not g["speaker"]:
        return False
    if q.speaker_span is not None and any(q.speaker_span.overlaps(s) for s in g["speaker_spans"]):
        return True
    ent = record.entities.get(q.speaker) if q.speaker else None
    if ent is None:
        return False
    gold_words = set(words(g["speaker"]))
    for form in (ent.name, *ent.aliases):
        name_words = set(words(form))
        # "Kennedy" in "Präsident Kennedy am 25. Mai 1961"; gold "Schnappauf" for "Werner Schnappauf"
        if name_words and (name_words <= gold_words or gold_words <= name_words):
            return True
    return False


def evaluate(rows: list[dict], stages: list, types: tuple[str, ...], with_nested: bool, n_errors: int = 0) -> dict:
    det = [0, 0, 0]  # tp, pred, gold
    att = [0, 0, 0]
    by_type: Counter[str] = Counter()
    found_by_type: Counter[str] = Counter()
    errors: list[str] = []
    for row in rows:
        record = Record(article_from_text(row["text"], id=row["id"], title=row.get("title")))
        for stage in stages:
            record = stage(record)
        gold = gold_quotes(row, types, with_nested)
        text = record.text
        used: set[int] = set()
        pairs = []
        for g in gold:
            best, best_f = None, 0.5
            for j, q in enumerate(record.quotes):
                if j in used:
                    continue
                f = token_f1(g["text"], q.span.text(text))
                if f >= best_f:
                    best, best_f = j, f
            by_type[g["type"]] += 1
            if best is not None:
                used.add(best)
                pairs.append((g, record.quotes[best]))
                found_by_type[g["type"]] += 1
            elif len(errors) < n_errors:
                errors.append(f"MISS {row['id']} [{g['speaker']}] {g['type']}: {g['text'][:120]}")
        det[0] += len(pairs)
        det[1] += len(record.quotes)
        det[2] += len(gold)
        att[1] += sum(1 for q in record.quotes if q.speaker)
        att[2] += sum(1 for g in gold if g["speaker"])
        # attribution pairs a gold quote with a predicted one only when the words overlap AND the
        # speaker is right (as score.py pairs quotes), so one wrong neighbour cannot hide a right one
        taken: set[int] = set()
        for g in gold:
            for j, q in enumerate(record.quotes):
                if (
                    j not in taken
                    and q.speaker
                    and token_f1(g["text"], q.span.text(text)) >= 0.5
                    and speaker_right(record, q, g)
                ):
                    taken.add(j)
                    att[0] += 1
                    break
        for g, q in pairs:
            if not speaker_right(record, q, g) and q.speaker and len(errors) < n_errors:
                errors.append(
                    f"SPKR {row['id']} gold [{g['speaker']}] pred [{record.name(q.speaker)}]: {g['text'][:80]}"
                )
        for j, q in enumerate(record.quotes):
            if j not in used and len(errors) < n_errors:
                errors.append(f"FP   {row['id']} [{record.name(q.speaker)}] {q.kind}: {q.span.text(text)[:120]}")
    return {
        "articles": len(rows),
        "detection": prf(*det),
        "attribution": prf(*att),
        "recall_by_type": {t: round(found_by_type[t] / n, 4) for t, n in sorted(by_type.items())},
        "gold_by_type": dict(sorted(by_type.items())),
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument(
        "--lines",
        choices=["odd", "even", "all"],
        default="even",
        help="odd lines tune, even lines test (default: even)",
    )
    ap.add_argument(
        "--exclude-dev", action="store_true", help="leave out the articles that are also in shared/eval/dev.gold.jsonl"
    )
    ap.add_argument("--types", default=",".join(DEFAULT_TYPES), help="gold quote types to score")
    ap.add_argument("--with-nested", action="store_true", help="also score quotes nested in other quotes")
    ap.add_argument("--errors", type=int, default=0, help="print up to N misses, wrong speakers and extra quotes")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--lang", default="de")
    ap.add_argument("--ner-model", help="an NER model file other than the shipped one")
    ap.add_argument(
        "--source-facts",
        action="store_true",
        help="also emit indicative statements credited to a source ('nach Angaben der Polizei'), as the corpus does",
    )
    ap.add_argument(
        "--keep-unattributed",
        action="store_true",
        help="also emit quotes without a resolved speaker (the corpus annotates anonymous speakers)",
    )
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"eval_wikinews: no data at {args.data}", file=sys.stderr)
        return 2
    exclude: set[str] = set()
    if args.exclude_dev and DEFAULT_DEV.exists():
        with open(DEFAULT_DEV, encoding="utf-8") as f:
            exclude = {json.loads(line)["id"] for line in f if line.strip()}
    rows = load_rows(args.data, args.lines, exclude)
    t0 = time.time()
    stages = build_stages(args.lang, args.ner_model, args.keep_unattributed, args.source_facts)
    result = evaluate(rows, stages, tuple(args.types.split(",")), args.with_nested, args.errors)
    result["seconds"] = round(time.time() - t0, 1)
    errors = result.pop("errors")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(
            f"{result['articles']} articles ({args.lines} lines{', dev excluded' if exclude else ''}), "
            f"{result['seconds']} s"
        )
        print(f"{'':12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}")
        for k in ("detection", "attribution"):
            v = result[k]
            print(f"{k:12} {v['p']:6.3f} {v['r']:6.3f} {v['f1']:6.3f} {v['tp']:5} {v['pred']:5} {v['gold']:5}")
        for t, r in result["recall_by_type"].items():
            print(f"  recall {t:22} {r:.3f} (n={result['gold_by_type'][t]})")
    for e in errors:
        print(e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
