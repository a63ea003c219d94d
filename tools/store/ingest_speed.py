"""Ingest throughput against plain extraction throughput on the same corpus.

(a) extract: one process runs the pipeline over the first `--sample` articles, records
    serialized as `extract` does, nothing stored — the extract benchmark's articles/s, measured
    before and after (b) and averaged, since a shared machine's load drifts;
(b) ingest: `treffpunkt.store.ingest` over the whole corpus into a fresh store with the
    default engine (all cores) — articles/s from first read to last commit.

    python tools/store/make_corpus.py 10000 /tmp/corpus.jsonl.gz
    python tools/store/ingest_speed.py /tmp/corpus.jsonl.gz --store /tmp/speed.duckdb
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import sys
import time
from pathlib import Path

from treffpunkt.engines import make_engine, resolve_factory
from treffpunkt.read import ReadError, read_paths
from treffpunkt.serialize import record_dict
from treffpunkt.store import Store, ingest
from treffpunkt.store.ingest import Progress


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--store", default="/tmp/treffpunkt-speed.duckdb")
    ap.add_argument("--sample", type=int, default=500, help="articles for the single-process extract rate")
    ap.add_argument("--extractor", default="full")
    ap.add_argument("--engine", default="local")
    ap.add_argument("--workers", type=int)
    args = ap.parse_args()

    extract = resolve_factory(args.extractor)()
    articles = [a for a in itertools.islice(read_paths([args.corpus]), args.sample) if not isinstance(a, ReadError)]

    cpu_per_article: list[float] = []

    def extract_rate() -> float:
        t0, c0 = time.monotonic(), time.process_time()
        for a in articles:
            json.dumps(record_dict(extract(a)), ensure_ascii=False)
        cpu_per_article.append((time.process_time() - c0) / len(articles))
        return len(articles) / (time.monotonic() - t0)

    # Measured before and after the ingest: on a shared machine the load drifts.
    before = extract_rate()
    print(f"extract before (1 process, {len(articles)} articles): {before:.1f} articles/s")

    for suffix in ("", ".wal"):
        Path(args.store + suffix).unlink(missing_ok=True)
    usage0 = (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    with Store.open(args.store) as store:
        stats = ingest([args.corpus], store, make_engine(args.engine, args.extractor, workers=args.workers),
                       progress=Progress(sys.stderr))
    ingest_rate = stats.written / stats.elapsed
    print(f"ingest ({args.engine}, {os.cpu_count()} cores, {stats.written} articles): {ingest_rate:.1f} articles/s "
          f"in {stats.elapsed:.0f}s, {stats.read_errors + stats.extract_errors} errors")
    usage1 = (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    cpu = sum(u1.ru_utime + u1.ru_stime - u0.ru_utime - u0.ru_stime for u0, u1 in zip(usage0, usage1, strict=True))
    main_cpu = usage1[0].ru_utime + usage1[0].ru_stime - usage0[0].ru_utime - usage0[0].ru_stime
    after = extract_rate()
    print(f"extract after: {after:.1f} articles/s")
    extract_mean = (before + after) / 2
    ratio = ingest_rate / extract_mean
    print(f"ingest / extract = {ratio:.2f} (target >= 0.80)")
    # CPU time does not depend on what else the machine runs: the rate on `cores` free cores.
    ext_cpu = min(cpu_per_article)
    ing_cpu = cpu / max(1, stats.written)
    cores = os.cpu_count() or 1
    print(f"cpu per article: extract {ext_cpu * 1000:.1f} ms, ingest {ing_cpu * 1000:.1f} ms "
          f"(of which the writing process {main_cpu / max(1, stats.written) * 1000:.1f} ms)")
    print(f"on {cores} free cores: extract {1 / ext_cpu:.1f} articles/s (1 process), ingest "
          f"{cores / ing_cpu:.1f} articles/s -> {(cores / ing_cpu) * ext_cpu:.2f}")
    return 0 if ratio >= 0.8 else 1


if __name__ == "__main__":
    sys.exit(main())
