"""Shared fixtures. Real field notes are read from ../shared when present (never copied here)."""

import os
from pathlib import Path

import pytest
from helpers import CORPUS, FIXTURES, SEED

# Fixture model files are input to read, never modules to import (--doctest-modules would run them).
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture
def store(tmp_path):
    """A fresh embedded store folder."""
    return str(tmp_path / "store")


@pytest.fixture(scope="module")
def queries_store(tmp_path_factory):
    """The constructed study tests/fixtures/queries loaded into an embedded store, once per module (its tests
    only read it)."""
    from gtkg.loading import load

    store = str(tmp_path_factory.mktemp("queries") / "store")
    load([FIXTURES / "queries"], store=store)
    return store


def _server_or_skip(start, what: str):
    """A server from start(), or a skip saying why not; a failure instead when GTKG_TEST_SERVER=required (as in
    .ci/run, which installs both servers), unless the system package could not be installed (NotInstalled)."""
    from sparql_server import NotInstalled, ServerUnavailable

    try:
        return start()
    except ServerUnavailable as exc:
        if os.environ.get("GTKG_TEST_SERVER") == "required" and not isinstance(exc, NotInstalled):
            pytest.fail(f"GTKG_TEST_SERVER=required but no {what}: {exc}")
        pytest.skip(f"no {what} for the remote-endpoint tests: {exc}")


@pytest.fixture(scope="session")
def sparql_server():
    """A real SPARQL server (Oxigraph, in memory) on 127.0.0.1 for the session; stopped at the end."""
    from sparql_server import start_oxigraph

    server = _server_or_skip(start_oxigraph, "SPARQL server")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """Virtuoso (the Debian package virtuoso-opensource) on 127.0.0.1 for the session, its database in a
    temporary folder; stopped at the end."""
    from sparql_server import start_virtuoso

    server = _server_or_skip(lambda: start_virtuoso(tmp_path_factory.mktemp("virtuoso")), "Virtuoso server")
    yield server
    server.stop()


SERVERS = {"oxigraph": "sparql_server", "virtuoso": "virtuoso_server"}


@pytest.fixture(params=list(SERVERS))
def server(request):
    """Each real SPARQL server of the session in turn, emptied for the test."""
    started = request.getfixturevalue(SERVERS[request.param])
    started.clear()
    return started


@pytest.fixture(params=["embedded", *SERVERS])
def backend(request, tmp_path):
    """Where a test's data lives, as keyword arguments of load(), export(), run_query(), ...:
    {"store": folder} or {"store": query URL of one of the session's SPARQL servers, emptied for the test}."""
    if request.param == "embedded":
        return {"store": str(tmp_path / "store")}
    server = request.getfixturevalue(SERVERS[request.param])
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
