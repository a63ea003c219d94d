"""The `ingest`, `serve` and `export` commands as a user runs them."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from treffpunkt.store import Store

CLI = [sys.executable, "-m", "treffpunkt.cli"]


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


def _inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("date 2025-01-02 Titel\n\nAnna Becker reist nach Oslo.", encoding="utf-8")
    with gzip.open(folder / "b.txt.gz", "wt", encoding="utf-8") as f:
        f.write("date 2025-01-03 Titel\n\nJonas Keller trifft in Prag den Bürgermeister.")
    (folder / "c.html").write_text(
        "<html><head><meta property='article:published_time' content='2025-02-01T10:00'><title>T</title></head>"
        "<body><article><h1>Besuch</h1><p>Der Minister besucht Wien.</p><script>x()</script></article></body></html>",
        encoding="utf-8",
    )
    (folder / "d.jsonl").write_text(
        json.dumps({"id": "j1", "text": "Petra Wagner besucht Lyon."}) + "\nbroken\n", encoding="utf-8"
    )
    (folder / "e.txt").write_bytes(b"\x00\x00binary")
    (folder / "f.txt.gz").write_bytes(b"not gzip at all")
    return folder


def test_ingest_reports_progress_and_bad_inputs_then_is_idempotent(tmp_path: Path) -> None:
    folder = _inputs(tmp_path)
    store = str(tmp_path / "s.duckdb")
    first = _run("ingest", str(folder), "--store", store, "--extractor", "tokens", "--workers", "2")
    assert first.returncode == 0, first.stderr
    assert "articles/s" in first.stderr and "3 errors" in first.stderr
    for needle in ("d.jsonl:2: not JSON", "e.txt: binary file", "f.txt.gz: cannot read"):
        assert needle in first.stderr
    with Store.open(store, read_only=True) as s:
        rows = s.query("SELECT id, published, title FROM articles ORDER BY id")
    assert [(r["id"], r["published"]) for r in rows] == [
        ("a.txt", "2025-01-02"),
        ("b.txt.gz", "2025-01-03"),
        ("c.html", "2025-02-01"),
        ("j1", None),
    ]
    again = _run("ingest", str(folder), "--store", store, "--extractor", "tokens", "--strict")
    assert again.returncode == 1  # --strict: the bad inputs make it fail
    assert "0 stored" in again.stderr and "4 skipped" in again.stderr


def test_ingest_usage_errors(tmp_path: Path) -> None:
    assert _run("ingest").returncode == 2
    bad = _run("ingest", str(tmp_path), "--store", str(tmp_path / "x.duckdb"), "--extractor", "no.such:thing")
    assert bad.returncode == 2 and "no.such:thing" in bad.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serving(tmp_path: Path, *options: str) -> tuple[subprocess.Popen, int]:
    """`treffpunkt serve` on a store of the four test inputs, in a process group of its own."""
    store = str(tmp_path / "s.duckdb")
    assert _run("ingest", str(_inputs(tmp_path)), "--store", store, "--extractor", "tokens").returncode == 0
    port = _free_port()
    proc = subprocess.Popen(
        [*CLI, "serve", "--store", store, "--port", str(port), *options],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    return proc, port


def test_serve_answers_then_stops(tmp_path: Path) -> None:
    proc, port = _serving(tmp_path)
    try:
        body = None
        deadline = time.monotonic() + 60  # a loaded CI machine may need a while to import and open the store
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/api/stats")
                body = json.loads(conn.getresponse().read())
                break
            except OSError:
                time.sleep(0.1)
        assert body is not None and body["counts"]["articles"] == 4
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    assert f"http://127.0.0.1:{port}/" in proc.stderr.read()


def _group(pgid: int) -> list[int]:
    """Live processes of a process group (from /proc: the fifth field of stat is the group)."""
    out = []
    for entry in os.listdir("/proc"):
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except (OSError, ValueError):
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            out.append(int(entry))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_serve_in_two_processes_answers_and_stops_with_its_parent(tmp_path: Path) -> None:
    proc, port = _serving(tmp_path, "--processes", "2")
    try:
        answers = []
        deadline = time.monotonic() + 60
        while len(answers) < 20 and time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/api/stats")
                answers.append(json.loads(conn.getresponse().read())["counts"]["articles"])
            except OSError:
                time.sleep(0.1)
        assert answers == [4] * 20
        assert len(_group(proc.pid)) == 3  # the parent and its two server processes
    finally:
        proc.send_signal(signal.SIGTERM)  # the parent alone: it stops its workers
        proc.wait(timeout=20)
    deadline = time.monotonic() + 10
    while _group(proc.pid):
        assert time.monotonic() < deadline, "server processes outlived their parent"
        time.sleep(0.1)


def test_serve_without_a_store_says_so(tmp_path: Path) -> None:
    done = _run("serve", "--store", str(tmp_path / "none.duckdb"), "--port", str(_free_port()), timeout=30)
    assert done.returncode == 2 and "run `treffpunkt ingest` first" in done.stderr


def test_every_command_is_documented() -> None:
    helptext = _run("--help").stdout
    for cmd in ("ingest", "serve", "export"):
        assert cmd in helptext
        sub = _run(cmd, "--help").stdout
        assert "--store" in sub
