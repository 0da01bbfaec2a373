"""The default store: a pyoxigraph store in a folder, no server to start."""

import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from gtkg.errors import StoreBusyError, StoreError
from gtkg.store import Store
from gtkg.store.folder import StoreFolder, merged
from gtkg.store.results import as_value, within
from gtkg.store.sparql_text import names_dataset, syntax_error


class EmbeddedStore(Store):
    """One study graph in a pyoxigraph folder; a single writer at a time, readers see a snapshot.

    On disk the store is a folder marked as gtkg's (see gtkg.store.folder); `location` is that folder and
    `path` the engine folder inside it that the store reads and writes.

    The engine's default graph is the RDF merge of the named graphs: each statement once, however many files
    state it (a union of the graphs would repeat it once per graph), while the named graphs keep provenance.
    Every write keeps it so, in the same transaction; a store of an older gtkg (`merged` false) is read as
    the union of its graphs until a load adds the merge.
    """

    is_new = False  # opened for writing where there was no store yet
    merged = True  # the default graph is the merge of the named graphs

    def __init__(self, path: str | Path, *, read_only: bool = False, inputs=()):
        self.location = str(path)
        self.folder = None
        if self.location == ":memory:":  # a scratch store, e.g. for one build
            self.path = None
            self.db = ox.Store()
            return
        self.folder = StoreFolder(path)
        if read_only:
            self.path, self.merged = self.folder.current_data()
            self.db = _open(self.path, read_only=True, store=self.folder.given)
            return
        self.folder.acquire(inputs)
        marker = self.folder.marker() or {}
        data = marker.get("data")
        self.is_new, self.merged = data is None, data is None or merged(marker)
        self.path = None if data is None else self.folder.path / data
        try:
            self.db = None if data is None else _open(self.path, read_only=False, store=self.folder.given)
        except BaseException:
            self.folder.release()
            raise

    def graphs(self) -> set[str]:
        if self.db is None:
            return set()
        return {g.value for g in self.db.named_graphs()}

    def files(self) -> dict[str, str]:
        """Graph IRI -> the input file each graph was loaded from (as far as the loads recorded it)."""
        return {} if self.folder is None else self.folder.files()

    def replace_graphs(self, graphs: dict[str, str], *, files: dict | None = None) -> None:
        """Replace each named graph by its N-Quads text ("" removes it), all or nothing; `files` records the
        input file of each graph (None: remove the record)."""
        existing = self.graphs()
        replaced = existing & set(graphs)
        try:
            if self.db is None or existing == replaced:
                self.rebuild(["".join(graphs.values())], files=files)  # nothing else in the store: a new one
                return
            if not replaced and self.merged:  # one transaction; the same blank nodes in both copies
                text = "".join(graphs.values())
                self.db.load(text + default_copies(text), format=ox.RdfFormat.N_QUADS)
            else:  # one update, so no reader sees half a graph or a merge that does not match the graphs
                self.db.update(_replacing(graphs, replaced, self.merged))
                self.merged = True
            if self.folder is not None:
                self.db.flush()  # otherwise every later open replays the write-ahead log (0.2 s per 10k quads)
                self._record(files, self.path.name)
        except ENGINE_ERRORS as exc:
            raise StoreError(f"writing to the store at {self.location} failed, nothing was changed: {exc}") from exc

    def _record(self, files: dict | None, data: str, *, everything: bool = False) -> None:
        recorded = {} if everything else self.folder.files()
        for graph, path in (files or {}).items():
            if path is None:
                recorded.pop(graph, None)
            else:
                recorded[graph] = path
        self.folder.write_marker(data, recorded)

    def rebuilds(self, graphs: set[str]) -> bool:
        """Whether writing these graphs replaces everything in this store, so `rebuild` may do it."""
        return self.graphs() <= graphs

    def rebuild(self, chunks: Iterable[str], *, files: dict | None = None) -> int:
        """Replace the whole store by N-Quads text, streamed chunk by chunk (e.g. file by file) into bulk loads of
        a new engine (in a new folder, which the marker then points at): fast, memory stays flat, and atomic.
        Returns the number of quads stored.

        The store's lock is held throughout, so no other writer interleaves. An error raised while producing
        the chunks is raised as it is, and the store stays as it was. `files` is read after the chunks.
        """
        if self.folder is None:
            self.db, count = self._bulk_load(ox.Store, chunks, on_disk=False)
            self.merged = True
            return count
        try:
            fresh = self.folder.new_data()
        except OSError as exc:
            raise StoreError(f"writing to the store at {self.location} failed, nothing was changed: "
                             f"{exc.strerror or exc}") from exc
        try:
            db, count = self._bulk_load(lambda: ox.Store(str(fresh)), chunks, on_disk=True)
            del db  # closed, so that it can be reopened below
            self.db = None  # releases the engine's lock on the old data
            self._record(files, fresh.name, everything=True)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            if self.is_new:  # a first load that failed leaves no empty store behind
                self.folder.discard()
            else:
                self._reopen()
            raise
        self.path, self.is_new, self.merged = fresh, False, True
        self.folder.collect_garbage()
        self._reopen()
        return count

    def _bulk_load(self, engine, chunks: Iterable[str], *, on_disk: bool) -> tuple[ox.Store, int]:
        """A new engine, `engine()`, holding the chunks' quads, and their number."""
        try:
            with BulkWriter(BulkWriter.engine(engine), on_disk=on_disk) as writer:
                for chunk in chunks:  # an error of the input arrives from here, and is raised as it is
                    writer.add(chunk + default_copies(chunk))  # one batch: the same blank nodes in both
                return writer.finish()
        except EngineError as exc:
            raise StoreError(f"writing to the store at {self.location} failed, nothing was changed: "
                             f"{exc.__cause__}") from exc.__cause__

    def _reopen(self) -> None:
        if self.db is None and self.path is not None:
            self.db = _open(self.path, read_only=False, store=self.folder.given)

    def dataset(self) -> dict:
        """The keyword arguments of the engine's `query` that read each statement of the study once: the
        default graph as it is, or in a store of an older gtkg the union of the graphs."""
        return {} if self.merged else {"use_default_graph_as_union": True}

    def query(self, sparql: str, *, timeout: float | None = None, prefixes: dict | None = None):
        """Run SPARQL over the default graph, which holds each statement of the graphs once (or over the graphs
        its FROM clauses name), with `prefixes` declared unless the query declares them itself.

        Returns a Table for SELECT, a bool for ASK, Turtle bytes for CONSTRUCT/DESCRIBE. With a `timeout`
        (seconds, may be math.inf) the query runs in a thread of its own, so that the caller stops waiting
        after the timeout (QueryTimeoutError) or at Ctrl-C; the engine cannot be interrupted, so its work on
        the query goes on in the background until done, but reading the results stops.
        """
        if timeout is None:
            return self._evaluate(sparql, None, prefixes)
        return within(timeout, lambda deadline: self._evaluate(sparql, deadline, prefixes))

    def _evaluate(self, sparql: str, deadline: float | None, prefixes: dict | None):
        from gtkg.errors import QueryError

        db = ox.Store() if self.db is None else self.db  # an empty store answers as an empty graph
        try:
            result = db.query(sparql, prefixes=prefixes, **({} if names_dataset(sparql) else self.dataset()))
            return as_value(result, deadline)
        except SyntaxError as exc:
            raise QueryError(syntax_error(sparql, str(exc), prefixes)) from None
        except OSError as exc:  # a store read or a SERVICE call failed
            raise QueryError(f"the query failed: {exc}") from exc

    def quads(self):
        """The quads of the named graphs (not the merge, which repeats them)."""
        if self.db is None:
            return iter(())
        return (quad for graph in self.db.named_graphs() for quad in self.db.quads_for_pattern(None, None, None, graph))

    def dump(self) -> dict:
        """The named graphs (the merge in the default graph is made from them again by any load)."""
        if self.db is None:
            return {}
        return {g: self.db.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g)) for g in self.graphs()}

    def engine(self) -> ox.Store | None:
        return self.db

    def close(self) -> None:
        self.db = None
        if self.folder is not None:
            self.folder.release()


def _open(path: Path, *, read_only: bool, store) -> ox.Store:
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreBusyError(f"store is busy: another gtkg process is writing to {store}; wait for it to "
                                 "finish and try again") from exc
        raise StoreError(f"cannot open the store at {store}: {exc}") from exc


def named_quads(db: ox.Store) -> int:
    """How many quads the named graphs hold (`len` counts the default graph's too)."""
    solution = next(db.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
    return int(solution["n"].value)


def default_copies(nquads: str) -> str:
    """gtkg's N-Quads lines (each ends with its graph's name, an IRI or a blank node, which hold no space) as
    lines of the default graph: each line without its last term.

    >>> default_copies('<a:s> <a:p> "x <a:g> ." <a:g> .\\n<a:s> <a:p> <a:o> _:g .\\n')
    '<a:s> <a:p> "x <a:g> ." .\\n<a:s> <a:p> <a:o> .\\n'
    """
    return "".join([line[:line.rfind(" ", 0, -2)] + " .\n" for line in nquads.split("\n") if line])


def _replacing(graphs: dict[str, str], replaced: set[str], merged: bool) -> str:
    """The SPARQL update that replaces the graphs and keeps the merge in the default graph: first the
    statements only the replaced graphs hold leave it (while those graphs are still there to tell), then
    the graphs are dropped, and the new ones go in with their statements in the merge (one INSERT DATA: the
    same blank nodes in both). A store without the merge (an older gtkg's) gets the whole merge instead."""
    names = [f"<{g}>" for g in sorted(replaced)]
    steps = [f"DROP SILENT GRAPH {name}" for name in names]
    if merged and replaced:
        steps.insert(0, f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {' '.join(names)} }} GRAPH ?g {{ ?s ?p ?o }} "
                        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h NOT IN ({', '.join(names)})) }} }}")
    blocks, triples = [], []
    for graph, nquads in graphs.items():
        suffix = f" <{graph}> ."
        lines = [line[: -len(suffix)] + " ." for line in nquads.split("\n") if line]
        blocks.append(f"GRAPH <{graph}> {{\n" + "\n".join(lines) + "\n}\n")
        triples += lines
    steps.append("INSERT DATA {\n" + "".join(blocks) + "\n".join(triples) + "\n}")
    if not merged:
        steps.append("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return " ;\n".join(steps)


ENGINE_ERRORS = (OSError, SyntaxError, RuntimeError, MemoryError, UnicodeError)  # what a write to the engine raises


class EngineError(Exception):
    """A bulk load failed in the engine (its error is the cause): told apart from errors of the input."""


class BulkWriter:
    """Loads N-Quads text into a new engine in batches, each in a thread of its own while the caller produces the
    next: the engine works outside the GIL, so reading the input and writing
    the store share the two cores, and neither side holds more than a batch or two (one bulk load of everything
    would keep up to a million quads in the engine's memory).

    Use as a context manager: `add` text (whole lines), then `finish`. The engine's errors are raised as an
    EngineError (the cause is the engine's own); an error of the caller stops the writing after the batch at
    hand (the folder is then the caller's to discard).
    """

    COMPACTED_AFTER = 1  # batches: from 2 on, compacting costs less than the queries after it save

    def __init__(self, db: ox.Store, *, on_disk: bool):
        self.db = db
        # On disk, a bulk load writes new engine files: batches of about 70k quads cost least per quad (much
        # smaller ones cost more, larger ones take more memory): 10 MB of a load's text, whose lines are
        # the named graphs' quads and their copies in the merge, shorter (16 MB took 100 MB more at 100x).
        # In memory, a plain load is faster than a bulk one, and batches may be small. The first batches
        # are smaller, so that the engine starts early.
        self.most, self.load = (10 << 20, db.bulk_load) if on_disk else (4 << 20, db.load)
        self.batch_bytes = self.most >> 2
        self.on_disk, self.batches = on_disk, 0
        self.parts: list[str] = []
        self.size = 0
        self.pending: threading.Thread | None = None
        self.error: BaseException | None = None

    def __enter__(self) -> "BulkWriter":
        return self

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= self.batch_bytes:
            self._flush()

    def finish(self) -> tuple[ox.Store, int]:
        """Write the rest and wait; returns the engine, flushed, and the number of quads its named graphs hold.

        Each bulk load on disk adds files to every index, and a store that is only read never merges them: at
        100x a real study (22 batches), the paper tables took 1.2-1.8x as long as on a store written in one bulk
        load, and at 10x (4 batches) validation 1.4x. So a store written in more than one batch is compacted
        into few files (0.26 s at 10x, 2.3-2.6 s at 100x), after which they take as long as there, or less."""
        if self.parts:
            self._flush()
        self._wait()
        if self.on_disk and self.batches > self.COMPACTED_AFTER:
            self.engine(self.db.optimize)
        count = self.engine(lambda: named_quads(self.db))
        self.engine(self.db.flush)
        db, self.db, self.load = self.db, None, None
        return db, count

    def _flush(self) -> None:
        text = "".join(self.parts)
        self.parts, self.size = [], 0
        self.batch_bytes = min(2 * self.batch_bytes, self.most)
        self.batches += 1
        self._wait()
        self.pending = threading.Thread(target=self._load, args=(text,), name="gtkg-bulk-load", daemon=True)
        self.pending.start()

    def _load(self, text: str) -> None:
        try:
            self.load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        except ENGINE_ERRORS as exc:  # raised in the caller's thread by _wait
            self.error = exc

    def _wait(self) -> None:
        if self.pending is not None:
            self.pending.join()
            self.pending = None
        if self.error is not None:
            error, self.error = self.error, None
            raise EngineError() from error

    @staticmethod
    def engine(call):
        """`call()`, with the engine's errors as an EngineError."""
        try:
            return call()
        except ENGINE_ERRORS as exc:
            raise EngineError() from exc

    def __exit__(self, *_) -> None:
        if self.pending is not None:
            self.pending.join()  # the engine cannot be interrupted: its batch ends before the folder may go
        self.db = self.load = None
