"""Validation of a study graph against gtkg's SHACL shapes (gtkg-shapes.ttl) and a study's own.

`validate()` reads the shapes, compiles them into SPARQL queries (compiler.py) that the store answers
(engine.py), hands the few shapes the compiler does not translate to pySHACL (fallback.py), names and locates
every result (places.py) and returns a ValidationReport (report.py): findings sorted by severity, file and
line, and the standard SHACL report graph. Nothing is inferred: the ontology's class hierarchy, which the store
holds in its own graph, is all the reasoning there is (rdfs:subClassOf for targets and sh:class).
"""

from contextlib import contextmanager
from pathlib import Path

from gtkg.ontology import ONTOLOGY_GRAPH
from gtkg.shapes.report import Finding, ValidationReport, check_threshold

SHAPES_FILE = Path(__file__).with_name("gtkg-shapes.ttl")

__all__ = ["validate", "ValidationReport", "Finding", "SHAPES_FILE", "shapes_graph"]


def validate(*, store=None, shapes=(), fail_on="violation", severity=None, problems=(), sources=(),
             files=()) -> ValidationReport:
    """Validate the study in the store (a folder, an endpoint, or an open store) against gtkg's shapes plus
    `shapes` files.

    The report keeps the findings at or above `severity` (all by default; the text lists violations and warnings
    and counts infos unless `severity="info"`), of the `problems` named, about the `sources` (ids) or in the
    `files` (paths as loaded, or ending in them), each when given.

    Raises ShapeError when shapes cannot be read or use a feature gtkg does not support, StoreError when the
    data cannot be read.
    """
    from gtkg.shapes.rdflib_bridge import quiet_rdflib
    from gtkg.shapes.report import Selection

    if severity is not None:
        check_threshold(severity)
    selection = Selection(severity, tuple(problems), tuple(sources), tuple(files))
    with quiet_rdflib():
        return _validate(store, shapes, fail_on, selection)


def _validate(store, shapes, fail_on, selection) -> ValidationReport:
    from rdflib import URIRef

    from gtkg.shapes import engine, fallback, orphans
    from gtkg.shapes.compiler import compile_shapes, problem_of
    from gtkg.shapes.places import Places
    from gtkg.shapes.report import build
    from gtkg.store import using
    from gtkg.store.literals import written

    check_threshold(fail_on)
    graph = shapes_graph(shapes)
    plan = compile_shapes(graph)
    with using(store, read_only=True) as backend, _data(backend) as db:
        as_written = written(db)
        if as_written:  # literals of RDF files that the store rewrote: shapes that read them go to pySHACL
            plan = compile_shapes(graph, {URIRef(stored.predicate.value) for entries in as_written.values()
                                          for stored, _ in entries})
        results = engine.run(plan, db, graph)
        if plan.delegated:
            results += fallback.run(db, graph, plan.delegated, as_written)
        results += orphans.results(backend, db, graph)
        for result in results:
            result.problem = result.problem or problem_of(graph, result.shape)
        nodes = {str(t) for r in results for t in (r.focus, r.value, r.file, *(r.other or ())) if _is_iri(t)}
        places = Places(db, nodes)
        return build(engine.drop_shadowed(results, places), places, fail_on, selection)


def shapes_graph(extra=()):
    """gtkg's shapes plus the given shapes files, as one rdflib graph."""
    import pyoxigraph as ox

    from gtkg.shapes import study_shapes
    from gtkg.shapes.rdflib_bridge import rdflib_graph

    # pyoxigraph parses gtkg's own shapes 10x faster than rdflib
    graph = rdflib_graph(quad.triple for quad in ox.parse(path=SHAPES_FILE, format=ox.RdfFormat.TURTLE))
    if extra:
        graph += study_shapes.read(extra)
    return graph


@contextmanager
def open_data(store=None):
    """The study's data as a pyoxigraph store: the embedded store itself, else an in-memory copy.

    A remote endpoint is copied once (all its quads) so that every check runs locally; a store without the
    ontology graph (loaded by other means) gets the ontology added to its copy.
    """
    from gtkg.store import using

    with using(store, read_only=True) as backend, _data(backend) as db:
        yield db


@contextmanager
def _data(backend):
    import pyoxigraph as ox

    db = backend.engine()
    if db is None:
        db = ox.Store()
        db.bulk_extend(backend.quads())
    if not db.contains_named_graph(ox.NamedNode(ONTOLOGY_GRAPH)):
        db = _with_ontology(db)
    yield db


def _with_ontology(db):
    import pyoxigraph as ox

    from gtkg.ontology import ONTOLOGY_FILE

    copy = ox.Store()
    copy.bulk_extend(db.quads_for_pattern(None, None, None, None))
    copy.load(ONTOLOGY_FILE.read_bytes(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
    return copy


def _is_iri(term) -> bool:
    from rdflib import URIRef

    return isinstance(term, URIRef)
