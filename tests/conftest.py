"""Shared fixtures. Real field notes are read from ../shared when present (never copied here)."""

from pathlib import Path

import pytest
from helpers import CORPUS, SEED


@pytest.fixture
def store(tmp_path):
    """A fresh embedded store folder."""
    return str(tmp_path / "store")


@pytest.fixture
def seed():
    if not SEED.exists():
        pytest.skip("shared seed s_33.md is not present")
    return SEED


@pytest.fixture
def corpus():
    if not CORPUS.exists():
        pytest.skip("shared self-serve corpus is not present")
    return CORPUS


@pytest.fixture
def write(tmp_path):
    """Write a small input file and return its path: write("s_1.md", text)."""

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write
