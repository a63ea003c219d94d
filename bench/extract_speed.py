#!/usr/bin/env python3
"""Throughput of treffpunkt.Extractor over >= 1,000 German news articles, next to spaCy's blank German
tokenizer on the same texts as a floor. Prints ONE JSON line (see bench/README.md).

    python bench/extract_speed.py --corpus ../shared [--workers N] [--stages default|tokens] [--limit N]

Each worker process builds its own pipeline, runs one warm-up text, waits until every worker is ready,
then extracts its share of the corpus; the clock runs from the common start to the last worker's end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

# The corpus: the brief's two German collections, topped up with the eight visit-programme reports
# and the reference article so that >= 1,000 distinct texts remain after dropping duplicates.
CORPUS_FILES = (
    "data/wikinews_de/articles_quotes.jsonl",
    "data/news_de/pool.jsonl",
    "eval/dev_visits.gold.jsonl",
)
REFERENCE = "examples/wegner-usa-2024-11.txt"
MIN_ARTICLES = 1000
WARMUP = "Berlins Regierender Bürgermeister Kai Wegner reist am Sonntag nach New York und trifft Pfizer."


def load_corpus(shared: Path) -> list[dict[str, Any]]:
    """Distinct texts (by text) with id and date; read at run time, never copied into the repo."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for rel in CORPUS_FILES:
        path = shared / rel
        if not path.is_file():
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                row = json.loads(line)
                text = row.get("text")
                if isinstance(text, str) and text.strip() and text not in seen:
                    seen.add(text)
                    published = row.get("published") or row.get("date")
                    rows.append(
                        {"id": str(row.get("id")), "text": text, "published": published, "title": row.get("title")}
                    )
    ref = shared / REFERENCE
    if ref.is_file():
        text = ref.read_text(encoding="utf-8")
        if text not in seen:
            rows.append({"id": "seed-wegner-usa", "text": text, "published": None, "title": None})
    return rows


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


class _Timed:
    """A stage with the same name and contract that adds up the CPU time spent in it."""

    def __init__(self, stage: Any):
        self.stage, self.name = stage, stage.name
        self.requires, self.assigns = stage.requires, stage.assigns
        self.cpu_s = 0.0

    def __call__(self, record: Any) -> Any:
        t = time.process_time()
        try:
            return self.stage(record)
        finally:
            self.cpu_s += time.process_time() - t


def _build(engine: str, stages: str):
    """A callable text-row -> (number of stage errors); loads everything heavy up front."""
    if engine == "spacy":
        import spacy

        nlp = spacy.blank("de")
        return (lambda row: (nlp(row["text"]), 0)[1]), []
    from treffpunkt import Extractor, default_pipeline
    from treffpunkt.pipeline import Pipeline
    from treffpunkt.read import article_from_text

    if stages == "tokens":
        from treffpunkt.stages.tokens import Tokenizer

        pipeline = Pipeline([Tokenizer()])
    else:
        pipeline = default_pipeline()
    timed = [_Timed(s) for s in pipeline.stages]
    extractor = Extractor(Pipeline(timed))

    def run(row: dict[str, Any]) -> int:
        article = article_from_text(row["text"], id=row["id"], title=row["title"])
        if row["published"]:
            article.published = str(row["published"])[:10]
        return len(extractor(article).errors)

    return run, timed


def _worker(engine: str, stages: str, rows: list[dict[str, Any]], ready: Any, start: Any, out: Any) -> None:
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        run, timed = _build(engine, stages)
        run({"id": "warmup", "text": WARMUP, "published": "2024-11-10", "title": None})
        load_s, load_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        for t in timed:
            t.cpu_s = 0.0
    except Exception as e:  # noqa: BLE001 - reported to the parent, which stops the run
        ready.put({"error": f"{type(e).__name__}: {e}"})
        return
    names = [t.name for t in timed] or ["spacy.blank('de')"]
    ready.put({"stages": names, "load_s": load_s, "load_cpu_s": load_cpu_s, "rss_after_load_mb": _peak_rss_mb()})
    start.wait()
    t1, c1 = time.perf_counter(), time.process_time()
    errors = [run(row) for row in rows]
    out.put(
        {
            "articles": len(rows),
            "seconds": time.perf_counter() - t1,
            "cpu_s": time.process_time() - c1,
            "stage_errors": sum(errors),
            "articles_with_errors": sum(1 for e in errors if e),
            "peak_rss_mb": _peak_rss_mb(),
            "stage_cpu_s": {t.name: t.cpu_s for t in timed},
        }
    )


def _shares(rows: list[dict[str, Any]], n: int) -> list[list[dict[str, Any]]]:
    """Longest first onto the least loaded worker: equal work, so no worker idles at the end."""
    shares: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    loads = [0] * n
    for row in sorted(rows, key=lambda r: len(r["text"]), reverse=True):
        i = loads.index(min(loads))
        shares[i].append(row)
        loads[i] += len(row["text"])
    return shares


def measure(engine: str, stages: str, rows: list[dict[str, Any]], workers: int) -> dict[str, Any]:
    ctx = mp.get_context("spawn")  # a fresh interpreter per worker: its peak RSS is its own
    ready, out, start = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [
        ctx.Process(target=_worker, args=(engine, stages, share, ready, start, out), daemon=True)
        for share in _shares(rows, workers)
    ]
    for p in procs:
        p.start()
    loaded = [ready.get() for _ in procs]
    failed = [r["error"] for r in loaded if "error" in r]
    if failed:
        start.set()
        for p in procs:
            p.join(timeout=10)
        return {"error": failed[0]}
    t0 = time.perf_counter()
    start.set()
    done = [out.get() for _ in procs]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join()
    n = sum(d["articles"] for d in done)
    words = sum(len(r["text"].split()) for r in rows)
    cpu = sum(d["cpu_s"] for d in done)
    return {
        "stages": loaded[0]["stages"],
        "articles": n,
        "wall_s": round(wall, 3),
        "articles_per_s": round(n / wall, 1),
        "words_per_s": round(words / wall),
        # CPU time is what a busy shared machine distorts least: wall time includes waiting for a core.
        "cpu_s": round(cpu, 3),
        "articles_per_cpu_s": round(n / cpu, 1) if cpu else None,
        "words_per_cpu_s": round(words / cpu) if cpu else None,
        "stage_cpu_s": {
            name: round(sum(d["stage_cpu_s"].get(name, 0.0) for d in done), 3)
            for name in (done[0]["stage_cpu_s"] if done else {})
        },
        "load_s": round(max(r["load_s"] for r in loaded), 2),
        "load_cpu_s": round(max(r["load_cpu_s"] for r in loaded), 2),
        "peak_rss_mb_per_worker": max(d["peak_rss_mb"] for d in done),
        "peak_rss_mb_all_workers": round(sum(d["peak_rss_mb"] for d in done), 1),
        "rss_after_load_mb": max(r["rss_after_load_mb"] for r in loaded),
        "worker_busy_s": [round(d["seconds"], 2) for d in done],
        "stage_errors": sum(d["stage_errors"] for d in done),
        "articles_with_stage_errors": sum(d["articles_with_errors"] for d in done),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, type=Path, help="the shared data folder (../shared)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    ap.add_argument(
        "--stages",
        choices=["default", "tokens"],
        default="default",
        help="'tokens': the tokenizer only; for developing the bench without a full pipeline",
    )
    ap.add_argument("--limit", type=int, help="use only the first N articles (a quick check; not a result)")
    ap.add_argument("--no-spacy", action="store_true", help="skip the spaCy floor")
    args = ap.parse_args(argv)

    rows = load_corpus(args.corpus)
    if args.limit:
        rows = rows[: args.limit]
    elif len(rows) < MIN_ARTICLES:
        print(f"extract_speed: only {len(rows)} articles under {args.corpus}; need {MIN_ARTICLES}", file=sys.stderr)
        return 2
    workers = max(1, min(args.workers, len(rows)))
    result: dict[str, Any] = {
        "bench": "extract_speed",
        "corpus": {
            "articles": len(rows),
            "words": sum(len(r["text"].split()) for r in rows),
            "chars": sum(len(r["text"]) for r in rows),
            "files": list(CORPUS_FILES) + [REFERENCE],
        },
        "workers": workers,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "treffpunkt": measure("treffpunkt", args.stages, rows, workers),
    }
    if not args.no_spacy:
        try:
            import spacy

            result["spacy_blank_de"] = {"version": spacy.__version__, **measure("spacy", "", rows, workers)}
            result["spacy_blank_de"].pop("stage_cpu_s", None)  # one step: nothing to split
        except ImportError:
            result["spacy_blank_de"] = {"error": "spaCy not installed: pip install -e '.[bench]'"}
    tp, sp = result["treffpunkt"], result.get("spacy_blank_de", {})
    if "words_per_s" in tp and "words_per_s" in sp:
        # How many times slower than only tokenizing: the price of everything after the tokens.
        result["slowdown_vs_spacy_tokenizer"] = round(sp["words_per_s"] / tp["words_per_s"], 2)
        result["cpu_slowdown_vs_spacy_tokenizer"] = round(tp["cpu_s"] / sp["cpu_s"], 2)
    print(json.dumps(result, ensure_ascii=False))
    return 1 if "error" in tp else 0


if __name__ == "__main__":
    sys.exit(main())
