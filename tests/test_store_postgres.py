"""PostgreSQL for real: the test starts its own server (initdb + pg_ctl in a temp folder) and checks
that ingest, the API and exports give the same answers as DuckDB.
"""

from __future__ import annotations

import glob
import io
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_store import DEMO, demo_store, dump, handmade  # noqa: F401 - fixture
from test_web import HOSTILE_TEXT

from treffpunkt.engines import LocalEngine
from treffpunkt.export import export
from treffpunkt.store import Store, StoreError, ingest
from treffpunkt.web.server import App

pytest.importorskip("psycopg", reason="psycopg (v3) is not installed")


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin")
    # initdb refuses to run as root: run the server as the postgres (or nobody) user.
    user = None
    if os.geteuid() == 0:
        for name in ("postgres", "nobody"):
            try:
                user = pwd.getpwnam(name)
                break
            except KeyError:
                continue
    root = tempfile.mkdtemp(prefix="treffpunkt-pg-")
    os.chmod(root, 0o755)
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)
    data, log = os.path.join(root, "data"), os.path.join(root, "log")
    port = _free_port()
    run_as = {"user": user.pw_uid, "group": user.pw_gid} if user is not None else {}
    env = {**os.environ, "LC_ALL": "C"}
    subprocess.run(
        [
            str(bindir / "initdb"),
            "-D",
            data,
            "-A",
            "trust",
            "-U",
            "treffpunkt",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        cwd=root,
        env=env,
        **run_as,
    )
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run(
        [str(bindir / "pg_ctl"), "-D", data, "-o", opts, "-l", log, "-w", "-t", "30", "start"],
        check=True,
        capture_output=True,
        cwd=root,
        env=env,
        **run_as,
    )
    try:
        yield f"postgresql://treffpunkt@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [str(bindir / "pg_ctl"), "-D", data, "-m", "immediate", "stop"],
            capture_output=True,
            cwd=root,
            env=env,
            **run_as,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def pg_store(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("pgin")
    (folder / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    with Store.open(pg_url) as store:
        stats = ingest([DEMO, folder], store, LocalEngine(lambda: handmade, workers=2), batch_size=4)
        assert stats.written == 13
    return pg_url


def test_migrations_recorded_in_postgres(pg_store: str) -> None:
    with Store.open(pg_store) as store:
        assert store.applied_migrations() == [1, 2, 3, 4]
        assert store.migrate() == []


def test_postgres_holds_the_same_rows_as_duckdb(pg_store: str, demo_store: Path, tmp_path: Path) -> None:  # noqa: F811
    duck_path = str(tmp_path / "same.duckdb")
    with Store.open(duck_path) as duck:
        ingest([DEMO], duck, LocalEngine(lambda: handmade, workers=1))
        expected = dump(duck)
    with Store.open(pg_store, read_only=True) as pg:
        got = dump(pg)
    hostile = {r[0] for r in got["articles"]} - {r[0] for r in expected["articles"]}
    assert len(hostile) == 1
    for table, rows in got.items():
        assert [r for r in rows if r[0] not in hostile] == expected[table], table


def test_reingest_into_postgres_is_a_noop(pg_store: str) -> None:
    with Store.open(pg_store) as store:
        before = dump(store)
        stats = ingest([DEMO], store, LocalEngine(lambda: handmade, workers=1))
        assert stats.written == 0 and stats.skipped == 12
        assert dump(store) == before


def test_api_and_hostile_queries_on_postgres(pg_store: str) -> None:
    import json

    with Store.open(pg_store, read_only=True) as store:
        app = App(store)
        for target in (
            "/api/events?type=meeting&person=person:lena%20hartmann",
            "/api/search?q=Oslo",
            "/api/network",
            "/api/entities/person:lena%20hartmann",
            "/api/map",
            "/",
            "/timeline",
            "/search?q=%27%20OR%201%3D1%20--",
            "/api/search?q=%25",
            "/api/events?person=%27%3B%20DROP",
        ):
            resp = app.handle(target)
            assert resp.status == 200, (target, resp.body[:300])
        meetings = json.loads(app.handle("/api/events?type=meeting").body)
        assert meetings["events"][0]["counterparts"] == ["Sofie Lund"]
        assert meetings["events"][0]["evidence"].startswith("In Kopenhagen trifft Hartmann")
        assert json.loads(app.handle("/api/search?q=%25").body)["total"] == 0
        with pytest.raises(Exception, match="read-only"):
            store.query("DELETE FROM articles")


def test_exports_from_postgres_match_duckdb(pg_store: str, demo_store: Path) -> None:  # noqa: F811
    outs = []
    for url in (pg_store, str(demo_store)):
        buf = io.StringIO()
        with Store.open(url, read_only=True) as store:
            export(store, "plover", None, stdout=buf)
        outs.append([line for line in buf.getvalue().splitlines()])
    assert set(outs[1]) <= set(outs[0]) and len(outs[1]) == 6


def test_unreachable_postgres_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL"):
        Store.open(f"postgresql://nobody@127.0.0.1:{_free_port()}/none?connect_timeout=2")
