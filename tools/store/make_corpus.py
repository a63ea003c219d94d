"""Make a large test corpus from the demo articles: N distinct variants with other people, places and dates.

Each variant swaps the demo's person names for others (from the lists below), shifts the header
date, and numbers the article, so every text hashes differently while staying a plausible report
for the extractor. Output: a JSONL file (optionally .gz) or a folder of .txt files.

    python tools/store/make_corpus.py 10000 /tmp/corpus.jsonl.gz
    python tools/store/make_corpus.py 500 /tmp/corpus_dir --txt
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import re
from importlib import resources
from pathlib import Path

FIRST = [
    "Anna",
    "Jonas",
    "Miriam",
    "Lukas",
    "Petra",
    "Stefan",
    "Carla",
    "Felix",
    "Nora",
    "Tobias",
    "Jana",
    "Martin",
    "Sabine",
    "Omar",
    "Leonie",
    "Henrik",
    "Aylin",
    "Georg",
    "Ida",
    "Karim",
]
LAST = [
    "Becker",
    "Schulte",
    "Wagner",
    "Hoffmann",
    "Krüger",
    "Lorenz",
    "Brandt",
    "Seidel",
    "Vogel",
    "Keller",
    "Roth",
    "Arslan",
    "Jansen",
    "Peters",
    "Franke",
    "Horn",
    "Winter",
    "Lindner",
    "Busch",
    "Engel",
]
_HEADER = re.compile(r"\A(\s*date\s+)(\d{4}-\d{2}-\d{2})")
_NOT_FIRST = {"The", "Der", "Die", "Das", "Den", "Dem", "Lord", "Am", "Im", "In", "Zu", "Auf"}
_NAME = re.compile(r"\b([A-ZÄÖÜ][a-zäöüß]+) ([A-ZÄÖÜ][a-zäöüß]+)\b")


def demo_texts() -> list[str]:
    folder = resources.files("treffpunkt").joinpath("demo")
    return [
        p.read_text(encoding="utf-8") for p in sorted(folder.iterdir(), key=lambda p: p.name) if p.name.endswith(".txt")
    ]


def _people(text: str) -> list[str]:
    """Two-word names whose surname recurs alone later (the demo's people, not "Neuen Rathaus")."""
    out = []
    for m in _NAME.finditer(text):
        full, last = m.group(0), m.group(2)
        if m.group(1) in _NOT_FIRST:
            continue
        if full not in out and text.count(last) > text.count(full):
            out.append(full)
    return out


def variant(text: str, n: int, rng: random.Random) -> str:
    for full in _people(text):
        first, last = full.split(" ", 1)
        new_first, new_last = rng.choice(FIRST), rng.choice(LAST)
        text = text.replace(full, f"{new_first} {new_last}").replace(last, new_last)
    m = _HEADER.match(text)
    if m:
        day = dt.date.fromisoformat(m.group(2)) + dt.timedelta(days=rng.randint(-700, 0))
        text = m.group(1) + day.isoformat() + text[m.end() :]
    return text.rstrip("\n") + f"\n\n(Meldung {n})\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("output", type=Path)
    ap.add_argument("--txt", action="store_true", help="write a folder of .txt files instead of JSONL")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    texts = demo_texts()
    if args.txt:
        args.output.mkdir(parents=True, exist_ok=True)
        for i in range(args.n):
            (args.output / f"a{i:06d}.txt").write_text(variant(texts[i % len(texts)], i, rng), encoding="utf-8")
    else:
        opener = gzip.open if args.output.suffix == ".gz" else open
        with opener(args.output, "wt", encoding="utf-8") as f:
            for i in range(args.n):
                text = variant(texts[i % len(texts)], i, rng)
                f.write(json.dumps({"id": f"a{i:06d}", "text": text}, ensure_ascii=False) + "\n")
    print(f"{args.output}: {args.n} articles")


if __name__ == "__main__":
    main()
