"""Shared fixtures. Real field notes are read from ../shared when present (never copied here)."""

import os
from pathlib import Path

import pytest
from helpers import CORPUS, SEED

# Fixture model files are input to read, never modules to import (--doctest-modules would run them).
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture
def store(tmp_path):
    """A fresh embedded store folder."""
    return str(tmp_path / "store")


@pytest.fixture(scope="session")
def sparql_server():
    """A real SPARQL server (Oxigraph, in memory) on 127.0.0.1 for the session; stopped at the end.

    Skipped when it cannot start, unless GTKG_TEST_SERVER=required (as in .ci/run).
    """
    from sparql_server import ServerUnavailable, start_oxigraph

    try:
        server = start_oxigraph()
    except ServerUnavailable as exc:
        if os.environ.get("GTKG_TEST_SERVER") == "required":
            pytest.fail(f"GTKG_TEST_SERVER=required but no SPARQL server: {exc}")
        pytest.skip(f"no SPARQL server for the remote-endpoint tests: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["embedded", "remote"])
def backend(request, tmp_path):
    """Where a test's data lives, as keyword arguments of load(), export(), run_query(), ...:
    {"store": folder} or {"store": query URL of the session's SPARQL server, emptied for the test}."""
    if request.param == "embedded":
        return {"store": str(tmp_path / "store")}
    server = request.getfixturevalue("sparql_server")
    server.clear()
    return {"store": server.query_url}


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
