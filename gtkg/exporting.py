"""`export()` and `sparql()`: the graph out, as RDF or as query results."""

from gtkg.ontology import PREFIXES
from gtkg.store import using


def export(*, store=None, format: str = "turtle") -> bytes:
    """Serialize the whole graph in an RDF output format (gtkg.outputs); the same store content always gives
    the same bytes.

    Turtle and N-Triples hold the union of all file graphs; N-Quads, TriG and JSON-LD keep each file's graph.
    """
    from gtkg.outputs import get

    output = get(format, "rdf")
    with using(store, read_only=True) as backend:
        graphs = backend.dump()
    return output.writer().write(graphs, output, PREFIXES if format in ("turtle", "trig") else None)


def sparql(query: str, *, store=None, timeout: float | None = None, allow_service: bool = False):
    """Run ad-hoc SPARQL over all graphs: a Table (SELECT), a bool (ASK) or Turtle bytes (CONSTRUCT). The
    prefixes of gtkg.ontology.PREFIXES (gt, rdf, rdfs, xsd, owl, dcterms, prov, skos, oa) are declared.

    Only queries: an update is refused. A SERVICE clause (which makes the engine fetch another URL) is
    refused unless `allow_service`. `timeout` (seconds) raises QueryTimeoutError when the query runs longer.
    """
    from gtkg.store.sparql_text import refuse_service, refuse_update, utf8

    utf8(query, "the query")
    refuse_update(query)
    if not allow_service:
        refuse_service(query)
    with using(store, read_only=True) as backend:
        return backend.query(query, timeout=timeout, prefixes=PREFIXES)
