"""The known differences between SPARQL servers, each handled explicitly: Virtuoso against the embedded store
and Oxigraph (empty solutions, `GRAPH ?g {}`, datatypes, its default graph, its URLs, Digest authentication, the
size of one update, answers cut at ResultSetMaxRows, updates that are not one transaction), and how gtkg tells
which server answers."""

import hashlib
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from helpers import EXAMPLES
from sparql_server import ONE_COUNT, forward, is_listing, stub_server

from gtkg.cli import cli
from gtkg.errors import EndpointError, InputError
from gtkg.exporting import export, sparql
from gtkg.loading import build_graphs, collect_files, load, remove
from gtkg.ontology import ONTOLOGY_GRAPH
from gtkg.store import is_url, using
from gtkg.store.endpoint import Endpoint
from gtkg.store.remote import FILES, LOADED_FROM, RemoteStore

NOTE = EXAMPLES / "notes" / "s_1.md"
JSON = "application/sparql-results+json"
ASK_TRUE = b'{"head": {}, "boolean": true}'
ONE_GRAPH = b'{"head": {"vars": ["g"]}, "results": {"bindings": [{"g": {"type": "uri", "value": "urn:g"}}]}}'
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture
def virtuoso(virtuoso_server):
    virtuoso_server.clear()
    return virtuoso_server


def _configure(tmp_path, monkeypatch, url: str, settings: str) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "config" / "gtkg").mkdir(parents=True, exist_ok=True)
    (tmp_path / "config" / "gtkg" / "endpoints.toml").write_text(f'["{url}"]\n{settings}\n')


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


# -- empty solutions and `GRAPH ?g {}`


def test_graphs_are_listed_where_the_graph_pattern_gives_an_empty_solution(virtuoso, tmp_path):
    """Virtuoso answers `SELECT DISTINCT ?g WHERE { GRAPH ?g { } }` with one solution that binds nothing."""
    assert virtuoso.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")["results"]["bindings"] == [{}]
    embedded = str(tmp_path / "store")
    for store in (embedded, virtuoso.query_url):
        load([EXAMPLES], store=store)
    with using(embedded) as here, using(virtuoso.query_url) as there:
        assert there.graphs() == here.graphs() and there.files() == here.files()


def test_unbound_variables_and_empty_solutions_read_alike(backend):
    load([NOTE], **backend)
    assert sparql("SELECT ?x WHERE { OPTIONAL { ?s <urn:nothing> ?x } }", **backend).rows == [[None]]
    assert sparql("SELECT ?s ?x WHERE { ?s <urn:nothing> ?x }", **backend).rows == []


# -- datatypes


def test_numbers_and_strings_of_results_read_alike(backend):
    """Virtuoso types some values its own way in results (an xsd:boolean of the data as "1"): the table is the
    same. (Virtuoso has no boolean values in expressions: `(true AS ?b)` gives it 1; no stored query does that.)"""
    load([NOTE], **backend)
    query = ('SELECT (COUNT(*) AS ?n) (1.5 AS ?d) ("x" AS ?s) (1.5e0 AS ?f) (STR(1) AS ?t) (1 + 1 AS ?i) '
             '(AVG(?z) AS ?a) WHERE { VALUES ?z { 1 2 } }')
    rows = sparql(query, **backend).rows
    assert rows == [[2, 1.5, "x", 1.5, "1", 2, 1.5]]
    assert [type(value) for value in rows[0]] == [int, float, str, float, str, int, float]


def test_literals_read_back_as_the_embedded_store_holds_them(backend, write, tmp_path):
    """Virtuoso holds "05"^^xsd:int as "5"^^xsd:int and gives true as "1": read back they are what pyoxigraph
    holds ("5"^^xsd:integer, true), so a CONSTRUCT gives the same triples, and export writes them as written."""
    path = write("d.ttl", f'<urn:s> <urn:p> "05"^^<{XSD}int> , "1.50"^^<{XSD}decimal> , '
                          f'"2020-01-01T10:00:00.000+00:00"^^<{XSD}dateTime> ; <urn:q> true .\n')
    embedded = str(tmp_path / "reference")
    for where in (embedded, backend["store"]):
        load([path], store=where)
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?s = <urn:s>) }"
    assert sparql(construct, **backend) == sparql(construct, store=embedded)
    assert sparql("SELECT ?o WHERE { ?s <urn:q> ?o }", **backend).rows == [[True]]
    exported = export(format="ntriples", **backend).decode()
    assert f'"05"^^<{XSD}int>' in exported and f'"1.50"^^<{XSD}decimal>' in exported
    assert export(format="nquads", **backend) == export(format="nquads", store=embedded)


# -- the server's default graph


def test_a_query_never_falls_to_the_servers_default_graph(backend, tmp_path):
    """Virtuoso's default graph is the union of every graph it holds, its own included: an empty study must not
    see them, nor a study the graphs that are not its own."""
    if is_url(backend["store"]):  # (an embedded store that was never loaded is an error)
        assert sparql("ASK { ?s ?p ?o }", **backend) is False
    embedded = str(tmp_path / "reference")
    for where in (embedded, backend["store"]):
        load([NOTE], store=where)
    for query in ("ASK { ?s <http://www.openlinksw.com/schemas/virtrdf#qmfName> ?o }",
                  "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                  "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"):
        assert sparql(query, **backend) == sparql(query, store=embedded), query


def test_graphs_the_study_does_not_hold_are_neither_read_nor_removed(server, tmp_path):
    """A server may hold other data (Virtuoso its own graphs, or another project's): gtkg's record says which
    graphs are the study's."""
    server.update("INSERT DATA { GRAPH <urn:other:project> { <urn:a> <urn:b> <urn:c> } }")
    load([NOTE], store=server.query_url)
    embedded = str(tmp_path / "store")
    load([NOTE], store=embedded)
    assert export(format="nquads", store=server.query_url) == export(format="nquads", store=embedded)
    with pytest.raises(InputError, match="nothing to remove for urn:other:project"):
        remove(["urn:other:project"], store=server.query_url)
    assert "urn:other:project" in server.named_graphs()


def test_a_study_loaded_by_an_older_gtkg_keeps_all_its_graphs(server):
    """Before the record listed the study's graphs, the study was every named graph: the next load lists them."""
    graphs, _ = build_graphs(collect_files([EXAMPLES / "notes"]))
    server.update("INSERT DATA { " + "".join(f"GRAPH <{g}> {{ <urn:a> <urn:b> <urn:c> }} " for g in graphs)
                  + f"GRAPH <{FILES}> {{ <{ONTOLOGY_GRAPH}> <{LOADED_FROM}> '/notes/s_1.md' }} }}")
    with using(server.query_url) as there:
        assert there.graphs() == set(graphs)  # an older record: every graph but gtkg's and the server's own
    load([EXAMPLES / "models"], store=server.query_url)
    with using(server.query_url) as there:
        assert set(graphs) < there.graphs() and FILES not in there.graphs()


def test_data_loaded_by_other_tools_can_be_read(server, tmp_path):
    """A server that gtkg never loaded (say, with a study's N-Quads put there by another tool) holds a study of
    every named graph but the server's own; and gtkg's first load there adds to it, not all of it."""
    embedded = str(tmp_path / "store")
    load([EXAMPLES / "notes"], store=embedded)
    graphs: dict = {}
    for quad in ox.parse(export(format="nquads", store=embedded), format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name.value, []).append(f"{quad.triple} .\n")
    for graph, lines in graphs.items():
        request = urllib.request.Request(f"{server.store_url}?{urllib.parse.urlencode({'graph': graph})}",
                                         data="".join(lines).encode(), method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        urllib.request.urlopen(request, timeout=30).close()
    assert export(format="nquads", store=server.query_url) == export(format="nquads", store=embedded)
    load([EXAMPLES / "models"], store=server.query_url)
    with using(server.query_url) as there:
        assert not set(graphs) - {ONTOLOGY_GRAPH} & there.graphs()


def test_union_default_graph_is_refused_where_the_server_holds_other_graphs(virtuoso, tmp_path, monkeypatch):
    load([NOTE], store=virtuoso.query_url)
    _configure(tmp_path, monkeypatch, virtuoso.query_url, "union_default_graph = true")
    with pytest.raises(EndpointError, match="holds [0-9]+ graphs besides the study's .*remove the setting"):
        sparql("ASK { ?s ?p ?o }", store=virtuoso.query_url)


def test_a_study_of_many_files_is_queried(virtuoso, write, tmp_path):
    """Virtuoso repeats each graph of a query's dataset in a header of its answer: 60 files, 120 headers (Python's
    HTTP client stops at 100 by default)."""
    paths = [write(f"f{n}.nt", f"<urn:s{n}> <urn:p> <urn:o> .\n") for n in range(60)]
    embedded = str(tmp_path / "store")
    for store in (embedded, virtuoso.query_url):
        load(paths, store=store)
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p> ?o }"
    assert sparql(query, store=virtuoso.query_url).rows == sparql(query, store=embedded).rows == [[60]]


# -- URLs: which server answers


def test_virtuoso_is_recognized_and_its_urls_are_used(virtuoso, tmp_path):
    """Given only /sparql (Fuseki's name for its query URL too), gtkg asks the server, which names itself
    Virtuoso: updates go to /sparql and graphs to /sparql-graph-crud."""
    store = RemoteStore(virtuoso.query_url)
    assert store.endpoint.graph_store.endswith("/data")  # a guess, until the server has answered
    load([EXAMPLES], store=store)
    assert (store.endpoint.server, store.endpoint.update, store.endpoint.graph_store) == \
        ("virtuoso", virtuoso.update_url, virtuoso.store_url)
    embedded = str(tmp_path / "store")
    load([EXAMPLES], store=embedded)
    assert export(format="nquads", store=virtuoso.query_url) == export(format="nquads", store=embedded)


@pytest.mark.parametrize("headers, server, graph_store", [
    ({"Server": "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"}, "virtuoso", "/sparql-graph-crud"),
    ({"Server": "Apache Jena Fuseki (5.1.0)"}, "fuseki", "/data"),
    ({"Fuseki-Request-Id": "17"}, "fuseki", "/data"),
    ({}, "", "/data"),
])
def test_the_server_is_told_by_its_answer(headers, server, graph_store):
    with stub_server(lambda *request: (200, JSON, ASK_TRUE, headers)) as (url, seen):
        store = RemoteStore(Endpoint.resolve(url + "/sparql"))
        store._settle()
        assert (store.endpoint.server, store.endpoint.graph_store) == (server, url + graph_store)
        store._settle()
    assert len(seen) == 1  # asked once


def test_the_server_setting_needs_no_question(tmp_path, monkeypatch):
    url = "http://127.0.0.1:9/sparql"
    _configure(tmp_path, monkeypatch, url, 'server = "virtuoso"')
    endpoint = Endpoint.resolve(url)
    assert (endpoint.update, endpoint.graph_store, endpoint.awaits_server()) == (
        url, "http://127.0.0.1:9/sparql-graph-crud", False)
    _configure(tmp_path, monkeypatch, url, 'server = "virtuoso"\ngraph_store = ""')
    assert Endpoint.resolve(url).graph_store is None  # given URLs are kept
    _configure(tmp_path, monkeypatch, url, 'server = "stardog"')
    with pytest.raises(InputError, match="'server' for .* must be one of virtuoso, oxigraph, fuseki, graphdb"):
        Endpoint.resolve(url)


@pytest.mark.parametrize("url, update, graph_store", [
    ("http://h:8890/sparql-auth", "http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud-auth"),
    ("http://h:7200/repositories/study", "http://h:7200/repositories/study/statements",
     "http://h:7200/repositories/study/rdf-graphs/service"),
    ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
])
def test_urls_that_name_their_server(url, update, graph_store):
    endpoint = Endpoint.resolve(url)
    assert (endpoint.update, endpoint.graph_store) == (update, graph_store)


# -- updates: /sparql with the SPARQL_UPDATE grant, /sparql-auth with Digest authentication


def test_the_authenticated_endpoints_take_the_dba_account_by_digest(virtuoso, tmp_path, monkeypatch):
    monkeypatch.setenv("GTKG_ENDPOINT_USER", virtuoso.user)
    monkeypatch.setenv("GTKG_ENDPOINT_PASSWORD", virtuoso.password)
    seen = []

    def answer(method, path, headers, body):  # a proxy that records what gtkg sends
        seen.append(headers.get("Authorization", ""))
        return forward(virtuoso.base, method, path, headers, body, keep=("www-authenticate",))

    with stub_server(answer) as (proxy, _):
        url = proxy + "/sparql-auth"
        assert invoke("load", "--endpoint", url, EXAMPLES).exit_code == 0
        exported = invoke("export", "--endpoint", url, "-f", "nquads").stdout_bytes
    embedded = str(tmp_path / "store")
    load([EXAMPLES], store=embedded)
    assert exported == export(format="nquads", store=embedded)
    assert seen[0] == "" and all(value.startswith("Digest ") for value in seen[1:])  # never the password itself
    assert len(seen) < 2 * sum(1 for value in seen if value)  # a challenge answered once, not for each request


def test_a_wrong_password_is_one_clear_error(virtuoso, monkeypatch):
    monkeypatch.setenv("GTKG_ENDPOINT_USER", virtuoso.user)
    monkeypatch.setenv("GTKG_ENDPOINT_PASSWORD", "wrong")
    result = invoke("export", "--endpoint", virtuoso.auth_url)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert f"{virtuoso.auth_url} answered HTTP 401 Unauthorized" in result.stderr
    assert "check the credentials" in result.stderr


def _digest_ok(header: str, method: str, password: str) -> bool:
    """Check a Digest answer the way a server does (RFC 7616, MD5, qop auth)."""
    fields = dict(part.strip().split("=", 1) for part in header[len("Digest "):].split(", "))
    fields = {key: value.strip('"') for key, value in fields.items()}

    def h(text):
        return hashlib.md5(text.encode()).hexdigest()

    secret = h(f"{fields['username']}:{fields['realm']}:{password}")
    expected = h(f"{secret}:{fields['nonce']}:{fields['nc']}:{fields['cnonce']}:auth:{h(method + ':' + fields['uri'])}")
    return fields["response"] == expected


def test_a_digest_challenge_is_answered_and_remembered():
    challenge = 'Digest realm="SPARQL", nonce="n0nce", opaque="x", qop="auth", algorithm="MD5"'

    def answer(method, path, headers, body):
        given = headers.get("Authorization", "")
        if not given.startswith("Digest ") or not _digest_ok(given, method, "s3cret"):
            return 401, "text/html", b"", {"WWW-Authenticate": challenge}
        return 200, JSON, ASK_TRUE

    with stub_server(answer) as (url, seen):
        store = RemoteStore(Endpoint(url + "/query", url + "/update", user="alice", password="s3cret"))
        assert store._ask("ASK {}") is True and store._ask("ASK {}") is True
    assert [bool(headers.get("Authorization")) for _, _, headers, _ in seen] == [True, True, True]
    assert seen[0][2]["Authorization"].startswith("Basic ")  # an unknown server gets Basic first
    assert not [h for _, _, h, _ in seen[1:] if not h["Authorization"].startswith("Digest ")]


# -- the size of one update


def test_uploads_by_update_go_in_batches_virtuoso_takes(virtuoso, write, tmp_path, monkeypatch):
    """Virtuoso's SPARQL compiler refuses an INSERT DATA of some 1,500 triples or more."""
    lines = "".join(f"<urn:s{n}> <urn:p> \"value {n}\" .\n" for n in range(3_000))
    path = write("big.nt", lines)
    endpoint = Endpoint(virtuoso.query_url, virtuoso.update_url, graph_store=None, server="virtuoso")
    sizes = []
    update = RemoteStore._update
    monkeypatch.setattr(RemoteStore, "_update", lambda self, text, **kw: sizes.append(text.count("\n")) or update(
        self, text, **kw))
    load([path], store=endpoint)
    embedded = str(tmp_path / "store")
    load([path], store=embedded)
    assert export(format="nquads", store=endpoint) == export(format="nquads", store=embedded)
    assert max(sizes) <= 1_001


# -- answers cut short


def test_answers_beyond_the_servers_row_limit(virtuoso, write, tmp_path):
    """Virtuoso gives at most ResultSetMaxRows (10,000 as packaged) rows or triples for one request. It cuts the
    graph store's answer without a sign: gtkg sees it by the count and reads the graph again in pages. It says
    in a header that it cut a table: an error, never a partial table with exit 0."""
    path = write("big.nt", "".join(f"<urn:s{n}> <urn:p> \"{n}\" .\n" for n in range(10_500)))
    embedded = str(tmp_path / "store")
    for store in (embedded, virtuoso.query_url):
        load([path], store=store)
    assert invoke("export", "-f", "nquads", "--endpoint", virtuoso.query_url).stdout_bytes == \
        export(format="nquads", store=embedded)
    result = invoke("sparql", "SELECT ?s WHERE { ?s <urn:p> ?o }", "--endpoint", virtuoso.query_url)
    assert result.exit_code == 2 and not result.stdout
    assert "cut short" in result.stderr and "ResultSetMaxRows" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_graph_that_cannot_be_read_whole_is_an_error():
    """A server that gives two of the five triples it counts, whatever is asked: an error, not two triples."""
    two = b"<urn:a> <urn:p> <urn:o> .\n<urn:b> <urn:p> <urn:o> .\n"

    def answer(method, path, headers, body):
        if method == "GET" or b"CONSTRUCT" in body:
            return 200, "application/n-triples", two
        if b"COUNT" in body:
            return 200, JSON, ONE_COUNT.replace(b'"1"', b'"5"')
        if b"StudyGraph" in body:  # gtkg's record lists urn:g
            return 200, JSON, (b'{"head": {"vars": ["g", "k"]}, "results": {"bindings": [{"g": {"type": "uri", '
                               b'"value": "urn:g"}, "k": {"type": "uri", "value": "urn:gtkg:StudyGraph"}}]}}')
        return (200, JSON, ONE_GRAPH) if is_listing(body) else (200, JSON, ASK_TRUE)

    with stub_server(answer) as (url, _):
        result = invoke("export", "--endpoint", url + "/query")
    assert result.exit_code == 2 and not result.stdout
    assert "gave 2 triples of the graph <urn:g>, yet" in result.stderr and "counts 5 in it" in result.stderr


# -- one update, one transaction?


def test_a_failed_final_update_on_virtuoso_says_part_may_be_applied(virtuoso):
    """Virtuoso commits each operation of one update request on its own (a later one failing leaves the
    earlier ones applied), so a failure of a load's final update may leave part of it applied."""
    virtuoso.update("INSERT DATA { GRAPH <urn:t> { <urn:a> <urn:b> 1 } }")
    with pytest.raises(urllib.request.HTTPError):
        virtuoso.update("MOVE <urn:t> TO <urn:u> ; INSERT { GRAPH <urn:z> { <urn:a> <urn:b> ?x } } WHERE { "
                        "BIND(bif:signal('22023', 'failed on purpose') AS ?x) }")
    assert "urn:u" in virtuoso.named_graphs()  # the MOVE stayed

    def answer(method, path, headers, body):  # the update that ends a load: the record, the temporary graphs
        if b"INSERT DATA { GRAPH <urn:gtkg:files>" in body:
            return 500, "text/plain", b"Virtuoso 40001 Error SR172: Transaction deadlocked"
        return forward(virtuoso.base, method, path, headers, body)

    with stub_server(answer) as (proxy, _):
        with pytest.raises(EndpointError, match="part of the load may be applied: run it again"):
            load([NOTE], store=Endpoint(proxy + "/sparql", proxy + "/sparql", proxy + "/sparql-graph-crud",
                                        server="virtuoso"))
