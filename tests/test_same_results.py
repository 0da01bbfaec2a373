"""Every backend gives the same results: each study (the example, the query fixtures, the shared corpus) loaded
into the embedded store and into each SPARQL server (Oxigraph, Virtuoso) exports the same bytes in every format
and answers every stored query with every parameter value (each scope) alike, and so do validation, diagnostics
and the other commands. A larger study, bench/generate.py's of 100 sources, answers some stored queries alike too.

Each study is loaded once per server (a module-scoped fixture) and only read by the tests here."""

import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import SERVERS
from helpers import CORPUS, EXAMPLES, FIXTURES, ROOT

from gtkg import outputs
from gtkg.cli import cli
from gtkg.exporting import export, sparql
from gtkg.loading import load
from gtkg.queries import catalogue, run_query
from gtkg.shapes import validate
from gtkg.store import is_url

STUDIES = {"example": EXAMPLES, "fixtures": FIXTURES / "queries", "corpus": CORPUS}
EXPORT_FORMATS = outputs.names("rdf")
COUNT_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


@pytest.fixture(scope="module", params=list(STUDIES))
def study(request, tmp_path_factory):
    if request.param == "generated":
        return generated(tmp_path_factory.mktemp("generated") / "study", scale=1)
    if not STUDIES[request.param].exists():
        pytest.skip(f"{STUDIES[request.param]} is not present")
    return STUDIES[request.param]


def generated(out, scale: float):
    """bench/generate.py's synthetic study (100 sources at scale 1)."""
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--scale", str(scale), "--out", str(out)],
                   check=True, capture_output=True, timeout=120)
    return out


@pytest.fixture(scope="module")
def reference(study, tmp_path_factory):
    """The study in an embedded store: {"store": folder}."""
    where = {"store": str(tmp_path_factory.mktemp("reference") / "store")}
    load([study], **where)
    return where


@pytest.fixture(scope="module", params=list(SERVERS))
def remote(request, study):
    """The same study on one of the session's SPARQL servers: {"store": query URL}; emptied afterwards."""
    server = request.getfixturevalue(SERVERS[request.param])
    server.clear()
    load([study], store=server.query_url)
    yield {"store": server.query_url}
    server.clear()


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def where_args(where: dict) -> list:
    return ["--endpoint" if is_url(where["store"]) else "--store", where["store"]]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_gives_identical_bytes(reference, remote, fmt):
    assert export(format=fmt, **remote) == export(format=fmt, **reference)


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_stored_query_gives_identical_tables(reference, remote, name):
    query = catalogue()[name]
    for params in parameter_sets(query, reference):
        expected = run_query(name, params, **reference)
        actual = run_query(name, params, **remote)
        assert (actual.columns, actual.rows) == (expected.columns, expected.rows), params


# Virtuoso lost rows of these on 100 sources (2 % of code-evidence's, some sources of codes) but not on the
# smaller studies: it ran a subquery that only drops repeats as a lookup per row of the join around it. As
# packaged, it refuses some other queries at this size (MaxQueryCostEstimationTime), and each costs seconds.
# saturation's earlier SPARQL form gave 71 of 100 rows wrong there with scope all; Virtuoso refused
# co-occurrence's, which paired the codes in SPARQL.
@pytest.mark.parametrize("study", ["generated"], indirect=True, scope="module")
@pytest.mark.parametrize("name", ["co-occurrence", "code-evidence", "codes", "saturation"])
def test_stored_queries_give_identical_tables_on_a_larger_study(reference, remote, name):
    test_every_stored_query_gives_identical_tables(reference, remote, name)


def parameter_sets(query, where) -> list[dict]:
    """The required parameters, then each parameter with each value worth trying (every scope)."""
    rows = sparql("SELECT ?id WHERE { ?s a gt:Source ; dcterms:identifier ?id } ORDER BY ?id", **where).rows
    codes = sparql("SELECT ?v WHERE { ?c a gt:Code ; gt:variable ?v } ORDER BY ?v", **where).rows
    forces = sparql("SELECT ?v WHERE { ?c a gt:Force ; gt:variable ?v } ORDER BY ?v", **where).rows
    samples = {"source": [rows[0][0]], "code": [codes[0][0]], "polarity": ["+", "--", "negative"], "integer": ["2"],
               "string": ["x"], "iri": ["https://w3id.org/gtkg/ontology"], "kind": ["force"]}
    sample = lambda p: p.values or ([forces[0][0]] if p.kind == "force" else samples[p.type])  # noqa: E731
    required = {p.name: sample(p)[0] for p in query.params if p.required}
    sets = [required]
    for param in query.params:
        sets += [{**required, param.name: value} for value in sample(param)]
    return sets


def test_validation_gives_identical_findings(reference, remote):
    assert validate(**remote).text() == validate(**reference).text()


@pytest.mark.parametrize("query", [
    COUNT_BY_GRAPH,
    "PREFIX gt: <https://w3id.org/gtkg/ontology#>\nASK { ?s a gt:Source }",
    "ASK { ?s a <urn:nothing> }",
    "# a comment that loads nothing\nCONSTRUCT { ?s a ?t } WHERE { ?s a ?t }",
    "SELECT ?s ?line WHERE { ?s <https://w3id.org/gtkg/ontology#line> ?line } ORDER BY ?s ?line",
])
def test_sparql_gives_identical_results(reference, remote, query):
    assert sparql(query, **remote) == sparql(query, **reference)


@pytest.mark.parametrize("command", [
    ["diagnostics"], ["diagnostics", "--severity", "warning", "-f", "json"], ["query", "sources", "-f", "csv"],
    ["sparql", "-f", "tsv", COUNT_BY_GRAPH], ["export", "-f", "trig"], ["validate", "-f", "json"],
])
def test_commands_print_identical_output(reference, remote, command):
    expected, actual = invoke(*command, *where_args(reference)), invoke(*command, *where_args(remote))
    assert expected.exit_code == actual.exit_code and expected.exit_code in (0, 1), actual.output
    assert actual.stdout == expected.stdout and actual.stdout
