"""`export()` and `sparql()`: the graph out, as RDF or as query results."""

from gtkg.ontology import PREFIXES
from gtkg.store import open_store

FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld")


def export(*, store=None, endpoint: str | None = None, format: str = "turtle") -> bytes:
    """Serialize the whole graph; the same store content always gives the same bytes.

    Turtle and N-Triples hold the union of all file graphs; N-Quads, TriG and JSON-LD keep each file's graph.
    """
    if format not in FORMATS:
        from gtkg.errors import InputError

        raise InputError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    backend = open_store(store, endpoint=endpoint, read_only=True)
    try:
        return backend.dump(format, prefixes=PREFIXES if format in ("turtle", "trig") else None)
    finally:
        backend.close()


def sparql(query: str, *, store=None, endpoint: str | None = None):
    """Run ad-hoc SPARQL over all graphs: a Table (SELECT), a bool (ASK) or Turtle bytes (CONSTRUCT)."""
    backend = open_store(store, endpoint=endpoint, read_only=True)
    try:
        return backend.query(query)
    finally:
        backend.close()
