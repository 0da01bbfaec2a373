"""Query results and dumps as gtkg values and bytes, the same way for every backend.

Both backends hand pyoxigraph objects to these functions (the remote one after parsing what the server
sent), so the same content gives the same Table and the same bytes wherever it is stored.
"""

import pyoxigraph as ox

from gtkg.ontology import XSD

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def as_value(result):
    """A Table for solutions, a bool for a boolean, sorted Turtle bytes for triples."""
    from gtkg.formats import Table

    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        return Table(columns, [[to_python(term) for term in solution] for solution in result])
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return ox.serialize(sorted(set(result), key=str), format=ox.RdfFormat.TURTLE)


def serialize(graphs: dict, fmt: str, prefixes: dict | None = None) -> bytes:
    """Each graph's N-Triples (graph IRI, or None for the default graph -> bytes written by pyoxigraph) as
    `fmt`, sorted so that the same content always gives the same bytes.

    Dataset formats keep each graph (sorted by graph, then triple); the others hold the union of all
    graphs as distinct triples (a triple in two graphs is written once). Sorting the N-Triples lines as bytes
    keeps the work in C; the lines are parsed once more only for the formats that need it. Blank nodes get
    canonical (RDFC-1.0) labels, since each store labels them its own way.
    """
    rdf_format = FORMATS[fmt]
    if any(b"_:" in text for text in graphs.values()):  # may be inside a literal: then canonicalizing is harmless
        graphs = _canonical(graphs)
    if rdf_format.supports_datasets:
        lines = []
        for graph in sorted(graphs, key=lambda g: "" if g is None else g):
            suffix = b" ." if graph is None else f" <{graph}> .".encode()
            lines += [line[:-2] + suffix for line in sorted(set(graphs[graph].splitlines()))]
        text, parsed_format = b"\n".join(lines), ox.RdfFormat.N_QUADS
    else:
        text = b"\n".join(sorted({line for nt in graphs.values() for line in nt.splitlines()}))
        parsed_format = ox.RdfFormat.N_TRIPLES
    text += b"\n" if text else b""
    if rdf_format == parsed_format:
        return text
    return ox.serialize(ox.parse(text, format=parsed_format), format=rdf_format, prefixes=prefixes)


def _canonical(graphs: dict) -> dict:
    dataset = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph() if graph is None else ox.NamedNode(graph))
        for graph, text in graphs.items() for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    by_graph: dict = {}
    for quad in dataset:
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        by_graph.setdefault(name, []).append(quad.triple)
    return {graph: ntriples(triples) for graph, triples in by_graph.items()}


def ntriples(triples) -> bytes:
    """Triples as N-Triples bytes, the form `serialize` expects for each graph."""
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def _boolean(text: str) -> bool:
    return text in ("true", "1")


_CONVERTERS = {ox.NamedNode(XSD[name]): convert for names, convert in (
    (("integer", "int", "long", "nonNegativeInteger"), int),
    (("boolean",), _boolean),
    (("decimal", "double", "float"), float),
) for name in names}


def to_python(term):
    """A pyoxigraph term as a plain value: int, float, bool, str (IRIs as their string), or None."""
    kind = term.__class__
    if kind is ox.Literal:
        convert = _CONVERTERS.get(term.datatype)
        return term.value if convert is None else convert(term.value)
    if kind is ox.BlankNode:
        return f"_:{term.value}"
    return None if term is None else term.value
