"""The default store: a pyoxigraph store in a folder, no server to start."""

import io
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from gtkg.errors import StoreBusyError, StoreError
from gtkg.store.results import as_value, serialize


class EmbeddedStore:
    """One study graph in a pyoxigraph folder; a single writer at a time, readers see a snapshot."""

    is_new = False  # opened for writing where there was no store yet

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.location = str(path)
        if self.location == ":memory:":  # a scratch store, e.g. for one build
            self.path = None
            self.db = ox.Store()
            return
        self.path = Path(path)
        try:
            if read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(f"no gtkg store at {self.path}: run 'gtkg load PATH' first, or point "
                                     "--store (or GTKG_STORE) at the folder you loaded into")
                self.db = ox.Store.read_only(str(self.path))
            else:
                self.is_new = not (self.path / "CURRENT").exists()
                self.path.mkdir(parents=True, exist_ok=True)
                self.db = ox.Store(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreBusyError(f"store is busy: another gtkg process is writing to {self.path}; wait for "
                                     "it to finish and try again") from exc
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc

    def graphs(self) -> set[str]:
        return {g.value for g in self.db.named_graphs()}

    def replace_graphs(self, graphs: dict[str, str]) -> None:
        """Replace each named graph by its N-Quads text, all or nothing."""
        existing = self.graphs()
        replaced = existing & set(graphs)
        text = "".join(graphs.values())
        try:
            if self.path is None:
                self._replace_in_memory(replaced, text)
            elif existing == replaced:
                self.rebuild([text])  # nothing else in the store: bulk-load a new one and swap it in
            elif not replaced:
                self.db.load(text, format=ox.RdfFormat.N_QUADS)  # one transaction
            else:  # drop and insert in one update, so no reader sees half a graph
                drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in sorted(replaced))
                self.db.update(f"{drops}INSERT DATA {{\n{_as_graph_blocks(graphs)}}}")
            if self.path is not None:
                self.db.flush()  # otherwise every later open replays the write-ahead log (0.2 s per 10k quads)
        except (OSError, SyntaxError, RuntimeError) as exc:
            raise StoreError(f"writing to the store at {self.path} failed, nothing was changed: {exc}") from exc

    def _replace_in_memory(self, existing: set, nquads: str) -> None:
        for graph in existing:
            self.db.remove_graph(ox.NamedNode(graph))
        self.db.load(nquads, format=ox.RdfFormat.N_QUADS)

    def rebuilds(self, graphs: set[str]) -> bool:
        """Whether writing these graphs replaces everything in this store, so `rebuild` may do it."""
        return self.path is not None and self.graphs() <= graphs

    def rebuild(self, chunks: Iterable[str]) -> None:
        """Replace the whole store by N-Quads text, streamed chunk by chunk (e.g. file by file) into a bulk
        load of a sibling folder that is then swapped in by rename: fast, memory stays flat, and atomic.

        The store's lock is held until the new folder is complete, so no other writer interleaves. An error
        raised while producing the chunks is raised as it is, and the store stays as it was.
        """
        fresh = self.path.with_name(self.path.name + ".new")
        stale = self.path.with_name(self.path.name + ".old")
        for leftover in (fresh, stale):
            shutil.rmtree(leftover, ignore_errors=True)
        reader = _ChunkReader(chunks)
        try:
            try:
                new_db = ox.Store(str(fresh))
                new_db.bulk_load(io.BufferedReader(reader, 1 << 20), format=ox.RdfFormat.N_QUADS)
                new_db.flush()
                del new_db
            except (OSError, SyntaxError, RuntimeError) as exc:
                raise reader.error or StoreError(
                    f"writing to the store at {self.path} failed, nothing was changed: {exc}") from exc
            if reader.error:
                raise reader.error
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            if self.is_new:  # a first load that failed leaves no empty store behind
                self.db = None
                shutil.rmtree(self.path, ignore_errors=True)
            raise
        self.db = None  # releases the lock of the old folder
        self.path.rename(stale)
        fresh.rename(self.path)
        shutil.rmtree(stale, ignore_errors=True)
        self.db = ox.Store(str(self.path))
        self.is_new = False

    def query(self, sparql: str):
        """Run SPARQL over the union of all graphs.

        Returns a Table for SELECT, a bool for ASK, Turtle bytes for CONSTRUCT/DESCRIBE.
        """
        from gtkg.errors import QueryError

        try:
            result = self.db.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        return as_value(result)

    def quads(self):
        return self.db.quads_for_pattern(None, None, None, None)

    def dump(self, fmt: str, prefixes: dict | None = None) -> bytes:
        graphs = {g: self.db.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g)) for g in self.graphs()}
        default = self.db.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        return serialize({**graphs, None: default} if default else graphs, fmt, prefixes)

    def close(self) -> None:
        self.db = None


def _as_graph_blocks(graphs: dict[str, str]) -> str:
    blocks = []
    for graph, nquads in graphs.items():
        suffix = f" <{graph}> ."
        triples = [line[: -len(suffix)] + " ." for line in nquads.split("\n") if line]
        blocks.append(f"GRAPH <{graph}> {{\n" + "\n".join(triples) + "\n}\n")
    return "".join(blocks)


class _ChunkReader(io.RawIOBase):
    """A readable stream over an iterable of text chunks, for pyoxigraph's bulk loader.

    An exception raised by the iterable would reach the loader as a bare I/O error; it is kept in `error`
    instead, and the stream ends, so the caller can raise it as it was.
    """

    def __init__(self, chunks: Iterable[str]):
        self._chunks = iter(chunks)
        self._pending = memoryview(b"")
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            if self.error:
                return 0
            try:
                self._pending = memoryview(next(self._chunks).encode("utf-8"))
            except StopIteration:
                return 0
            except Exception as exc:  # noqa: BLE001 - handed back to the caller through `error`
                self.error = exc
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
