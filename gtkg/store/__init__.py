"""Store backends: the embedded pyoxigraph folder (default) or a remote SPARQL 1.1 endpoint."""

import os
from pathlib import Path

DEFAULT_STORE = ".gtkg"


def store_path(store: str | os.PathLike | None = None) -> Path:
    """--store, else $GTKG_STORE, else .gtkg in the working directory."""
    return Path(store or os.environ.get("GTKG_STORE") or DEFAULT_STORE)


MEMORY = ":memory:"


class Borrowed:
    """An already open store lent to a library call: everything passes through, but close() leaves it open."""

    def __init__(self, backend):
        self._backend = backend

    def __getattr__(self, name):
        return getattr(self._backend, name)

    def close(self) -> None:
        pass


def open_store(store=None, *, endpoint: str | None = None, read_only: bool = False, inputs=(), **remote_options):
    """Open the embedded store (a folder, or ":memory:"), or, with `endpoint`, a remote SPARQL endpoint.

    `store` may also be a store object opened earlier: calls then share it (e.g. one in-memory store for
    a whole build) and leave it open. A folder opened for writing must be gtkg's store, new or empty, and
    none of `inputs` (see gtkg.store.folder).
    """
    if hasattr(store, "replace_graphs"):
        return Borrowed(store)
    if endpoint:
        from gtkg.store.remote import RemoteStore

        return RemoteStore(endpoint, **remote_options)
    from gtkg.store.embedded import EmbeddedStore

    return EmbeddedStore(store_path(store), read_only=read_only, inputs=inputs)
