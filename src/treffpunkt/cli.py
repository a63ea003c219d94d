"""Thin command line: parse options, call the library, print, map errors to exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from contextlib import nullcontext
from typing import TextIO

EXIT_OK, EXIT_USAGE, EXIT_SOME_FAILED = 0, 2, 1


def _out(path: str | None) -> TextIO | nullcontext[TextIO]:
    return open(path, "w", encoding="utf-8") if path else nullcontext(sys.stdout)


def cmd_extract(args: argparse.Namespace) -> int:
    from .api import Extractor
    from .read import ReadError, read_paths
    from .render import render_text
    from .serialize import record_dict

    extractor = Extractor()
    failures = 0
    with _out(args.output) as out:
        for item in read_paths(args.files):
            if isinstance(item, ReadError):
                failures += 1
                print(f"treffpunkt: skipped {item}", file=sys.stderr)
                continue
            record = extractor(item)
            if record.errors:
                failures += 1
                for err in record.errors:
                    print(f"treffpunkt: {item.source}: stage {err.stage}: {err.message}", file=sys.stderr)
            if args.format == "text":
                out.write(render_text(record) + "\n")
            else:
                out.write(json.dumps(record_dict(record, with_text=args.with_text), ensure_ascii=False) + "\n")
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
    ns = argparse.Namespace(files=files, format="text", output=None, with_text=False, strict=False)
    return cmd_extract(ns)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="treffpunkt", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true", help="log stage warnings")
    sub = p.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract encounters, quotes and trips from files (text, JSONL, HTML)")
    ex.add_argument("files", nargs="+", help="files or folders")
    ex.add_argument("--format", choices=["jsonl", "text"], default="jsonl")
    ex.add_argument("--output", "-o", help="write here instead of stdout")
    ex.add_argument("--with-text", action="store_true", help="include the article text in each JSON record")
    ex.add_argument("--strict", action="store_true", help="exit 1 when any input or stage failed")
    ex.set_defaults(func=cmd_extract)

    ev = sub.add_parser("evaluate", help="score predictions against gold (shared/eval/FORMAT.md)")
    ev.add_argument("gold")
    ev.add_argument("pred")
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=cmd_evaluate)

    de = sub.add_parser("demo", help="extract the embedded demo articles and print the account")
    de.set_defaults(func=cmd_demo)
    return p




def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR, format="%(levelname)s %(message)s")
    try:
        return args.func(args)
    except FileNotFoundError as e:
        print(f"treffpunkt: {e}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
