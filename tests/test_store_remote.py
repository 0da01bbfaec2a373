"""The remote store against a real SPARQL server: same results as the embedded store, and clear failures."""

import time

import pytest
from click.testing import CliRunner
from helpers import EXAMPLES
from sparql_server import bookkeeping, forward, free_port, is_listing, stub_server

from gtkg import outputs
from gtkg.cli import cli
from gtkg.errors import EndpointError, GtkgError, InputError
from gtkg.exporting import export, sparql
from gtkg.loading import build_graphs, collect_files, load
from gtkg.queries import catalogue, run_query
from gtkg.store.endpoint import Endpoint
from gtkg.store.remote import TEMPORARY, RemoteStore

EXPORT_FORMATS = outputs.names("rdf")
COUNT_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


@pytest.fixture
def both(server, tmp_path):
    """The example study loaded into an embedded store and into one of the SPARQL servers."""
    embedded, remote = {"store": str(tmp_path / "store")}, {"store": server.query_url}
    for where in (embedded, remote):
        load([EXAMPLES], **where)
    return embedded, remote


@pytest.fixture
def both_on_oxigraph(sparql_server, tmp_path):
    """The example study loaded into an embedded store and into the Oxigraph server."""
    sparql_server.clear()
    embedded, remote = {"store": str(tmp_path / "store")}, {"store": sparql_server.query_url}
    for where in (embedded, remote):
        load([EXAMPLES], **where)
    return embedded, remote


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def where_args(where: dict) -> list:
    from gtkg.store import is_url

    return ["--endpoint" if is_url(where["store"]) else "--store", where["store"]]


def quick(url: str, **settings) -> Endpoint:
    """An endpoint that gives up fast (for the failure tests)."""
    return Endpoint(query=url, update=url, graph_store=None, **{"timeout": 2, "backoff": 0.01, **settings})


# -- behaviour every backend shares


def test_reloading_a_file_replaces_its_graph_only(backend, write):
    note = write("s_9.md", (EXAMPLES / "notes" / "s_1.md").read_text().replace("\n1\n", "\n9\n", 1))
    load([EXAMPLES / "notes" / "s_2.md", note], **backend)
    before = sparql(COUNT_BY_GRAPH, **backend).rows
    note.write_text(note.read_text().replace("Event-Driven", "Changed"), encoding="utf-8")
    load([note], **backend)
    assert sparql(COUNT_BY_GRAPH, **backend).rows == before
    titles = sparql("SELECT ?t WHERE { ?s <http://purl.org/dc/terms/identifier> 's9' ; "
                    "<http://purl.org/dc/terms/title> ?t }", **backend).rows
    assert len(titles) == 1 and titles[0][0].startswith("Changed")


def test_the_default_graph_holds_each_statement_once(backend, write):
    """A statement made in two files is one row of an ad-hoc query (an RDF merge), while GRAPH ?g still tells
    both files; reloading one file keeps what the other still says and drops what only it said."""
    a = write("a.nt", "<urn:s> <urn:p> <urn:o> .\n<urn:only-a> <urn:p> <urn:o> .\n")
    b = write("b.nt", "<urn:s> <urn:p> <urn:o> .\n")
    load([a, b], **backend)
    subjects = "SELECT ?s WHERE { ?s <urn:p> ?o } ORDER BY ?s"
    if backend["store"].endswith("/sparql"):  # Virtuoso: the union of the study's graphs (gtkg.store.servers)
        assert sparql(subjects, **backend).rows == [["urn:only-a"], ["urn:s"], ["urn:s"]]
        return
    assert sparql(subjects, **backend).rows == [["urn:only-a"], ["urn:s"]]
    provenance = "SELECT (COUNT(?g) AS ?n) WHERE { GRAPH ?g { <urn:s> <urn:p> <urn:o> } }"
    assert sparql(provenance, **backend).rows == [[2]]
    a.write_text("<urn:new> <urn:p> <urn:o> .\n")
    load([a], **backend)
    assert sparql(subjects, **backend).rows == [["urn:new"], ["urn:s"]]
    b.write_text("<urn:other> <urn:p> <urn:o> .\n")
    load([b], **backend)
    assert sparql(subjects, **backend).rows == [["urn:new"], ["urn:other"]]
    assert sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **backend).rows == \
        sparql("SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } } }",
               **backend).rows
    exported = export(format="nquads", **backend).decode().splitlines()
    assert sum(line.startswith("<urn:new> <urn:p> <urn:o> <") for line in exported) == 1  # a.nt's graph only
    assert not [line for line in exported if line.endswith("<urn:o> .")]  # no triple outside a graph
    assert "urn:gtkg:merged" not in "\n".join(exported)


def test_malformed_query_is_a_gtkg_error(backend):
    load([EXAMPLES / "notes" / "s_1.md"], **backend)
    with pytest.raises(GtkgError, match="1:2[0-9]|line 1, column 2[0-9]|line 1: syntax error at '}'"):  # where it is
        sparql("SELECT * WHERE { ?s ?p }", **backend)


def _configure(tmp_path, monkeypatch, url: str, settings: str) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "config" / "gtkg").mkdir(parents=True)
    (tmp_path / "config" / "gtkg" / "endpoints.toml").write_text(f'["{url}"]\n{settings}\n')


def test_union_default_graph_of_the_server_gives_identical_tables(both_on_oxigraph, tmp_path, monkeypatch):
    from sparql_server import ServerUnavailable, start_oxigraph
    from test_same_results import parameter_sets

    embedded, _ = both_on_oxigraph
    try:
        server = start_oxigraph("--union-default-graph")
    except ServerUnavailable as exc:
        pytest.skip(f"no SPARQL server with --union-default-graph: {exc}")
    try:
        _configure(tmp_path, monkeypatch, server.query_url, "union_default_graph = true")
        remote = {"store": server.query_url}
        load([EXAMPLES], **remote)
        for name, query in catalogue().items():
            params = parameter_sets(query, embedded)[0]
            assert run_query(name, params, **remote).rows == run_query(name, params, **embedded).rows, name
    finally:
        server.stop()


def test_union_default_graph_setting_is_checked(both_on_oxigraph, tmp_path, monkeypatch):
    _, remote = both_on_oxigraph
    _configure(tmp_path, monkeypatch, remote["store"], "union_default_graph = true")
    with pytest.raises(EndpointError, match="does not expose the union of its graphs as default graph"):
        sparql("ASK {}", **remote)


# -- loads on the server


def test_load_leaves_no_temporary_graph(both, server):
    assert server.named_graphs() - server.own_graphs
    assert not [g for g in server.named_graphs() if g.startswith(TEMPORARY)]


def test_upload_by_sparql_update_when_there_is_no_graph_store(both, server):
    embedded, _ = both
    server.clear()
    endpoint = Endpoint(query=server.query_url, update=server.update_url, graph_store=None)
    load([EXAMPLES], store=endpoint)
    assert export(format="nquads", store=endpoint) == export(format="nquads", **embedded)


def test_big_graphs_go_in_batches(both, server, monkeypatch):
    embedded, remote = both
    graphs, summary = build_graphs(collect_files([EXAMPLES]))
    server.clear()
    sizes = []
    upload = RemoteStore._upload_batch
    monkeypatch.setattr(RemoteStore, "_upload_batch", lambda self, graph, lines, **kw: (
        graph.startswith(TEMPORARY) and sizes.append(len(lines))) or upload(self, graph, lines, **kw))
    RemoteStore(remote["store"], batch_size=100).replace_graphs(graphs)
    assert len(sizes) > len(graphs) and max(sizes) == 100 and sum(sizes) == summary.triples
    assert export(format="nquads", **remote) == export(format="nquads", **embedded)


def test_explicit_endpoint_urls_on_the_command_line(both, server):
    embedded, remote = both
    server.clear()
    urls = ["--endpoint", server.query_url, "--update-endpoint", server.update_url, "--graph-store", server.store_url]
    assert invoke("load", *urls, EXAMPLES).exit_code == 0
    assert invoke("export", *urls, "-f", "nquads").stdout_bytes == export(format="nquads", **embedded)


def test_failed_load_leaves_the_previous_data_and_no_temporary_graph(both_on_oxigraph, sparql_server):
    """A proxy passes everything to the real server but fails the final MOVE, as a server failing mid-way."""
    _, remote = both_on_oxigraph
    before = export(format="nquads", **remote)
    seen_mid_load = []

    def answer(method, path, headers, body):
        if path.startswith("/update") and b"MOVE" in body:
            seen_mid_load.append(export(format="nquads", **remote))  # what a reader sees during the load
            return 500, "text/plain", b"disk full"
        return forward(sparql_server.base, method, path, headers, body)

    graphs, _ = build_graphs(collect_files([EXAMPLES / "notes" / "s_1.md"]))
    changed = {graph: nquads.replace("Event-Driven", "Changed") for graph, nquads in graphs.items()}
    with stub_server(answer) as (proxy, _):
        with pytest.raises(EndpointError) as error:
            RemoteStore(proxy + "/query").replace_graphs(changed)
    assert f"{proxy}/update answered HTTP 500 Internal Server Error: disk full" in str(error.value)
    assert "previous graphs are unchanged" in str(error.value)
    assert seen_mid_load == [before]
    assert export(format="nquads", **remote) == before
    assert not [g for g in sparql_server.named_graphs() if g.startswith(TEMPORARY)]


# -- failures: down, slow, refusing


def test_server_down_is_one_clear_error():
    url = f"http://127.0.0.1:{free_port()}/query"
    started = time.monotonic()
    with pytest.raises(EndpointError) as error:
        RemoteStore(quick(url, retries=2)).query("ASK {}")
    message = str(error.value)
    assert message.startswith(f"cannot reach SPARQL endpoint {url}: connection refused (3 attempts)")
    assert "\n" not in message and time.monotonic() - started < 2


def test_slow_server_times_out():
    def answer(method, path, headers, body):
        time.sleep(3)
        return 200, "application/sparql-results+json", b'{"head": {}, "boolean": true}'

    with stub_server(answer) as (url, seen):
        started = time.monotonic()
        with pytest.raises(EndpointError, match=f"SPARQL endpoint {url}/query did not answer within 0.5 s"):
            RemoteStore(quick(url + "/query", timeout=0.5)).query("ASK {}")
    assert time.monotonic() - started < 2.5 and len(seen) == 1  # a timeout is not retried


@pytest.mark.parametrize("status, attempts, hint", [
    (400, 1, "refused the request"), (401, 1, "GTKG_ENDPOINT_USER"), (403, 1, "credentials"),
    (404, 1, "check the URL"), (500, 1, "see its log"), (502, 3, "see its log"), (503, 3, "see its log"),
])
def test_refusal_names_url_and_status(status, attempts, hint):
    with stub_server(lambda *request: (status, "text/plain", b"nope\n  because")) as (url, seen):
        with pytest.raises(EndpointError) as error:
            RemoteStore(quick(url + "/query", retries=2)).query("ASK {}")
    message = str(error.value)
    assert message.startswith(f"SPARQL endpoint {url}/query answered HTTP {status} ")
    assert "nope because" in message and hint in message and "\n" not in message
    assert len(seen) == attempts


def test_transient_failure_then_success_is_retried():
    failures = [(503, "text/plain", b"busy")]
    with stub_server(lambda *request: failures.pop() if failures else _recorder(*request)) as (url, seen):
        assert RemoteStore(quick(url + "/query")).query("ASK {}") is True
    assert len(seen) == 4  # gtkg's record (503, then again), the graph list (there is no record), the query


def test_command_line_error_is_one_line(tmp_path, monkeypatch):
    url = f"http://127.0.0.1:{free_port()}/query"
    config = tmp_path / "gtkg" / "endpoints.toml"
    config.parent.mkdir()
    config.write_text(f'["{url}"]\nretries = 0\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    result = invoke("query", "sources", "--endpoint", url)
    assert result.exit_code == 2
    assert result.stderr == f"Error: cannot reach SPARQL endpoint {url}: connection refused; is the server running?\n"


# -- credentials and settings


def _recorder(method, path, headers, body):
    if method == "GET" and "?graph=" in path:
        return 200, "application/n-triples", b"<urn:a> <urn:p> <urn:o> .\n"
    if bookkeeping(body):
        return bookkeeping(body)
    if is_listing(body):
        return 200, "application/sparql-results+json", (
            b'{"head": {"vars": ["g"]}, "results": {"bindings": [{"g": {"type": "uri", "value": "urn:g"}}]}}')
    return 200, "application/sparql-results+json", b'{"head": {}, "boolean": true}'


def test_credentials_from_the_environment(monkeypatch):
    monkeypatch.setenv("GTKG_ENDPOINT_USER", "alice")
    monkeypatch.setenv("GTKG_ENDPOINT_PASSWORD", "s3cret")
    with stub_server(_recorder) as (url, seen):
        store = RemoteStore(url + "/query")
        store.query("ASK {}")
        assert store.quads()
    assert {method for method, *_ in seen} == {"GET", "POST"}
    assert all(headers.get("Authorization") == "Basic YWxpY2U6czNjcmV0" for _, _, headers, _ in seen)


def test_settings_from_the_config_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "gtkg").mkdir()
    with stub_server(_recorder) as (url, seen):
        (tmp_path / "gtkg" / "endpoints.toml").write_text(
            f'["{url}/sparql"]\nuser = "bob"\npassword = "pw"\ngraph_store = "{url}/gsp"\ntimeout = 5\n')
        store = RemoteStore(url + "/sparql")
        assert (store.endpoint.update, store.endpoint.timeout) == (url + "/update", 5)
        assert store.quads()
    assert seen[-1][1].startswith("/gsp?graph=urn%3Ag")
    assert all(headers.get("Authorization") == "Basic Ym9iOnB3" for _, _, headers, _ in seen)


@pytest.mark.parametrize("text, message", [
    ('["URL"]\npasword = "x"\n', "unknown setting 'pasword'"),
    ('["URL"]\ntimeout = "slow"\n', "'timeout' for URL must be a float"),
    ('["URL"\n', "cannot read the endpoint settings"),
])
def test_bad_config_file_names_itself(tmp_path, monkeypatch, text, message):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "gtkg").mkdir()
    url = "http://127.0.0.1:9/query"
    (tmp_path / "gtkg" / "endpoints.toml").write_text(text.replace("URL", url))
    with pytest.raises(InputError, match="endpoints.toml: ") as error:
        RemoteStore(url)
    assert message.replace("URL", url) in str(error.value)


def test_no_credentials_on_the_command_line():
    for name, command in cli.commands.items():
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        assert not {o for o in options if "pass" in o or "user" in o or "cred" in o}, name
