"""Findings and the validation report: the standard SHACL report graph, plus text and JSON for people."""

import json as _json
import re
from dataclasses import asdict, dataclass, field
from functools import cached_property

from rdflib import RDF, BNode, Graph, Literal, URIRef

from gtkg.ontology import GT, GTS
from gtkg.shapes.compiler import sparql_path
from gtkg.shapes.rdflib_bridge import COMPACT, SH, XSD, compact, to_oxigraph

SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
PREFIXES = COMPACT
PROBLEM, FILE, PATH, LINE = URIRef(GTS.problem), URIRef(GT.file), URIRef(GT.path), URIRef(GT.line)
INTEGER = XSD.integer
ORDER = {"violation": 0, "warning": 1, "info": 2}
PLURALS = {"violation": "violations", "warning": "warnings", "info": "infos"}
DEFAULT_MESSAGES = {
    "Class": "the value is not an instance of the required class",
    "Datatype": "the value is not a literal of the required datatype",
    "NodeKind": "the value is not of the required node kind",
    "MinCount": "too few values",
    "MaxCount": "too many values",
    "In": "the value is not one of the allowed values",
    "HasValue": "the required value is missing",
    "Pattern": "the value does not match the required pattern",
    "MinLength": "the value is too short",
    "MaxLength": "the value is too long",
    "MinInclusive": "the value is below the minimum",
    "MinExclusive": "the value is not above the minimum",
    "MaxInclusive": "the value is above the maximum",
    "MaxExclusive": "the value is not below the maximum",
    "Equals": "the values differ from those of the other property",
    "Disjoint": "the value is also a value of the other property",
    "LessThan": "the value is not less than a value of the other property",
    "LessThanOrEquals": "the value is greater than a value of the other property",
    "UniqueLang": "two values have the same language tag",
    "SPARQL": "a SPARQL constraint selected this node",
}


@dataclass
class Finding:
    severity: str  # violation, warning or info
    problem: str  # short name: undeclared-code, shared-label, unreadable-snippet, ...
    message: str
    focus: str  # IRI of the focus node
    focus_label: str  # its variable, source id, link ends, ...
    path: str | None  # the property path checked (compact), if any
    value: str | None  # the offending value (a name, or the literal's text)
    file: str | None  # input file path, as loaded
    line: int | None
    shape: str  # the shape that found it (compact IRI)

    def sort_key(self) -> tuple:
        return (ORDER[self.severity], self.file is None, self.file or "", self.line or 0, self.focus_label,
                self.problem, self.message, self.path or "", self.value or "")  # the same order from every backend


@dataclass
class ValidationReport:
    """Findings sorted by severity, then file, line and focus; `graph` is the standard SHACL report.

    The graph is built on first use (text and JSON reports do not need it).
    """

    conforms: bool  # no findings at all
    findings: list
    fail_on: str = "violation"
    kinds: dict = field(default_factory=dict, repr=False)  # focus IRI -> kind of node, for the text report
    triples: list = field(default_factory=list, repr=False)  # the report graph, as rdflib-term triples

    @cached_property
    def graph(self) -> Graph:
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        add = graph.add
        for triple in self.triples:
            add(triple)
        return graph

    def failed(self, fail_on: str | None = None) -> bool:
        """Whether any finding is at or above the threshold (violation > warning > info)."""
        limit = ORDER[check_threshold(fail_on or self.fail_on)]
        return any(ORDER[f.severity] <= limit for f in self.findings)

    def counts(self) -> dict:
        counts = dict.fromkeys(ORDER, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def summary(self) -> str:
        counts = self.counts()
        if not self.findings:
            return "The study graph conforms to its shapes: no findings."
        parts = ", ".join(f"{n} {PLURALS[s] if n != 1 else s}" for s, n in counts.items())
        verdict = "fails" if self.failed() else "passes"
        return f"{parts}; {verdict} at --fail-on {self.fail_on}."

    def text(self) -> str:
        """A count per problem, then the findings grouped by severity and focus node, each with its file:line."""
        lines = [self.summary()]
        problems: dict = {}
        for finding in self.findings:
            problems[(finding.severity, finding.problem)] = problems.get((finding.severity, finding.problem), 0) + 1
        width = max((len(problem) for _, problem in problems), default=0)
        lines += [f"  {severity:<9}  {problem:<{width}}  {count:>4}" for (severity, problem), count in
                  sorted(problems.items(), key=lambda item: (ORDER[item[0][0]], -item[1], item[0][1]))]
        for severity in ORDER:
            group = [f for f in self.findings if f.severity == severity]
            if not group:
                continue
            lines += ["", f"{PLURALS[severity].upper()} ({len(group)})"]
            by_focus: dict = {}
            for finding in group:
                by_focus.setdefault((finding.focus_label, self.kinds.get(finding.focus, "")), []).append(finding)
            for (focus_label, kind), items in by_focus.items():
                lines.append(f"  {focus_label}" + (f" ({kind})" if kind and not focus_label.startswith(kind) else ""))
                lines += [f"    {_where(f)}  {f.problem}: {f.message}{_value_note(f)}" for f in items]
        return "\n".join(lines) + "\n"

    def json(self) -> str:
        document = {"conforms": self.conforms, "fail_on": self.fail_on, "failed": self.failed(),
                    "counts": self.counts(), "findings": [asdict(f) for f in self.findings]}
        return _json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def turtle(self) -> bytes:
        """The report graph in Turtle, serialized by pyoxigraph (fast for big reports) and deterministic: blank
        nodes (property paths) get canonical labels (RDFC-1.0), then the triples are sorted."""
        import pyoxigraph as ox

        dataset = ox.Dataset(ox.Quad(*map(to_oxigraph, triple)) for triple in self.triples)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        triples = sorted((quad.triple for quad in dataset), key=str)
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def check_threshold(fail_on: str) -> str:
    if fail_on not in ORDER:
        from gtkg.errors import InputError

        raise InputError(f"unknown threshold {fail_on!r}: --fail-on takes violation, warning or info")
    return fail_on


def _where(finding: Finding) -> str:
    if finding.file is None:
        return "(no file)"
    return f"{finding.file}:{finding.line}" if finding.line else finding.file


def _value_note(finding: Finding) -> str:
    """The offending value, unless the message already shows it."""
    value = finding.value
    if value is None or value == finding.focus_label:
        return ""
    short = value.strip().splitlines()[0] if value.strip() else repr(value)
    short = short if len(short) <= 70 else short[:69] + "…"
    return "" if short in finding.message else f" [value: {short}]"


# ---------------------------------------------------------------------------------------------- building

def build(results: list, places, fail_on: str) -> ValidationReport:
    """Locate and name each result, sort them, and write the report graph's triples in that order."""
    pairs = sorted(((r, _finding(r, places)) for r in results), key=lambda pair: pair[1].sort_key())
    report = BNode("report")
    triples = [(report, RDF.type, SH.ValidationReport), (report, SH.conforms, Literal(not pairs))]
    width = len(str(len(pairs)))
    for number, (result, finding) in enumerate(pairs, 1):
        node = BNode(f"result{number:0{width}d}")
        triples.append((report, SH.result, node))
        _write_result(triples, node, result, finding)
    kinds = {f.focus: places.kind(f.focus) for _, f in pairs}
    return ValidationReport(not pairs, [f for _, f in pairs], fail_on, kinds, list(dict.fromkeys(triples)))


def _finding(result, places) -> Finding:
    if result.file is not None:
        path, line = places.file_path(str(result.file)), result.line
    else:
        path, line, result.file = places.place(result.focus, result.value) or (None, None, None)
        result.line = line or None
        result.file = URIRef(result.file) if result.file else None
    component = compact(result.component).removeprefix("sh:").removesuffix("ConstraintComponent")
    problem = result.problem or re.sub(r"(?<=[a-z])(?=[A-Z])", "-", component).lower()
    message = str(result.message) if result.message is not None else DEFAULT_MESSAGES.get(component, component)
    value = places.name(result.value) if result.value is not None else None
    return Finding(SEVERITIES.get(result.severity, "violation"), problem, message, str(result.focus),
                   places.name(result.focus), _path_text(result), value, path, line or None, compact(result.shape))


def _path_text(result) -> str | None:
    if result.path is None:
        return None
    if isinstance(result.path, URIRef):
        return compact(result.path)
    text = sparql_path(result.path_graph, result.path)
    return re.sub(r"<([^>]*)>", lambda m: compact(m.group(1)), text)


def _write_result(triples: list, node, result, finding: Finding) -> None:
    message = result.message if result.message is not None else Literal(finding.message)
    triples += [(node, RDF.type, SH.ValidationResult), (node, SH.focusNode, result.focus),
                (node, SH.resultSeverity, result.severity), (node, SH.sourceShape, result.shape),
                (node, SH.sourceConstraintComponent, result.component), (node, SH.resultMessage, message),
                (node, PROBLEM, Literal(finding.problem))]
    if result.value is not None:
        triples.append((node, SH.value, result.value))
    if isinstance(result.constraint, URIRef):
        triples.append((node, SH.sourceConstraint, result.constraint))
    if result.path is not None:
        triples.append((node, SH.resultPath, _copy_path(triples, result.path, result.path_graph)))
    if result.file is not None:
        triples += [(node, FILE, result.file), (result.file, PATH, Literal(finding.file))]
        if finding.line:
            triples.append((node, LINE, Literal(finding.line, datatype=INTEGER)))


def _copy_path(triples: list, path, source: Graph | None):
    """Copy a blank-node path structure (lists, inverse paths, ...) into the report."""
    if not isinstance(path, BNode) or source is None:
        return path
    for _, predicate, obj in source.triples((path, None, None)):
        triples.append((path, predicate, _copy_path(triples, obj, source)))
    return path
