"""Query results and dumps as gtkg values and bytes, the same way for every backend.

Both backends hand pyoxigraph objects to these functions (the remote one after parsing what the server
sent), so the same content gives the same Table and the same bytes wherever it is stored.
"""

import math
import threading
import time

import pyoxigraph as ox

from gtkg.ontology import XSD

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def as_value(result, deadline: float | None = None):
    """A Table for solutions, a bool for a boolean, sorted Turtle bytes for triples.

    Past `deadline` (a time.monotonic() value) reading the results stops with QueryTimeoutError."""
    from gtkg.formats import Table

    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    items = result if deadline is None else _until(result, deadline)
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        return Table(columns, [[to_python(term) for term in solution] for solution in items])
    return ox.serialize(sorted(set(items), key=str), format=ox.RdfFormat.TURTLE)


class _until:
    """Query results that stop (QueryTimeoutError) when read past a deadline; checked every 1,024 items."""

    def __init__(self, results, deadline: float):
        self._results, self._deadline = results, deadline

    def __iter__(self):
        for count, item in enumerate(self._results):
            if not count & 1023 and time.monotonic() > self._deadline:
                raise _expired()
            yield item


def within(timeout: float, run):
    """run(deadline) in a daemon thread; its result, or QueryTimeoutError once `timeout` seconds have passed.

    The caller waits interruptibly (Ctrl-C reaches it). A daemon thread does not keep the process alive, so a
    command that gives up on a query exits at once.
    """
    deadline = time.monotonic() + timeout
    if math.isinf(timeout):
        deadline = math.inf
    outcome: dict = {}
    done = threading.Event()

    def work():
        try:
            outcome["value"] = run(deadline)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="gtkg-query", daemon=True).start()
    if not done.wait(None if math.isinf(timeout) else timeout):
        raise _expired(timeout)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _expired(timeout: float | None = None):
    from gtkg.errors import QueryTimeoutError

    limit = f"{timeout:g} s" if timeout else "its time limit"
    return QueryTimeoutError(f"the query did not finish within {limit} and was abandoned; raise the limit "
                             "with --timeout SECONDS (0: no limit), or narrow the query")


def serialize(graphs: dict, fmt: str, prefixes: dict | None = None) -> bytes:
    """Each graph's N-Triples (graph IRI, or None for the default graph -> bytes written by pyoxigraph) as
    `fmt`, sorted so that the same content always gives the same bytes.

    Dataset formats keep each graph (sorted by graph, then triple); the others hold the union of all
    graphs as distinct triples (a triple in two graphs is written once). Sorting the N-Triples lines as bytes
    keeps the work in C; the lines are parsed once more only for the formats that need it. Blank nodes get
    canonical (RDFC-1.0) labels, since each store labels them its own way. Literals the store rewrote are
    written back as the files wrote them (see gtkg.store.literals).
    """
    from gtkg.store.literals import restore

    rdf_format = FORMATS[fmt]
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
