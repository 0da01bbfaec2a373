"""RDF files (for example a gtkg export) loaded back as they are."""

import os
from pathlib import Path

import pyoxigraph as ox

from gtkg.errors import InputError
from gtkg.store import literals

EXTENSIONS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
              ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD}


def file_iri(path) -> str:
    """The file's URI (file:///...), against which its relative IRIs resolve, as RDF parsers do."""
    return Path(os.path.abspath(path)).as_uri()


def read(path, data: bytes, file_graph: str, base: str | None = None) -> dict[str, list[str]]:
    """N-Quads lines per graph: triples go into the file's graph, quads keep their graphs (a TriG export).

    Relative IRIs resolve against `base`, else against the file's URI."""
    try:
        quads = list(ox.parse(data, format=EXTENSIONS[path.suffix.lower()], base_iri=base or file_iri(path)))
    except SyntaxError as exc:
        raise InputError(f"{path}: {exc}; fix the RDF syntax there") from exc
    except ValueError as exc:  # only an invalid base IRI; the file's own URI is always valid
        raise InputError(f"{path}: cannot resolve its relative IRIs: {exc}; give --base an absolute IRI") from exc
    default = ox.NamedNode(file_graph)
    graphs: dict[str, list[str]] = {}
    with_literals = []  # (graph, quad) of each literal object, for the record of those the store rewrites
    for quad in quads:
        if isinstance(quad.object, ox.Triple) or isinstance(quad.subject, ox.Triple):
            raise InputError(f"{path}: holds an RDF-star (RDF 1.2) triple term, {quad.object}, which gtkg does not "
                             "support; state the triple with a reification node or remove it")
        graph = default if not isinstance(quad, ox.Quad) or isinstance(quad.graph_name, ox.DefaultGraph) \
            else quad.graph_name
        graphs.setdefault(graph.value, []).append(f"{quad.subject} {quad.predicate} {quad.object} {graph} .")
        if quad.object.__class__ is ox.Literal:
            with_literals.append((graph.value, quad))
    for graph, lines in literals.records(with_literals).items():  # see gtkg.store.literals
        graphs[graph] += lines
    return graphs
