"""Where extraction runs: local worker processes (default) or a Ray cluster; both yield `Prepared` rows."""

from .base import Engine, ExtractorFactory, extract_one, resolve_factory
from .local import LocalEngine

__all__ = ["Engine", "ExtractorFactory", "LocalEngine", "extract_one", "make_engine", "resolve_factory"]


def make_engine(name: str, factory: ExtractorFactory | str | None = None, *, workers: int | None = None) -> Engine:
    """`local` or `ray`; `factory` builds one extractor per worker (default: the full pipeline)."""
    if name == "local":
        return LocalEngine(factory, workers=workers)
    if name == "ray":
        from .ray_engine import RayEngine

        return RayEngine(factory, workers=workers)
    raise ValueError(f"unknown engine {name!r}; use local or ray")
