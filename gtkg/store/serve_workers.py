"""The queries of `gtkg serve`, run in worker processes that are killed when a query outlives its time limit.

pyoxigraph cannot cancel a query (oxigraph issue #1926) and runs it with the GIL released, so no thread can
stop it: each query runs in one of a few worker processes, each with its own read-only open of the store. The
request thread waits for the answer until the deadline, then kills the worker (its CPU is free at once) and
the next request starts another. Answers are serialized in the worker, within the row and byte limits.
"""

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gtkg.errors import StoreError
from gtkg.store.embedded import EmbeddedStore
from gtkg.store.folder import StoreFolder

RESULT_TYPES = {  # media type -> results format; the first is the default
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}


@dataclass(frozen=True)
class Job:
    """One request for a worker: a query (`text`) or, with `graph`, one named graph to read whole."""

    text: str
    results_media: str
    graph_media: str
    max_rows: int
    max_bytes: int
    # keyword arguments of the engine's query(), graphs as IRI strings; None: each statement of the store once
    dataset: dict | None = None
    graph: bool = False


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    media: str = "text/plain"


def plain(status: int, message: str) -> Answer:
    return Answer(status, f"{message}\n".encode())


class QueryPool:
    """At most `size` worker processes for the store folder at `path`, started when first needed."""

    def __init__(self, path: Path, *, size: int, timeout: float):
        self.path, self.size, self.timeout = path, size, timeout
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._running: set[_Worker] = set()
        self._context = _context()

    def run(self, job: Job) -> Answer:
        """The worker's answer, or a one-line error when no worker is free or the query runs out of time."""
        if not self._slots.acquire(timeout=self.timeout):
            return plain(503, f"all {self.size} query workers are busy (for more than {self.timeout:g} s); "
                              "try again later")
        worker = None
        try:
            worker = self._idle_worker() or self._launch()
            worker.connection.send(job)
            if not worker.connection.poll(self.timeout):
                return plain(500, f"the query ran longer than {self.timeout:g} s, this server's limit: make it "
                                  "more selective, or restart gtkg serve with a higher --timeout")
            answer, idle = worker.connection.recv(), worker
            worker = None
            with self._lock:
                self._idle.append(idle)
            return answer
        except StoreError as exc:  # e.g. a load is swapping the folder right now
            return plain(503, str(exc))
        except (EOFError, OSError) as exc:  # the worker died (e.g. out of memory) or could not start
            return plain(500, f"the query's worker process failed ({exc or type(exc).__name__}); try again")
        finally:
            if worker is not None:
                self._stop(worker)
            self._slots.release()

    def start(self) -> None:
        """Start one worker and wait until it has opened the store: raises StoreError when it cannot."""
        worker = self._launch()
        with self._lock:
            self._idle.append(worker)

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.process.pid for w in self._running)

    def close(self) -> None:
        with self._lock:
            workers = list(self._running)
        for worker in workers:
            self._stop(worker)

    def _idle_worker(self) -> "_Worker | None":
        with self._lock:
            return self._idle.pop() if self._idle else None

    def _launch(self) -> "_Worker":
        worker = _Worker(self._context, self.path)
        with self._lock:
            self._running.add(worker)
        problem = worker.opened(self.timeout)
        if problem:
            self._stop(worker)
            raise StoreError(problem)
        return worker

    def _stop(self, worker: "_Worker") -> None:
        worker.kill()
        with self._lock:
            self._running.discard(worker)
            if worker in self._idle:
                self._idle.remove(worker)


def _context():
    """Worker processes are started by a fork server (or spawned where there is none): never forked from
    the threaded server. The fork server imports this module and the main module once (as it does by
    default), so each worker starts in milliseconds and does not import the main module again."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", __name__])
    return context


class _Worker:
    def __init__(self, context, path: Path):
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve_jobs, args=(theirs, path), daemon=True,
                                       name="gtkg-serve-query")
        self.process.start()
        theirs.close()

    def opened(self, timeout: float) -> str | None:
        """None once the worker has opened the store, else why it has not."""
        try:
            if not self.connection.poll(timeout):
                return f"the query worker did not open the store within {timeout:g} s; try again"
            return self.connection.recv()
        except (EOFError, OSError) as exc:
            return f"the query worker stopped while opening the store ({exc or type(exc).__name__}); try again"

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


def _serve_jobs(connection, path: Path) -> None:
    """A worker's life: answer jobs until the server closes its end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the server stops us
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    snapshot = _Snapshot(path)
    try:
        snapshot.db()
    except StoreError as exc:
        return connection.send(str(exc))
    connection.send(None)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer = _answer(snapshot, job)
        except Exception as exc:  # noqa: BLE001 (a worker must always answer: the request thread waits for it)
            answer = plain(500, f"the query failed: {type(exc).__name__}: {exc}")
        connection.send(answer)


def _exit_with_parent() -> None:
    """End this worker when the server process is gone, even in the middle of a query (killed with -9, the
    server cannot stop its workers)."""
    multiprocessing.connection.wait([multiprocessing.parent_process().sentinel])
    os._exit(1)


def _answer(snapshot: "_Snapshot", job: Job) -> Answer:
    db = snapshot.db()
    try:
        if job.graph:
            return _graph(db, job)
        if job.dataset is None:
            dataset = snapshot.store.dataset()  # the default graph: the merge of the named graphs
        else:
            dataset = {key: [ox.NamedNode(g) for g in value] if isinstance(value, list) else value
                       for key, value in job.dataset.items()}
        return _serialized(db.query(job.text, **dataset), job)
    except (SyntaxError, ValueError) as exc:
        return plain(400, str(exc))
    except LimitExceeded as exc:
        return plain(500, str(exc))
    except OSError as exc:
        return plain(500, f"the query failed: {exc}")


def _serialized(result, job: Job) -> Answer:
    """The result in the negotiated format, refused beyond `max_rows` rows (or triples) or `max_bytes` bytes.

    The rows are counted while pyoxigraph writes them as TSV (or N-Triples): one line each, so a large
    result stops being produced at the limit. Other formats are converted from that bounded text.
    """
    if isinstance(result, ox.QueryBoolean):
        return Answer(200, result.serialize(format=RESULT_TYPES[job.results_media]), job.results_media)
    if isinstance(result, ox.QueryTriples):
        lines = _Capped(job.max_bytes, job.max_rows, "triples")
        ox.serialize(result, lines, format=ox.RdfFormat.N_TRIPLES)
        target = GRAPH_TYPES[job.graph_media]
        if target == ox.RdfFormat.N_TRIPLES:
            return Answer(200, lines.value(), job.graph_media)
        body = _Capped(job.max_bytes)
        ox.serialize(ox.parse(lines.value(), format=ox.RdfFormat.N_TRIPLES), body, format=target)
        return Answer(200, body.value(), job.graph_media)
    lines = _Capped(job.max_bytes, job.max_rows + 1, "rows")  # and the header line
    result.serialize(lines, format=ox.QueryResultsFormat.TSV)
    target = RESULT_TYPES[job.results_media]
    if target == ox.QueryResultsFormat.TSV:
        return Answer(200, lines.value(), job.results_media)
    body = _Capped(job.max_bytes)
    ox.parse_query_results(lines.value(), format=ox.QueryResultsFormat.TSV).serialize(body, format=target)
    return Answer(200, body.value(), job.results_media)


def _graph(db: ox.Store, job: Job) -> Answer:
    """One named graph, whole (Graph Store Protocol): bounded in bytes, not in triples."""
    name = ox.NamedNode(job.text)
    if not db.contains_named_graph(name):
        return plain(404, f"no graph <{job.text}>")
    body = _Capped(job.max_bytes)
    triples = (q.triple for q in db.quads_for_pattern(None, None, None, name))
    ox.serialize(triples, body, format=GRAPH_TYPES[job.graph_media])
    return Answer(200, body.value(), job.graph_media)


class LimitExceeded(Exception):
    """An answer grew past a limit of the server."""


class _Capped:
    """A bytes buffer for pyoxigraph's writers that stops them past `max_bytes`, or past `max_lines` lines."""

    def __init__(self, max_bytes: int, max_lines: int | None = None, items: str = ""):
        self.max_bytes, self.max_lines, self.items = max_bytes, max_lines, items
        self.parts, self.size, self.lines = [], 0, 0

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise LimitExceeded(f"the answer is larger than {self.max_bytes} bytes, this server's limit: ask for "
                                "fewer or shorter values (LIMIT, fewer variables)")
        if self.max_lines is not None:
            self.lines += bytes(data).count(b"\n")
            if self.lines > self.max_lines:
                rows = self.max_lines - (self.items == "rows")
                raise LimitExceeded(f"the answer has more than {rows} {self.items}, this server's limit: add "
                                    "LIMIT (and OFFSET to page), or restart gtkg serve with a higher --max-rows")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self.parts)


class _Snapshot:
    """The store as the latest completed load left it: reopened (read-only) when its folder has changed.

    A read-only open is a snapshot, so a worker that never reopened would answer from the store as it was
    when it started. While a load swaps folders the open may fail: the old snapshot answers then.
    """

    def __init__(self, path: Path):
        self.path, self.version, self.store = path, None, None
        self.folder = StoreFolder(path)

    def db(self) -> ox.Store:
        version = self.folder.version()
        if self.store is None or (version is not None and version != self.version):
            try:
                self.store, self.version = EmbeddedStore(self.path, read_only=True), version
            except StoreError:
                if self.store is None:
                    raise
        return self.store.engine()
