"""Load test of `treffpunkt serve`: a fixed request rate for a fixed time, latency percentiles.

Before the clock starts every distinct URL is requested once (the server's cache then holds
the steady state of a read-only store); `--cold` skips that. Open loop: request i is due at
start + i/rate whatever the server does, and its latency is measured from that due time (so a
server that falls behind is charged for the queueing: no coordinated omission). The URLs are
drawn from the store itself: events filtered by people, places and types, entity pages,
articles, search terms, the map and the timeline. Traffic goes only to the loopback address.

    python bench/api_load.py --store /tmp/big.duckdb --rate 200 --seconds 60 [--cold] [--cache-ttl 0]
    python bench/api_load.py --url http://127.0.0.1:8000 --rate 200 --seconds 60
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from urllib.parse import quote, urlsplit


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.read()


def build_urls(host: str, port: int, n: int, rng: random.Random) -> list[str]:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    people = json.loads(_get(conn, "/api/entities?kind=person&limit=200")[1])
    places = json.loads(_get(conn, "/api/entities?kind=place&limit=200")[1])
    orgs = json.loads(_get(conn, "/api/entities?kind=organization&limit=100")[1])
    words = [
        "Partnerschaft",
        "Besuch",
        "Hafen",
        "Oslo",
        "Wasserstoff",
        "trifft",
        "Bürgermeister",
        "visit",
        "Universität",
        "Vereinbarung",
        "Delegation",
        "Prag",
    ]
    arts = json.loads(_get(conn, "/api/search?q=&limit=200")[1])["results"]
    conn.close()
    types = ["trip", "visit", "meeting", "accompany", "agreement", "partnership"]
    makers = [
        lambda: f"/api/events?person={quote(rng.choice(people)['key'])}" if people else "/api/events",
        lambda: (
            f"/api/events?place={quote(rng.choice(places)['key'])}&type={rng.choice(types)}"
            if places
            else "/api/events"
        ),
        lambda: f"/api/events?type={rng.choice(types)}&from=2024-0{rng.randint(1, 9)}-01&limit=50",
        lambda: f"/api/entities/{quote(rng.choice(people + orgs)['key'], safe=':')}" if people else "/api/stats",
        lambda: f"/api/articles/{rng.choice(arts)['hash']}" if arts else "/api/stats",
        lambda: f"/article/{rng.choice(arts)['hash']}" if arts else "/",
        lambda: f"/api/search?q={quote(rng.choice(words))}",
        lambda: f"/timeline?person={quote(rng.choice(people)['key'])}" if people else "/timeline",
        lambda: "/api/map",
        lambda: "/api/network",
        lambda: "/api/stats",
    ]
    return [rng.choice(makers)() for _ in range(n)]


def run(host: str, port: int, urls: list[str], rate: float, seconds: float, threads: int) -> dict:
    total = int(rate * seconds)
    start = time.monotonic() + 0.5
    lock = threading.Lock()
    counter = [0]
    latencies: list[float] = []
    errors: list[str] = []

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        while True:
            with lock:
                i = counter[0]
                counter[0] += 1
            if i >= total:
                break
            due = start + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            path = urls[i % len(urls)]
            try:
                status, _ = _get(conn, path)
                if status != 200:
                    errors.append(f"{status} {path}")
            except (OSError, http.client.HTTPException) as e:
                errors.append(f"{type(e).__name__} {path}")
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
            done = time.monotonic()
            with lock:
                latencies.append(done - due)
        conn.close()

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - start
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")

    return {
        "requests": len(lat),
        "seconds": round(elapsed, 1),
        "achieved_rps": round(len(lat) / elapsed, 1),
        "errors": len(errors),
        "error_examples": errors[:5],
        "p50_ms": round(pct(0.50), 1),
        "p95_ms": round(pct(0.95), 1),
        "p99_ms": round(pct(0.99), 1),
        "max_ms": round(lat[-1] * 1000, 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", help="start `treffpunkt serve` on this store (else use --url)")
    ap.add_argument("--url", default="http://127.0.0.1:8765")
    ap.add_argument("--rate", type=float, default=200)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--threads", type=int, default=32)
    ap.add_argument("--urls", type=int, default=2000, help="distinct URLs in the mix")
    ap.add_argument("--cache-ttl", type=float, help="passed to serve; 0 disables its cache (default: serve's)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cold", action="store_true", help="no warm-up: the first request of each URL is timed too")
    args = ap.parse_args()
    parts = urlsplit(args.url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if host not in ("127.0.0.1", "localhost", "::1"):
        print("api_load: only loopback targets are allowed", file=sys.stderr)
        return 2
    server = None
    if args.store:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "treffpunkt.cli",
                "serve",
                "--store",
                args.store,
                "--port",
                str(port),
                *(["--cache-ttl", str(args.cache_ttl)] if args.cache_ttl is not None else []),
            ],
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        # Serving a DuckDB store first builds its read replica when the store changed (seconds
        # per 10,000 articles): wait for it.
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                http.client.HTTPConnection(host, port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
    try:
        urls = build_urls(host, port, args.urls, random.Random(args.seed))
        warm_s = None
        if not args.cold:
            # Every distinct URL once, before the clock starts: the steady state of a read-only store.
            t0 = time.monotonic()
            conn = http.client.HTTPConnection(host, port, timeout=60)
            for path in sorted(set(urls)):
                _get(conn, path)
            conn.close()
            warm_s = round(time.monotonic() - t0, 1)
        result = run(host, port, urls, args.rate, args.seconds, args.threads)
        result.update(
            {
                "target_rps": args.rate,
                "distinct_urls": len(set(urls)),
                "cache_ttl": args.cache_ttl,
                "warmup_s": warm_s,
                "cpus": os.cpu_count(),
            }
        )
        print(json.dumps(result, indent=2))
        ok = result["errors"] == 0 and result["p99_ms"] < 200 and result["achieved_rps"] >= 0.98 * args.rate
        print("PASS" if ok else "FAIL", "(200 req/s target: p99 < 200 ms, no errors)")
        return 0 if ok else 1
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
