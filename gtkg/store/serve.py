"""`serve()`: the embedded store as a read-only SPARQL 1.1 endpoint, with the standard library's HTTP server.

    GET/HEAD/POST /query  SPARQL 1.1 Protocol queries (`query=`, or a body of type application/sparql-query),
                          over the graphs named by `default-graph-uri`/`named-graph-uri`, else by the query's
                          FROM/FROM NAMED, else the default graph (each statement of the named graphs once);
                          results as SPARQL JSON, XML, CSV or TSV, graphs as Turtle or N-Triples (Accept header)
    GET /store?graph=     one named graph (Graph Store Protocol, read only), so `--endpoint` works against it
    anything else         updates and writes are refused with 403

Every query runs in a worker process (see gtkg.store.serve_workers) that has the store open read-only and reopens it
when a load has changed the folder, so the endpoint answers from the latest completed load.

Abuse gets a one-line text answer, never a hang: a query past `timeout` is killed (500), an answer past
`max_rows` rows or `max_bytes` bytes is refused (500; never truncated, so no client mistakes it for the whole
answer), SERVICE is refused (400) unless allowed, a Host or Origin that is not this server is refused (403:
a web page that rebinds its DNS name to 127.0.0.1 sends its own name), bad or oversized bodies get 400/413,
clients that are silent for `idle` seconds or take `request_time` to send a request are dropped, and beyond
`connections` open requests (or with every worker busy for `timeout`) the answer is 503.
"""

import io
import ipaddress
import os
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from gtkg.errors import InputError, QueryError
from gtkg.store.serve_workers import GRAPH_TYPES, RESULT_TYPES, Answer, Job, QueryPool, plain
from gtkg.store.sparql_text import names_dataset, refuse_service

QUERY_PATHS = ("/query", "/sparql", "/")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARDS = ("", "0.0.0.0", "::")
MAX_FIELDS = 1000  # of a form body: a body of ampersands would otherwise become millions of list entries


@dataclass(frozen=True)
class Limits:
    """What one client may ask of the server; `serve()` takes each as a keyword argument."""

    timeout: float = 30.0  # seconds a query may run (--timeout)
    max_rows: int = 10_000  # rows of a SELECT, triples of a CONSTRUCT or DESCRIBE (--max-rows)
    max_bytes: int = 64 << 20  # bytes of one answer
    max_body: int = 10_000_000  # bytes of one request's body
    workers: int = field(default_factory=lambda: max(1, min(4, os.cpu_count() or 1)))  # query processes
    connections: int = 32  # requests handled at once; more are answered 503
    idle: float = 10.0  # seconds a client may stay silent
    request_time: float = 30.0  # seconds a client may take to send its whole request


class SparqlServer(ThreadingHTTPServer):
    """An HTTP server answering SPARQL queries from one store folder, through a pool of query processes."""

    daemon_threads = True

    def __init__(self, path, address: tuple[str, int], log: Callable[[str], None] | None = None, *,
                 limits: Limits = Limits(), allow_service: bool = False):
        self.location, self.log, self.limits, self.allow_service = str(path), log, limits, allow_service
        self.bind = address[0]
        self._connections = threading.BoundedSemaphore(limits.connections)
        super().__init__(address, Handler)
        self.pool = QueryPool(path, size=limits.workers, timeout=limits.timeout)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/query"

    def process_request(self, request, client_address):
        """A thread for the request while fewer than `connections` are open; a 503 otherwise."""
        if not self._connections.acquire(blocking=False):
            return self._turn_away(request, client_address)
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._connections.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._connections.release()

    def _turn_away(self, request, client_address) -> None:
        message = f"all {self.limits.connections} connections are busy; try again later\n".encode()
        try:
            request.settimeout(1)
            request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                            + f"Content-Length: {len(message)}\r\nConnection: close\r\n\r\n".encode() + message)
        except OSError:
            pass
        self.shutdown_request(request)
        if self.log:
            self.log(f"{client_address[0]} turned away: {message.decode().strip()}")

    def handle_error(self, request, client_address):
        """One line in the log instead of a traceback on stderr (e.g. a client that went away)."""
        if self.log:
            self.log(f"{client_address[0]} request failed: {sys.exc_info()[1]!r}")

    def close(self) -> None:
        self.server_close()
        self.pool.close()


def serve(*, store=None, host: str = "127.0.0.1", port: int = 7878, log: Callable[[str], None] | None = None,
          allow_service: bool = False, **limits) -> SparqlServer:
    """Bind the endpoint and start a query worker on the embedded store folder `store` (default $GTKG_STORE,
    else .gtkg); the caller runs serve_forever() and close().

    `log` receives one line per request (nothing is printed otherwise). `limits` are the fields of `Limits`
    (timeout, max_rows, ...). SERVICE clauses are refused unless `allow_service`. The workers are started by
    multiprocessing's fork server, which imports the main module: a script that calls serve() keeps its
    own work under `if __name__ == "__main__":`.
    """
    from gtkg.store import MEMORY, Store, is_url, store_path

    if isinstance(store, Store):  # an open store: serve its folder
        store = store.location
    path = store_path(store)
    if str(path) == MEMORY or is_url(str(store)):
        raise InputError("gtkg serve publishes a store folder (--store DIR), not a store in memory or an endpoint")
    try:
        server = SparqlServer(path, (host, port), log, limits=Limits(**limits), allow_service=allow_service)
    except OSError as exc:
        raise InputError(f"cannot serve on {host}:{port}: {exc.strerror or exc}; choose another --port "
                         "(or --bind address)") from exc
    try:
        server.pool.start()  # opens the store: says what to do when there is none
    except BaseException:
        server.close()
        raise
    return server


def accepts_host(value: str, bind: str, port: int) -> bool:
    """Whether a Host header (name:port) names this server: a loopback name, or the --bind address or name.

    Bound to every interface (0.0.0.0, ::), any IP address and this machine's host name are accepted too. A
    web page that rebinds its own DNS name to this machine sends that name, so it is refused.
    """
    try:
        parts = urllib.parse.urlsplit("//" + value)
        name, given = parts.hostname, parts.port or 80
    except ValueError:
        return False
    if not name or given != port or parts.netloc != value or "@" in value:
        return False
    names = {*LOOPBACK_NAMES, bind.strip("[]").lower()}
    if bind in WILDCARDS:
        names.add(socket.gethostname().lower())
        return name in names or _is_address(name)
    return name in names


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


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

    def setup(self):
        super().setup()
        limits = self.server.limits
        self.rfile = io.BufferedReader(_DeadlineReader(self.connection, limits.idle, limits.request_time))

    def parse_request(self) -> bool:
        """The request line and headers, refused (and the connection closed) when they do not belong here."""
        if not super().parse_request():
            return False
        refusal = self._refusal()
        if refusal:
            self.close_connection = True
            self._reply(refusal)
            return False
        return True

    def do_GET(self):
        path, params = self._target()
        if path == "/store" and "graph" in params:
            return self._graph(params["graph"][0])
        if path in QUERY_PATHS and "update" not in params:
            return self._query(params)
        return self._refuse(path, params)

    do_HEAD = do_GET  # _send leaves the body out

    def do_POST(self):
        path, params = self._target()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
        media = self.headers.get_content_type()
        if media == "application/x-www-form-urlencoded":
            try:
                params = {**params, **urllib.parse.parse_qs(body, keep_blank_values=True, max_num_fields=MAX_FIELDS)}
            except ValueError as exc:
                return self._send(400, f"bad form body: {exc}\n".encode())
        elif media == "application/sparql-query":
            params = {**params, "query": [body]}
        if path in QUERY_PATHS and "update" not in params and media != "application/sparql-update":
            return self._query(params)
        return self._refuse(path, params)

    def do_PUT(self):
        self._refuse(*self._target())

    do_DELETE = do_PATCH = do_PUT

    def _refusal(self) -> Answer | None:
        """Why the request is not answered: a foreign Host or Origin (DNS rebinding), or a bad body length."""
        bind, port = self.server.bind, self.server.server_address[1]
        host, origin = self.headers.get("Host"), self.headers.get("Origin")
        if host is None and self.request_version != "HTTP/1.0":
            return plain(400, "missing Host header")
        if host is not None and not accepts_host(host, bind, port):
            return plain(403, f"this server does not answer for Host {host!r}: it answers for localhost:{port} and "
                              f"127.0.0.1:{port} (and the address given to gtkg serve --bind)")
        if origin is not None and not _accepts_origin(origin, bind, port):
            return plain(403, f"this server does not answer pages from {origin!r}")
        lengths = self.headers.get_all("Content-Length") or []
        if len(set(lengths)) > 1 or not all(length.strip().isdecimal() for length in lengths):
            return plain(400, f"bad Content-Length: {', '.join(lengths)}")
        if lengths and int(lengths[0]) > self.server.limits.max_body:
            return plain(413, f"request body larger than {self.server.limits.max_body} bytes, this server's limit")
        return None

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
        text = params["query"][0]
        if not self.server.allow_service:
            try:
                refuse_service(text)
            except QueryError as exc:
                return self._send(400, f"{exc}\n".encode())
        self._reply(self.server.pool.run(self._job(text, dataset=_dataset(params, text))))

    def _graph(self, graph: str) -> None:
        self._reply(self.server.pool.run(self._job(graph, graph=True)))

    def _job(self, text: str, **options) -> Job:
        limits, accept = self.server.limits, self.headers.get("Accept")
        return Job(text, results_media=_negotiate(accept, RESULT_TYPES), graph_media=_negotiate(accept, GRAPH_TYPES),
                   max_rows=limits.max_rows, max_bytes=limits.max_bytes, **options)

    def _reply(self, answer: Answer) -> None:
        self._send(answer.status, answer.body, answer.media)

    def _send(self, status: int, body: bytes, media: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{media}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD":
            return
        self.connection.settimeout(self.server.limits.idle)
        for start in range(0, len(body), 1 << 16):  # a client that stops reading is dropped after `idle` s
            self.wfile.write(body[start:start + (1 << 16)])

    def log_message(self, format, *args):  # noqa: A002 (the name the base class uses)
        if self.server.log:
            self.server.log(f"{self.address_string()} {format % args}")


class _DeadlineReader(io.RawIOBase):
    """A socket's input that fails once the client was silent for `idle` seconds or has taken `total` seconds:
    a client sending its request byte by byte (slowloris) cannot hold a thread for long."""

    def __init__(self, sock: socket.socket, idle: float, total: float):
        self.sock, self.idle, self.deadline = sock, idle, time.monotonic() + total

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the client took too long to send its request")
        self.sock.settimeout(min(self.idle, left))
        return self.sock.recv_into(buffer)


def _accepts_origin(origin: str, bind: str, port: int) -> bool:
    parts = urllib.parse.urlsplit(origin)
    return parts.scheme == "http" and accepts_host(parts.netloc, bind, port)


def _dataset(params: dict, text: str) -> dict | None:
    """The engine's dataset: the graphs the request names, else those the query names (FROM, FROM NAMED),
    else None: the store's default graph, which holds each statement of its named graphs once."""
    if "default-graph-uri" in params or "named-graph-uri" in params:
        return {"default_graph": params.get("default-graph-uri", []), "named_graphs": params.get("named-graph-uri", [])}
    if names_dataset(text):
        return {}
    return None


def _negotiate(accept: str | None, offers: dict) -> str:
    """The offered media type the Accept header prefers (q-values honoured); the first offer by default."""
    ranked = []
    for position, item in enumerate((accept or "").split(",")):
        media, *options = (part.strip() for part in item.split(";"))
        quality = next((float(o[2:]) for o in options if o.startswith("q=") and _is_number(o[2:])), 1.0)
        ranked.append((-quality, position, media.lower()))
    for quality, _, media in sorted(ranked):
        if quality < 0 and media in offers:
            return media
        if quality < 0 and media in ("*/*", "application/*", "text/*"):
            match = next((m for m in offers if media == "*/*" or m.startswith(media[:-1])), None)
            if match:
                return match
    return next(iter(offers))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
