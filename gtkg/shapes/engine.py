"""Run a compiled plan on a pyoxigraph store: each check's solutions become validation results."""

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from gtkg.errors import ShapeError, StoreError
from gtkg.shapes.compiler import Check, Plan
from gtkg.shapes.rdflib_bridge import SH, label, to_rdflib

THREADS = min(4, (os.cpu_count() or 1) + 1)
TYPED = ("not-allowed", "untyped-link")  # a link's type missing or not one of its kind's
COUNTED = (SH.MinCountConstraintComponent, SH.InConstraintComponent)


@dataclass
class Result:
    """One validation result, before it is located and written into the report graph."""

    focus: object
    severity: URIRef
    shape: object
    component: URIRef
    message: Literal | None
    problem: str | None
    path: object = None  # a path node of path_graph
    path_graph: Graph | None = None
    value: object = None
    constraint: object = None
    file: URIRef | None = None  # where to report it, when the check said so
    line: int | None = None
    other: tuple | None = None  # (value, file IRI, line): the other side of a disagreement (?otherValue, ...)
    distinct: tuple = ()  # what tells it apart from a result with the same focus and value (see Check.parameter)


def run(plan: Plan, db: ox.Store, graph: Graph) -> list[Result]:
    """Every check's results, once each (a query may give one result in several solutions).

    The store evaluates queries outside the GIL, so a few threads keep both cores busy.
    """
    results = {}
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for check, solutions in zip(plan.checks, pool.map(lambda c: list(query(db, c)), plan.checks), strict=True):
            for solution in solutions:
                result = sparql_result(check, solution, graph) if check.sparql else core_result(check, solution, graph)
                if result is not None:
                    results.setdefault(_key(result), result)
    return list(results.values())


def _key(result: Result) -> tuple:
    return (result.shape, result.component, result.constraint, result.focus, str(result.path), result.value,
            str(result.message), result.file, result.line, result.distinct)


def query(db: ox.Store, check: Check):
    try:
        return db.query(check.query)
    except SyntaxError as exc:
        reason = str(exc).splitlines()[0][:200]
        raise ShapeError(f"shape {label(check.shape)}: its {'SPARQL constraint' if check.sparql else 'constraint'} "
                         f"cannot run as SPARQL: {reason}") from exc
    except (OSError, RuntimeError) as exc:
        raise StoreError(f"the store failed while checking shape {label(check.shape)}: {exc}") from exc


def core_result(check: Check, solution, graph: Graph) -> Result:
    value = solution["value"]
    return Result(to_rdflib(solution["this"]), check.severity, check.shape, check.component, check.message,
                  check.problem, check.path, graph, to_rdflib(value) if value is not None else None,
                  distinct=(check.parameter, *(solution[name] for name in check.extra)))


def sparql_result(check: Check, solution, graph: Graph) -> Result | None:
    """Map one solution as SHACL-SPARQL says ($this, ?value, ?path, ?failure) plus ?problem, ?file, ?line and the
    other side of a disagreement: ?otherValue, ?otherFile, ?otherLine."""
    this = solution["this"]
    if this is None:
        return None
    failure = solution["failure"]
    if failure is not None and failure.value in ("true", "1"):
        raise ShapeError(f"shape {label(check.shape)}: its SPARQL constraint reported a failure (?failure)")
    focus = to_rdflib(this)
    value, path, problem, file, line = (solution[name] for name in ("value", "path", "problem", "file", "line"))
    result = Result(focus, check.severity, check.shape, check.component, fill(check.message, solution),
                    str(problem.value) if isinstance(problem, ox.Literal) else check.problem,
                    check.path, graph, to_rdflib(value) if value is not None else None, check.constraint)
    if isinstance(path, ox.NamedNode):
        result.path, result.path_graph = URIRef(path.value), None
    if result.value is None and check.path is None:
        result.value = focus
    if isinstance(file, ox.NamedNode):
        result.file = URIRef(file.value)
        result.line = _line(line)
    other_value, other_file, other_line = (solution[name] for name in ("otherValue", "otherFile", "otherLine"))
    if other_value is not None or isinstance(other_file, ox.NamedNode):
        result.other = (to_rdflib(other_value) if other_value is not None else None,
                        URIRef(other_file.value) if isinstance(other_file, ox.NamedNode) else None, _line(other_line))
    return result


def _line(term) -> int | None:
    return int(term.value) if isinstance(term, ox.Literal) and term.value.isdigit() else None


def fill(template: Literal | None, solution) -> Literal | None:
    """Substitute {?var} and {$var} in a SPARQL constraint's message with the solution's values."""
    if template is None:
        return None

    def value(match):
        term = solution[match.group(1)]
        return "" if term is None else term.value

    return Literal(re.sub(r"\{[?$](\w+)\}", value, str(template)), lang=template.language)


def drop_shadowed(results: list[Result], places) -> list[Result]:
    """Drop results another result already explains, so that one defect is reported once.

    A wrong-kind link end that is not declared at all is its undeclared-code result; an undeclared name of an
    axial coding trace that is the undeclared end of a link in the same file is that link's result; a link
    typed with an unknown stereotype is that stereotype's diagnostic, not also an untyped link; a name imported
    from a module that is not loaded is that import's info, and the info goes once the name is declared.
    """
    undeclared = {(r.focus, str(r.path), r.value) for r in results if r.problem == "undeclared-code"}
    link_ends = {(r.value, places.file_of(r.focus)) for r in results
                 if r.problem == "undeclared-code" and places.is_link(r.focus)}
    misspelt = {str(places.about(r.focus)) for r in results if r.problem == "unknown-stereotype"}
    imported = {places.about(r.focus): r for r in results if r.problem == "import-not-loaded"}
    stale = {id(r) for about, r in imported.items() if places.is_declared(about)}
    return [r for r in results if not (
        (r.problem == "wrong-kind" and (r.focus, str(r.path), r.value) in undeclared)
        or (r.problem == "undeclared-code" and not places.is_link(r.focus)
            and (r.value, places.file_of(r.focus)) in link_ends)
        or (r.problem in TYPED and str(r.focus) in misspelt and r.component in COUNTED)
        or (r.problem == "undeclared-code" and r.value is not None and str(r.value) in imported)
        or id(r) in stale)]
