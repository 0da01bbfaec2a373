"""Loose ends of the coding as findings: the rows of the stored query `orphans` over every loaded file (its scope
`all`), so that `gtkg validate` and `gtkg query orphans -p scope all` report the same codes by construction.

gts:OrphansShape in gtkg-shapes.ttl stands for these checks in the report (a study may deactivate it); the
query's undeclared codes are left to the shapes, which report each use.
"""

from rdflib import Literal, URIRef

from gtkg.nquads import nt_term
from gtkg.ontology import GTS, SPARQL_PREFIXES
from gtkg.shapes.compiler import deactivated
from gtkg.shapes.engine import Result
from gtkg.shapes.rdflib_bridge import SH

SHAPE = URIRef(GTS.OrphansShape)
PROBLEMS = {  # the query's problem -> the finding's problem and message ({kind} is the code's kind)
    "no-source": ("code-not-contained", "no source contains this {kind}: add it to a source's code list (a "
                  "contained_code link or an axial coding trace of its notes), or remove it"),
    "option-without-decision": ("option-without-decision", "the design solution is no decision's option, and no "
                                "dependency connects it to one: add add_decision_option_link(decision, solution, "
                                "\"name\"), or a dependency (can_use, realizes, includes, ...) from an option"),
    "decision-without-options": ("decision-without-options", "the decision has no options: add "
                                 "add_decision_option_link(decision, option, \"name\")"),
}


def results(backend, db, graph) -> list[Result]:
    """The query's rows as warnings at the code's first declaration; none when the shape is deactivated."""
    from gtkg.queries import run_query

    if deactivated(graph, SHAPE):
        return []
    rows = [row for row in run_query("orphans", {"scope": "all"}, store=backend).dicts() if row["problem"] in PROBLEMS]
    codes, files = _nodes(db, {row["code"] for row in rows}, {row["file"] for row in rows})
    found = []
    for row in rows:
        problem, message = PROBLEMS[row["problem"]]
        if row["code"] not in codes:
            continue
        found.append(Result(codes[row["code"]], SH.Warning, SHAPE, SH.SPARQLConstraintComponent,
                            Literal(message.format(kind=row["kind"] or "code"), lang="en"), problem,
                            file=files.get(row["file"]), line=row["line"]))
    return found


def _nodes(db, variables: set, paths: set) -> tuple[dict, dict]:
    """Variable -> code IRI, and path -> file IRI."""
    codes, files = {}, {}
    if variables:
        values = " ".join(nt_term(v) for v in sorted(variables))
        query = f"{SPARQL_PREFIXES}SELECT ?v ?c WHERE {{ VALUES ?v {{ {values} }} ?c gt:variable ?v ; a gt:Code }}"
        codes = {row["v"].value: URIRef(row["c"].value) for row in db.query(query)}
    if any(paths):
        values = " ".join(nt_term(p) for p in sorted(p for p in paths if p))
        query = f"{SPARQL_PREFIXES}SELECT ?p ?f WHERE {{ VALUES ?p {{ {values} }} ?f gt:path ?p ; a gt:InputFile }}"
        files = {row["p"].value: URIRef(row["f"].value) for row in db.query(query)}
    return codes, files
