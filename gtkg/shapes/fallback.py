"""pySHACL for the shapes the compiler leaves out (sh:or, sh:node, qualified shapes, sh:closed, ...).

pySHACL validates an in-memory rdflib copy of just the triples those shapes can see: the predicates on their
paths and in their targets, the rdf:type triples of the classes they name (and subclasses), and the class
hierarchy. Over a pyoxigraph store pySHACL is slow and wrong (plain strings come back as xsd:string), hence
the copy; xsd:string literals become plain rdflib literals on the way, and literals the store rewrote go back
to the files' own terms (see gtkg.store.literals).
"""

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef

from gtkg.errors import ShapeError
from gtkg.shapes.compiler import TARGETS, deactivated
from gtkg.shapes.engine import Result
from gtkg.shapes.rdflib_bridge import SH, is_true, rdflib_graph, to_rdflib

PATH_KEYS = (SH.path, SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath,
             RDF.first, RDF.rest)
BOOLEANS = (SH.closed, SH.uniqueLang, SH.qualifiedValueShapesDisjoint)
PAIRS = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.targetSubjectsOf, SH.targetObjectsOf)


def run(db: ox.Store, graph: Graph, delegated: list, written: dict | None = None) -> list[Result]:
    """pySHACL's results for the delegated shapes; `written` (gtkg.store.literals.written) puts the data's
    literals on the copy as the files wrote them."""
    import pyshacl

    shapes = shapes_for(graph, delegated)
    data = data_for(db, shapes, written or {})
    try:
        _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                                    js=False, allow_warnings=False)
    except Exception as exc:  # pySHACL raises its own error types for malformed shapes
        raise ShapeError(f"pySHACL could not validate shapes {', '.join(map(str, delegated))}: {exc}") from exc
    if not isinstance(report, Graph):
        raise ShapeError(f"pySHACL could not validate shapes {', '.join(map(str, delegated))}: {report}")
    return [_result(report, node) for node in report.objects(None, SH.result)]


def shapes_for(graph: Graph, delegated: list) -> Graph:
    """The shapes graph, keeping the targets of the delegated shapes only; SPARQL constraints run elsewhere."""
    keep = set(delegated)
    shapes = Graph()
    for triple in graph:
        subject, predicate, _ = triple
        if predicate == SH.sparql or (predicate in TARGETS and subject not in keep):
            continue
        shapes.add(triple)
    for shape in graph.subjects(RDF.type, RDFS.Class):  # implicit class targets of shapes run here
        if shape not in keep and (shape, RDF.type, SH.NodeShape) in shapes:
            shapes.add((shape, SH.deactivated, Literal(True)))
    for parameter in BOOLEANS:  # pySHACL takes "1"^^xsd:boolean for true; SHACL's parameters are on only if true
        for triple in list(shapes.triples((None, parameter, None))):
            if not is_true(triple[2]):
                shapes.remove(triple)
    return shapes


def data_for(db: ox.Store, shapes: Graph, written: dict | None = None) -> Graph:
    """The triples the shapes can see, copied from the store into rdflib, literals as the files wrote them."""
    if any(is_true(v) for v in shapes.objects(None, SH.closed)):
        return _as_written(_copy(db, "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"), db, written or {}, None)
    predicates = {RDFS.subClassOf}
    for key in PATH_KEYS:
        predicates.update(o for o in shapes.objects(None, key) if isinstance(o, URIRef) and o != RDF.nil)
    for key in PAIRS:
        predicates.update(o for o in shapes.objects(None, key) if isinstance(o, URIRef))
    classes = set(shapes.objects(None, SH.targetClass)) | set(shapes.objects(None, SH["class"]))
    classes |= {s for s in shapes.subjects(RDF.type, RDFS.Class) if not deactivated(shapes, s)}
    query = ("SELECT DISTINCT ?s ?p ?o WHERE { { VALUES ?p { " + " ".join(p.n3() for p in predicates if
                                                                        p != RDF.type) + " } ?s ?p ?o }")
    if RDF.type in predicates:
        query += " UNION { ?s a ?o BIND(rdf:type AS ?p) }"
    elif classes:
        query += (" UNION { VALUES ?c { " + " ".join(c.n3() for c in classes if not isinstance(c, BNode)) +
                  " } ?o rdfs:subClassOf* ?c . ?s a ?o BIND(rdf:type AS ?p) }")
    prefixes = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
    return _as_written(_copy(db, prefixes + query + " }"), db, written or {}, predicates)


def _as_written(data: Graph, db: ox.Store, written: dict, predicates: set | None) -> Graph:
    """Replace, on the copy, each stored triple that records cover by the triples the files wrote. A stored
    triple stays when a graph without a record for it holds it too (another file wrote it so)."""
    covered = {(graph, stored) for graph, entries in written.items() for stored, _ in entries}
    for entries in written.values():
        for stored, triples in entries:
            if predicates is not None and URIRef(stored.predicate.value) not in predicates:
                continue
            holders = {q.graph_name.value for q in db.quads_for_pattern(*stored, None)
                       if not isinstance(q.graph_name, ox.DefaultGraph)}  # the files' graphs, not the merge
            if all((holder, stored) in covered for holder in holders):
                data.remove(tuple(map(to_rdflib, stored)))
            for triple in triples:
                data.add(tuple(map(to_rdflib, triple)))
    return data


def _copy(db: ox.Store, query: str) -> Graph:
    return rdflib_graph(db.query(query))


def _result(report: Graph, node) -> Result:
    value = report.value(node, SH.value)
    return Result(report.value(node, SH.focusNode), report.value(node, SH.resultSeverity),
                  report.value(node, SH.sourceShape), report.value(node, SH.sourceConstraintComponent),
                  report.value(node, SH.resultMessage), None, report.value(node, SH.resultPath), report, value,
                  report.value(node, SH.sourceConstraint))
