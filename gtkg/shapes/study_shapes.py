"""Reading a study's own shapes (--shapes) and refusing what gtkg would otherwise skip silently.

Supported: SHACL Core (all of it: most constraints run as SPARQL on the store, the rest through pySHACL) and
SHACL-SPARQL SELECT constraints on shapes with targets and on their property shapes. Not supported, each
an error naming the shape and the feature: SHACL Advanced Features (rules, custom targets, functions, node
expressions), SHACL-JS, custom constraint components (sh:ConstraintComponent validators), sh:ask
validators, sh:entailment (gtkg validates without inference), sh:shapesGraph imports, and SPARQL
constraints on shapes reached only through sh:node, sh:or and the like. A feature is refused where it is used
(as a predicate, or as the class of a node), not where a shape merely names it as a value (sh:targetObjectsOf
sh:shapesGraph). Also refused: a term of the sh: namespace that SHACL does not define (a typo such as
sh:minCont), a gt: term the ontology does not define, a shape that has no target and that no other shape
refers to (it would check nothing), and shapes that fail the SHACL-for-SHACL shapes. SHACL's own report
vocabulary (sh:ValidationReport, sh:result, ...) may stand in a shapes file, e.g. a test's expected report;
it checks nothing. Any IRI may be a severity (SHACL allows custom severities).
"""

from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, URIRef
from rdflib.collection import Collection

from gtkg.errors import ShapeError
from gtkg.loaders.rdf import file_iri
from gtkg.ontology import GT, ONTOLOGY_FILE
from gtkg.shapes.compiler import TARGETS, target_shapes
from gtkg.shapes.rdflib_bridge import SH, compact, label, rdflib_graph

ADVANCED = "SHACL Advanced Features (rules, custom targets, functions, node expressions)"
JAVASCRIPT = "SHACL-JS (JavaScript constraints)"
COMPONENTS = "custom constraint components (sh:ConstraintComponent with validators)"
UNSUPPORTED = {
    **dict.fromkeys("rule Rule SPARQLRule TripleRule condition subject predicate object target Target TargetType "
                    "SPARQLTarget SPARQLTargetType Function SPARQLFunction returnType optional expression "
                    "ExpressionConstraintComponent filterShape nodes intersection union this "
                    "resultAnnotation ResultAnnotation annotationProperty annotationValue "
                    "annotationVarName".split(), ADVANCED),
    **dict.fromkeys("js jsFunctionName jsLibrary jsLibraryURL JSConstraint JSConstraintComponent JSExecutable "
                    "JSFunction JSLibrary JSRule JSTarget JSTargetType JSValidator".split(), JAVASCRIPT),
    **dict.fromkeys("ConstraintComponent parameter Parameter Parameterizable validator nodeValidator "
                    "propertyValidator SPARQLAskValidator SPARQLSelectValidator Validator labelTemplate".split(),
                    COMPONENTS),
    "ask": "SPARQL ASK validators (gtkg runs SELECT constraints)",
    "construct": "SPARQL CONSTRUCT executables",
    "update": "SPARQL UPDATE executables",
    "entailment": "entailment regimes (gtkg validates without inference)",
    "shapesGraph": "sh:shapesGraph imports (pass each shapes file with --shapes instead)",
}
SUPPORTED = set(
    "Shape NodeShape PropertyShape IRI BlankNode Literal BlankNodeOrIRI BlankNodeOrLiteral IRIOrLiteral Violation "
    "Warning Info SPARQLConstraint PrefixDeclaration PropertyGroup targetClass targetNode targetSubjectsOf "
    "targetObjectsOf severity message deactivated path inversePath alternativePath zeroOrMorePath oneOrMorePath "
    "zeroOrOnePath class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive maxInclusive "
    "minLength maxLength pattern flags languageIn uniqueLang equals disjoint lessThan lessThanOrEquals not and or "
    "xone node property qualifiedValueShape qualifiedMinCount qualifiedMaxCount qualifiedValueShapesDisjoint "
    "closed ignoredProperties hasValue in name description order group defaultValue sparql select prefixes "
    "declare prefix namespace suggestedShapesGraph".split())
REPORT = set(  # the validation report vocabulary and the names of the core constraint components
    "ValidationReport ValidationResult AbstractResult Severity NodeKind conforms result focusNode resultPath "
    "resultSeverity sourceShape sourceConstraint sourceConstraintComponent value resultMessage detail "
    "shapesGraphWellFormed".split()) | {f"{name}ConstraintComponent" for name in (
        "Class Datatype NodeKind MinCount MaxCount MinExclusive MinInclusive MaxExclusive MaxInclusive MinLength "
        "MaxLength Pattern LanguageIn UniqueLang Equals Disjoint LessThan LessThanOrEquals Not And Or Xone Node "
        "Property QualifiedMinCount QualifiedMaxCount Closed HasValue In SPARQL").split()}
SHACL_SHACL = "http://www.w3.org/ns/shacl-shacl"  # pyshacl/assets/shacl-shacl.ttl, loaded without network
REFERENCES = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
LISTS = (SH["and"], SH["or"], SH.xone)


def read(paths) -> Graph:
    """Parse a study's shapes files into one graph and check them; raises ShapeError.

    pyoxigraph parses them (rdflib would rewrite literals: "1"^^xsd:boolean to "true"); relative IRIs resolve
    against the file, as when it is loaded as data."""
    graph = Graph()
    for path in paths:
        rdf_format = ox.RdfFormat.from_extension(Path(path).suffix[1:].lower()) or ox.RdfFormat.TURTLE
        try:
            graph += rdflib_graph(quad.triple for quad in ox.parse(path=path, format=rdf_format,
                                                                   base_iri=file_iri(path)))
        except FileNotFoundError:
            raise ShapeError(f"{path}: no such shapes file") from None
        except OSError as exc:
            raise ShapeError(f"{path}: cannot read the shapes: {exc.strerror or exc}") from exc
        except SyntaxError as exc:
            raise ShapeError(f"{path}: cannot read the shapes: {exc}; fix the {rdf_format.name} there") from exc
    check(graph, ", ".join(map(str, paths)))
    return graph


def check(graph: Graph, where: str) -> None:
    for subject, predicate, obj in sorted(graph, key=lambda t: (isinstance(t[0], BNode), str(t[1]))):
        _check_term(graph, subject, predicate, where, used=True)
        _check_term(graph, subject, obj, where, used=predicate == RDF.type)
    for shape in _idle_shapes(graph):
        raise ShapeError(f"{where}: shape {label(shape)} has no target and no other shape refers to it, so it "
                         "would check nothing; give it sh:targetClass (or another target)")
    _meta_validate(graph, where)


def _check_term(graph: Graph, subject, term, where: str, used: bool) -> None:
    """Refuse a typo, or an unsupported feature `used` (as a predicate or a class), not one named as a value."""
    text = str(term)
    if isinstance(term, URIRef) and text.startswith(str(SH)):
        name = text[len(str(SH)):]
        if name in UNSUPPORTED and used:
            raise ShapeError(f"{where}: {owner(graph, subject)} uses sh:{name}: {UNSUPPORTED[name]} is not "
                             "supported by gtkg validate; rewrite it with SHACL Core or a SPARQL SELECT constraint")
        if name not in SUPPORTED | REPORT | UNSUPPORTED.keys():
            raise ShapeError(f"{where}: {owner(graph, subject)} uses sh:{name}, which is not a SHACL term (a typo?)")
    elif isinstance(term, URIRef) and text.startswith(str(GT)) and text not in ontology_terms():
        raise ShapeError(f"{where}: {owner(graph, subject)} uses {compact(term)}, which the gtkg ontology does not "
                         "define (a typo?)")


def owner(graph: Graph, node) -> str:
    """Name a node by the nearest shape with an IRI above it (blank nodes are unnamed in error messages)."""
    seen = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        parent = next(graph.subjects(None, node), None)
        if parent is None:
            break
        node = parent
    return label(node) if not isinstance(node, BNode) else "a blank-node shape"


def _idle_shapes(graph: Graph) -> list:
    declared = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    used = set(target_shapes(graph)) | {s for s in declared for t in TARGETS if graph.value(s, t) is not None}
    used |= {o for p in REFERENCES for o in graph.objects(None, p)}
    for predicate in LISTS:
        for head in graph.objects(None, predicate):
            used.update(Collection(graph, head))
    used |= set(graph.subjects(SH.deactivated, None))
    return sorted(declared - used, key=str)


def _meta_validate(graph: Graph, where: str) -> None:
    """Check the shapes against the SHACL-for-SHACL shapes, which pySHACL ships (baked in under SHACL_SHACL)."""
    conforms, report, _text = meta_validate(graph)
    if not conforms:
        problems = sorted(f"{owner(graph, report.value(r, SH.focusNode))}: {compact(report.value(r, SH.resultPath))} "
                          f"{report.value(r, SH.value)!s}: {report.value(r, SH.resultMessage)}"
                          for r in report.objects(None, SH.result))
        raise ShapeError(f"{where}: the shapes are not valid SHACL: {'; '.join(problems[:5])}")


def meta_validate(graph: Graph):
    """pySHACL's (conforms, report graph, text) for `graph` as data against SHACL-for-SHACL."""
    import pyshacl

    return pyshacl.validate(graph, shacl_graph=SHACL_SHACL, inference="none")


@cache
def ontology_terms() -> frozenset:
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    return frozenset(str(s) for s in ontology.subjects() if isinstance(s, URIRef))
