"""RDF files (for example a gtkg export) loaded back as they are."""

import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from gtkg.errors import InputError
from gtkg.loaders import Graph, InputFile, Study
from gtkg.nquads import LINE_BREAKS
from gtkg.store import literals

_ESCAPES = str.maketrans(LINE_BREAKS)  # pyoxigraph writes \x85, \u2028 and \u2029 as they are


def read(files: list[InputFile], study: Study) -> Iterator[Graph]:
    """Each file's triples in the file's graph; quads keep their own graphs (a TriG export). Relative IRIs
    resolve against the load's --base when given, else against the file's URI."""
    for f in files:
        for iri, lines in quads_of(f.path, f.read(), study.minter.file(f.key), base=study.base).items():
            yield Graph(iri, lines, f)


def file_iri(path) -> str:
    """The file's URI (file:///...), against which its relative IRIs resolve, as RDF parsers do."""
    return Path(os.path.abspath(path)).as_uri()


def quads_of(path, data: bytes, file_graph: str, base: str | None = None) -> dict[str, list[str]]:
    """N-Quads lines per graph: triples go into the file's graph, quads keep their graphs (a TriG export).

    Relative IRIs resolve against `base`, else against the file's URI."""
    try:
        quads = list(ox.parse(data, format=ox.RdfFormat.from_extension(path.suffix[1:].lower()),
                              base_iri=base or file_iri(path)))
    except SyntaxError as exc:
        raise InputError(f"{path}: {exc}; fix the RDF syntax there") from exc
    except ValueError as exc:  # only an invalid base IRI; the file's own URI is always valid
        raise InputError(f"{path}: cannot resolve its relative IRIs: {exc}; give --base an absolute IRI") from exc
    except MemoryError as exc:  # the parser's buffer holds one statement of at most 16 MiB
        raise InputError(f"{path}: a statement is larger than the RDF parser can hold ({exc}); split or shorten "
                         "its literal") from exc
    default = ox.NamedNode(file_graph)
    graphs: dict[str, list[str]] = {}
    with_literals = []  # (graph, quad) of each literal object, for the record of those the store rewrites
    for quad in quads:
        if isinstance(quad.object, ox.Triple) or isinstance(quad.subject, ox.Triple):
            raise InputError(f"{path}: holds an RDF-star (RDF 1.2) triple term, {quad.object}, which gtkg does not "
                             "support; state the triple with a reification node or remove it")
        graph = default if not isinstance(quad, ox.Quad) or isinstance(quad.graph_name, ox.DefaultGraph) \
            else quad.graph_name
        triple = f"{quad.subject} {quad.predicate} {quad.object}"
        if not triple.isprintable():  # escaped in IRIs too (as N-Quads allows); the graph name is left as it is,
            triple = triple.translate(_ESCAPES)  # since the stores match it with the graph's IRI
        graphs.setdefault(graph.value, []).append(f"{triple} {graph} .")
        if quad.object.__class__ is ox.Literal:
            with_literals.append((graph.value, quad))
    for graph, lines in literals.records(with_literals).items():  # see gtkg.store.literals
        graphs[graph] += lines
    return graphs
