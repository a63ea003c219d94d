"""treffpunkt: who met whom, where, when, about what and with whom, from news text."""

from .api import Extractor, default_pipeline, extract
from .record import Article, Record

__all__ = ["Article", "Extractor", "Record", "default_pipeline", "extract"]
__version__ = "0.1.0"
