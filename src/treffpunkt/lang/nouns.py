"""German common nouns from the `german-nouns` registry package (Wiktionary, CC BY-SA 4.0).

The NER and the place matcher both use it to tell a capitalised common noun ("Mission",
"Norden") from a name.
"""

from __future__ import annotations

import csv
import logging
from functools import cache
from importlib import resources

log = logging.getLogger(__name__)

# Wiktionary kinds that are names, not common nouns.
_PROPER = {"Toponym", "Vorname", "Nachname", "Eigenname", "Abkürzung", "Straßenname"}


@cache
def german_noun_forms() -> frozenset[str]:
    """Every inflected one-word form of a German common noun; empty (with a warning) without the package."""
    try:
        text = resources.files("german_nouns").joinpath("nouns.csv").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as e:
        log.warning("german-nouns is not installed (%s): names and common nouns are told apart less well", e)
        return frozenset()
    forms: set[str] = set()
    rows = csv.reader(text.splitlines())
    next(rows)
    for row in rows:
        kinds = set(row[1].split(","))
        if kinds & _PROPER or "Substantiv" not in kinds:
            continue
        forms.update(f for f in row[7:] if f and " " not in f and f[0].isupper())
    return frozenset(forms)
