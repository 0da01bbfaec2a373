"""RDF files loaded as they are: relative IRIs resolve against the file (or --base), and the literals the store
rewrites ("5"^^xsd:int as "5"^^xsd:integer) export as the file wrote them."""

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from helpers import PREFIXES, XSD_LITERALS, select

from gtkg.cli import cli
from gtkg.exporting import export
from gtkg.loading import load
from gtkg.ontology import ONTOLOGY_FILE
from gtkg.outputs import get, names
from gtkg.store import literals


def test_relative_iris_resolve_against_the_file(write, store):
    path = write("data.ttl", "<> <p> <class-001> .\n")
    load([path], store=store)
    [row] = select(store, "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(STRENDS(STR(?o), 'class-001')) }")
    folder = path.parent.resolve().as_uri()
    assert row == {"s": path.resolve().as_uri(), "p": f"{folder}/p", "o": f"{folder}/class-001"}


def test_base_overrides_the_file_as_base_of_relative_iris(write, store):
    path = write("data.ttl", "<> <p> <class-001> .\n")
    result = CliRunner().invoke(cli, ["load", "--store", store, "--base", "https://example.org/kg/", str(path)])
    assert result.exit_code == 0, result.output
    rows = select(store, "SELECT ?s WHERE { ?s <https://example.org/kg/p> <https://example.org/kg/class-001> }")
    assert rows == [{"s": "https://example.org/kg/"}]


def test_an_invalid_base_is_a_one_line_error(write, store):
    path = write("data.ttl", "<> <p> <o> .\n")
    result = CliRunner().invoke(cli, ["load", "--store", store, "--base", "not an iri", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "--base" in result.output and "data.ttl" in result.output


# ---------------------------------------------------------------------------------------------- literals

def _canonical(quads) -> set[str]:
    """Triples (graph names dropped) with canonical blank-node labels, as N-Triples lines."""
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q.triple) for q in dataset}


def _literals_file(write):
    """A file with literals of every XSD datatype as a file may write them (often not as the store holds them:
    "+04"^^xsd:integer, "100"^^xsd:byte, "4.0"), ill-formed ones, two forms of one value on one subject and
    literals on blank nodes."""
    lines = [f'ex:s{n} ex:p "{good}"^^xsd:{datatype} ; ex:q "{bad or good}"^^xsd:{datatype} .'
             for n, (datatype, good, bad) in enumerate(XSD_LITERALS)]
    lines += ['ex:t ex:p "5"^^xsd:int , "5"^^xsd:integer , "05"^^xsd:integer , 4.0 , 4.00 , 4 , "1"^^xsd:boolean .',
              '[] ex:p "4.0"^^xsd:decimal ; ex:q [ ex:p "+1"^^xsd:integer ] .']
    return write("literals.ttl", PREFIXES + "\n".join(lines) + "\n")


@pytest.mark.parametrize("fmt", names("rdf"))
def test_literals_of_every_xsd_datatype_export_as_the_file_wrote_them(write, store, fmt):
    path = _literals_file(write)
    load([path], store=store)
    exported = ox.parse(export(store=store, format=fmt), format=ox.RdfFormat.from_extension(get(fmt).extension))
    written = ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    ontology = ox.parse(path=ONTOLOGY_FILE, format=ox.RdfFormat.TURTLE)
    assert _canonical(exported) == _canonical([*written, *ontology])


def test_literals_export_as_written_from_a_remote_endpoint_too(write, backend):
    path = _literals_file(write)
    load([path], **backend)
    exported = ox.parse(export(format="nquads", **backend), format=ox.RdfFormat.N_QUADS)
    written = ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    ontology = ox.parse(path=ONTOLOGY_FILE, format=ox.RdfFormat.TURTLE)
    assert _canonical(exported) == _canonical([*written, *ontology])


def test_queries_see_the_stored_forms_and_the_record_of_the_written_ones(write, store):
    load([_literals_file(write)], store=store)
    rows = select(store, "SELECT (STR(?o) AS ?text) (STRAFTER(STR(DATATYPE(?o)), '#') AS ?type) "
                         "WHERE { <http://example.org/t> <http://example.org/p> ?o }")
    assert sorted((r["text"], r["type"]) for r in rows) == [
        ("4", "decimal"), ("4", "integer"), ("5", "integer"), ("true", "boolean")]
    [record] = select(store, "SELECT ?graph ?text WHERE { ?graph gt:writtenAs ?text }")
    assert record["graph"].endswith("/file/literals.ttl") and '"05"^^' in record["text"]


def test_a_long_record_is_cut_into_several_triples(write, store, monkeypatch):
    monkeypatch.setattr(literals, "CHUNK", 200)  # a few lines each (pyoxigraph reads lines of up to 16 MiB)
    path = _literals_file(write)
    load([path], store=store)
    assert len(select(store, "SELECT ?text WHERE { ?graph gt:writtenAs ?text }")) > 3
    written = ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    ontology = ox.parse(path=ONTOLOGY_FILE, format=ox.RdfFormat.TURTLE)
    exported = ox.parse(export(store=store, format="nquads"), format=ox.RdfFormat.N_QUADS)
    assert _canonical(exported) == _canonical([*written, *ontology])
