"""Test servers: a real SPARQL server (Oxigraph's, from the `oxigraph` test dependency, in memory on
127.0.0.1) and tiny stub HTTP servers that misbehave on purpose."""

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

READY_SECONDS = 20


class ServerUnavailable(Exception):
    """The SPARQL server could not be started here."""


def free_port() -> int:
    """A port nothing listens on (free when asked; the OS rarely hands it out again at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """`oxigraph serve` in memory: /query, /update, /store."""

    def __init__(self, binary: str, *options: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{self.port}", *options],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    query_url = property(lambda self: self.base + "/query")
    update_url = property(lambda self: self.base + "/update")
    store_url = property(lambda self: self.base + "/store")

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerUnavailable(f"oxigraph serve exited: {self.process.stderr.read().decode()[-500:]}")
            try:
                self.select("ASK {}")
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise ServerUnavailable(f"oxigraph serve did not answer on port {self.port} within {READY_SECONDS} s")

    def select(self, query: str) -> dict:
        """A query straight to the server (its own dataset, no gtkg in between), as SPARQL JSON."""
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.query_url, data=data,
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def named_graphs(self) -> set[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")["results"]["bindings"]
        return {row["g"]["value"] for row in rows}

    def update(self, text: str) -> None:
        """A SPARQL update straight to the server."""
        data = urllib.parse.urlencode({"update": text}).encode()
        urllib.request.urlopen(urllib.request.Request(self.update_url, data=data), timeout=10).close()

    def clear(self) -> None:
        self.update("DROP ALL")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stderr.close()


def start_oxigraph(*options: str) -> OxigraphServer:
    """`oxigraph serve` with these extra options (e.g. --union-default-graph), ready to answer."""
    candidate = Path(sys.executable).parent / "oxigraph"
    binary = str(candidate) if candidate.exists() else shutil.which("oxigraph")
    if not binary:
        raise ServerUnavailable("the 'oxigraph' command is not installed (pip install -e '.[test]')")
    for _ in range(3):  # another process may grab the free port first
        try:
            server = OxigraphServer(binary, *options)
        except OSError as exc:
            raise ServerUnavailable(f"cannot run {binary}: {exc}") from exc
        try:
            server.wait_ready()
            return server
        except ServerUnavailable as exc:
            reason = exc
    raise reason


class Trickle:
    """An answer's body that never ends in time: `chunk` every `interval` seconds, for at most `seconds` (so
    the stub stops by itself). With `raw`, the stub sends nothing else: `head` goes first, so even the status
    line and headers can trickle."""

    def __init__(self, chunk: bytes = b" ", interval: float = 0.05, seconds: float = 20, *, head: bytes = b"",
                 raw: bool = False):
        self.chunk, self.interval, self.seconds, self.head, self.raw = chunk, interval, seconds, head, raw

    def __iter__(self):
        yield self.head
        end = time.monotonic() + self.seconds
        while time.monotonic() < end:
            yield self.chunk
            time.sleep(self.interval)


@contextmanager
def stub_server(answer):
    """A local HTTP server whose every request is answered by answer(method, path, headers, body) ->
    (status, content type, body bytes or a Trickle[, extra headers]); yields (base URL, list of
    (method, path, headers, body) seen)."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def handle_one(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append((self.command, self.path, dict(self.headers), body))
            status, media, payload, *extra = answer(self.command, self.path, self.headers, body)
            if isinstance(payload, Trickle) and payload.raw:
                return self.stream(payload)
            self.send_response(status)
            self.send_header("Content-Type", media)
            for name, value in (extra[0] if extra else {}).items():
                self.send_header(name, value)
            if isinstance(payload, Trickle):  # no length: the body ends when the connection closes
                self.end_headers()
                return self.stream(payload)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def stream(self, chunks):
            self.close_connection = True
            try:
                for chunk in chunks:
                    self.wfile.write(chunk)
            except OSError:
                pass  # the client hung up

        do_GET = do_POST = do_PUT = do_DELETE = handle_one

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def forward(base: str, method: str, path: str, headers, body: bytes):
    """Pass one request on to the server at `base`; returns what stub_server's answer() returns."""
    keep = {k: v for k, v in headers.items() if k.lower() in ("content-type", "accept", "authorization")}
    request = urllib.request.Request(base + path, data=body if method != "GET" else None, method=method,
                                     headers=keep)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", "text/plain"), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", "text/plain"), exc.read()
