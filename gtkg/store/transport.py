"""HTTP for the remote store: every request bounded in total time, credentials kept to their origin.

Every request of gtkg.store.remote goes through `send`, which
- ends each attempt after the endpoint's `timeout` seconds, from connecting to the answer's last byte (a socket
  timeout bounds only each read, so an answer that trickles or never ends would hold gtkg forever), and
  refuses an answer over MAX_ANSWER_BYTES (a fast endless one would fill memory first);
- follows redirects for GET only: urllib turns a redirected POST into a GET without its body (a query or update
  would then "succeed" without running), so a redirected POST or PUT is an error that names where to go;
- never sends the credentials to another origin (scheme, host, port) than the URL they were given for:
  urllib's redirect handler would copy the Authorization header to wherever the server points; they go by
  Basic or Digest authentication (gtkg.store.auth): a Digest challenge is answered by sending the request again;
- turns every failure into one EndpointError naming the URL, what came back, and what to do; transient ones
  are retried.
"""

import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from http import HTTPStatus

from gtkg.errors import EndpointError
from gtkg.store import auth
from gtkg.store.endpoint import Endpoint, config_path
from gtkg.store.servers import limits

TRANSIENT_STATUS = {502, 503, 504}
MAX_ANSWER_BYTES = 1 << 30  # an answer that never ends must not fill memory before its time is up
HEADERS = 100  # header lines an answer may have (http.client's limit) beyond those a request expects


class _TooLarge(Exception):
    """An answer longer than MAX_ANSWER_BYTES."""


class NoAnswerError(EndpointError):
    """The request got no complete answer (time limit, dropped connection): it may or may not have run."""


@dataclass(frozen=True)
class Answer:
    """What a server answered: status, media type (without parameters), body, and the URL it came from."""

    url: str
    status: int
    media: str
    body: bytes
    location: str | None = None  # where a redirect points
    headers: dict = field(default_factory=dict, repr=False)  # every header, names in lower case

    def describe(self) -> str:
        """`HTTP 200 text/html: <html>...` (the start of the body, on one line), for error messages."""
        detail = _start(self.body, 200)
        return f"HTTP {self.status} {self.media}" + (f": {detail}" if detail else ", an empty body")


def _start(body: bytes, length: int) -> str:
    """The start of an answer's body as one line of text."""
    return " ".join(body[: length * 4].decode("utf-8", "replace").split())[:length]


def send(endpoint: Endpoint, method: str, url: str, data: bytes | None = None, headers: dict | None = None, *,
         idempotent: bool = True, expected_headers: int = 0) -> Answer:
    """One request, retried on transient failures with backoff; a 2xx Answer, else an EndpointError.
    `expected_headers`: header lines the answer may have beyond the usual (Virtuoso repeats each graph of a
    query's dataset in one)."""
    http.client._MAXHEADERS = HEADERS + expected_headers  # read by http.client as it parses the answer
    attempt, answered = 0, False
    while True:
        outcome = _attempt(endpoint, method, url, data, headers or {})
        if isinstance(outcome, Answer) and 200 <= outcome.status < 300:
            return outcome
        if not answered and _challenged(outcome, endpoint):
            answered = True  # once: the same challenge again means the credentials are wrong
            continue
        kind, what, hint = _failure(outcome, url, endpoint)
        retry = kind == "refused" or (kind == "transient" and idempotent)
        if not retry or attempt >= endpoint.retries:
            tries = f" ({attempt + 1} attempts)" if attempt else ""
            error = NoAnswerError if kind in ("timeout", "transient") else EndpointError
            raise error(f"{what}{tries}; {hint}")
        time.sleep(endpoint.backoff * 2**attempt)
        attempt += 1


def _attempt(endpoint: Endpoint, method: str, url: str, data, headers: dict) -> Answer | Exception:
    """One try, in a worker thread so that it ends in time whatever blocks (a read, DNS, a TLS handshake):
    at the deadline its sockets are shut down, which ends the worker's reads, and the caller goes on."""
    sockets = _Sockets()
    try:
        request = _Request(url, data=data, method=method, headers=headers, sockets=sockets)
    except ValueError as exc:  # not an http(s) URL
        return exc
    if endpoint.user:
        value = auth.authorization(endpoint.user, endpoint.password or "", method, url,
                                   basic=limits(endpoint.server).basic_up_front)
        if value:
            request.add_header("Authorization", value)
    outcome: list = []
    worker = threading.Thread(target=_exchange, args=(request, endpoint.timeout, outcome), name="gtkg-http",
                              daemon=True)
    worker.start()
    try:
        worker.join(endpoint.timeout)
    finally:
        over = worker.is_alive()  # over time, or interrupted (Ctrl-C)
        if over:
            sockets.shut()  # the worker then records a dropped connection: not what happened
    return TimeoutError() if over else outcome[0]


def _challenged(outcome: Answer | Exception, endpoint: Endpoint) -> bool:
    """Whether the answer is a Digest challenge gtkg can answer with the endpoint's credentials (now learned)."""
    return (isinstance(outcome, Answer) and outcome.status == 401 and bool(endpoint.user)
            and auth.learn(endpoint.user, outcome.url, outcome.headers.get("www-authenticate")))


def _exchange(request: "_Request", timeout: float, outcome: list) -> None:
    """Send the request and read the whole answer (any status) into outcome; or the exception."""
    try:
        try:
            response = _opener().open(request, timeout=timeout)
        except urllib.error.HTTPError as exc:  # an answer all the same (4xx, 5xx, a redirect not followed)
            response = exc
        with response:
            outcome.append(Answer(response.geturl(), response.status, response.headers.get_content_type(),
                                  _read(response), response.headers.get("Location"),
                                  {name.lower(): value for name, value in response.headers.items()}))
    except Exception as exc:  # noqa: BLE001 - handed to the caller's thread
        outcome.append(exc)


def _read(response) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(1 << 20):
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise _TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def _failure(outcome: Answer | Exception, url: str, endpoint: Endpoint) -> tuple[str, str, str]:
    """What went wrong: (kind, what happened, what to do)."""
    if isinstance(outcome, Answer):
        return _status(outcome, url)
    if isinstance(outcome, _TooLarge):
        return ("status", f"SPARQL endpoint {url} answered more than {MAX_ANSWER_BYTES >> 20} MB",
                "is this URL a SPARQL endpoint? (gtkg reads a graph, or a query's results, up to that size)")
    reason = outcome.reason if isinstance(outcome, urllib.error.URLError) else outcome
    if isinstance(reason, TimeoutError):
        return ("timeout", f"SPARQL endpoint {url} did not answer within {endpoint.timeout:g} s",
                f"the limit holds for the whole answer; if the server is just slow, raise 'timeout' for "
                f"{endpoint.query} in {config_path()}")
    if isinstance(reason, ConnectionRefusedError):
        return "refused", f"cannot reach SPARQL endpoint {url}: connection refused", "is the server running?"
    if isinstance(reason, (str, http.client.InvalidURL)) or (isinstance(reason, ValueError) and not isinstance(
            reason, OSError)):  # a URL that urllib cannot use (a TLS verification error is a ValueError too)
        return "down", f"cannot use the URL {url}: {reason}", "check the URL (--endpoint, --update-endpoint, ...)"
    if isinstance(reason, (ConnectionError, http.client.HTTPException)):
        return ("transient", f"SPARQL endpoint {url} dropped the connection ({reason.__class__.__name__})",
                "try again; if it persists, see the server's log")
    if isinstance(reason, OSError):
        return "down", f"cannot reach SPARQL endpoint {url}: {reason}", "check the URL and the network"
    raise outcome


def _status(answer: Answer, url: str) -> tuple[str, str, str]:
    code = answer.status
    phrase = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else ""
    what = f"SPARQL endpoint {url} answered HTTP {code} {phrase}".rstrip()
    if 300 <= code < 400:
        location = urllib.parse.urljoin(answer.url, answer.location or "")
        return ("status", f"{what}, a redirect to {location}",
                "gtkg follows redirects only to read, never to send a query or update: give that URL instead "
                "(--endpoint, --update-endpoint, --graph-store)")
    detail = _start(answer.body.split(b"\nSPARQL query:", 1)[0], 300)  # not the query Virtuoso's errors repeat
    what += f": {detail}" if detail else ""
    if code in (401, 403):
        hint = f"check the credentials (GTKG_ENDPOINT_USER and GTKG_ENDPOINT_PASSWORD, or {config_path()})"
    elif code in (404, 405):
        hint = "check the URL (--endpoint, --update-endpoint, --graph-store)"
    elif code >= 500:
        hint = "the server failed: see its log"
    else:
        hint = "the server refused the request"
    return ("transient" if code in TRANSIENT_STATUS else "status"), what, hint


@cache
def _opener() -> urllib.request.OpenerDirector:
    """One opener for all requests: its handlers keep no state, each request carries its sockets."""
    return urllib.request.build_opener(_Redirects(), _HTTPHandler(), _HTTPSHandler())


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context, made on first use (urllib would make one per connection: 40 ms each)."""
    return ssl.create_default_context()


class _Request(urllib.request.Request):
    def __init__(self, *args, sockets: "_Sockets", **kwargs):
        super().__init__(*args, **kwargs)
        self.sockets = sockets


class _Redirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if req.get_method() != "GET":
            return None  # the redirect itself becomes the answer: an error naming where it points
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.sockets = req.sockets
            if auth.origin(new.full_url) != auth.origin(req.full_url):
                new.remove_header("Authorization")
        return new


class _Sockets:
    """The sockets of one request, shut down together when its time is up (which ends any read on them)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._sockets: list = []
        self._shut = False

    def watch(self, sock) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self._shut:
                _shut_down(sock)

    def shut(self) -> None:
        with self._lock:
            self._shut = True
            for sock in self._sockets:
                _shut_down(sock)


def _shut_down(sock) -> None:
    try:  # the plain socket's shutdown: a TLS socket's own would also drop its state under the reading thread
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _watched(base):
    """An HTTP(S) connection class that hands its socket to `watch` once connected."""

    class Watched(base):
        def __init__(self, host, *, watch: Callable, **kwargs):
            super().__init__(host, **kwargs)
            self._watch = watch

        def connect(self):
            super().connect()
            self._watch(self.sock)

    return Watched


_HTTPConnection, _HTTPSConnection = _watched(http.client.HTTPConnection), _watched(http.client.HTTPSConnection)


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(partial(_HTTPConnection, watch=req.sockets.watch), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(partial(_HTTPSConnection, watch=req.sockets.watch), req, context=_tls())
