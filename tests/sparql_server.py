"""Test servers: real SPARQL servers on 127.0.0.1 (Oxigraph's, from the `oxigraph` test dependency, in memory;
Virtuoso, from the Debian package virtuoso-opensource, its database in a temporary folder) and tiny stub HTTP
servers that misbehave on purpose."""

import json
import re
import shutil
import signal
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
VIRTUOSO_READY_SECONDS = 90  # a new database takes about 2 s here; a loaded machine may take far longer
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_GRANTS = 'GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);'


class ServerUnavailable(Exception):
    """The SPARQL server could not be started here."""


class NotInstalled(ServerUnavailable):
    """A server of a system package that is not installed (where .ci/run could not install it)."""


def _die_with_parent() -> None:
    """In the server's process, before it runs: end it when the process that started it ends (Linux), so that a
    killed test run leaves no server behind."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # another system: the fixtures still stop it


def free_port() -> int:
    """A port nothing listens on (free when asked; the OS rarely hands it out again at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SparqlServer:
    """A SPARQL server process on 127.0.0.1 and requests straight to it (no gtkg in between)."""

    name = "a SPARQL server"
    process: subprocess.Popen
    port: int
    base: str
    query_url = update_url = store_url = ""
    own_graphs: frozenset = frozenset()  # the graphs the server holds of its own: clear() keeps them

    def wait_ready(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerUnavailable(f"{self.name} exited: {self.output()[-500:]}")
            try:
                self.select("ASK {}")
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise ServerUnavailable(f"{self.name} did not answer on port {self.port} within {seconds} s")

    def output(self) -> str:
        return self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""

    def select(self, query: str) -> dict:
        """A query straight to the server (its own dataset, no gtkg in between), as SPARQL JSON."""
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.query_url, data=data,
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def named_graphs(self) -> set[str]:
        """Every named graph that holds a triple (Virtuoso answers `GRAPH ?g {}` with one empty solution)."""
        rows = self.select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")["results"]["bindings"]
        return {row["g"]["value"] for row in rows}

    def update(self, text: str) -> None:
        """A SPARQL update straight to the server."""
        data = urllib.parse.urlencode({"update": text}).encode()
        urllib.request.urlopen(urllib.request.Request(self.update_url, data=data), timeout=30).close()

    def clear(self) -> None:
        """Drop every graph but the server's own."""
        graphs = sorted(self.named_graphs() - self.own_graphs)
        if graphs:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))

    def stop(self, seconds: float = 10) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()


class OxigraphServer(SparqlServer):
    """`oxigraph serve` in memory: /query, /update, /store."""

    name = "oxigraph serve"

    def __init__(self, binary: str, *options: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{self.port}", *options],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_die_with_parent)

    query_url = property(lambda self: self.base + "/query")
    update_url = property(lambda self: self.base + "/update")
    store_url = property(lambda self: self.base + "/store")

    def clear(self) -> None:
        self.update("DROP ALL")


class VirtuosoServer(SparqlServer):
    """`virtuoso-t` with a new database in `folder`: /sparql answers queries and updates (granted to the
    anonymous user), /sparql-graph-crud is the Graph Store Protocol; /sparql-auth and /sparql-graph-crud-auth
    ask for the dba account (user dba, password dba) by HTTP digest authentication."""

    name = "virtuoso-t"
    user = password = "dba"

    def __init__(self, binary: str, folder: Path, settings: dict | None = None):
        self.folder = folder
        self.sql_port, self.port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        ini = folder / "virtuoso.ini"
        ini.write_text(virtuoso_ini(VIRTUOSO_INI.read_text(encoding="utf-8"), folder, self.sql_port, self.port,
                                    settings or {}), encoding="utf-8")
        self.log = open(folder / "virtuoso.out", "wb")  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                                        stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)

    query_url = update_url = property(lambda self: self.base + "/sparql")
    store_url = property(lambda self: self.base + "/sparql-graph-crud")
    auth_url = property(lambda self: self.base + "/sparql-auth")
    auth_store_url = property(lambda self: self.base + "/sparql-graph-crud-auth")

    def output(self) -> str:
        return (self.folder / "virtuoso.out").read_text(errors="replace")

    def grant_updates(self) -> None:
        isql = shutil.which("isql-vt") or "isql-vt"
        done = subprocess.run([isql, str(self.sql_port), "dba", "dba", f"exec={VIRTUOSO_GRANTS}"],
                              capture_output=True, text=True, timeout=60)
        if done.returncode or "Error" in done.stdout + done.stderr:
            raise ServerUnavailable(f"isql-vt could not grant SPARQL updates: {(done.stdout + done.stderr)[-500:]}")

    def stop(self, seconds: float = 30) -> None:
        super().stop(seconds)
        self.log.close()


def virtuoso_ini(text: str, folder: Path, sql_port: int, http_port: int, settings: dict) -> str:
    """The packaged virtuoso.ini with its database files in `folder`, its SQL and HTTP ports on 127.0.0.1, no VAD
    packages to install (the Conductor would double the start time), and `settings` (key -> value) instead of
    the packaged values of those keys (the tests use none: they run Virtuoso as packaged)."""
    section = ""
    lines = []
    for line in text.splitlines():
        if match := re.match(r"\s*\[(.+)\]", line):
            section = match[1]
        key, _, value = (part.strip() for part in line.partition("="))
        value = value.split(";", 1)[0].strip()
        if key in ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file"):
            line = f"{key} = {folder / Path(value).name}"
        elif key == "ServerPort" and section in ("Parameters", "HTTPServer"):
            line = f"ServerPort = 127.0.0.1:{sql_port if section == 'Parameters' else http_port}"
        elif key == "VADInstallDir":
            line = f"VADInstallDir = {folder}/"
        elif key in settings:
            line = f"{key} = {settings[key]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


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
            server.wait_ready(READY_SECONDS)
            return server
        except ServerUnavailable as exc:
            reason = exc
    raise reason


def start_virtuoso(folder: Path, settings: dict | None = None) -> VirtuosoServer:
    """Virtuoso with a new database in `folder` (made anew on each try), ready to answer and to take updates;
    `settings` change values of its virtuoso.ini (see virtuoso_ini)."""
    binary = shutil.which("virtuoso-t")
    if not binary or not VIRTUOSO_INI.exists():
        raise NotInstalled("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    for attempt in range(3):  # another process may grab a free port first
        where = folder / f"try-{attempt}"
        where.mkdir(parents=True)
        try:
            server = VirtuosoServer(binary, where, settings)
        except OSError as exc:
            raise ServerUnavailable(f"cannot run {binary}: {exc}") from exc
        try:
            server.wait_ready(VIRTUOSO_READY_SECONDS)
            server.grant_updates()
            server.own_graphs = frozenset(server.named_graphs())
            return server
        except (ServerUnavailable, OSError, subprocess.SubprocessError) as exc:
            server.stop()
            reason = exc if isinstance(exc, ServerUnavailable) else ServerUnavailable(f"{binary}: {exc}")
    raise reason


JSON = "application/sparql-results+json"
NO_ROWS = b'{"head": {"vars": ["g"]}, "results": {"bindings": []}}'
NO_RECORD = b'{"head": {"vars": ["g", "k"]}, "results": {"bindings": []}}'
ONE_COUNT = (b'{"head": {"vars": ["g", "n"]}, "results": {"bindings": [{"g": {"type": "uri", "value": "urn:g"}, '
             b'"n": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "1"}}]}}')


def is_listing(body: bytes) -> bool:
    """Whether a request is gtkg's graph listing (`GRAPH ?g {}`, or by triples with GROUP BY)."""
    return (b"DISTINCT" in body or b"GROUP+BY" in body) and not bookkeeping(body)


def bookkeeping(body: bytes):
    """A stub's answer to gtkg's questions about its record (none, so the graph listing decides) and about
    counts (urn:g holds one triple); None for other requests."""
    if b"StudyGraph" in body:
        return 200, JSON, NO_RECORD
    if b"COUNT" in body:
        return 200, JSON, ONE_COUNT
    return None


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


def forward(base: str, method: str, path: str, headers, body: bytes, *, keep: tuple = ()):
    """Pass one request on to the server at `base`; returns what stub_server's answer() returns (with the headers
    named in `keep`, in lower case, of the server's answer)."""
    sent = {k: v for k, v in headers.items() if k.lower() in ("content-type", "accept", "authorization")}
    request = urllib.request.Request(base + path, data=body if method != "GET" else None, method=method,
                                     headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, headers, payload = response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        status, headers, payload = exc.code, exc.headers, exc.read()
    kept = {name: headers[name] for name in keep if headers.get(name)}
    return status, headers.get("Content-Type", "text/plain"), payload, kept
