"""Ingest throughput against plain extraction throughput on the same corpus.

(a) extract: one process runs the pipeline over the first `--sample` articles, records
    serialized as `extract` does, nothing stored — the extract benchmark's articles/s;
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
    t0 = time.monotonic()
    for a in articles:
        json.dumps(record_dict(extract(a)), ensure_ascii=False)
    extract_rate = len(articles) / (time.monotonic() - t0)
    print(f"extract (1 process, {len(articles)} articles): {extract_rate:.1f} articles/s")

    for suffix in ("", ".wal"):
        Path(args.store + suffix).unlink(missing_ok=True)
    with Store.open(args.store) as store:
        stats = ingest([args.corpus], store, make_engine(args.engine, args.extractor, workers=args.workers),
                       progress=Progress(sys.stderr))
    ingest_rate = stats.written / stats.elapsed
    print(f"ingest ({args.engine}, {os.cpu_count()} cores, {stats.written} articles): {ingest_rate:.1f} articles/s "
          f"in {stats.elapsed:.0f}s, {stats.read_errors + stats.extract_errors} errors")
    ratio = ingest_rate / extract_rate
    print(f"ingest / extract = {ratio:.2f} (target >= 0.80)")
    return 0 if ratio >= 0.8 else 1


if __name__ == "__main__":
    sys.exit(main())
