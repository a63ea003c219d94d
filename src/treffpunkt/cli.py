"""Thin command line: parse options, call the library, print, map errors to exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from typing import TextIO

from .record import Article

EXIT_OK, EXIT_USAGE, EXIT_SOME_FAILED = 0, 2, 1


def _out(path: str | None) -> TextIO | nullcontext[TextIO]:
    return open(path, "w", encoding="utf-8") if path else nullcontext(sys.stdout)


def _extract_one(fmt: str, with_text: bool) -> Callable[[Article], tuple[str | None, list[str], str]]:
    """Per article: (source, error lines, output) in the chosen format, computed in a worker."""
    from .api import default_pipeline
    from .render import render_text
    from .serialize import record_dict

    def run(article: Article) -> tuple[str | None, list[str], str]:
        record = default_pipeline().run(article)
        errors = [f"{article.source}: stage {e.stage}: {e.message}" for e in record.errors]
        if fmt == "text":
            return article.source, errors, render_text(record) + "\n"
        return article.source, errors, json.dumps(record_dict(record, with_text=with_text), ensure_ascii=False)

    return run


def cmd_extract(args: argparse.Namespace) -> int:
    from .api import default_pipeline, map_articles
    from .geojson import feature_collection, record_features
    from .read import ReadError, read_paths

    default_pipeline()  # load models once, before any worker starts, so a missing model fails here
    failures = 0
    features: list[dict] = []

    def good_articles() -> Iterator[Article]:
        nonlocal failures
        for item in read_paths(args.files):
            if isinstance(item, ReadError):
                failures += 1
                print(f"treffpunkt: skipped {item}", file=sys.stderr)
            else:
                yield item

    with _out(args.output) as out:
        work = _extract_one(args.format, args.with_text)
        for _source, errors, output in map_articles(work, good_articles(), workers=args.workers):
            for line in errors:
                print(f"treffpunkt: {line}", file=sys.stderr)
            failures += bool(errors)
            if args.format == "geojson":
                features.extend(record_features(json.loads(output)))
            else:
                out.write(output if args.format == "text" else output + "\n")
        if args.format == "geojson":
            out.write(json.dumps(feature_collection(features), ensure_ascii=False) + "\n")
    return EXIT_SOME_FAILED if failures and args.strict else EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import format_table, read_jsonl, score

    result = score(read_jsonl(args.gold), read_jsonl(args.pred))
    print(json.dumps(result, ensure_ascii=False) if args.json else format_table(result))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from importlib import resources

    demo = resources.files("treffpunkt").joinpath("demo")
    files = sorted(str(p) for p in demo.iterdir() if p.name.endswith(".txt"))
    ns = argparse.Namespace(files=files, format="text", output=None, with_text=False, strict=False, workers=1)
    return cmd_extract(ns)


def _demo_dir() -> str:
    from importlib import resources

    return str(resources.files("treffpunkt").joinpath("demo"))


def cmd_ingest(args: argparse.Namespace) -> int:
    from .engines import make_engine
    from .store import Store, StoreError, ingest
    from .store.ingest import Progress

    paths = list(args.paths) + ([_demo_dir()] if args.demo else [])
    if not paths:
        print("treffpunkt: ingest: give files or folders, or --demo", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress(sys.stderr)
    try:
        engine = make_engine(args.engine, args.extractor, workers=args.workers)
        with Store.open(args.store) as store:
            stats = ingest(
                paths,
                store,
                engine,
                batch_size=args.batch_size,
                progress=progress,
                on_error=lambda msg: progress.message(f"treffpunkt: {msg}"),
            )
    except (StoreError, ValueError) as e:
        print(f"treffpunkt: {e}", file=sys.stderr)
        return EXIT_USAGE
    failed = stats.read_errors + stats.extract_errors
    return EXIT_SOME_FAILED if failed and args.strict else EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .store import StoreError
    from .web import serve

    if args.demo:
        ns = argparse.Namespace(
            paths=[],
            demo=True,
            store=args.store,
            engine="local",
            extractor=None,
            workers=None,
            batch_size=1024,
            strict=False,
        )
        rc = cmd_ingest(ns)
        if rc != EXIT_OK:
            return rc
    url = f"http://{args.host}:{args.port}/"
    print(f"treffpunkt: serving {args.store or 'treffpunkt.duckdb'} at {url} (Ctrl-C stops)", file=sys.stderr)
    try:
        serve(args.store, host=args.host, port=args.port, cache_ttl=args.cache_ttl, processes=args.processes)
    except StoreError as e:
        print(f"treffpunkt: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export
    from .store import Store, StoreError

    try:
        with Store.open(args.store, read_only=True) as store:
            n = export(store, args.format, args.output, table=args.table, with_text=args.with_text)
    except (StoreError, ValueError) as e:
        print(f"treffpunkt: {e}", file=sys.stderr)
        return EXIT_USAGE
    if args.output:
        print(f"treffpunkt: wrote {n} records to {args.output}", file=sys.stderr)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="treffpunkt", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true", help="log stage warnings")
    sub = p.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract encounters, quotes and trips from files (text, JSONL, HTML)")
    ex.add_argument("files", nargs="+", help="files or folders")
    ex.add_argument(
        "--format",
        choices=["jsonl", "text", "geojson"],
        default="jsonl",
        help="jsonl: one record per article; text: a readable account; geojson: trips and events on a map",
    )
    ex.add_argument("--output", "-o", help="write here instead of stdout")
    ex.add_argument("--with-text", action="store_true", help="include the article text in each JSON record")
    ex.add_argument("--strict", action="store_true", help="exit 1 when any input or stage failed")
    ex.add_argument("--workers", type=int, default=1, help="worker processes (0: all cores); output keeps input order")
    ex.set_defaults(func=cmd_extract)

    ev = sub.add_parser("evaluate", help="score predictions against gold (shared/eval/FORMAT.md)")
    ev.add_argument("gold")
    ev.add_argument("pred")
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=cmd_evaluate)

    de = sub.add_parser("demo", help="extract the embedded demo articles and print the account")
    de.set_defaults(func=cmd_demo)

    store_help = "DuckDB file (default ./treffpunkt.duckdb) or postgresql://user@host/db"
    ing = sub.add_parser("ingest", help="extract files into a store (idempotent, resumable, parallel)")
    ing.add_argument("paths", nargs="*", help="files or folders (text, JSONL, HTML; .gz too)")
    ing.add_argument("--demo", action="store_true", help="also ingest the demo articles shipped with treffpunkt")
    ing.add_argument("--store", help=store_help)
    ing.add_argument(
        "--engine",
        choices=["local", "ray"],
        default="local",
        help="local worker processes (default) or a Ray cluster (RAY_ADDRESS, else a local one)",
    )
    ing.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    ing.add_argument(
        "--batch-size",
        type=int,
        default=1024,
        help="articles per committed transaction (at most; a batch also commits after 5 s)",
    )
    ing.add_argument("--extractor", help="extractor factory: full (default), tokens, or module:function")
    ing.add_argument("--strict", action="store_true", help="exit 1 when any input or stage failed")
    ing.set_defaults(func=cmd_ingest)

    srv = sub.add_parser("serve", help="web pages and JSON API over a store (read-only)")
    srv.add_argument("--store", help=store_help)
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=8000)
    srv.add_argument(
        "--cache-ttl",
        type=float,
        default=None,
        help="seconds a GET answer is reused (default: DuckDB until evicted, PostgreSQL 30)",
    )
    srv.add_argument("--demo", action="store_true", help="ingest the demo articles first (skips those stored)")
    srv.add_argument(
        "--processes", type=int, default=None, help="server processes sharing the port (default: one per core)"
    )
    srv.set_defaults(func=cmd_serve)

    exp = sub.add_parser("export", help="write a store as jsonl, csv, parquet, geojson or PLOVER JSON lines")
    exp.add_argument("--store", help=store_help)
    exp.add_argument("--format", choices=["jsonl", "csv", "parquet", "geojson", "plover"], required=True)
    exp.add_argument("--output", "-o", help="write here instead of stdout")
    exp.add_argument(
        "--table",
        choices=["events", "quotes", "trips", "entities"],
        default="events",
        help="the table for csv and parquet (default: events)",
    )
    exp.add_argument("--with-text", action="store_true", help="jsonl: include each article's text")
    exp.set_defaults(func=cmd_export)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR, format="%(levelname)s %(message)s")
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError) as e:
        print(f"treffpunkt: {e}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
