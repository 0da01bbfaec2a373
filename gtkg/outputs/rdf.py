"""RDF formats, written by pyoxigraph: Turtle and N-Triples merge all graphs; N-Quads, TriG and JSON-LD keep
each graph."""

import pyoxigraph as ox

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def write(graphs: dict, output, prefixes: dict | None = None) -> bytes:
    """Each graph's N-Triples (graph IRI, or None for the default graph -> bytes written by pyoxigraph, as a
    store's dump() gives them) as the RDF format `output`, sorted so that the same content always gives the
    same bytes. Literals the store rewrote are written back as the files wrote them (see gtkg.store.literals).

    Dataset formats keep each graph (sorted by graph, then triple); the others hold the union of all
    graphs as distinct triples (a triple in two graphs is written once). Sorting the N-Triples lines as bytes
    keeps the work in C; the lines are parsed once more only for the formats that need it. Blank nodes get
    canonical (RDFC-1.0) labels, since each store labels them its own way.
    """
    from gtkg.store.literals import restore

    rdf_format = FORMATS[output.name]
    graphs = {graph: restore(text) for graph, text in graphs.items()}
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
    return {graph: ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) for graph, triples in by_graph.items()}
