"""Store backends: the embedded pyoxigraph folder (default) or a remote SPARQL 1.1 endpoint."""

import os
from pathlib import Path

DEFAULT_STORE = ".gtkg"


def store_path(store: str | os.PathLike | None = None) -> Path:
    """--store, else $GTKG_STORE, else .gtkg in the working directory."""
    return Path(store or os.environ.get("GTKG_STORE") or DEFAULT_STORE)


def open_store(store=None, *, endpoint: str | None = None, read_only: bool = False, **remote_options):
    """Open the embedded store (a folder) or, with `endpoint`, a remote SPARQL endpoint."""
    if endpoint:
        from gtkg.store.remote import RemoteStore

        return RemoteStore(endpoint, **remote_options)
    from gtkg.store.embedded import EmbeddedStore

    return EmbeddedStore(store_path(store), read_only=read_only)
