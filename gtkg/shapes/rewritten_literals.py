"""Shapes the store cannot answer as SPARQL: they compare literals that it holds in another form.

The store rewrites some literals ("4.0"^^xsd:decimal as "4", "5"^^xsd:int as "5"^^xsd:integer; see
gtkg.store.literals), the constants of queries included, and SHACL compares terms as written. So a shape goes
to pySHACL (which sees the data's own terms on its copy) when it names such a literal (sh:targetNode 4.0,
sh:hasValue, sh:in), or reads a predicate of which the store holds rewritten literals of the data.
"""

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from gtkg.shapes.rdflib_bridge import SH, to_oxigraph
from gtkg.store.literals import held, may_change

STRUCTURE = (RDF.first, RDF.rest, SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath,
             SH.zeroOrOnePath)
READ = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.targetSubjectsOf, SH.targetObjectsOf)


def unanswerable(graph: Graph, members: list, rewritten: set) -> bool:
    """Whether a shape (its node shape and property shapes) needs terms the store does not hold."""
    return _names_rewritten_literal(graph, members) or bool(rewritten and _predicates(graph, members) & rewritten)


def _names_rewritten_literal(graph: Graph, members: list) -> bool:
    named = [v for m in members for p in (SH.targetNode, SH.hasValue) for v in graph.objects(m, p)]
    named += [v for m in members for head in graph.objects(m, SH["in"]) for v in Collection(graph, head)]
    literals = [to_oxigraph(v) for v in named if isinstance(v, Literal)]
    literals = [v for v in literals if may_change(v)]
    return bool(literals) and any(stored != literal for literal, stored in held(literals).items())


def _predicates(graph: Graph, members: list) -> set:
    found = {v for m in members for p in READ for v in graph.objects(m, p)}
    for member in members:
        path = graph.value(member, SH.path)
        if path is not None:
            found |= path_predicates(graph, path)
    return found


def path_predicates(graph: Graph, node) -> set:
    """The predicates a SHACL property path walks (every IRI in its structure)."""
    found, todo, seen = set(), [node], set()
    while todo:
        node = todo.pop()
        if isinstance(node, URIRef) and node != RDF.nil:
            found.add(node)
        elif isinstance(node, BNode) and node not in seen:
            seen.add(node)
            todo += [o for p, o in graph.predicate_objects(node) if p in STRUCTURE]
    return found
