"""The store: schema migrations, idempotent and resumable ingest, rows keyed by content hash.

`handmade` below is an extractor built by hand for the demo article about Hamburg's mayor in
Scandinavia (a trip with three legs, a meeting, an agreement, an accompaniment and a quote), so the
store, web and export tests see every layer without loading the real pipeline. Other articles get
tokens and whatever of the hand-listed names they contain.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest

from treffpunkt.engines import LocalEngine
from treffpunkt.pipeline import Pipeline
from treffpunkt.read import read_paths
from treffpunkt.record import Arg, Article, Entity, Event, GeoRef, Leg, Quote, Record, Span, TimeExpr, Trip
from treffpunkt.stages.tokens import Tokenizer
from treffpunkt.store import Store, StoreError, content_hash, entity_key, ingest
from treffpunkt.store.rows import date_bounds, slug

DEMO = Path(str(resources.files("treffpunkt").joinpath("demo")))
HAMBURG = DEMO / "hamburg-skandinavien-2025-03.txt"
_TOKENS = Pipeline([Tokenizer()])

# name -> (type, geo)
NAMES: dict[str, tuple[str, GeoRef | None]] = {
    "Lena Hartmann": ("person", None),
    "Sofie Lund": ("person", None),
    "Erik Sandberg": ("person", None),
    "Moritz Albers": ("person", None),
    "Senatskanzlei": ("organization", None),
    "Hamburg": ("polity", GeoRef(2911298, "Hamburg", 53.55, 10.0, "DE")),
    "Kopenhagen": ("place", GeoRef(2618425, "Kopenhagen", 55.68, 12.57, "DK")),
    "Oslo": ("place", GeoRef(3143244, "Oslo", 59.91, 10.75, "NO")),
    "Stockholm": ("place", GeoRef(2673730, "Stockholm", 59.33, 18.07, "SE")),
}


def _all(text: str, name: str) -> list[Span]:
    out, i = [], text.find(name)
    while i >= 0:
        out.append(Span(i, i + len(name)))
        i = text.find(name, i + 1)
    return out


def _sentence(record: Record, offset: int) -> Span:
    s = record.sentence_of(offset)
    assert s is not None
    return s.span


def handmade(article: Article) -> Record:
    """Extractor for tests: the listed names as entities; the Hamburg article's facts by hand."""
    record = _TOKENS.run(article)
    text = article.text
    ids: dict[str, str] = {}
    for n, (name, (type_, geo)) in enumerate(NAMES.items()):
        spans = _all(text, name)
        if name.startswith(("Lena", "Moritz")):
            spans += [s for s in _all(text, name.split()[1]) if not any(m.overlaps(s) for m in spans)]
        if spans:
            ids[name] = f"E{n}"
            record.entities[f"E{n}"] = Entity(
                f"E{n}",
                name,
                type_,
                mentions=sorted(spans),
                geo=geo,
                roles=["Erste Bürgermeisterin"] if name == "Lena Hartmann" else [],
            )
    if not {"Lena Hartmann", "Kopenhagen", "Oslo", "Stockholm"} <= ids.keys():
        return record

    def arg(name: str, nth: int = 0) -> Arg:
        return Arg(ids[name], record.entities[ids[name]].mentions[nth])

    monday = _all(text, "am Montag")[0]
    when = TimeExpr(monday, "am Montag", "2025-03-10", direction="future")
    record.times.append(when)
    events = []
    for i, place in enumerate(("Kopenhagen", "Oslo", "Stockholm")):
        span = record.entities[ids[place]].mentions[0]
        events.append(
            Event(
                f"ev{i}",
                "trip",
                [arg("Lena Hartmann")],
                [],
                arg(place),
                when if i == 0 else None,
                "planned",
                _sentence(record, span.start),
                Span(span.start, span.end),
            )
        )
    meet = _all(text, "trifft")[0]
    events.append(
        Event(
            "ev3",
            "meeting",
            [arg("Lena Hartmann")],
            [arg("Sofie Lund")],
            arg("Kopenhagen", 1),
            None,
            "planned",
            _sentence(record, meet.start),
            meet,
        )
    )
    sign = _all(text, "unterzeichnen")[0]
    events.append(
        Event(
            "ev4",
            "agreement",
            [arg("Lena Hartmann")],
            [arg("Erik Sandberg")],
            arg("Stockholm", 1),
            None,
            "planned",
            _sentence(record, sign.start),
            sign,
        )
    )
    acc = _all(text, "Begleitet")[0]
    events.append(
        Event(
            "ev5",
            "accompany",
            [arg("Moritz Albers")],
            [arg("Lena Hartmann", 1)],
            None,
            None,
            "planned",
            _sentence(record, acc.start),
            acc,
        )
    )
    record.events = events
    legs = [
        Leg(arg("Kopenhagen"), appointments=[arg("Sofie Lund")]),
        Leg(arg("Oslo")),
        Leg(arg("Stockholm"), appointments=[arg("Erik Sandberg")]),
    ]
    record.trips = [
        Trip(
            "T0",
            arg("Lena Hartmann"),
            legs,
            "planned",
            start="2025-03-10",
            days=4,
            companions=[arg("Moritz Albers")],
            events=["ev0", "ev1", "ev2"],
        )
    ]
    open_q, close_q = text.index("„"), text.index("“")
    said = _all(text, "sagte Hartmann")[0]
    record.quotes = [
        Quote(
            "direct",
            Span(open_q + 1, close_q),
            ids["Lena Hartmann"],
            Span(said.start + 6, said.end),
            Span(said.start, said.start + 5),
        )
    ]
    return record


def hamburg_article() -> Article:
    items = list(read_paths([HAMBURG]))
    assert isinstance(items[0], Article)
    return items[0]


@pytest.fixture
def demo_store(tmp_path: Path) -> Path:
    """A DuckDB store with the demo corpus, extracted by `handmade`."""
    path = tmp_path / "demo.duckdb"
    with Store.open(str(path)) as store:
        stats = ingest([DEMO], store, LocalEngine(lambda: handmade, workers=1))
    assert stats.written == len(list(DEMO.glob("*.txt")))
    return path


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: two stores with the same dump hold the same data."""
    out = {}
    for table in (
        "articles",
        "canon",
        "entities",
        "events",
        "event_args",
        "quotes",
        "trips",
        "legs",
        "ingest_errors",
    ):
        rows = store.query(f"SELECT * FROM {table}")
        out[table] = sorted(tuple(str(v) for v in r.values()) for r in rows)
    return out


# -- pure functions ------------------------------------------------------------------------------


def test_keys_fold_case_umlauts_and_type() -> None:
    assert slug("Bürgermeisterin Müller-Lüdenscheidt") == "buergermeisterin-mueller-luedenscheidt"
    assert entity_key("Kai Wegner", "person") == "person:kai-wegner"
    assert entity_key("Berlin", "polity") == entity_key("Berlin", "place") == "place:berlin"
    assert entity_key(None, "person") is None


def test_date_bounds_cover_the_precision() -> None:
    assert date_bounds("2024-11") == ("2024-11-01", "2024-11-30")
    assert date_bounds("2024") == ("2024-01-01", "2024-12-31")
    assert date_bounds("2024-02-03") == ("2024-02-03", "2024-02-03")
    assert date_bounds("im Herbst") == (None, None)


def test_content_hash_depends_on_text_and_date() -> None:
    a = Article(id="a", text="x")
    b = Article(id="b", text="x")
    c = Article(id="c", text="x", published="2024-01-01")
    assert content_hash(a) == content_hash(b) != content_hash(c)


# -- store ---------------------------------------------------------------------------------------


def test_migrations_are_recorded_and_applied_once(tmp_path: Path) -> None:
    path = str(tmp_path / "m.duckdb")
    with Store.open(path) as store:
        assert store.applied_migrations() == [1, 2, 3, 4]
        assert store.migrate() == []
    with Store.open(path, read_only=True) as store:
        assert [r["version"] for r in store.query("SELECT version FROM schema_migrations")] == [1, 2, 3, 4]


def test_an_old_store_is_upgraded_on_open(tmp_path: Path) -> None:
    """A store made by migration 1 only gets the later ones when opened: new columns, backfilled, and
    its rows kept when its article tables are copied without primary keys."""
    import duckdb

    from treffpunkt.store.schema import migrations

    path = str(tmp_path / "old.duckdb")
    con = duckdb.connect(path)
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for sql in migrations("duckdb")[0][2]:
        con.execute(sql)
    con.execute("INSERT INTO schema_migrations VALUES (1, 'v1', '2025-01-01')")
    con.execute(
        "INSERT INTO articles VALUES ('h1', 'a', NULL, NULL, 'Titel', 'de', 'Die STRASSE nach Oslo', '{}', 1, 0, 0, 0)"
    )
    con.execute(
        "INSERT INTO events (article, eid, type, evidence_start, evidence_end) VALUES ('h1', 'e1', 'trip', 4, 21)"
    )
    con.close()
    with pytest.raises(StoreError, match="lacks schema migrations \\[2, 3, 4\\]"):
        Store.open(path, read_only=True)
    with Store.open(path) as store:
        assert store.applied_migrations() == [1, 2, 3, 4]
        assert store.query("SELECT search FROM articles")[0]["search"] == "titel\ndie strasse nach oslo"
        assert store.query("SELECT evidence FROM events")[0]["evidence"] == "STRASSE nach Oslo"


def test_read_only_open_of_a_missing_store_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `treffpunkt ingest` first"):
        Store.open(str(tmp_path / "none.duckdb"), read_only=True)


def test_ingest_stores_every_layer_with_spans(demo_store: Path) -> None:
    with Store.open(str(demo_store), read_only=True) as store:
        art = hamburg_article()
        h = content_hash(art)
        events = store.query("SELECT * FROM events WHERE article = ? ORDER BY eid", [h])
        assert [e["type"] for e in events] == ["trip", "trip", "trip", "meeting", "agreement", "accompany"]
        for e in events:
            evidence = art.text[e["evidence_start"] : e["evidence_end"]]
            assert art.text[e["trigger_start"] : e["trigger_end"]] in evidence
        legs = store.query("SELECT place, lat FROM legs WHERE article = ? ORDER BY n", [h])
        assert [leg["place"] for leg in legs] == ["Kopenhagen", "Oslo", "Stockholm"]
        assert all(leg["lat"] > 50 for leg in legs)
        quote = store.query("SELECT * FROM quotes WHERE article = ?", [h])[0]
        assert art.text[quote["start_char"] : quote["end_char"]].startswith("Der Norden Europas")
        assert quote["speaker_key"] == "person:lena hartmann"
        args = store.query("SELECT key FROM event_args WHERE article = ? AND event = ?", [h, "ev3"])
        assert {a["key"] for a in args} == {"person:lena hartmann", "person:sofie lund", "place:2618425"}
        record = json.loads(store.query("SELECT record FROM articles WHERE hash = ?", [h])[0]["record"])
        assert record["trips"][0]["legs"][1]["place"] == "Oslo"


def test_reingest_is_a_noop(demo_store: Path) -> None:
    with Store.open(str(demo_store)) as store:
        before = dump(store)
        calls = []

        def counting() -> object:
            def run(article: Article) -> Record:
                calls.append(article.id)
                return handmade(article)

            return run

        stats = ingest([DEMO], store, LocalEngine(counting, workers=1))
        assert stats.written == 0 and stats.skipped == len(before["articles"])
        assert calls == []  # nothing extracted again
        assert dump(store) == before


def test_writing_a_batch_twice_changes_nothing(tmp_path: Path) -> None:
    from treffpunkt.engines import extract_one

    with Store.open(str(tmp_path / "t.duckdb")) as store:
        art = hamburg_article()
        item = extract_one(handmade, content_hash(art), art)
        assert store.write_batch([item, item]) == 1
        first = dump(store)
        store.write_batch([item])
        assert dump(store) == first


def test_bad_inputs_are_listed_and_do_not_abort(tmp_path: Path) -> None:
    good = tmp_path / "in"
    good.mkdir()
    (good / "a.txt").write_text("date 2025-01-02 Ein Text\n\nLena Hartmann reist nach Oslo.", encoding="utf-8")
    (good / "empty.txt").write_text("   ", encoding="utf-8")
    (good / "binary.txt").write_bytes(b"\x00\x01\x02abc")
    (good / "latin1.txt").write_bytes("Gr\xfc\xdfe".encode("latin-1"))
    (good / "lines.jsonl").write_text('{"text": "Oslo ist schön."}\nnot json\n[1, 2]\n{"id": 3}\n', encoding="utf-8")
    messages: list[str] = []
    with Store.open(str(tmp_path / "b.duckdb")) as store:
        stats = ingest(
            [good, tmp_path / "missing.txt"],
            store,
            LocalEngine(lambda: handmade, workers=1),
            on_error=messages.append,
        )
        assert stats.written == 2
        assert stats.read_errors == 7
        errors = store.query("SELECT source, line, reason FROM ingest_errors ORDER BY source, line")
    assert len(errors) == 7
    joined = "\n".join(messages)
    for needle in (
        "empty.txt: empty file",
        "binary.txt: binary file",
        "latin1.txt: not UTF-8",
        "lines.jsonl:2: not JSON",
        "missing.txt: no such file",
    ):
        assert needle in joined


def test_an_extractor_exception_is_recorded_not_fatal(tmp_path: Path) -> None:
    def broken() -> object:
        def run(article: Article) -> Record:
            if "Oslo" in article.text:
                raise RuntimeError("boom")
            return handmade(article)

        return run

    with Store.open(str(tmp_path / "x.duckdb")) as store:
        stats = ingest([DEMO], store, LocalEngine(broken, workers=1))
        assert stats.extract_errors >= 1
        assert stats.written == len(list(DEMO.glob("*.txt")))
        rows = store.query("SELECT record FROM articles WHERE n_errors > 0")
    assert "RuntimeError: boom" in rows[0]["record"]


def test_parallel_workers_give_the_same_rows_as_one(tmp_path: Path) -> None:
    stores = []
    for workers in (1, 2):
        path = str(tmp_path / f"w{workers}.duckdb")
        with Store.open(path) as store:
            ingest([DEMO], store, LocalEngine(lambda: handmade, workers=workers), batch_size=3)
            stores.append(dump(store))
    assert stores[0] == stores[1]
    assert len(stores[0]["events"]) == 6


def _corpus(tmp_path: Path, n: int) -> Path:
    """`n` distinct articles: the demo corpus with a numbered line appended to each copy."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEMO.glob("*.txt"))]
    with open(folder / "corpus.jsonl", "w", encoding="utf-8") as f:
        for i in range(n):
            text = texts[i % len(texts)] + f"\n\nMeldung {i}."
            f.write(json.dumps({"id": f"a{i}", "text": text, "published": "2025-03-09"}, ensure_ascii=False) + "\n")
    return folder


def test_ingest_killed_with_sigkill_resumes_to_the_same_rows(tmp_path: Path) -> None:
    """kill -9 in the middle of an ingest, run it again: exactly the rows of an uninterrupted run."""
    corpus = _corpus(tmp_path, 600)
    cmd = [
        sys.executable,
        "-m",
        "treffpunkt.cli",
        "ingest",
        str(corpus),
        "--extractor",
        "tokens",
        "--workers",
        "2",
        "--batch-size",
        "8",
    ]
    clean = str(tmp_path / "clean.duckdb")
    subprocess.run([*cmd, "--store", clean], check=True, capture_output=True, timeout=120)

    killed = str(tmp_path / "killed.duckdb")
    proc = subprocess.Popen(
        [*cmd, "--store", killed],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    # Kill once some batches are committed (the WAL grows), before the run can finish.
    while time.monotonic() < deadline and proc.poll() is None:
        wal = Path(killed + ".wal")
        if wal.exists() and wal.stat().st_size > 200_000:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store.open(killed, read_only=True) as store:
        partial = store.counts()["articles"]
    assert partial < 600
    subprocess.run([*cmd, "--store", killed], check=True, capture_output=True, timeout=120)
    with Store.open(clean, read_only=True) as a, Store.open(killed, read_only=True) as b:
        assert dump(a) == dump(b)
        assert a.counts()["articles"] == 600


def test_huge_inputs_are_refused_and_the_rest_ingested(tmp_path: Path) -> None:
    from treffpunkt.read import MAX_ARTICLE_BYTES

    folder = tmp_path / "huge"
    folder.mkdir()
    (folder / "big.txt").write_text("Oslo " * (MAX_ARTICLE_BYTES // 5 + 10), encoding="utf-8")
    line = json.dumps({"id": "big", "text": "x" * (MAX_ARTICLE_BYTES + 10)})
    (folder / "big.jsonl").write_text(line + "\n" + json.dumps({"id": "ok", "text": "Oslo."}) + "\n", encoding="utf-8")
    (folder / "deep.jsonl").write_text("[" * 100_000 + "\n", encoding="utf-8")
    (folder / "small.txt").write_text("Lena Hartmann reist nach Oslo.", encoding="utf-8")
    messages: list[str] = []
    with Store.open(str(tmp_path / "h.duckdb")) as store:
        stats = ingest([folder], store, LocalEngine(lambda: handmade, workers=1), on_error=messages.append)
        ids = sorted(r["id"] for r in store.query("SELECT id FROM articles"))
    assert ids == ["ok", "small.txt"]
    assert stats.read_errors == 3
    assert any("big.txt" in m and "limit" in m for m in messages)
    assert any("big.jsonl:1" in m for m in messages)
    assert any("deep.jsonl" in m for m in messages)  # a reader crash costs that file only
