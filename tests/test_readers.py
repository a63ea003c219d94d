"""Readers: good input becomes an Article with the text unchanged; bad input becomes a ReadError naming
the file (and line), and the rest of the batch goes on."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from treffpunkt.read import (
    MAX_ARTICLE_BYTES,
    ReadError,
    article_from_html,
    article_from_text,
    articles_from_jsonl,
    read_path,
    read_paths,
)
from treffpunkt.record import Article

BODY = "Berlin - Die Bürgermeisterin trifft am Montag den Botschafter.\n\nDas Treffen war lange geplant."


def _read(path: Path) -> list[Article | ReadError]:
    return list(read_path(path))


def _one_error(path: Path) -> ReadError:
    items = _read(path)
    assert len(items) == 1 and isinstance(items[0], ReadError), items
    err = items[0]
    assert err.source == str(path) and str(path) in str(err)
    return err


def _jsonl(*rows: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows)


# --- plain text and its `date` header ---------------------------------------------------------------


def test_text_without_header_is_kept_whole(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text(BODY, encoding="utf-8")
    [art] = _read(path)
    assert isinstance(art, Article)
    assert (art.id, art.text, art.published, art.teaser, art.source) == ("a.txt", BODY, None, None, str(path))
    assert art.body_span.text(art.text) == BODY


@pytest.mark.parametrize("date", ["2024", "2024-11", "2024-11-03"])
def test_date_header_marks_date_teaser_and_body(tmp_path: Path, date: str):
    text = f"date {date} Wegner wirbt in den USA für Berlin (Archivbild).\n\n{BODY}\n"
    path = tmp_path / "h.txt"
    path.write_text(text, encoding="utf-8")
    [art] = _read(path)
    assert art.text == text  # the header is marked, not cut
    assert art.published == date
    assert art.teaser.text(text) == "Wegner wirbt in den USA für Berlin (Archivbild)."
    assert art.body.text(text).strip() == BODY


def test_date_header_without_teaser():
    art = article_from_text(f"date 2024-11-03\n{BODY}", id="x")
    assert art.published == "2024-11-03" and art.teaser is None
    assert art.body.text(art.text).strip() == BODY


@pytest.mark.parametrize(
    "text", ["Datum 2024-11-03 " + BODY, "date: 2024 " + BODY, "Am date 2024 " + BODY, "date 20245 " + BODY]
)
def test_not_a_header(text: str):
    art = article_from_text(text, id="x")
    assert art.published is None and art.body is None and art.text == text


def test_reference_article_header(shared_dir: Path):
    path = shared_dir / "examples" / "wegner-usa-2024-11.txt"
    [art] = _read(path)
    raw = path.read_text(encoding="utf-8-sig")
    assert art.text == raw
    assert art.published == "2024-11"
    assert art.teaser.text(raw) == raw.splitlines()[0].strip().removeprefix("date 2024-11 ")
    assert art.body.text(raw).lstrip().startswith("Berlin - Berlins Regierender Bürgermeister Kai Wegner")
    assert art.body.end == len(raw)


def test_bom_is_dropped(tmp_path: Path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + f"date 2024-11 Teaser\n{BODY}".encode())
    [art] = _read(path)
    assert art.published == "2024-11" and not art.text.startswith("\ufeff")


# --- bad files --------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path: Path, content: bytes):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert "empty" in _one_error(path).reason


def test_binary_file(tmp_path: Path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert "binary" in _one_error(path).reason


def test_undecodable_bytes(tmp_path: Path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Die Bürgermeisterin trifft den Botschafter.".encode("latin-1"))
    err = _one_error(path)
    assert "UTF-8" in err.reason and "offset 5" in err.reason  # the 'ü'


def test_missing_file(tmp_path: Path):
    assert "no such file" in _one_error(tmp_path / "nowhere.txt").reason


def test_50_mb_article(tmp_path: Path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        line = (BODY + "\n").encode()
        f.write(line * (50_000_000 // len(line) + 1))
    err = _one_error(path)
    assert f"{MAX_ARTICLE_BYTES:,}" in err.reason and "limit" in err.reason


def test_gzip_text_and_gzip_bomb(tmp_path: Path):
    good = tmp_path / "a.txt.gz"
    good.write_bytes(gzip.compress(f"date 2024-11-03 Teaser\n{BODY}".encode()))
    [art] = _read(good)
    assert art.published == "2024-11-03" and art.text.endswith(BODY)
    two_members = tmp_path / "two.txt.gz"
    two_members.write_bytes(gzip.compress(b"Erster Teil. ") + gzip.compress(BODY.encode()))
    [art] = _read(two_members)
    assert art.text == "Erster Teil. " + BODY
    truncated = tmp_path / "truncated.txt.gz"
    truncated.write_bytes(gzip.compress(BODY.encode() * 50)[:60])
    assert "cannot read" in _one_error(truncated).reason
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a " * 25_000_000, compresslevel=1))
    assert "unpacked" in _one_error(bomb).reason


@pytest.mark.parametrize("name", ["broken.txt.gz", "broken.jsonl.gz"])
def test_corrupt_gzip(tmp_path: Path, name: str):
    path = tmp_path / name
    path.write_bytes(b"\x1f\x8b\x08\x00garbage, not deflate")
    assert "cannot read" in _one_error(path).reason


# --- JSONL ------------------------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines(tmp_path: Path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        _jsonl(
            {"id": "a", "text": BODY, "published": "2024-11-03T10:00:00Z", "title": "T", "url": "u"},
            "{not json",
            {"id": "b", "title": "no text"},
            {"id": "c", "text": "   "},
            ["a", "list"],
            {"id": 7, "text": BODY, "date": "2015-06"},
            "",
            {"text": BODY},
        ),
        encoding="utf-8",
    )
    items = _read(path)
    errors = [i for i in items if isinstance(i, ReadError)]
    arts = [i for i in items if isinstance(i, Article)]
    assert [(e.line, e.source) for e in errors] == [(n, str(path)) for n in (2, 3, 4, 5)]
    assert "not JSON" in errors[0].reason and "column" in errors[0].reason
    assert "'text'" in errors[1].reason and "'text'" in errors[2].reason
    assert "list" in errors[3].reason
    assert f"{path}:2: " in str(errors[0])
    assert [a.id for a in arts] == ["a", "7", f"{path}:8"]
    assert arts[0].published == "2024-11-03" and arts[0].title == "T" and arts[0].meta == {"url": "u"}
    assert arts[1].published == "2015-06" and arts[0].source == f"{path}:1"
    assert all(a.text == BODY for a in arts)


def test_jsonl_line_with_undecodable_bytes_names_the_line(tmp_path: Path):
    path = tmp_path / "mixed.jsonl"
    good = _jsonl({"id": "a", "text": BODY}).encode()
    bad = '{"id": "b", "text": "Bürgermeister"}\n'.encode("latin-1")
    path.write_bytes(good + bad + good.replace(b'"a"', b'"c"'))
    items = _read(path)
    assert [getattr(i, "id", None) for i in items] == ["a", None, "c"]
    err = items[1]
    assert isinstance(err, ReadError) and err.line == 2 and "UTF-8" in err.reason


def test_jsonl_50_mb_line(tmp_path: Path):
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"id": "huge", "text": "' + "Wort " * 10_000_000 + '"}\n')
        f.write(_jsonl({"id": "next", "text": BODY}))
    items = _read(path)
    assert isinstance(items[0], ReadError) and items[0].line == 1 and "limit" in items[0].reason
    assert isinstance(items[1], Article) and items[1].id == "next"


def test_jsonl_gzip_and_bom(tmp_path: Path):
    path = tmp_path / "batch.jsonl.gz"
    rows = _jsonl({"id": "a", "text": BODY}, {"id": "b", "text": BODY}).encode()
    path.write_bytes(gzip.compress(b"\xef\xbb\xbf" + rows))
    assert [a.id for a in _read(path)] == ["a", "b"]


def test_articles_from_jsonl_takes_strings():
    items = list(articles_from_jsonl([_jsonl({"id": "a", "text": BODY}), "[1]\n"], source="mem"))
    assert isinstance(items[0], Article) and str(items[1]) == "mem:2: expected a JSON object, got list"


# --- HTML -------------------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Wegner reist in die USA | Zeitung</title>
<meta property="article:published_time" content="2024-11-08T06:30:00+01:00">
<script>var tracking = "Werbung";</script><style>p { color: red }</style></head>
<body><nav><ul><li>Startseite</li><li>Politik</li></ul></nav>
<article><h1>Wegner reist in die USA</h1>
<p>Berlins Regierender Bürgermeister Kai Wegner reist in die USA.</p>
<p>An diesem Sonntag startet er <b>Richtung</b> New York.</p>
<figure><img src="x.jpg"><figcaption>Archivbild</figcaption></figure>
<blockquote>„Die USA und Berlin verbinden viele Dinge“, sagte Wegner.</blockquote>
</article><footer><p>Impressum</p></footer></body></html>"""


def test_html_title_date_and_main_text(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    [art] = _read(path)
    assert art.title == "Wegner reist in die USA"
    assert art.published == "2024-11-08"
    assert art.text.split("\n\n") == [
        "Berlins Regierender Bürgermeister Kai Wegner reist in die USA.",
        "An diesem Sonntag startet er Richtung New York.",
        "„Die USA und Berlin verbinden viele Dinge“, sagte Wegner.",
    ]
    for noise in ("Startseite", "Impressum", "tracking", "color", "Archivbild"):
        assert noise not in art.text


def test_html_og_title_time_element_and_no_article_tag():
    html = (
        '<html><head><meta property="og:title" content="Gipfel in Paris"></head><body>'
        '<time datetime="2023-05-02">2. Mai</time><p>Macron empfing Scholz.</p><p>Sie sprachen lange.</p>'
        "</body></html>"
    )
    art = article_from_html(html, id="p")
    assert (art.title, art.published) == ("Gipfel in Paris", "2023-05-02")
    assert art.text == "Macron empfing Scholz.\n\nSie sprachen lange."


def test_html_without_text(tmp_path: Path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>Leer</title><script>x()</script></head><body></body></html>", encoding="utf-8")
    assert "without article text" in _one_error(path).reason


def test_large_html_page_with_short_article(tmp_path: Path):
    # Real pages carry megabytes of inline script around a short article: the limit is on the article.
    path = tmp_path / "heavy.html"
    script = "<script>" + "var x = 1;\n" * 300_000 + "</script>"
    path.write_text(
        f"<html><head>{script}</head><body><article><p>{BODY}</p></article></body></html>", encoding="utf-8"
    )
    [art] = _read(path)
    assert isinstance(art, Article) and "Botschafter" in art.text


# --- folders ----------------------------------------------------------------------------------------


def test_folder_mixing_good_and_bad_files(tmp_path: Path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a_good.txt").write_text(BODY, encoding="utf-8")
    (root / "b_empty.txt").write_bytes(b"")
    batch = _jsonl({"id": "j1", "text": BODY}, "oops", {"id": "j3", "text": BODY})
    (root / "c_batch.jsonl").write_text(batch, encoding="utf-8")
    (root / "d_latin1.txt").write_bytes("Grüße".encode("latin-1"))
    (root / "e_page.html").write_text(PAGE, encoding="utf-8")
    (root / "f_binary.md").write_bytes(b"\x00\x01\x02" * 100)
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")  # not a kind the readers know: skipped
    (root / ".hidden.txt").write_text(BODY, encoding="utf-8")  # hidden: skipped
    (root / "sub" / "g_packed.txt.gz").write_bytes(gzip.compress(BODY.encode()))
    items = list(read_paths([root, tmp_path / "missing.txt"]))
    summary = [
        (Path(i.source.split(":")[0]).name if isinstance(i, Article) else Path(i.source).name, type(i).__name__)
        for i in items
    ]
    assert summary == [
        ("a_good.txt", "Article"),
        ("b_empty.txt", "ReadError"),
        ("c_batch.jsonl", "Article"),
        ("c_batch.jsonl", "ReadError"),
        ("c_batch.jsonl", "Article"),
        ("d_latin1.txt", "ReadError"),
        ("e_page.html", "Article"),
        ("f_binary.md", "ReadError"),
        ("g_packed.txt.gz", "Article"),
        ("missing.txt", "ReadError"),
    ]
    jsonl_error = items[3]
    assert jsonl_error.line == 2 and str(jsonl_error).startswith(f"{root / 'c_batch.jsonl'}:2: ")


def test_too_deeply_nested_jsonl_line_is_a_read_error(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n" + '{"id": "ok", "text": "Ein Text."}\n', encoding="utf-8")
    items = list(read_path(path))
    assert isinstance(items[0], ReadError) and items[0].line == 1 and "nested" in items[0].reason
    assert items[1].id == "ok"
