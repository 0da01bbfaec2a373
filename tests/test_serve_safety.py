"""`gtkg serve` against abuse: SERVICE, foreign Host/Origin, bad bodies, slow clients, long queries, large
answers, and FROM. Each test starts its own server on 127.0.0.1 and stops it."""

import http.client
import os
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helpers import EXAMPLES

from gtkg.loading import load
from gtkg.store.serve import accepts_host, serve

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 10^9 rows and more
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    store = str(tmp_path_factory.mktemp("safety") / "store")
    load([EXAMPLES / "notes"], store=store)
    return store


@pytest.fixture
def start(study):
    """start(**options): `serve()` on a free port in a thread; every server is stopped after the test."""
    running = []

    def _start(**options):
        server = serve(store=study, port=0, **options)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        running.append((server, thread))
        return server

    yield _start
    for server, thread in running:
        server.shutdown()
        server.close()
        thread.join(5)


def port_of(server) -> int:
    return server.server_address[1]


def get(server, query: str, *, method="GET", headers=None, timeout=30) -> tuple[int, bytes, dict]:
    """(status, body, headers) of one request through http.client, which sends exactly the headers given."""
    connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=timeout)
    try:
        connection.request(method, "/query?" + urllib.parse.urlencode({"query": query}), headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def raw(server, data: bytes, timeout=10) -> bytes:
    """What the server answers to these bytes, read until it closes the connection."""
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=timeout) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


@pytest.fixture
def spy_endpoint():
    """An HTTP server on 127.0.0.1 that counts the requests it receives (the URL a SERVICE clause names)."""
    hits = []

    class Spy(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    spy = ThreadingHTTPServer(("127.0.0.1", 0), Spy)
    thread = threading.Thread(target=spy.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{spy.server_address[1]}/internal", hits
    spy.shutdown()
    spy.server_close()
    thread.join(5)


def test_service_is_refused_unless_allowed(start, spy_endpoint):
    url, hits = spy_endpoint
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    status, body, _ = get(start(), query)
    assert status == 400 and b"--allow-service" in body
    assert hits == []
    get(start(allow_service=True), query)
    assert hits  # the user asked for federation: the engine calls the endpoint


@pytest.mark.parametrize("headers, status", [
    ({"Host": "evil.example:{port}"}, 403),  # a page on a rebound DNS name
    ({"Host": "127.0.0.1:{other}"}, 403),
    ({"Host": "127.0.0.1:{port}", "Origin": "http://evil.example"}, 403),
    ({"Host": "127.0.0.1:{port}", "Origin": "null"}, 403),
    ({"Host": "localhost:{port}"}, 200),
    ({"Host": "[::1]:{port}"}, 200),
    ({"Host": "127.0.0.1:{port}", "Origin": "http://localhost:{port}"}, 200),
])
def test_foreign_host_or_origin_is_refused(start, headers, status):
    server = start()
    filled = {name: value.format(port=port_of(server), other=port_of(server) + 1) for name, value in headers.items()}
    answer, body, _ = get(server, "ASK {}", headers=filled)
    assert answer == status, body


@pytest.mark.parametrize("host, bind, accepted", [
    ("localhost:7878", "127.0.0.1", True),
    ("LOCALHOST:7878", "127.0.0.1", True),
    ("study.lan:7878", "127.0.0.1", False),
    ("localhost", "127.0.0.1", False),  # port 80
    ("localhost:7878:1", "127.0.0.1", False),
    ("study.lan:7878", "study.lan", True),
    ("10.1.2.3:7878", "10.1.2.3", True),
    ("10.1.2.4:7878", "10.1.2.3", False),
    ("10.1.2.4:7878", "0.0.0.0", True),  # an address, never a rebound name
    ("[fe80::1]:7878", "::", True),
    ("evil.example:7878", "0.0.0.0", False),
])
def test_accepted_hosts_widen_with_bind(host, bind, accepted):
    assert accepts_host(host, bind, 7878) is accepted


def post(server, lengths: list[str]) -> bytes:
    """A raw POST of `ASK {}` with these Content-Length headers."""
    return (f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{port_of(server)}\r\nContent-Type: application/sparql-query\r\n"
            + "".join(f"Content-Length: {length}\r\n" for length in lengths) + "\r\nASK {}").encode()


@pytest.mark.parametrize("length, status", [("-1", 400), ("12abc", 400), ("0x10", 400), ("²", 400),
                                            ("1000000000000", 413), ("6", 200)])
def test_bad_content_length_is_answered_without_reading(start, length, status):
    server = start()
    assert raw(server, post(server, [length])).startswith(f"HTTP/1.0 {status} ".encode())


def test_conflicting_content_lengths_are_a_400(start):
    server = start()
    assert raw(server, post(server, ["6", "60"])).startswith(b"HTTP/1.0 400 ")


def test_form_body_with_too_many_fields_is_a_400(start):
    server = start()
    body = "query=ASK%7B%7D" + "&a=1" * 2000
    connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=30)
    connection.request("POST", "/query", body, {"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    assert response.status == 400 and b"bad form body" in response.read()
    connection.close()


def test_idle_and_slow_clients_are_dropped(start):
    server = start(idle=1, request_time=2)
    assert raw(server, b"", timeout=10) == b""  # silent: closed after a second
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=10) as sock:
        sock.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\n")
        began = time.monotonic()
        with pytest.raises(OSError):  # one header byte every 0.2 s: dropped once the request took 2 s
            while time.monotonic() - began < 10:
                sock.sendall(b"X")
                time.sleep(0.2)
    assert time.monotonic() - began < 10


def test_connections_beyond_the_limit_get_503(start):
    server = start(connections=2)
    idle = [socket.create_connection(("127.0.0.1", port_of(server)), timeout=10) for _ in range(2)]
    try:
        time.sleep(0.2)  # both accepted and waiting for their request
        assert raw(server, b"").startswith(b"HTTP/1.0 503 ")
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 10
    while (status := get(server, "ASK {}")[0]) == 503 and time.monotonic() < deadline:
        time.sleep(0.05)  # the closed connections' threads are finishing
    assert status == 200


def test_head_is_answered_like_get_without_a_body(start):
    server = start()
    status, body, headers = get(server, TRIPLES)
    head_status, head_body, head_headers = get(server, TRIPLES, method="HEAD")
    assert (head_status, head_body) == (status, b"") == (200, b"")
    assert head_headers["Content-Length"] == headers["Content-Length"] == str(len(body))


def test_long_query_is_stopped_at_the_time_limit(start):
    server = start(timeout=1)
    assert get(server, "ASK {}")[0] == 200  # a worker is running
    (worker,) = server.pool.pids()
    began = time.monotonic()
    status, body, _ = get(server, CARTESIAN)
    assert status == 500 and b"1 s" in body and b"--timeout" in body and b"\n" not in body.rstrip(b"\n")
    assert time.monotonic() - began < 20  # unlimited, it runs for minutes
    with pytest.raises(ProcessLookupError):  # killed: its CPU is free
        os.kill(worker, 0)
    assert get(server, "ASK {}")[0] == 200  # a new worker answers


def test_busy_workers_answer_503(start):
    """A request waits for a free worker as long as a query may run, then gets a 503 (worth a retry)."""
    server = start(timeout=0.5, workers=1)
    server.pool._slots.acquire()  # as if the only worker were running a query for longer than that
    try:
        status, body, _ = get(server, "ASK {}")
    finally:
        server.pool._slots.release()
    assert status == 503 and b"busy" in body
    assert get(server, "ASK {}")[0] == 200


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_select_beyond_max_rows_is_an_error(start, accept):
    server = start(max_rows=3)
    headers = {"Accept": accept}
    assert get(server, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", headers=headers)[0] == 200
    status, body, _ = get(server, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 4", headers=headers)
    assert status == 500 and b"more than 3 rows" in body and b"--max-rows" in body


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples"])
def test_construct_beyond_max_rows_is_an_error(start, accept):
    server = start(max_rows=3)
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT "
    assert get(server, construct + "3", headers={"Accept": accept})[0] == 200
    status, body, _ = get(server, construct + "4", headers={"Accept": accept})
    assert status == 500 and b"more than 3 triples" in body and b"--max-rows" in body


def test_answers_are_bounded_in_bytes(start):
    server = start(max_bytes=4000)
    status, body, _ = get(server, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 100")
    assert status == 500 and b"4000 bytes" in body
    graph = get(server, "SELECT ?g WHERE { GRAPH ?g { } } LIMIT 1", headers={"Accept": "text/csv"})[1].split()[1]
    connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=30)
    connection.request("GET", "/store?" + urllib.parse.urlencode({"graph": graph.decode()}))
    response = connection.getresponse()
    assert response.status == 500 and b"4000 bytes" in response.read()
    connection.close()


def count(server, query: str, **params) -> int:
    target = "/query?" + urllib.parse.urlencode({"query": query, **params}, doseq=True)
    connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=30)
    connection.request("GET", target, headers={"Accept": "text/csv"})
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    assert response.status == 200, body
    return int(body.split()[1])


def test_from_restricts_the_dataset(start):
    server = start()
    graph = get(server, "SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g LIMIT 1",
                headers={"Accept": "text/csv"})[1].split()[1].decode()
    in_graph = count(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert 0 < in_graph < count(server, TRIPLES)
    assert count(server, f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}") == in_graph
    assert count(server, f"SELECT (COUNT(DISTINCT ?g) AS ?n) FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ }} }}") == 1
    assert count(server, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> WHERE {{ ?s ?p ?o }}") == 0  # no FROM
    assert count(server, TRIPLES, **{"default-graph-uri": graph}) == in_graph  # the protocol's way still works
