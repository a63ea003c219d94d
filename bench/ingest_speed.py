"""Ingest throughput against `treffpunkt extract` on the same corpus, with the same cores.

Each round runs, as subprocesses and one after the other, `treffpunkt extract --workers N CORPUS`
(records to a file) and `treffpunkt ingest CORPUS` into a fresh store (`--workers N`), and times
both from start to exit (model loading included in both). A shared machine's speed drifts from
minute to minute (often drifting one way during a run), so the order alternates between rounds
(extract first, then ingest first, ...), the ratio is taken per round, and the median round is
the result. CPU seconds per article (all processes) are printed beside the rates, since
they do not depend on what else the machine runs.

    python tools/store/make_corpus.py 10000 /tmp/corpus.jsonl.gz
    python bench/ingest_speed.py /tmp/corpus.jsonl.gz [--rounds 4] [--workers 2] [--store /tmp/speed.duckdb]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the command and all its children) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _count(corpus: str) -> int:
    from treffpunkt.read import ReadError, read_paths

    return sum(1 for a in read_paths([corpus]) if not isinstance(a, ReadError))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--store", default="/tmp/treffpunkt-speed.duckdb")
    args = ap.parse_args()

    cli = [sys.executable, "-m", "treffpunkt.cli"]
    n = _count(args.corpus)
    out = Path(args.store).with_suffix(".extract.jsonl")
    rounds = []
    for r in range(args.rounds):
        for suffix in ("", ".wal"):
            Path(args.store + suffix).unlink(missing_ok=True)
        ex_cmd = [*cli, "extract", "--workers", str(args.workers), args.corpus, "-o", str(out)]
        in_cmd = [*cli, "ingest", "--workers", str(args.workers), args.corpus, "--store", args.store]
        if r % 2 == 0:
            ex_wall, ex_cpu = _timed(ex_cmd)
            in_wall, in_cpu = _timed(in_cmd)
        else:
            in_wall, in_cpu = _timed(in_cmd)
            ex_wall, ex_cpu = _timed(ex_cmd)
        row = {
            "round": r + 1,
            "first": "extract" if r % 2 == 0 else "ingest",
            "extract_articles_per_s": round(n / ex_wall, 1),
            "ingest_articles_per_s": round(n / in_wall, 1),
            "ratio": round(ex_wall / in_wall, 3),
            "extract_cpu_ms_per_article": round(ex_cpu / n * 1000, 2),
            "ingest_cpu_ms_per_article": round(in_cpu / n * 1000, 2),
        }
        print(json.dumps(row), file=sys.stderr)
        rounds.append(row)
    out.unlink(missing_ok=True)
    median = statistics.median(r["ratio"] for r in rounds)
    print(
        json.dumps(
            {
                "corpus": args.corpus,
                "articles": n,
                "workers": args.workers,
                "cpu_count": os.cpu_count(),
                "rounds": rounds,
                "median_ratio": median,
                "cpu_ratio": round(
                    statistics.median(r["extract_cpu_ms_per_article"] / r["ingest_cpu_ms_per_article"] for r in rounds),
                    3,
                ),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
