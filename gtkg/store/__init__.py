"""Where the study graph lives: the embedded pyoxigraph folder (default), or a remote SPARQL 1.1 endpoint.

Both backends follow one contract, `Store`; `open_store` is the one place that turns what a user gives (a
folder, ":memory:", an endpoint URL or `Endpoint`, or a store opened earlier) into a backend, and `using`
opens one for the length of a library call, leaving a store the caller opened to the caller.
"""

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, runtime_checkable

DEFAULT_STORE = ".gtkg"
MEMORY = ":memory:"
URL_SCHEMES = ("http://", "https://")


@runtime_checkable
class Store(Protocol):
    """What every backend does. Graphs are named by IRI; graph contents travel as N-Quads text."""

    location: str  # the folder or endpoint URL, for messages

    def graphs(self) -> set[str]:
        """The IRIs of the named graphs that hold the study (not gtkg's own bookkeeping)."""

    def files(self) -> dict[str, str]:
        """Graph IRI -> the input file each graph was loaded from, as the loads recorded it."""

    def replace_graphs(self, graphs: dict[str, str], *, files: dict | None = None) -> None:
        """Replace each graph by its N-Quads text ("" removes it), all or nothing; record `files` (graph -> input
        path, None to forget)."""

    def rebuilds(self, graphs: set[str]) -> bool:
        """Whether writing `graphs` replaces everything, so that `rebuild` may do it (faster)."""

    def rebuild(self, chunks: Iterable[str], *, files: dict | None = None) -> int:
        """Replace everything by the N-Quads text of `chunks` (whole lines each), all or nothing; returns the
        number of quads stored."""

    def query(self, sparql: str, *, timeout: float | None = None, prefixes: dict | None = None):
        """A Table (SELECT), a bool (ASK) or Turtle bytes (CONSTRUCT, DESCRIBE), over the study's statements (the
        embedded store's default graph, which holds each once; an endpoint's union of the graphs);
        `prefixes` (name -> namespace) are declared unless the query declares them."""

    def quads(self) -> Iterator:
        """Every quad of the study's named graphs, as pyoxigraph quads (not the embedded store's merge)."""

    def dump(self) -> dict:
        """Every graph's triples as N-Triples bytes: graph IRI (None for the default graph) -> bytes; the RDF
        outputs (gtkg.outputs.rdf) write them in any format."""

    def engine(self):
        """The pyoxigraph store that holds the data, for work that needs the engine itself (validation runs
        many queries on it); None when the data is elsewhere (an endpoint)."""

    def close(self) -> None:
        """Release the store (and its lock)."""


def store_path(store: str | os.PathLike | None = None) -> Path:
    """--store, else $GTKG_STORE, else .gtkg in the working directory."""
    return Path(store or os.environ.get("GTKG_STORE") or DEFAULT_STORE)


def is_url(store) -> bool:
    return isinstance(store, str) and store.startswith(URL_SCHEMES)


def open_store(store=None, *, read_only: bool = False, inputs=()) -> Store:
    """Open a backend: a store object is returned as it is; an `Endpoint` or an http(s) URL opens the remote
    SPARQL endpoint; anything else names the embedded store's folder (or ":memory:"), by default $GTKG_STORE or
    .gtkg. A folder opened for writing must be gtkg's store, new or empty, and none of `inputs` (see
    gtkg.store.folder)."""
    if isinstance(store, Store):
        return store
    from gtkg.store.endpoint import Endpoint

    if isinstance(store, Endpoint) or is_url(store):
        from gtkg.store.remote import RemoteStore

        return RemoteStore(store)
    from gtkg.store.embedded import EmbeddedStore

    return EmbeddedStore(store_path(store), read_only=read_only, inputs=inputs)


@contextmanager
def using(store=None, *, read_only: bool = False, inputs=()) -> Iterator[Store]:
    """The store for one library call: opened here and closed at the end, unless the caller passed a store it
    opened itself (e.g. one store for a whole build), which stays open."""
    if isinstance(store, Store):
        yield store
        return
    opened = open_store(store, read_only=read_only, inputs=inputs)
    try:
        yield opened
    finally:
        opened.close()
