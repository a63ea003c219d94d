"""Shared fixtures: where the read-only evaluation data (../shared) is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_candidate() -> Path:
    """$TREFFPUNKT_SHARED when set (and then only it), else ../shared beside the repository."""
    env = os.environ.get("TREFFPUNKT_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def find_shared() -> Path | None:
    path = shared_candidate()
    return path.resolve() if (path / "eval" / "FORMAT.md").is_file() else None


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared data folder; tests that need it skip, saying where they looked, when it is absent."""
    path = find_shared()
    if path is None:
        pytest.skip(
            f"shared data not found at {shared_candidate()} (no eval/FORMAT.md there); "
            "set TREFFPUNKT_SHARED or put it at ../shared"
        )
    return path
