"""RDF files loaded as they are: relative IRIs resolve against the file (or --base)."""

from click.testing import CliRunner
from helpers import select

from gtkg.cli import cli
from gtkg.loading import load


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
