"""The W3C SHACL core test suite (../shared/w3c-shacl-core, skipped when absent), run through `gtkg load` and
`gtkg validate --shapes --fail-on info -f turtle` with the suite's files as they are: the data file is loaded,
the shapes file (often the test's manifest itself) is the study's shapes. Each test passes, or is one of the
refusals the README lists (REFUSED below), which must end with exit code 2 and the error it names.

A report matches the expected one when sh:conforms is the same and the results are the same multiset of
(focus node, path, value, severity, constraint component, source shape), blank nodes compared as blank.
"""

from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from helpers import W3C_SHACL
from rdflib import RDF, BNode, Graph, Namespace
from rdflib.collection import Collection

from gtkg.cli import cli
from gtkg.loaders.rdf import file_iri
from gtkg.shapes.compiler import sparql_path
from gtkg.shapes.rdflib_bridge import quiet_rdflib, rdflib_graph

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
SH = Namespace("http://www.w3.org/ns/shacl#")

# test -> what gtkg's refusal says; each is explained in the README (Validation, the W3C test suite)
REFUSED = {
    # its path is both a list and an inverse path: an ill-formed shapes graph (SHACL leaves its validation
    # undefined), which SHACL-for-SHACL rejects
    "path/path-strange-002": "the shapes are not valid SHACL",
    # its data, which is also its shapes file, uses sh:nodeShape, a term of a SHACL draft that SHACL dropped
    "property/qualifiedValueShape-001": "sh:nodeShape, which is not a SHACL term",
}


def _tests() -> list[str]:
    """The tests the suite's manifests include, as paths relative to the suite: node/class-001, ..."""
    if not W3C_SHACL.exists():
        return []
    top = _parse(W3C_SHACL / "manifest.ttl")
    names = []
    for folder in sorted(top.objects(None, MF.include), key=str):
        manifest = _path(folder)
        for test in sorted(_parse(manifest).objects(None, MF.include), key=str):
            names.append(_path(test).relative_to(W3C_SHACL).with_suffix("").as_posix())
    return names


def _parse(path: Path) -> Graph:
    """The manifest as written (rdflib's own parser would rewrite its literals: "1"^^xsd:boolean to "true")."""
    with quiet_rdflib():  # "none"^^xsd:boolean
        return rdflib_graph(q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE,
                                                       base_iri=file_iri(path)))


def _path(iri) -> Path:
    return Path(unquote(urlparse(str(iri)).path))


@pytest.mark.skipif(not W3C_SHACL.exists(), reason="the W3C SHACL test suite (../shared/w3c-shacl-core) is absent")
def test_the_suite_has_98_tests():
    assert len(_tests()) == 98


@pytest.mark.parametrize("name", _tests())
def test_w3c(name, tmp_path):
    manifest_file = W3C_SHACL / f"{name}.ttl"
    manifest = _parse(manifest_file)
    entries = [e for head in manifest.objects(None, MF.entries) for e in Collection(manifest, head)]
    assert entries, f"{manifest_file} has no test entries"
    for number, entry in enumerate(entries):
        assert manifest.value(entry, MF.status) == SHT.approved
        action, expected = manifest.value(entry, MF.action), manifest.value(entry, MF.result)
        data, shapes = (_path(manifest.value(action, key)) for key in (SHT.dataGraph, SHT.shapesGraph))
        store, report_file = tmp_path / f"store{number}", tmp_path / f"report{number}.ttl"
        loaded = CliRunner().invoke(cli, ["load", "--store", str(store), str(data)])
        assert loaded.exit_code == 0, loaded.output
        validated = CliRunner().invoke(cli, ["validate", "--store", str(store), "--shapes", str(shapes),
                                             "--fail-on", "info", "-f", "turtle", "-o", str(report_file)])
        if name in REFUSED:
            assert validated.exit_code == 2 and REFUSED[name] in validated.output
            continue
        conforms = manifest.value(expected, SH.conforms).toPython()
        assert validated.exit_code == (0 if conforms else 1), validated.output
        report = _parse(report_file)
        [report_node] = report.subjects(RDF.type, SH.ValidationReport)
        assert report.value(report_node, SH.conforms).toPython() == conforms
        assert _results(report, report_node) == _results(manifest, expected)


def _results(graph: Graph, report) -> Counter:
    def term(node):
        return "_:" if isinstance(node, BNode) else None if node is None else node.n3()

    def path(node):
        return None if node is None else sparql_path(graph, node)

    return Counter((term(graph.value(r, SH.focusNode)), path(graph.value(r, SH.resultPath)),
                    term(graph.value(r, SH.value)), term(graph.value(r, SH.resultSeverity)),
                    term(graph.value(r, SH.sourceConstraintComponent)), term(graph.value(r, SH.sourceShape)))
                   for r in graph.objects(report, SH.result))

