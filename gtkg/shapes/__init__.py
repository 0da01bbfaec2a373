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
    """The study's data as a pyoxigraph store whose default graph holds each statement of the study once (the
    merge of the named graphs, which keep provenance) and which holds gtkg's ontology graph: the embedded
    store itself, else an in-memory copy made so.

    A remote endpoint is copied once (all its quads) so that every check runs locally; so is a store of an
    older gtkg (no merge), and a store without the ontology graph (loaded by other means).
    """
    from gtkg.store import using

    with using(store, read_only=True) as backend, _data(backend) as db:
        yield db


@contextmanager
def _data(backend):
    import pyoxigraph as ox

    db = backend.engine()
    if db is None or not getattr(backend, "merged", False) or not db.contains_named_graph(ox.NamedNode(ONTOLOGY_GRAPH)):
        db = _merged_copy(backend.quads())
    yield db


def _merged_copy(quads):
    """An in-memory store of the quads, with the ontology graph when they lack it, and the merge of its
    named graphs in its default graph."""
    import pyoxigraph as ox

    from gtkg.ontology import ONTOLOGY_FILE

    copy = ox.Store()
    copy.bulk_extend(quads)
    ontology = ox.NamedNode(ONTOLOGY_GRAPH)
    if not copy.contains_named_graph(ontology):
        copy.load(ONTOLOGY_FILE.read_bytes(), format=ox.RdfFormat.TURTLE, to_graph=ontology)
    copy.bulk_extend([ox.Quad(q.subject, q.predicate, q.object) for q in copy.quads_for_pattern(None, None, None)
                      if not isinstance(q.graph_name, ox.DefaultGraph)])
    return copy


def _is_iri(term) -> bool:
    from rdflib import URIRef

    return isinstance(term, URIRef)
