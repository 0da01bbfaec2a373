"""RDF files (for example a gtkg export) loaded back as they are."""

from collections.abc import Iterator

import pyoxigraph as ox

from gtkg.errors import InputError
from gtkg.loaders import Graph, InputFile, Study
from gtkg.nquads import LINE_BREAKS

_ESCAPES = str.maketrans(LINE_BREAKS)  # pyoxigraph writes \x85, \u2028 and \u2029 as they are


def read(files: list[InputFile], study: Study) -> Iterator[Graph]:
    """Each file's triples in the file's graph; quads keep their own graphs (a TriG export)."""
    for f in files:
        for iri, lines in quads_of(f.path, f.read(), study.minter.file(f.key)).items():
            yield Graph(iri, lines, f)


def quads_of(path, data: bytes, file_graph: str) -> dict[str, list[str]]:
    """N-Quads lines per graph: triples go into the file's graph, quads keep their graphs (a TriG export)."""
    try:
        quads = list(ox.parse(data, format=ox.RdfFormat.from_extension(path.suffix[1:].lower())))
    except SyntaxError as exc:
        raise InputError(f"{path}: {exc}; fix the RDF syntax there") from exc
    except MemoryError as exc:  # the parser's buffer holds one statement of at most 16 MiB
        raise InputError(f"{path}: a statement is larger than the RDF parser can hold ({exc}); split or shorten "
                         "its literal") from exc
    default = ox.NamedNode(file_graph)
    graphs: dict[str, list[str]] = {}
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
    return graphs
