"""Findings and the validation report: the standard SHACL report graph, plus text and JSON for people."""

import json as _json
import re
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import PurePosixPath

from rdflib import RDF, BNode, Graph, Literal, URIRef

from gtkg.ontology import GT, GTS
from gtkg.shapes.compiler import sparql_path
from gtkg.shapes.rdflib_bridge import COMPACT, SH, XSD, compact, to_oxigraph
from gtkg.similar import similar

SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
PREFIXES = COMPACT
PROBLEM, FILE, PATH, LINE = URIRef(GTS.problem), URIRef(GT.file), URIRef(GT.path), URIRef(GT.line)
INTEGER = XSD.integer
ORDER = {"violation": 0, "warning": 1, "info": 2}
PLURALS = {"violation": "violations", "warning": "warnings", "info": "infos"}
PER_SOURCE = ("notes-not-in-model", "model-not-in-notes")  # listed as one line per source
# One line each: how to fix the problems of gtkg's shapes and loaders (a study's own problems have none).
HOW_TO_FIX = {
    "undeclared-code": "declare the code (CClass) or fix the name (see 'did you mean')",
    "undeclared-source": "declare the source: CClass(source, \"sN\", values={...})",
    "undeclared-reference": "declare the reference: CClass(reference, \"...\", values={...})",
    "wrong-kind": "link codes of the kinds the link takes (a force impact: from an option to a force)",
    "defined-twice": "the two places give different values: keep one",
    "source-defined-twice": "keep one CClass(source, ...) for the source",
    "not-allowed": "use one of the values the message lists (check the spelling)",
    "bad-structure": "the graph is malformed (an RDF file?): fix its triples",
    "missing-metadata": "add the field to the notes header or to the CClass(source) values",
    "missing-label": "give the CClass a label: CClass(practice, \"Label\")",
    "label-disagreement": "the two places label the code differently: make them agree",
    "two-kinds": "the two places declare the code as different kinds: keep one",
    "shared-label": "give each code its own label, or merge the codes",
    "untyped-link": "give the link stereotype_instances=... of its kind",
    "missing-option-name": "give add_decision_option_link its third argument, the option's name",
    "decision-without-options": "add add_decision_option_link(decision, option, \"name\")",
    "option-without-decision": "make the design solution a decision's option, or connect it to one by a dependency",
    "code-not-contained": "add the code to a source's code list, or remove it",
    "force-without-impact": "add add_force_relations({option: {force: positive}}), or remove the force",
    "notes-not-in-model": "add the codes to the source's contained_code list in the model, or drop them from the notes",
    "model-not-in-notes": "name the codes in the source's notes, or drop them from the model's list",
    "metadata-disagreement": "make the notes header and its CClass(source) block agree",
    "source-number-mismatch": "make the '# s' heading's number agree with the file name",
    "unreadable-snippet": "fix the Python syntax so the snippet is read",
    "recovered-code-list": "close the quotes or brackets of the code list",
    "name-with-spaces": "write the name with underscores",
    "not-a-name": "write code variables separated by commas; move other text into a comment",
    "duplicate-containment": "remove the copy from the code list",
    "duplicate-link": "remove the copy of the link",
    "duplicate-key": "remove the copy of the dict key",
    "unlinked-code-list": "link the list: add_links({sN: the_list}, role_name=\"contained_code\")",
    "variable-assigned-twice": "rename one of the two variables",
    "unknown-stereotype": "use a stereotype of the link's kind (see 'did you mean')",
    "unknown-metaclass": "use a metaclass of the guidance metamodel (practice, pattern, force, decision, ...)",
    "import-not-loaded": "load the imported module's file together with the others",
    "unsupported-statement": "write the statement out plainly (gtkg reads code, it never runs it)",
}
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
    other_value: str | None = None  # the other side of a disagreement: its value and place
    other_file: str | None = None
    other_line: int | None = None
    suggestions: list = field(default_factory=list)  # declared names an undeclared one probably means

    def sort_key(self) -> tuple:
        """Severity, then file (s_2.md before s_10.md), line, focus, problem, message, path and value: the same
        order from every backend."""
        return (ORDER[self.severity], self.file is None, _natural(self.file or ""), self.line or 0,
                self.focus_label, self.problem, self.message, self.path or "", self.value or "")


@dataclass
class ValidationReport:
    """Findings sorted by severity, then file, line and focus; `graph` is the standard SHACL report.

    The graph is built on first use (text and JSON reports do not need it). `listed` is the least severity the
    text report lists finding by finding (the others are counted).
    """

    conforms: bool  # no findings at all
    findings: list
    fail_on: str = "violation"
    kinds: dict = field(default_factory=dict, repr=False)  # focus IRI -> kind of node, for the text report
    triples: list = field(default_factory=list, repr=False)  # the report graph, as rdflib-term triples
    listed: str = "warning"

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
        """What to fix first: a count per problem, then violations and warnings grouped by problem, each group with
        its count and how to fix it, each finding one line starting with its file:line. Findings below `listed`
        (infos, by default) are counted only."""
        problems: dict = {}
        for finding in self.findings:
            problems.setdefault((finding.severity, finding.problem), []).append(finding)
        order = sorted(problems, key=lambda key: (ORDER[key[0]], -len(problems[key]), key[1]))
        width = max((len(problem) for _, problem in problems), default=0)
        lines = [self.summary()]
        lines += [f"  {severity:<9}  {problem:<{width}}  {len(problems[severity, problem]):>4}"
                  for severity, problem in order]
        unlisted = [s for s in ORDER if ORDER[s] > ORDER[self.listed] and self.counts()[s]]
        if unlisted:
            lines.append(f"  ({' and '.join(PLURALS[s] for s in unlisted)} are counted, not listed: add --severity "
                         f"{unlisted[-1]} to list them)")
        for severity in ORDER:
            keys = [key for key in order if key[0] == severity]
            if not keys or ORDER[severity] > ORDER[self.listed]:
                continue
            lines += ["", f"{PLURALS[severity].upper()} ({sum(len(problems[key]) for key in keys)})"]
            for key in keys:
                items = problems[key]
                fix = HOW_TO_FIX.get(key[1])
                lines += ["", f"{key[1]} ({len(items)})" + (f": {fix}" if fix else "")]
                lines += _per_source(items) if key[1] in PER_SOURCE else \
                    [_line(f, self.kinds.get(f.focus, "")) for f in items]
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


def _natural(text: str) -> tuple:
    """Numbers by value: s_2.md before s_10.md."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text))


def check_threshold(fail_on: str) -> str:
    if fail_on not in ORDER:
        from gtkg.errors import InputError

        raise InputError(f"unknown threshold {fail_on!r}: --fail-on takes violation, warning or info")
    return fail_on


def _where(finding: Finding) -> str:
    if finding.file is None:
        return "(no file)"
    return f"{finding.file}:{finding.line}" if finding.line else finding.file


def _line(finding: Finding, kind: str = "") -> str:
    """One finding: file:line first (editors jump there), what it is about (and its kind), the message, the
    shape."""
    label = finding.focus_label
    if kind and kind not in ("file", "node") and not label.startswith(kind):
        label += f" ({kind})"
    about = "" if finding.focus_label in (finding.file, "") or finding.message.startswith(finding.focus_label) \
        else f"{label}: "
    return f"  {_where(finding)}: {about}{finding.message}{_value_note(finding, about)}  [{finding.shape}]"


def _per_source(findings: list) -> list[str]:
    """Notes-vs-model differences, one line per source and problem, naming every code."""
    lines = []
    by_source: dict = {}
    for finding in findings:
        by_source.setdefault(finding.focus_label, []).append(finding)
    for source, items in by_source.items():
        items.sort(key=lambda f: (f.file or "", f.line or 0, f.value or ""))
        names = ", ".join(dict.fromkeys(f.value or "?" for f in items))
        count = f"{len(items)} code{'s' if len(items) != 1 else ''}"
        if items[0].problem == "model-not-in-notes":
            text = f"the model lists {count} for {source} that its notes never name: {names}"
        else:
            text = f"the notes of {source} name {count} that the model does not list for it: {names}"
        lines.append(f"  {_where(items[0])}: {text}  [{items[0].shape}]")
    return lines


def _value_note(finding: Finding, shown: str = "") -> str:
    """The offending value, unless the message (or what else is shown) already shows it."""
    value = finding.value
    if value is None or value == finding.focus_label:
        return ""
    first = value.strip().splitlines()[0] if value.strip() else repr(value)
    named = re.search(rf"(?<!\w){re.escape(first)}(?!\w)", shown)
    if first in finding.message or named:
        return ""
    return f" [value: {first if len(first) <= 70 else first[:69] + '…'}]"


# ---------------------------------------------------------------------------------------------- building

@dataclass
class Selection:
    """Which findings a report keeps: at or above `severity`, of the `problems`, about the `sources` (their ids)
    or in the `files` (paths as loaded, or ending in them); empty keeps all."""

    severity: str | None = None
    problems: tuple = ()
    sources: tuple = ()
    files: tuple = ()

    def keeps(self, finding: Finding, sources: set) -> bool:
        return ((self.severity is None or ORDER[finding.severity] <= ORDER[self.severity])
                and (not self.problems or finding.problem in self.problems)
                and (not self.sources or bool(sources & set(self.sources)))
                and (not self.files or any(_same_file(finding.file, path) for path in self.files)))


def _same_file(loaded: str | None, given: str) -> bool:
    """Whether a path as loaded (relative to the loaded folder) and a given path name the same file."""
    if loaded is None:
        return False
    a, b = PurePosixPath(loaded.replace("\\", "/")).parts, PurePosixPath(given.replace("\\", "/")).parts
    a, b = [p for p in a if p != "."], [p for p in b if p != "."]
    shorter = min(len(a), len(b))
    return shorter > 0 and a[-shorter:] == b[-shorter:]


def build(results: list, places, fail_on: str, selection: Selection | None = None) -> ValidationReport:
    """Locate and name each result, keep the selected ones, sort them, and write the report graph's triples in
    that order."""
    selection = selection or Selection()
    pairs = [(r, _finding(r, places)) for r in results]
    _suggest_names(pairs, places)
    if selection.sources:
        owners = places.sources_of({str(node) for result, _ in pairs for node in (result.focus, result.file)
                                    if isinstance(node, URIRef)})
        pairs = [(r, f) for r, f in pairs if selection.keeps(f, owners.get(f.focus, set()) |
                                                             owners.get(str(r.file), set()))]
    else:
        pairs = [(r, f) for r, f in pairs if selection.keeps(f, set())]
    pairs.sort(key=lambda pair: pair[1].sort_key())
    report = BNode("report")
    triples = [(report, RDF.type, SH.ValidationReport), (report, SH.conforms, Literal(not pairs))]
    width = len(str(len(pairs)))
    for number, (result, finding) in enumerate(pairs, 1):
        node = BNode(f"result{number:0{width}d}")
        triples.append((report, SH.result, node))
        _write_result(triples, node, result, finding)
    kinds = {f.focus: places.kind(f.focus) for _, f in pairs}
    return ValidationReport(not pairs, [f for _, f in pairs], fail_on, kinds, list(dict.fromkeys(triples)),
                            listed=selection.severity or "warning")


def _suggest_names(pairs: list, places) -> None:
    """An undeclared name comes with the declared ones it probably means."""
    undeclared = [f for _, f in pairs if f.problem == "undeclared-code" and f.value]
    if not undeclared:
        return
    declared = places.code_variables()
    for finding in undeclared:
        finding.suggestions = similar(finding.value, declared)
        if finding.suggestions:
            finding.message += f"; did you mean {' or '.join(finding.suggestions)}?"


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
    finding = Finding(SEVERITIES.get(result.severity, "violation"), problem, message, str(result.focus),
                      places.name(result.focus), _path_text(result), value, path, line or None,
                      compact(result.shape))
    if result.other is not None:
        other_value, other_file, other_line = result.other
        finding.other_value = places.name(other_value) if other_value is not None else None
        finding.other_file = places.file_path(str(other_file)) if other_file is not None else None
        finding.other_line = other_line
    return finding


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
