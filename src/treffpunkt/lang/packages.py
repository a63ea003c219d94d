"""Word lists read from registry packages at first use, shared by the NER and the place matcher:
German common nouns (`german-nouns`, Wiktionary, CC BY-SA 4.0) to tell a capitalised noun
("Mission", "Norden") from a name, and US census names (`names`, public domain) to tell a person's
name ("Kai", "Taylor") from a place."""

from __future__ import annotations

import csv
import logging
from functools import cache
from importlib import resources

log = logging.getLogger(__name__)

# Wiktionary kinds that are names, not common nouns.
_PROPER = {"Toponym", "Vorname", "Nachname", "Eigenname", "Abkürzung", "Straßenname"}


def german_noun_forms() -> frozenset[str]:
    """Every inflected one-word form of a German common noun; empty (with a warning) without the package."""
    return _noun_tables()[0]


def german_noun_genders() -> tuple[dict[str, str], dict[str, str]]:
    """German common nouns by form: nominative singular -> its genders ("m", "f", "n", or several,
    as "fm" for "See"), and nominative plural -> the singular lemma. Empty without the package."""
    return _noun_tables()[1:]


@cache
def _noun_tables() -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    # One pass over the 100,000 rows for all the tables the lexicons need.
    try:
        text = resources.files("german_nouns").joinpath("nouns.csv").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as e:
        log.warning("german-nouns is not installed (%s): names and common nouns are told apart less well", e)
        return frozenset(), {}, {}
    forms: set[str] = set()
    singular: dict[str, str] = {}
    plural: dict[str, str] = {}
    rows = csv.reader(text.splitlines())
    header = next(rows)
    sg_cols = [i for i, h in enumerate(header) if h.startswith("nominativ singular")]
    pl_cols = [i for i, h in enumerate(header) if h.startswith("nominativ plural")]
    gender_cols = [i for i, h in enumerate(header) if h.startswith("genus")]
    for row in rows:
        kinds = set(row[1].split(","))
        if kinds & _PROPER or "Substantiv" not in kinds:
            continue
        forms.update(f for f in row[7:] if f and " " not in f and f[0].isupper())
        genders = "".join(sorted({row[i] for i in gender_cols if row[i] in ("m", "f", "n")}))
        if not genders:
            continue
        for i in sg_cols:
            form = row[i]
            if form and " " not in form:
                singular[form] = "".join(sorted(set(singular.get(form, "") + genders)))
        for i in pl_cols:
            form = row[i]
            if form and " " not in form:
                plural.setdefault(form, row[0])
    return frozenset(forms), singular, plural


# The census surname list runs to 88k names; past this rank it is mostly rare and noisy.
SURNAME_LIMIT = 30_000


@cache
def census_names(kind: str) -> frozenset[str]:
    """US census 1990 first names (`kind="first"`) or surnames (`kind="last"`), capitalised."""
    files = ("dist.male.first", "dist.female.first") if kind == "first" else ("dist.all.last",)
    out: set[str] = set()
    for name in files:
        try:
            text = resources.files("names").joinpath(name).read_text(encoding="utf-8")
        except (ModuleNotFoundError, FileNotFoundError) as e:
            log.warning("`names` is not installed (%s): person names are told apart less well", e)
            return frozenset(out)
        lines = [line for line in text.splitlines() if line.strip()]
        if kind == "last":
            lines = lines[:SURNAME_LIMIT]
        out.update(w.capitalize() for w in (line.split(" ", 1)[0] for line in lines) if w)
    return frozenset(out)
