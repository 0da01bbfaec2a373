"""Query results and dumps as gtkg values and bytes, the same way for every backend.

Both backends hand pyoxigraph objects to these functions (the remote one after parsing what the server
sent), so the same content gives the same Table and the same bytes wherever it is stored.
"""

import pyoxigraph as ox

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
        return Table(columns, [[to_python(s[c]) for c in columns] for s in result])
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return ox.serialize(sorted(set(result), key=str), format=ox.RdfFormat.TURTLE)


def serialize(quads, fmt: str, prefixes: dict | None = None) -> bytes:
    """Quads as `fmt`, sorted so that the same content always gives the same bytes.

    Dataset formats keep each graph (sorted by graph, then triple); the others hold the union of all
    graphs as distinct triples (a triple in two graphs is written once). Blank nodes get canonical
    (RDFC-1.0) labels, since each store labels them its own way.
    """
    rdf_format = FORMATS[fmt]
    quads = list(quads)
    if any(isinstance(term, ox.BlankNode) for q in quads for term in (q.subject, q.object, q.graph_name)):
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(dataset)
    if rdf_format.supports_datasets:
        items = sorted(quads, key=lambda q: (str(q.graph_name), str(q.triple)))
    else:
        items = sorted({q.triple for q in quads}, key=str)
    return ox.serialize(items, format=rdf_format, prefixes=prefixes)


def to_python(term):
    """A pyoxigraph term as a plain value: int, float, bool, str (IRIs as their string), or None."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype.endswith(("#integer", "#int", "#long", "#nonNegativeInteger")):
            return int(term.value)
        if datatype.endswith("#boolean"):
            return term.value in ("true", "1")
        if datatype.endswith(("#decimal", "#double", "#float")):
            return float(term.value)
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value
