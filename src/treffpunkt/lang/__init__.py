"""Language data: word lists and patterns as files, read once and cached."""

from __future__ import annotations

from functools import cache
from importlib import resources


def _lines(lang: str, name: str) -> list[str]:
    path = resources.files(__package__).joinpath(lang, name)
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        # Only whole-line comments: entries themselves may contain "#".
        if line.strip() and not line.lstrip().startswith("#"):
            out.append(line.strip() if "\t" not in line else line.rstrip("\n"))
    return out


@cache
def wordlist(lang: str, name: str) -> frozenset[str]:
    """A set of entries from `lang/<lang>/<name>`, one per line; `#` starts a comment."""
    return frozenset(_lines(lang, name))


@cache
def ordered(lang: str, name: str) -> tuple[str, ...]:
    """The entries of a list file in file order."""
    return tuple(_lines(lang, name))


@cache
def table(lang: str, name: str) -> dict[str, str]:
    """A two-column tab-separated file as a mapping (first column -> second)."""
    out: dict[str, str] = {}
    for line in _lines(lang, name):
        key, _, value = line.partition("\t")
        out[key.strip()] = value.strip()
    return out
