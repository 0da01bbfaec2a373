"""SHACL shapes -> SPARQL queries the store runs, one per constraint, each selecting its violations.

Why: pySHACL costs about 30 microseconds per focus node and property shape, plus a copy of the data into
rdflib; a 100-source study has ~5000 located nodes, so it alone takes seconds. The store answers one query per
constraint in milliseconds. Only constraints whose meaning maps exactly onto SPARQL are compiled (COMPILED);
a shape using any other core constraint is validated, whole, by pySHACL (see fallback.py), which is also the
reference the tests compare this compiler against.

Every query selects ?this (the focus node) and, for value constraints, ?value. Focus nodes come from the
shape's targets, joined first, which is also how the $this of a SPARQL-based constraint is pre-bound.
"""

import re
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from gtkg.errors import ShapeError
from gtkg.ontology import GTS, OWL, SPARQL_PREFIXES
from gtkg.shapes.rdflib_bridge import SH, is_true, label, n3
from gtkg.shapes.rewritten_literals import unanswerable
from gtkg.shapes.xsd import ill_formed

PROBLEM = URIRef(GTS.problem)

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
CORE = {SH[name] for name in (
    "class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive maxInclusive minLength "
    "maxLength pattern languageIn uniqueLang equals disjoint lessThan lessThanOrEquals not and or xone node "
    "property qualifiedValueShape qualifiedMinCount qualifiedMaxCount closed hasValue in").split()}
COMPILED = {SH[name] for name in (
    "class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive maxInclusive minLength "
    "maxLength pattern in hasValue equals disjoint lessThan lessThanOrEquals uniqueLang").split()}
VALUES, FOCUS = ("this", "value"), ("this",)  # what a check selects: a result per value, or per focus node


@dataclass
class Check:
    """One constraint of one shape as a query; its solutions are validation results."""

    shape: object  # sh:sourceShape
    component: URIRef  # sh:sourceConstraintComponent
    query: str
    severity: URIRef
    message: Literal | None
    path: object = None  # the shape's sh:path node (in the shapes graph)
    problem: str | None = None
    constraint: object = None  # the sh:sparql constraint node
    sparql: bool = False  # a SPARQL-based constraint: its message is a template, its solutions map by name
    parameter: object = None  # the constraint's value (sh:class ex:C): two constraints give two results
    extra: tuple = ()  # variables that tell results apart beyond ?this and ?value (?other of a pair, ?lang)


@dataclass
class Plan:
    checks: list = field(default_factory=list)
    delegated: list = field(default_factory=list)  # shapes with targets that pySHACL validates


def compile_shapes(graph: Graph, rewritten: set = frozenset()) -> Plan:
    """Compile every shape with targets, and the property shapes of each, into checks.

    A shape goes to pySHACL whole when it uses a core constraint that is not compiled, or needs literals as
    written that the store holds in another form: ones it names, or the data's on the `rewritten`
    predicates (see gtkg.shapes.rewritten_literals)."""
    plan = Plan()
    reached = set()
    for shape in target_shapes(graph):
        focus = focus_pattern(graph, shape)
        members = [shape]
        if graph.value(shape, SH.path) is None:
            members += [p for p in graph.objects(shape, SH.property) if not deactivated(graph, p)]
        for member in members[1:]:
            if graph.value(member, SH.path) is None:
                raise ShapeError(f"property shape {label(member)} of {label(shape)} has no sh:path; give it one")
        if any(core_parameters(graph, m) - COMPILED for m in members) or unanswerable(graph, members, rewritten):
            plan.delegated.append(shape)
        else:
            for member in members:
                plan.checks += core_checks(graph, member, focus)
        for member in members:
            plan.checks += sparql_checks(graph, member, focus)
            reached.add(member)
    for shape in sorted(set(graph.subjects(SH.sparql, None)) - reached, key=str):
        if not deactivated(graph, shape) and not any(deactivated(graph, p) for p in graph.subjects(SH.property, shape)):
            raise ShapeError(f"shape {label(shape)} has a SPARQL constraint but no target of its own; gtkg runs "
                             "SPARQL constraints only on shapes with targets and on their property shapes")
    return plan


def target_shapes(graph: Graph) -> list:
    """Shapes that select focus nodes themselves (explicit targets, or a shape that is also a class)."""
    shapes = {s for t in TARGETS for s in graph.subjects(t, None)}
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in graph.subjects(RDF.type, kind):
            if (shape, RDF.type, RDFS.Class) in graph or (shape, RDF.type, URIRef(OWL.Class)) in graph:
                shapes.add(shape)
    return sorted((s for s in shapes if not deactivated(graph, s)), key=str)


def deactivated(graph: Graph, node) -> bool:
    return any(is_true(v) for v in graph.objects(node, SH.deactivated))


def core_parameters(graph: Graph, shape) -> set:
    found = {p for p in graph.predicates(shape, None) if p in CORE}
    if graph.value(shape, SH.path) is None:
        found.discard(SH.property)  # a node shape's property shapes are compiled one by one
    return found


def focus_pattern(graph: Graph, shape) -> str:
    """A group selecting the shape's focus nodes as ?this (full IRIs: it goes into queries of any prologue)."""
    classes = sorted(graph.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in graph or (shape, RDF.type, URIRef(OWL.Class)) in graph:
        classes.append(shape)
    parts = []
    if classes:  # the subclasses first, then their instances: faster than one rdf:type/rdfs:subClassOf* path each
        values = " ".join(n3(c) for c in classes)
        parts.append(f"VALUES ?targetClass {{ {values} }} ?class <{RDFS.subClassOf}>* ?targetClass . "
                     f"?this <{RDF.type}> ?class .")
    parts += [f"VALUES ?this {{ {n3(n)} }}" for n in sorted(graph.objects(shape, SH.targetNode))]
    parts += [f"?this {n3(p)} [] ." for p in sorted(graph.objects(shape, SH.targetSubjectsOf))]
    parts += [f"[] {n3(p)} ?this ." for p in sorted(graph.objects(shape, SH.targetObjectsOf))]
    union = " UNION ".join(f"{{ {part} }}" for part in parts)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


def sparql_path(graph: Graph, node) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(node, URIRef):
        return n3(node)
    if (node, RDF.first, None) in graph:
        return "(" + "/".join(sparql_path(graph, item) for item in Collection(graph, node)) + ")"
    for predicate, template in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"),
                                (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
        inner = graph.value(node, predicate)
        if inner is not None:
            return template.format(sparql_path(graph, inner))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(sparql_path(graph, item) for item in Collection(graph, alternatives)) + ")"
    raise ShapeError(f"cannot read the sh:path {node} (a list, or a blank node with sh:inversePath, "
                     "sh:alternativePath, sh:zeroOrMorePath, sh:oneOrMorePath or sh:zeroOrOnePath)")


# ---------------------------------------------------------------------------------------------- core

def core_checks(graph: Graph, shape, focus: str) -> list[Check]:
    path_node = graph.value(shape, SH.path)
    path = sparql_path(graph, path_node) if path_node is not None else None
    base = dict(shape=shape, severity=graph.value(shape, SH.severity) or SH.Violation,
                message=message_of(graph, shape), path=path_node, problem=problem_of(graph, shape))
    checks = []
    for parameter in sorted(core_parameters(graph, shape)):
        for value in graph.objects(shape, parameter):
            compiled = _COMPONENTS[parameter](graph, shape, value, path)
            if compiled is None:  # a parameter that is off (sh:uniqueLang false)
                continue
            component, where, variables = compiled
            if not where.lstrip().startswith("SELECT"):
                where = f"SELECT DISTINCT {' '.join('?' + v for v in variables)} WHERE {{ {focus} {where} }}"
            else:
                where = where.replace("$FOCUS", focus)
            checks.append(Check(component=SH[component], query=SPARQL_PREFIXES + where, parameter=value,
                                extra=tuple(v for v in variables if v not in VALUES), **base))
    return checks


def _values(path: str | None) -> str:
    return f"?this {path} ?value ." if path else "BIND(?this AS ?value)"


def _value_filter(component: str, condition: str):
    return lambda graph, shape, value, path: (component, f"{_values(path)} {condition.format(v=n3(value))}",
                                              VALUES)


def _datatype(graph, shape, value, path):
    test = ill_formed(value)
    lexical = f" || {test}" if test else ""
    return ("DatatypeConstraintComponent",
            f"{_values(path)} FILTER(!isLiteral(?value) || !sameTerm(DATATYPE(?value), {n3(value)}){lexical})", VALUES)


NODE_KINDS = {SH.IRI: "!isIRI(?value)", SH.BlankNode: "!isBlank(?value)", SH.Literal: "!isLiteral(?value)",
              SH.BlankNodeOrIRI: "isLiteral(?value)", SH.BlankNodeOrLiteral: "isIRI(?value)",
              SH.IRIOrLiteral: "isBlank(?value)"}


def _node_kind(graph, shape, value, path):
    if value not in NODE_KINDS:
        raise ShapeError(f"shape {label(shape)}: sh:nodeKind {value} is not a SHACL node kind")
    return "NodeKindConstraintComponent", f"{_values(path)} FILTER({NODE_KINDS[value]})", VALUES


def _in(graph, shape, value, path):
    allowed = " || ".join(f"sameTerm(?value, {n3(item)})" for item in Collection(graph, value)) or "false"
    return "InConstraintComponent", f"{_values(path)} FILTER(!({allowed}))", VALUES


def _has_value(graph, shape, value, path):
    if path is None:
        return "HasValueConstraintComponent", f"FILTER(!sameTerm(?this, {n3(value)}))", FOCUS
    return "HasValueConstraintComponent", f"MINUS {{ ?this {path} {n3(value)} }}", FOCUS


def _pattern(graph, shape, value, path):
    flags = graph.value(shape, SH.flags)
    arguments = f"{n3(Literal(str(value)))}" + (f", {n3(Literal(str(flags)))}" if flags is not None else "")
    return ("PatternConstraintComponent",
            f"{_values(path)} FILTER(isBlank(?value) || !REGEX(STR(?value), {arguments}))", VALUES)


def _count(component: str, comparison: str):
    def build(graph, shape, value, path):
        if path is None:
            raise ShapeError(f"shape {label(shape)}: sh:{component[0].lower()}{component[1:8]} needs a "
                             "property shape (sh:path)")
        if comparison == "<" and int(value) == 1:  # the common case, without grouping (MINUS: the fastest form)
            return component, f"MINUS {{ ?this {path} ?value }}", FOCUS
        join = "OPTIONAL" if comparison == "<" else ""
        return (component, f"SELECT ?this WHERE {{ $FOCUS {join} {{ ?this {path} ?value }} }} GROUP BY ?this "
                f"HAVING (COUNT(DISTINCT ?value) {comparison} {int(value)})", FOCUS)
    return build


def _comparison(component: str, operator: str, name: str):
    """sh:lessThan and sh:lessThanOrEquals: a result per pair of values that fails (SHACL 4.5.3)."""
    def build(graph, shape, value, path):
        if path is None:
            raise ShapeError(f"shape {label(shape)}: sh:{name} needs a property shape")
        return (component, f"?this {path} ?value . ?this {n3(value)} ?other . "
                f"FILTER(!COALESCE(?value {operator} ?other, false))", (*VALUES, "other"))
    return build


def _disjoint(graph, shape, value, path):
    return "DisjointConstraintComponent", f"{_values(path)} ?this {n3(value)} ?value .", VALUES


def _equals(graph, shape, value, path):
    other = n3(value)
    if path is None:  # the one value node is the focus node itself
        return ("EqualsConstraintComponent", "SELECT DISTINCT ?this ?value WHERE { { $FOCUS ?this "
                f"{other} ?value FILTER(!sameTerm(?value, ?this)) }} UNION {{ $FOCUS BIND(?this AS ?value) "
                f"FILTER NOT EXISTS {{ ?this {other} ?this }} }} }}", VALUES)
    one_way = "{{ ?this {} ?value OPTIONAL {{ ?this {} ?value BIND(true AS ?found) }} FILTER(!BOUND(?found)) }}"
    return "EqualsConstraintComponent", f"{one_way.format(path, other)} UNION {one_way.format(other, path)}", VALUES


def _unique_lang(graph, shape, value, path):
    """A result per language tag that two values share (tags compare case-insensitively); only `true` is on."""
    if not is_true(value):
        return None
    if path is None:
        raise ShapeError(f"shape {label(shape)}: sh:uniqueLang needs a property shape (sh:path)")
    return ("UniqueLangConstraintComponent", f"SELECT ?this ?lang WHERE {{ $FOCUS ?this {path} ?value "
            'FILTER(LANG(?value) != "") } GROUP BY ?this (LCASE(LANG(?value)) AS ?lang) '
            "HAVING (COUNT(DISTINCT ?value) > 1)", ("this", "lang"))


_COMPONENTS = {
    SH["class"]: _value_filter("ClassConstraintComponent",  # OPTIONAL/!BOUND: far faster than NOT EXISTS here
                               "OPTIONAL {{ ?value rdf:type ?type . ?type rdfs:subClassOf* {v} }} "
                               "FILTER(!BOUND(?type))"),
    SH.datatype: _datatype,
    SH.nodeKind: _node_kind,
    SH["in"]: _in,
    SH.hasValue: _has_value,
    SH.pattern: _pattern,
    SH.minLength: _value_filter("MinLengthConstraintComponent",
                                "FILTER(isBlank(?value) || STRLEN(STR(?value)) < {v})"),
    SH.maxLength: _value_filter("MaxLengthConstraintComponent",
                                "FILTER(isBlank(?value) || STRLEN(STR(?value)) > {v})"),
    SH.minInclusive: _value_filter("MinInclusiveConstraintComponent", "FILTER(!COALESCE(?value >= {v}, false))"),
    SH.minExclusive: _value_filter("MinExclusiveConstraintComponent", "FILTER(!COALESCE(?value > {v}, false))"),
    SH.maxInclusive: _value_filter("MaxInclusiveConstraintComponent", "FILTER(!COALESCE(?value <= {v}, false))"),
    SH.maxExclusive: _value_filter("MaxExclusiveConstraintComponent", "FILTER(!COALESCE(?value < {v}, false))"),
    SH.minCount: _count("MinCountConstraintComponent", "<"),
    SH.maxCount: _count("MaxCountConstraintComponent", ">"),
    SH.lessThan: _comparison("LessThanConstraintComponent", "<", "lessThan"),
    SH.lessThanOrEquals: _comparison("LessThanOrEqualsConstraintComponent", "<=", "lessThanOrEquals"),
    SH.disjoint: _disjoint,
    SH.equals: _equals,
    SH.uniqueLang: _unique_lang,
}


def message_of(graph: Graph, node) -> Literal | None:
    """The English (or untagged) sh:message of a shape or constraint."""
    messages = sorted(graph.objects(node, SH.message), key=lambda m: (getattr(m, "language", None) not in
                                                                       (None, "en"), str(m)))
    return messages[0] if messages else None


def problem_of(graph: Graph, shape) -> str | None:
    problem = graph.value(shape, PROBLEM)
    if problem is None:  # a property shape named by its node shape
        parent = graph.value(None, SH.property, shape)
        problem = graph.value(parent, PROBLEM) if parent is not None else None
    return str(problem) if problem is not None else None


# ---------------------------------------------------------------------------------------------- SPARQL

def sparql_checks(graph: Graph, shape, focus: str) -> list[Check]:
    checks = []
    path_node = graph.value(shape, SH.path)
    for constraint in sorted(graph.objects(shape, SH.sparql), key=str):
        if deactivated(graph, constraint):
            continue
        select = graph.value(constraint, SH.select)
        if select is None:
            raise ShapeError(f"shape {label(shape)}: its SPARQL constraint has no sh:select; gtkg runs SELECT "
                             "constraints only (not sh:ask validators)")
        text = str(select)
        if "$shapesGraph" in text:
            raise ShapeError(f"shape {label(shape)}: its SPARQL constraint uses $shapesGraph, which gtkg does not "
                             "support (the shapes are not in the store)")
        if "$currentShape" in text:
            if isinstance(shape, BNode):
                raise ShapeError("a blank-node shape uses $currentShape; give the shape an IRI")
            text = text.replace("$currentShape", n3(shape))
        if path_node is not None:
            text = re.sub(r"\$PATH\b", sparql_path(graph, path_node), text)
        query = declared_prefixes(graph, constraint) + with_focus(text, focus, shape)
        checks.append(Check(shape=shape, component=SH.SPARQLConstraintComponent, query=query,
                            severity=graph.value(shape, SH.severity) or SH.Violation,
                            message=message_of(graph, constraint) or message_of(graph, shape),
                            path=path_node, problem=problem_of(graph, shape), constraint=constraint, sparql=True))
    return checks


def declared_prefixes(graph: Graph, constraint) -> str:
    lines = {}
    for holder in graph.objects(constraint, SH.prefixes):
        for declaration in graph.objects(holder, SH.declare):
            prefix, namespace = graph.value(declaration, SH.prefix), graph.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines[str(prefix)] = f"PREFIX {prefix}: <{namespace}>\n"
    return "".join(lines[p] for p in sorted(lines))


_TOKEN = re.compile(r'#[^\n]*|"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
                    r'|<[^<>"{}|^`\\\x00-\x20]*>|.', re.DOTALL)


def with_focus(query: str, focus: str, shape) -> str:
    """Join the focus nodes first in the top-level WHERE group, which pre-binds $this (the same variable)."""
    depth = 0
    for token in _TOKEN.finditer(query):
        text = token.group(0)
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
        elif text == "{" and depth == 0:
            return f"{query[: token.end()]}\n  {focus}\n{query[token.end():]}"
    raise ShapeError(f"shape {label(shape)}: its SPARQL constraint has no WHERE group")
