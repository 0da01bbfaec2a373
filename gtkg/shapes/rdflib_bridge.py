"""Small helpers for rdflib and pyoxigraph terms: SPARQL text, conversions, readable names."""

import logging
import warnings
from contextlib import contextmanager
from urllib.parse import unquote

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef

from gtkg import ontology
from gtkg.errors import ShapeError
from gtkg.shapes.xsd import is_ill_formed

SH = Namespace(str(ontology.SH))  # rdflib namespaces of gtkg.ontology's IRIs, for the rdflib side of validation
XSD = Namespace(str(ontology.XSD))
XSD_STRING = str(XSD.string)
COMPACT = {**ontology.PREFIXES, "sh": str(ontology.SH), "gts": str(ontology.GTS)}


def n3(term) -> str:
    """An rdflib IRI or literal as SPARQL text (a blank node in a shape cannot be named in a query)."""
    if isinstance(term, BNode):
        raise ShapeError(f"a blank node ({term}) is used where gtkg needs an IRI or a literal in a shape")
    return term.n3()


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term; xsd:string literals become plain literals, as rdflib expects.

    Lexical forms stay as they are ("4.0"^^xsd:decimal, "1"^^xsd:boolean): SHACL compares terms, not values.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return Literal(term.value)
    literal = Literal(term.value, datatype=URIRef(datatype), normalize=False)
    # rdflib's own two departures from the term as written, undone on its private attributes: it collapses
    # the white space of xsd:token and xsd:normalizedString, and its judgement of ill-typed literals (which
    # pySHACL's sh:datatype reads) misses some ("4e0"^^xsd:decimal) that gtkg.shapes.xsd knows
    if str(literal) != term.value:
        literal = Literal(term.value)
        literal._datatype = URIRef(datatype)
    if is_ill_formed(term.value, datatype):
        literal._ill_typed = True
    return literal


def is_true(value) -> bool:
    """Whether a boolean parameter (sh:deactivated, sh:closed, ...) is on: only the term true is (not "1")."""
    return isinstance(value, Literal) and value.datatype == XSD.boolean and str(value) == "true"


@contextmanager
def quiet_rdflib():
    """rdflib logs a traceback for each ill-typed literal it converts ("c"^^xsd:byte) and warns of odd booleans
    and numbers; gtkg reports those literals itself (sh:datatype), so while it validates, rdflib keeps quiet."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module="rdflib.term")
            yield
    finally:
        logger.setLevel(level)


def rdflib_graph(triples) -> Graph:
    """pyoxigraph triples (or (subject, predicate, object) solutions) as an in-memory rdflib graph."""
    graph = Graph()
    add = graph.add
    for s, p, o in triples:
        add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph


def to_oxigraph(term):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is None:
        return ox.Literal(str(term))
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))


def compact(iri) -> str:
    """gt:Force for a known namespace, else the IRI; _:id for a blank node."""
    if isinstance(iri, BNode):
        return f"_:{iri}"
    text = str(iri)
    for prefix, namespace in COMPACT.items():
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text


def label(node) -> str:
    """How a shape or node is named in an error message."""
    return "a blank-node shape" if isinstance(node, BNode) else compact(node)


def tail(iri: str) -> str:
    """The readable last segment of a data IRI: .../code/rest_apis -> rest_apis."""
    return unquote(iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])


