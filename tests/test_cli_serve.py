"""`gtkg serve`: the embedded store as a read-only SPARQL endpoint, queried by real clients."""

import csv
import io
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib
from click.testing import CliRunner
from helpers import EXAMPLES
from sparql_server import free_port
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from gtkg.cli import cli
from gtkg.errors import EndpointError, InputError
from gtkg.exporting import export, sparql
from gtkg.loading import load
from gtkg.queries import catalogue, run_query
from gtkg.store.serve import SparqlServer, serve

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SOURCES = "SELECT DISTINCT ?id WHERE { ?s a <https://w3id.org/gtkg/ontology#Source> ; " \
          "<http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id"


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    store = str(tmp_path_factory.mktemp("serve") / "store")
    load([EXAMPLES], store=store)
    return store


@pytest.fixture
def served(study):
    """`serve()` on a free port in a thread; stopped and closed after the test."""
    server = serve(store=study, port=0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.close()
    thread.join(5)


def request(url, data=None, *, method=None, headers=None):
    """(status, content type, body) of one plain urllib request; errors are returned, not raised."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers or {}),
                                    timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type(), exc.read()


def test_sparqlwrapper_gets_json_results(served, study):
    client = SPARQLWrapper(served.url)
    client.setQuery(COUNT)
    client.setReturnFormat(JSON)
    for method in ("GET", POST):
        client.setMethod(method)
        rows = client.queryAndConvert()["results"]["bindings"]
        assert int(rows[0]["n"]["value"]) == sparql(COUNT, store=study).rows[0][0] > 1000


def test_sparqlwrapper_ask(served):
    client = SPARQLWrapper(served.url)
    client.setQuery("ASK { ?s a <https://w3id.org/gtkg/ontology#Source> }")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/html;q=0.9, text/csv;q=0.5, application/sparql-results+xml;q=0.8", "application/sparql-results+xml"),
    ("*/*", "application/sparql-results+json"),
    (None, "application/sparql-results+json"),
])
def test_results_format_follows_the_accept_header(served, accept, media):
    status, content_type, body = request(served.url + "?" + urllib.parse.urlencode({"query": SOURCES}),
                                         headers={"Accept": accept} if accept else {})
    assert (status, content_type) == (200, media)
    if media == "text/csv":
        assert list(csv.reader(io.StringIO(body.decode())))[1:] == [["s1"], ["s2"], ["s3"]]
    elif media.endswith("json"):
        assert [b["id"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["s1", "s2", "s3"]
    else:
        assert b"s3" in body


def test_post_bodies_of_both_kinds(served):
    form = urllib.parse.urlencode({"query": SOURCES}).encode()
    direct = SOURCES.encode()
    for data, media in ((form, "application/x-www-form-urlencoded"), (direct, "application/sparql-query")):
        status, _, body = request(served.url, data, headers={"Content-Type": media, "Accept": "text/csv"})
        assert (status, body.decode().split()) == (200, ["id", "s1", "s2", "s3"])


@pytest.mark.parametrize("accept, media, rdflib_format", [
    ("text/turtle", "text/turtle", "turtle"), ("application/n-triples", "application/n-triples", "nt"),
])
def test_construct_as_turtle_or_ntriples(served, study, accept, media, rdflib_format):
    query = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }"
    status, content_type, body = request(served.url + "?" + urllib.parse.urlencode({"query": query}),
                                         headers={"Accept": accept})
    assert (status, content_type) == (200, media)
    graph = rdflib.Graph().parse(data=body, format=rdflib_format)
    assert len(graph) == len(rdflib.Graph().parse(data=sparql(query, store=study), format="turtle")) > 10


def test_malformed_query_is_a_400(served):
    status, _, body = request(served.url + "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s }"}))
    assert status == 400 and b"1:" in body


@pytest.mark.parametrize("method, path, data, media", [
    ("POST", "/query", {"update": "DROP ALL"}, "application/x-www-form-urlencoded"),
    ("POST", "/update", {"update": "DROP ALL"}, "application/x-www-form-urlencoded"),
    ("POST", "/query", "DROP ALL", "application/sparql-update"),
    ("GET", "/query", {"update": "DROP ALL"}, None),
    ("PUT", "/store?graph=urn:g", "<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
    ("POST", "/store?graph=urn:g", "<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
    ("DELETE", "/store?graph=https://w3id.org/gtkg/ontology", None, None),
])
def test_updates_are_refused(served, study, method, path, data, media):
    before = export(store=study, format="nquads")
    base = served.url.rsplit("/", 1)[0]
    if isinstance(data, dict) and method == "GET":
        path, data = path + "?" + urllib.parse.urlencode(data), None
    elif isinstance(data, dict):
        data = urllib.parse.urlencode(data)
    status, _, body = request(base + path, data.encode() if data else None, method=method,
                              headers={"Content-Type": media} if media else {})
    assert status == 403 and b"read-only" in body
    assert export(store=study, format="nquads") == before


def test_gtkg_reads_its_own_endpoint_like_the_store(served, study):
    for fmt in ("nquads", "turtle"):
        assert export(store=served.url, format=fmt) == export(store=study, format=fmt)
    for name in catalogue():
        assert run_query(name, store=served.url).rows == run_query(name, store=study).rows, name


def test_loading_into_it_is_refused_in_one_line(served):
    with pytest.raises(EndpointError) as error:
        load([EXAMPLES / "notes" / "s_1.md"], store=served.url)
    assert "answered HTTP 403 Forbidden: this endpoint is read-only" in str(error.value)
    assert "\n" not in str(error.value)


def test_busy_port_is_an_input_error(served, study):
    with pytest.raises(InputError, match=f"cannot serve on 127.0.0.1:{served.server_address[1]}"):
        serve(store=study, port=served.server_address[1])


def test_missing_store_is_an_error(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path / "none"), "--port", "0"])
    assert result.exit_code == 2 and "no gtkg store at" in result.stderr


@pytest.mark.parametrize("bind, warned", [("127.0.0.1", False), ("0.0.0.0", True)])
def test_wider_bind_address_warns(study, monkeypatch, bind, warned):
    monkeypatch.setattr(SparqlServer, "serve_forever", lambda self: (_ for _ in ()).throw(KeyboardInterrupt))
    result = CliRunner().invoke(cli, ["serve", "--store", study, "--port", "0", "--bind", bind])
    assert result.exit_code == 0, result.output
    assert ("Warning: listening on 0.0.0.0" in result.stderr) is warned
    assert "read-only at http://" in result.stderr


def test_command_serves_until_stopped(study):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "gtkg", "serve", "--store", study, "--port", str(port)],
                               stderr=subprocess.PIPE, text=True)
    try:
        assert f"read-only at http://127.0.0.1:{port}/query" in process.stderr.readline()
        url = f"http://127.0.0.1:{port}/query?" + urllib.parse.urlencode({"query": SOURCES})
        deadline = time.monotonic() + 10
        while True:
            try:
                status, _, body = request(url, headers={"Accept": "text/csv"})
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert (status, body.decode().split()) == (200, ["id", "s1", "s2", "s3"])
    finally:
        process.terminate()
        process.wait(10)
        process.stderr.close()


def test_it_answers_from_the_latest_load(tmp_path):
    """A reload of one file (written in place) and a full load (a new folder swapped in) are both seen by the
    running server, without a restart."""
    store = str(tmp_path / "store")
    load([EXAMPLES / "notes" / "s_1.md"], store=store)
    server = serve(store=store, port=0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        def sources():
            return [row[0] for row in run_query("sources", store=server.url).rows]

        assert sources() == ["s1"]
        load([EXAMPLES / "notes" / "s_2.md"], store=store)  # adds one graph, in place
        assert sources() == ["s1", "s2"]
        load([EXAMPLES / "notes"], store=store)  # replaces every graph: a new folder
        assert sources() == ["s1", "s2", "s3"]
    finally:
        server.shutdown()
        server.close()
        thread.join(5)
