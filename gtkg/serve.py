"""`serve()`: the embedded store as a read-only SPARQL 1.1 endpoint, with the standard library's HTTP server.

    GET/POST /query   SPARQL 1.1 Protocol queries (`query=`, or a body of type application/sparql-query),
                      over the union of all graphs unless `default-graph-uri`/`named-graph-uri` are given;
                      results as SPARQL JSON, XML, CSV or TSV, graphs as Turtle or N-Triples (Accept header)
    GET /store?graph= one named graph (Graph Store Protocol, read only), so `--endpoint` works against it
    anything else     updates and writes are refused with 403

The store is opened read-only; when a load has changed its folder since, the next request reopens it, so the
endpoint always answers from the latest completed load (a load in progress is not seen until it ends).
"""

import ipaddress
import threading
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox

from gtkg.errors import InputError

QUERY_PATHS = ("/query", "/sparql", "/")
MAX_BODY = 10_000_000
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


class SparqlServer(ThreadingHTTPServer):
    """An HTTP server answering SPARQL queries from one embedded store; close() also closes the store."""

    daemon_threads = True

    def __init__(self, store, address: tuple[str, int], log: Callable[[str], None] | None = None):
        self.store, self.log = store, log
        self._version = store.folder.version()
        self._reopening = threading.Lock()
        super().__init__(address, Handler)

    def db(self) -> ox.Store:
        """The store as the latest completed load left it: reopened (read-only) when its folder has changed.

        A read-only open is a snapshot, so a server that never reopened would answer from the store as it was
        when the server started. While a load swaps folders the open may fail: the old snapshot answers then.
        """
        version = self.store.folder.version()
        if version is not None and version != self._version:
            with self._reopening:
                if version != self._version:
                    self._reopen(version)
        return self.store.db

    def _reopen(self, version) -> None:
        from gtkg.errors import StoreError
        from gtkg.store import open_store

        try:
            fresh = open_store(self.store.location, read_only=True)
        except StoreError:
            return
        self.store, self._version = fresh, version  # requests still running keep the old snapshot until done

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/query"

    def close(self) -> None:
        self.server_close()
        self.store.close()


def serve(*, store=None, host: str = "127.0.0.1", port: int = 7878,
          log: Callable[[str], None] | None = None) -> SparqlServer:
    """Open the embedded store read-only and bind the endpoint; the caller runs serve_forever() and close().

    `log` receives one line per request (nothing is printed otherwise).
    """
    from gtkg.store import open_store

    backend = open_store(store, read_only=True)
    try:
        return SparqlServer(backend, (host, port), log)
    except OSError as exc:
        backend.close()
        raise InputError(f"cannot serve on {host}:{port}: {exc.strerror or exc}; choose another --port "
                         "(or --bind address)") from exc


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host`.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0"), is_loopback("::")
    (True, True, False, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "gtkg-serve"

    def do_GET(self):
        path, params = self._target()
        if path == "/store" and "graph" in params:
            return self._graph(params["graph"][0])
        if path in QUERY_PATHS and "update" not in params:
            return self._query(params)
        return self._refuse(path, params)

    def do_POST(self):
        path, params = self._target()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._send(413, b"request too large\n")
        body = self.rfile.read(length).decode("utf-8", "replace")
        media = self.headers.get_content_type()
        if media == "application/x-www-form-urlencoded":
            params = {**params, **urllib.parse.parse_qs(body, keep_blank_values=True)}
        elif media == "application/sparql-query":
            params = {**params, "query": [body]}
        if path in QUERY_PATHS and "update" not in params and media != "application/sparql-update":
            return self._query(params)
        return self._refuse(path, params)

    def do_PUT(self):
        self._refuse(*self._target())

    do_DELETE = do_PATCH = do_PUT

    def _target(self) -> tuple[str, dict]:
        parts = urllib.parse.urlsplit(self.path)
        return parts.path.rstrip("/") or "/", urllib.parse.parse_qs(parts.query, keep_blank_values=True)

    def _refuse(self, path: str, params: dict) -> None:
        if path in QUERY_PATHS or path in ("/update", "/store"):
            return self._send(403, b"this endpoint is read-only: load data with 'gtkg load'\n")
        return self._send(404, f"no such path {path}; send queries to /query\n".encode())

    def _query(self, params: dict) -> None:
        if not params.get("query"):
            return self._send(400, b"missing 'query' parameter (SPARQL 1.1 Protocol)\n")
        try:
            dataset = _dataset(params)
            result = self.server.db().query(params["query"][0], **dataset)
        except (SyntaxError, ValueError) as exc:
            return self._send(400, f"{exc}\n".encode())
        if isinstance(result, ox.QueryTriples):
            media, rdf_format = _negotiate(self.headers.get("Accept"), GRAPH_TYPES)
            return self._send(200, ox.serialize(result, format=rdf_format), media)
        media, results_format = _negotiate(self.headers.get("Accept"), RESULT_TYPES)
        return self._send(200, result.serialize(format=results_format), media)

    def _graph(self, graph: str) -> None:
        try:
            name = ox.NamedNode(graph)
        except ValueError as exc:
            return self._send(400, f"{exc}\n".encode())
        db = self.server.db()
        if not db.contains_named_graph(name):
            return self._send(404, f"no graph <{graph}>\n".encode())
        media, rdf_format = _negotiate(self.headers.get("Accept"), GRAPH_TYPES)
        triples = (q.triple for q in db.quads_for_pattern(None, None, None, name))
        return self._send(200, ox.serialize(triples, format=rdf_format), media)

    def _send(self, status: int, body: bytes, media: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{media}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 (the name the base class uses)
        if self.server.log:
            self.server.log(f"{self.address_string()} {format % args}")


def _dataset(params: dict) -> dict:
    """The query's dataset: the graphs the request names, else the union of all graphs."""
    if "default-graph-uri" not in params and "named-graph-uri" not in params:
        return {"use_default_graph_as_union": True}
    return {"default_graph": [ox.NamedNode(g) for g in params.get("default-graph-uri", [])],
            "named_graphs": [ox.NamedNode(g) for g in params.get("named-graph-uri", [])]}


def _negotiate(accept: str | None, offers: dict) -> tuple[str, object]:
    """The offered media type the Accept header prefers (q-values honoured); the first offer by default."""
    ranked = []
    for position, item in enumerate((accept or "").split(",")):
        media, *options = (part.strip() for part in item.split(";"))
        quality = next((float(o[2:]) for o in options if o.startswith("q=") and _is_number(o[2:])), 1.0)
        ranked.append((-quality, position, media.lower()))
    for quality, _, media in sorted(ranked):
        if quality < 0 and media in offers:
            return media, offers[media]
        if quality < 0 and media in ("*/*", "application/*", "text/*"):
            match = next((m for m in offers if media == "*/*" or m.startswith(media[:-1])), None)
            if match:
                return match, offers[match]
    default = next(iter(offers))
    return default, offers[default]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
