"""The remote store never loses data silently: answers are checked, leftovers of killed loads go, credentials
stay with their origin, every request ends in time, and odd answers are clear errors."""

import time

import pytest
from click.testing import CliRunner
from helpers import EXAMPLES
from sparql_server import ServerUnavailable, Trickle, bookkeeping, forward, is_listing, start_oxigraph, stub_server

from gtkg.cli import cli
from gtkg.errors import EndpointError
from gtkg.exporting import export, sparql
from gtkg.loading import load
from gtkg.store.endpoint import Endpoint
from gtkg.store.remote import TEMPORARY, RemoteStore

NOTE = EXAMPLES / "notes" / "s_1.md"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON = "application/sparql-results+json"
ONE_GRAPH = b'{"head": {"vars": ["g"]}, "results": {"bindings": [{"g": {"type": "uri", "value": "urn:g"}}]}}'


def quick(url: str, **settings) -> Endpoint:
    """The stub at `url` as query, update and graph-store URLs; gives up fast."""
    return Endpoint(query=url + "/query", update=url + "/update",
                    **{"graph_store": url + "/store", "timeout": 2, "backoff": 0.01, "retries": 0, **settings})


def answers(method, path, headers, body) -> tuple:
    """A stub SPARQL server: one graph <urn:g> holding one triple, any update succeeds."""
    if method == "GET":
        return 200, "application/n-triples", b"<urn:a> <urn:p> <urn:o> .\n"
    if bookkeeping(body):
        return bookkeeping(body)
    if is_listing(body):
        return 200, JSON, ONE_GRAPH
    return 200, JSON, b'{"head": {}, "boolean": true}'


def changed_note(write, old="Event-Driven", new="Changed"):
    """s_1.md with its title changed: loading it replaces the graph of s_1.md."""
    return write("s_1.md", NOTE.read_text(encoding="utf-8").replace(old, new))


@pytest.fixture
def loaded(sparql_server):
    """The example notes on the SPARQL server; returns what an export gave."""
    sparql_server.clear()
    load([EXAMPLES / "notes"], store=sparql_server.query_url)
    return export(format="nquads", store=sparql_server.query_url)


def temporary_graphs(server) -> set[str]:
    return {graph for graph in server.named_graphs() if graph.startswith(TEMPORARY)}


# -- an answer of success is not taken on trust


GARBAGE = {
    "html": ("text/html", b"<html><body><h1>Welcome to nginx!</h1></body></html>", "<h1>Welcome to nginx!</h1>"),
    "bad json": (JSON, b'{"head": {"vars": [', '{"head": {"vars": ['),
    "empty": (JSON, b"", "an empty body"),
}


@pytest.mark.parametrize("kind", GARBAGE)
def test_load_into_a_server_answering_garbage_is_an_error(kind):
    media, payload, shown = GARBAGE[kind]
    with stub_server(lambda *request: (200, media, payload)) as (url, _):
        result = CliRunner().invoke(cli, ["load", "--endpoint", url + "/query", str(NOTE)])
    assert result.exit_code == 2 and "Loaded" not in result.output
    assert result.stderr.startswith(f"Error: SPARQL endpoint {url}/query answered HTTP 200 {media}")
    assert shown in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("upload", ["graph store", "SPARQL Update"])
def test_uploads_answered_with_success_but_not_stored_are_an_error(sparql_server, loaded, write, upload):
    """A proxy passes queries on to the real server but answers every upload itself, with 200."""

    def answer(method, path, headers, body):
        if method in ("PUT", "POST") and (path.startswith("/store") or body.startswith(b"INSERT DATA")):
            return 200, "text/html", b"<p>thanks</p>"
        return forward(sparql_server.base, method, path, headers, body)

    with stub_server(answer) as (proxy, _):
        endpoint = Endpoint(proxy + "/query", proxy + "/update",
                            graph_store=proxy + "/store" if upload == "graph store" else None)
        with pytest.raises(EndpointError) as error:
            load([changed_note(write)], store=endpoint, replace=True)
    message = str(error.value)
    where = proxy + ("/store" if upload == "graph store" else "/update")
    assert f"SPARQL endpoint {where} answered HTTP 200 text/html: <p>thanks</p>" in message
    assert f"{proxy}/query counts 0 triples" in message and "previous graphs are unchanged" in message
    assert export(format="nquads", store=sparql_server.query_url) == loaded
    assert not temporary_graphs(sparql_server)


def test_final_update_answered_with_success_but_not_applied_is_an_error(sparql_server, loaded, write):
    """A proxy passes everything on but answers the final MOVE itself, with 204 No Content."""

    def answer(method, path, headers, body):
        if path.startswith("/update") and b"MOVE" in body:
            return 204, "text/plain", b""
        return forward(sparql_server.base, method, path, headers, body)

    with stub_server(answer) as (proxy, _):
        with pytest.raises(EndpointError) as error:
            load([changed_note(write)], store=proxy + "/query", replace=True)
    message = str(error.value)
    assert f"SPARQL endpoint {proxy}/update answered HTTP 204 text/plain, an empty body" in message
    assert "did not apply the load" in message
    assert export(format="nquads", store=sparql_server.query_url) == loaded
    assert not temporary_graphs(sparql_server)


# -- temporary graphs


def test_a_load_drops_the_leftovers_of_killed_loads_and_nothing_else(sparql_server):
    sparql_server.clear()
    now = int(time.time())
    stale = {f"{TEMPORARY}{now - 7200}:{'a' * 32}:0",  # a load killed two hours ago
             f"{TEMPORARY}{'b' * 32}:3"}  # a load of an older gtkg (no start time in the name)
    kept = {f"{TEMPORARY}{now - 60}:{'c' * 32}:0",  # a load started a minute ago: maybe still running
            "urn:gtkg:tmpfile", "urn:other:graph"}
    sparql_server.update("INSERT DATA { " + " ".join(f"GRAPH <{g}> {{ <urn:s> <urn:p> 1 }}" for g in stale | kept)
                         + " }")
    load([NOTE], store=sparql_server.query_url)
    graphs = sparql_server.named_graphs()
    assert kept <= graphs and not stale & graphs


@pytest.fixture(params=["dataset", "union default graph"])
def server_and_endpoint(request, sparql_server, tmp_path, monkeypatch):
    """The session's server (queries name their dataset), or one with --union-default-graph configured so."""
    if request.param == "dataset":
        sparql_server.clear()
        yield sparql_server
        return
    try:
        server = start_oxigraph("--union-default-graph")
    except ServerUnavailable as exc:
        pytest.skip(f"no SPARQL server with --union-default-graph: {exc}")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "config" / "gtkg").mkdir(parents=True)
    (tmp_path / "config" / "gtkg" / "endpoints.toml").write_text(
        f'["{server.query_url}"]\nunion_default_graph = true\n')
    yield server
    server.stop()


def test_queries_never_count_temporary_graphs(server_and_endpoint):
    server = server_and_endpoint
    load([EXAMPLES / "notes"], store=server.query_url)
    before = sparql(COUNT_ALL, store=server.query_url).rows, export(format="nquads", store=server.query_url)
    server.update(f"INSERT DATA {{ GRAPH <{TEMPORARY}{int(time.time())}:{'d' * 32}:0> {{ <urn:s> <urn:p> 1 }} }}")
    after = sparql(COUNT_ALL, store=server.query_url).rows, export(format="nquads", store=server.query_url)
    assert after == before


# -- credentials stay with their origin


def _upload(store):
    store.replace_graphs({"urn:g": "<urn:a> <urn:p> <urn:o> <urn:g> .\n"})


def _alice(query: str, update: str, graph_store: str | None = None) -> Endpoint:
    return Endpoint(query, update, graph_store, user="alice", password="s3cret", backoff=0.01)


KINDS = {  # request kind: (the URLs of the endpoint, on the redirecting server "there" or not, and what to do)
    "query": (lambda there, direct: _alice(there + "/query", there + "/update"), lambda store: store.query("ASK {}")),
    "update": (lambda there, direct: _alice(direct + "/query", there + "/update"), _upload),
    "graph store upload": (lambda there, direct: _alice(direct + "/query", direct + "/update", there + "/store"),
                           _upload),
    "graph store read": (lambda there, direct: _alice(direct + "/query", direct + "/update", there + "/store"),
                         lambda store: store.quads()),
}


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("kind", KINDS)
def test_credentials_never_follow_a_redirect_to_another_origin(kind, code):
    with stub_server(answers) as (elsewhere, seen_elsewhere), stub_server(answers) as (direct, _):
        def redirect(method, path, headers, body):
            return code, "text/plain", b"", {"Location": elsewhere + path}

        with stub_server(redirect) as (there, seen_there):
            endpoint, action = KINDS[kind]
            try:
                action(RemoteStore(endpoint(there, direct)))
            except EndpointError as exc:  # a query or update is not re-sent elsewhere: see the test below
                assert f"redirect to {elsewhere}" in str(exc)
    assert seen_there and all(headers.get("Authorization") for _, _, headers, _ in seen_there)
    assert not [headers for _, _, headers, _ in seen_elsewhere if "Authorization" in headers]


def test_credentials_follow_a_redirect_within_the_origin():
    def answer(method, path, headers, body):
        if path.startswith("/store"):
            return 301, "text/plain", b"", {"Location": path.replace("/store", "/moved")}
        return answers(method, path, headers, body)

    with stub_server(answer) as (url, seen):
        assert RemoteStore(quick(url, user="alice", password="s3cret")).quads()
    assert [path for method, path, headers, _ in seen if headers.get("Authorization")][-1].startswith("/moved?")


def test_a_redirected_query_is_an_error_that_names_where_to():
    with stub_server(lambda *request: (307, "text/plain", b"", {"Location": "https://elsewhere.example/update"})) \
            as (url, seen):
        with pytest.raises(EndpointError) as error:
            RemoteStore(quick(url, graph_store=None)).query("ASK {}")
    assert str(error.value).startswith(f"SPARQL endpoint {url}/query answered HTTP 307 Temporary Redirect, a "
                                       "redirect to https://elsewhere.example/update; ")
    assert len(seen) == 1


# -- every request ends in time


TRICKLES = {
    "trickling body": Trickle(b" ", interval=0.05),
    "endless body": Trickle(b"[" * 65536, interval=0.01),
    "trickling headers": Trickle(b"a", interval=0.05, head=b"HTTP/1.1 200 OK\r\nX-Slow: ", raw=True),
}


@pytest.mark.parametrize("kind", TRICKLES)
def test_a_request_ends_at_its_time_limit(kind):
    with stub_server(lambda *request: (200, JSON, TRICKLES[kind])) as (url, _):
        started = time.monotonic()
        with pytest.raises(EndpointError, match=f"^SPARQL endpoint {url}/query did not answer within 1 s"):
            RemoteStore(quick(url, timeout=1)).query("ASK {}")
        assert time.monotonic() - started < 5  # the stub goes on for 20 s


def test_an_answer_too_large_ends_before_it_fills_memory(monkeypatch):
    from gtkg.store import transport

    monkeypatch.setattr(transport, "MAX_ANSWER_BYTES", 1 << 20)
    with stub_server(lambda *request: (200, JSON, Trickle(b"[" * 65536, interval=0.001))) as (url, _):
        started = time.monotonic()
        with pytest.raises(EndpointError, match=f"^SPARQL endpoint {url}/query answered more than 1 MB; "):
            RemoteStore(quick(url, timeout=60)).query("ASK {}")
        assert time.monotonic() - started < 10  # the stub goes on for 20 s


# -- odd answers to gtkg's own queries


def _listing(answer_fast, answer_slow=None):
    """A stub whose answer to the graph listing `GRAPH ?g {}` is answer_fast; to `GRAPH ?g { ?s ?p ?o }`
    answer_slow (default: the same)."""

    def answer(method, path, headers, body):
        if is_listing(body):
            slow = b"%3Fs+%3Fp+%3Fo" in body
            return 200, JSON, answer_slow if slow and answer_slow is not None else answer_fast
        return answers(method, path, headers, body)

    return answer


@pytest.mark.parametrize("listing, message", [
    (b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": "urn:g"}}]}}',
     "without the column ?g (columns: ?x)"),
    (b'{"head": {"vars": ["g"]}, "results": {"bindings": [{"g": {"type": "literal", "value": "urn:g"}}]}}',
     'gave ?g = "urn:g" where an IRI belongs'),
    (b'{"head": {"vars": ["g"]}, "results": {"bindings": [{}]}}', "gave no ?g"),
    (b'{"head": {}, "boolean": true}', "a boolean, not a table"),
])
def test_an_odd_graph_listing_is_a_clear_error(listing, message):
    with stub_server(_listing(listing)) as (url, _):
        with pytest.raises(EndpointError) as error:
            RemoteStore(quick(url)).query("ASK {}")
    assert str(error.value).startswith(f"SPARQL endpoint {url}/query answered the query `SELECT ")
    assert message in str(error.value) and "\n" not in str(error.value)


def test_an_empty_solution_for_graph_pattern_lists_graphs_by_their_triples():
    """Virtuoso and RDF4J answer `GRAPH ?g {}` with one empty solution (or none), against SPARQL 1.1."""
    empty = b'{"head": {"vars": ["g"]}, "results": {"bindings": [{}]}}'
    with stub_server(_listing(empty, ONE_GRAPH)) as (url, _):
        assert RemoteStore(quick(url)).graphs() == {"urn:g"}
