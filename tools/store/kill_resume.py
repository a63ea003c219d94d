"""Prove that an ingest killed with SIGKILL at random moments resumes to exactly the rows of a clean run.

1. `treffpunkt ingest CORPUS --store clean.duckdb` runs uninterrupted (timed).
2. `treffpunkt ingest CORPUS --store killed.duckdb` is started, killed with SIGKILL (the whole process
   group, workers included) at a random moment within the clean run's duration, and restarted,
   `--kills` times; then it runs to the end.
3. Every row of every table of the two stores is compared.

    python tools/store/kill_resume.py /tmp/corpus.jsonl.gz --kills 3 --extractor full
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from treffpunkt.store import Store

TABLES = ("articles", "canon", "entities", "events", "event_args", "quotes", "trips", "legs", "ingest_errors")


def dump(path: str) -> dict[str, list[tuple]]:
    with Store.open(path, read_only=True) as store:
        return {t: sorted(tuple(map(str, r.values())) for r in store.query(f"SELECT * FROM {t}")) for t in TABLES}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--kills", type=int, default=3)
    ap.add_argument("--extractor", default="full")
    ap.add_argument("--workers", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--dir", help="where the two stores go (default: a temp folder)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    folder = Path(args.dir or tempfile.mkdtemp(prefix="treffpunkt-kill-"))
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "treffpunkt.cli", "ingest", args.corpus, "--extractor", args.extractor]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    clean, killed = str(folder / "clean.duckdb"), str(folder / "killed.duckdb")
    for p in (clean, killed):
        for suffix in ("", ".wal"):
            Path(p + suffix).unlink(missing_ok=True)

    t0 = time.monotonic()
    subprocess.run([*cmd, "--store", clean], check=True, stderr=subprocess.DEVNULL)
    clean_s = time.monotonic() - t0
    print(f"clean run: {clean_s:.1f}s")

    for k in range(args.kills):
        proc = subprocess.Popen([*cmd, "--store", killed], stderr=subprocess.DEVNULL, start_new_session=True)
        at = rng.uniform(0.5, max(1.0, clean_s * 0.9 / max(1, args.kills - k)))
        try:
            proc.wait(timeout=at)
            print(f"run {k + 1}: finished before the kill at {at:.1f}s")
            break
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        with Store.open(killed, read_only=True) as store:
            have = store.counts()["articles"]
        print(f"run {k + 1}: SIGKILL after {at:.1f}s, {have} articles committed")
    subprocess.run([*cmd, "--store", killed], check=True, stderr=subprocess.DEVNULL)

    a, b = dump(clean), dump(killed)
    same = a == b
    for t in TABLES:
        mark = "same" if a[t] == b[t] else "DIFFERENT"
        print(f"  {t:14s} clean {len(a[t]):7d}  resumed {len(b[t]):7d}  {mark}")
    print("IDENTICAL" if same else "MISMATCH")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
