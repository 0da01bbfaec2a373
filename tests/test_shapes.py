"""Validation: one small study per check (written here), each asserting the finding, its severity and its
file:line; the shapes themselves (SHACL-for-SHACL, coverage of the ontology); the SPARQL compiler against
pySHACL; a study's own shapes, and the features gtkg refuses."""

from pathlib import Path

import pytest
from helpers import FIXTURES
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from gtkg.errors import ShapeError
from gtkg.loading import load
from gtkg.queries import run_query
from gtkg.shapes import SHAPES_FILE, engine, fallback, open_data, shapes_graph, validate
from gtkg.shapes.compiler import compile_shapes
from gtkg.shapes.study_shapes import meta_validate

SH = Namespace("http://www.w3.org/ns/shacl#")
GT = Namespace("https://w3id.org/gtkg/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SHAPES = FIXTURES / "shapes"

MODEL = '''from metamodels.guidance_metamodel import *

store_decision = CClass(decision, "How to Store Data?")
lake = CClass(practice, "Data Lake")
mesh = CClass(pattern, "Data Mesh")
cost = CClass(force, "Cost")
add_decision_option_link(store_decision, lake, "Use a Lake")
add_decision_option_link(store_decision, mesh, "Use a Mesh")
add_force_relations({lake: {cost: positive}, mesh: {cost: negative}})
s1 = CClass(source, "s1", values={"title": "Lakes and Meshes", "url": "https://example.org/1",
                                  "type": "Blog Post", "author type": "Practitioner", "example": True,
                                  "source code": False})
add_links({s1: [store_decision, lake, mesh, cost]}, role_name="contained_code")
'''

NOTES = '''# s
1
## url
https://example.org/1
## title
Lakes and Meshes
## source code
no
## example
yes
## source type
Blog Post
## author type
Practitioner

**AXIAL CODING TRACE:**
``` python
s1 = CClass(source, "s1", values={
    "title": "Lakes and Meshes",
    "url": "https://example.org/1",
    "type": "Blog Post",
    "author type": "Practitioner",
    "example": True,
    "source code": False})
```

# coding

> Some teams store everything in one lake; others give each domain its own data product.

**AXIAL CODING TRACE:**

add codes to s1:
``` python
\'\'\'
store_decision, lake, mesh, cost
\'\'\'
```
'''


@pytest.fixture
def study(tmp_path):
    """study({"m.py": text, ...}) -> the ValidationReport of those files, loaded into a fresh store."""

    def run(files: dict, **options):
        folder = tmp_path / "in"
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        load([folder], store=tmp_path / "store")
        return validate(store=tmp_path / "store", **options)

    return run


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first line containing fragment."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def only(report, problem: str) -> list:
    return [f for f in report.findings if f.problem == problem]


def places(findings) -> list:
    return sorted((f.severity, f.file, f.line) for f in findings)


def coding_trace_line(notes: str) -> int:
    """Line of the axial coding trace in the body of NOTES (the trace starts at its marker)."""
    return [n for n, line in enumerate(notes.splitlines(), 1) if line.startswith("**AXIAL")][1]


# ---------------------------------------------------------------------------------------------- baseline

def test_consistent_study_conforms(study):
    report = study({"m.py": MODEL, "s_1.md": NOTES})
    assert report.conforms and report.findings == []
    assert not report.failed("info")
    assert "conforms" in report.text()


# ---------------------------------------------------------------------------------------------- violations

def test_link_to_an_undeclared_code_is_a_violation_at_the_link(study):
    model = MODEL + "add_force_relations({lake: {costs: positive}})\n"
    report = study({"m.py": model})
    [finding] = only(report, "undeclared-code")
    assert (finding.severity, finding.file, finding.line) == ("violation", "m.py", line_of(model, "costs"))
    assert finding.value == "costs" and finding.focus_label == "force impact lake → costs"
    assert finding.path == "gt:force"
    assert only(report, "wrong-kind") == []  # an undeclared end is reported once


def test_code_listed_in_notes_but_never_declared_is_a_violation_at_its_line(study):
    notes = NOTES.replace("store_decision, lake, mesh, cost", "store_decision, lake, mesh, cost,\nlakehouse")
    report = study({"m.py": MODEL, "s_1.md": notes})
    [finding] = only(report, "undeclared-code")
    assert places([finding]) == [("violation", "s_1.md", line_of(notes, "lakehouse"))]
    assert finding.value == "lakehouse" and finding.path == "gt:code"
    assert finding.focus_label == "containment s1 → lakehouse"


def test_undeclared_link_end_in_notes_is_reported_once_at_the_link(study):
    notes = NOTES.replace("cost\n\'\'\'\n", "cost\n\'\'\'\nadd_force_relations({lake: {costs: positive}})\n")
    [finding] = only(study({"m.py": MODEL, "s_1.md": notes}), "undeclared-code")
    assert (finding.file, finding.line, finding.value) == ("s_1.md", line_of(notes, "costs"), "costs")
    assert finding.focus_label == "force impact lake → costs"


def test_force_impact_between_wrong_kinds_is_a_violation(study):
    model = MODEL + "add_force_relations({cost: {lake: positive}})\n"
    report = study({"m.py": model})
    wrong = only(report, "wrong-kind")
    assert places(wrong) == [("violation", "m.py", line_of(model, "{cost: {lake"))] * 2
    assert sorted((f.path, f.value) for f in wrong) == [("gt:force", "lake"), ("gt:option", "cost")]
    assert {f.focus_label for f in wrong} == {"force impact cost → lake"}


def test_source_defined_twice_with_different_values_is_a_violation(study):
    other = ('from metamodels.guidance_metamodel import *\n\n'
             's1 = CClass(source, "s1", values={"title": "Meshes and Lakes"})\n')
    report = study({"m.py": MODEL, "n.py": other})
    [twice] = only(report, "source-defined-twice")
    assert (twice.severity, twice.file, twice.line) == ("violation", "n.py", 3)
    [titles] = only(report, "defined-twice")
    assert (titles.severity, titles.path, titles.focus_label) == ("violation", "dcterms:title", "s1")
    assert (titles.file, titles.line) == ("m.py", line_of(MODEL, 's1 = CClass'))


def test_notes_header_and_model_giving_two_titles_is_a_violation(study):
    notes = NOTES.replace("## title\nLakes and Meshes", "## title\nLakes, Meshes")
    report = study({"m.py": MODEL, "s_1.md": notes})
    [titles] = only(report, "defined-twice")
    assert titles.severity == "violation" and titles.path == "dcterms:title"


# ---------------------------------------------------------------------------------------------- warnings

def test_code_listed_twice_in_one_source_is_a_warning(study):
    model = MODEL.replace("add_links({s1: [store_decision, lake, mesh, cost]}",
                          "add_links({s1: [store_decision, lake, mesh, cost, lake]}")
    [finding] = only(study({"m.py": model}), "duplicate-containment")
    assert places([finding]) == [("warning", "m.py", line_of(model, "add_links({s1"))]


def test_code_list_never_linked_is_a_warning(study):
    model = MODEL + "s2_codes = [lake, mesh]\n"
    [finding] = only(study({"m.py": model}), "unlinked-code-list")
    assert places([finding]) == [("warning", "m.py", line_of(model, "s2_codes"))]


def test_decision_without_options_is_a_warning_at_its_declaration(study):
    model = MODEL + 'format_decision = CClass(decision, "Which Format?")\nadd_links({s1: [format_decision]}, ' \
                    'role_name="contained_code")\n'
    [finding] = only(study({"m.py": model}), "decision-without-options")
    assert places([finding]) == [("warning", "m.py", line_of(model, "format_decision = "))]
    assert finding.focus_label == "format_decision"


def test_decision_no_source_contains_and_no_excerpt_supports_is_a_warning(study):
    model = MODEL + 'format_decision = CClass(decision, "Which Format?")\n' \
                    'add_decision_option_link(format_decision, lake, "Lake Files")\n'
    report = study({"m.py": model})
    [finding] = only(report, "code-not-contained")
    assert places([finding]) == [("warning", "m.py", line_of(model, "format_decision = "))]
    assert finding.message.startswith("no source contains this decision")
    notes = NOTES.replace("# coding\n", "# coding\n\n> which format?\n\n**OPEN CODING TRACE:**\n"
                          "Decision: format_decision\n")
    assert only(study({"m.py": model, "s_1.md": notes}), "code-not-contained") == []  # an excerpt supports it


def test_option_attached_to_no_decision_is_a_warning(study):
    model = MODEL + 'warehouse = CClass(practice, "Warehouse")\nadd_force_relations({warehouse: {cost: negative}})\n' \
                    'add_links({s1: [warehouse]}, role_name="contained_code")\n'
    [finding] = only(study({"m.py": model}), "option-without-decision")
    assert places([finding]) == [("warning", "m.py", line_of(model, "warehouse = "))]


def test_code_no_source_contains_is_a_warning(study):
    model = MODEL + 'speed = CClass(force, "Speed")\nadd_force_relations({lake: {speed: positive}})\n'
    [finding] = only(study({"m.py": model}), "code-not-contained")
    assert places([finding]) == [("warning", "m.py", line_of(model, "speed = "))]
    assert finding.focus_label == "speed"


def test_force_no_option_affects_is_a_warning(study):
    model = MODEL + 'speed = CClass(force, "Speed")\nadd_links({s1: [speed]}, role_name="contained_code")\n'
    [finding] = only(study({"m.py": model}), "force-without-impact")
    assert places([finding]) == [("warning", "m.py", line_of(model, "speed = "))]


def test_one_label_used_by_two_codes_is_a_warning_on_each(study):
    model = MODEL + 'lake_force = CClass(force, "Data lake")\nadd_force_relations({mesh: {lake_force: positive}})\n' \
                    'add_links({s1: [lake_force]}, role_name="contained_code")\n'
    shared = only(study({"m.py": model}), "shared-label")
    assert places(shared) == [("warning", "m.py", line_of(model, "lake = ")),
                              ("warning", "m.py", line_of(model, "lake_force = "))]
    assert "lake (practice)" in shared[0].message and "lake_force (force)" in shared[0].message  # two kinds


def test_one_code_declared_as_two_kinds_is_a_warning(study):
    notes = NOTES.replace("cost\n\'\'\'\n", "cost\n\'\'\'\ncost = CClass(practice, \"Cost\")\n")
    [finding] = only(study({"m.py": MODEL, "s_1.md": notes}), "two-kinds")
    assert finding.severity == "warning" and finding.focus_label == "cost"
    assert "force" in finding.message and "practice" in finding.message
    assert (finding.file, finding.line) == ("m.py", line_of(MODEL, "cost = "))


def test_header_disagreeing_with_the_source_block_is_a_warning_at_the_header(study):
    notes = NOTES.replace('    "title": "Lakes and Meshes",', '    "title": "Lakes & Meshes",')
    [finding] = only(study({"s_1.md": notes}), "metadata-disagreement")
    assert places([finding]) == [("warning", "s_1.md", line_of(notes, "## title") + 1)]
    assert finding.focus_label == "s1"


def test_unreadable_snippet_is_a_warning_with_its_text(study):
    notes = NOTES.replace("store_decision, lake, mesh, cost\n\'\'\'\n", "store_decision, lake, mesh, cost\n\'\'\'\n"
                          "add_force_relations({lake: {cost: positive}\n")
    [finding] = only(study({"m.py": MODEL, "s_1.md": notes}), "unreadable-snippet")
    assert places([finding]) == [("warning", "s_1.md", line_of(notes, "add_force_relations({lake"))]
    assert finding.value.strip() == "add_force_relations({lake: {cost: positive}"


def test_every_diagnostic_is_a_finding_of_its_severity_and_place(study, tmp_path):
    notes = NOTES.replace("# coding\n", "# coding\n\n```\nnot coding\n```\n")  # a stray fence: info
    notes = notes.replace("store_decision, lake, mesh, cost\n\'\'\'\n", "store_decision, lake, mesh, cost\n"
                          "\'\'\'\nadd_links({s1: [lake}\n")
    report = study({"m.py": MODEL + "s2_codes = [lake]\n", "s_1.md": notes})
    diagnostics = run_query("diagnostics", store=tmp_path / "store").dicts()
    assert len(diagnostics) >= 3
    found = {(f.severity, f.problem, f.file, f.line) for f in report.findings if "Diagnostic" in f.shape}
    assert found == {(d["severity"], d["problem"], d["file"], d["line"]) for d in diagnostics}


# ---------------------------------------------------------------------------------------------- info

def test_code_in_the_model_but_not_in_the_notes_is_an_info_at_the_model_list(study):
    notes = NOTES.replace("store_decision, lake, mesh, cost", "store_decision, lake, cost")
    report = study({"m.py": MODEL, "s_1.md": notes})
    [finding] = only(report, "model-not-in-notes")
    assert places([finding]) == [("info", "m.py", line_of(MODEL, "add_links({s1"))]
    assert finding.value == "mesh" and finding.focus_label == "s1"


def test_notes_are_compared_with_the_model_only_when_both_are_loaded_for_the_source(study):
    model = MODEL.replace('s1 = CClass(source, "s1"', 's2 = CClass(source, "s2"').replace("{s1:", "{s2:")
    notes = NOTES.replace("store_decision, lake, mesh, cost", "store_decision, lake")  # s1 notes, s2 model
    report = study({"m.py": model, "s_1.md": notes})
    assert only(report, "notes-not-in-model") == only(report, "model-not-in-notes") == []
    assert only(study({"m.py": MODEL, "s_1.md": notes}), "model-not-in-notes")  # both loaded for s1


def test_code_in_notes_but_not_in_the_model_is_an_info_where_the_notes_name_it(study):
    model = MODEL + 'speed = CClass(force, "Speed")\nadd_force_relations({lake: {speed: positive}})\n'
    notes = NOTES.replace("store_decision, lake, mesh, cost", "store_decision, lake, mesh, cost,\nspeed")
    report = study({"m.py": model, "s_1.md": notes})
    [finding] = only(report, "notes-not-in-model")
    assert finding.severity == "info" and finding.value == "speed" and finding.file == "s_1.md"
    assert finding.line == line_of(notes, "speed")
    assert only(report, "code-not-contained") == []  # the notes contain it


# ---------------------------------------------------------------------------------------------- the report

def test_findings_are_sorted_and_thresholds_apply(study):
    model = MODEL + "add_force_relations({lake: {costs: positive}})\n" + "s2_codes = [lake]\n"
    notes = NOTES.replace("store_decision, lake, mesh, cost", "store_decision, lake, mesh")
    report = study({"m.py": model, "s_1.md": notes})
    assert [f.sort_key() for f in report.findings] == sorted(f.sort_key() for f in report.findings)
    assert [f.severity for f in report.findings] == ["violation", "warning", "info"]
    assert report.failed("violation") and report.failed("warning") and report.failed("info")
    assert report.counts() == {"violation": 1, "warning": 1, "info": 1}


def test_only_warnings_pass_at_violation_and_fail_at_warning(study):
    report = study({"m.py": MODEL + "s2_codes = [lake]\n"})
    assert not report.conforms
    assert not report.failed("violation") and report.failed("warning")
    with pytest.raises(Exception, match="violation, warning or info"):
        report.failed("error")


def test_text_groups_by_severity_and_problem_with_file_and_line_first(study):
    model = MODEL + "add_force_relations({lake: {costs: positive}, mesh: {costs: negative}})\n"
    text = study({"m.py": model}).text()
    line = line_of(model, "costs: positive")
    assert text.splitlines()[:5] == ["2 violations, 0 warnings, 0 infos; fails at --fail-on violation.",
                                     "  violation  undeclared-code     2", "", "VIOLATIONS (2)", ""]
    assert text.splitlines()[5].startswith("undeclared-code (2): ")
    assert f"\n  m.py:{line}: force impact lake → costs: the force impact ends at a force" in text
    assert f"\n  m.py:{line}: force impact mesh → costs: " in text
    lonely = 'speed = CClass(force, "Speed")\nadd_links({s1: [speed]}, role_name="contained_code")\n'
    assert ": speed (force): no option affects" in study({"m.py": MODEL + lonely}).text()  # the kind of the code


def test_turtle_is_a_standard_shacl_report_with_places(study):
    model = MODEL + "add_force_relations({lake: {costs: positive}})\n"
    report = study({"m.py": model})
    graph = Graph().parse(data=report.turtle(), format="turtle")
    [root] = graph.subjects(URIRef(SH.conforms), Literal(False))
    [result] = graph.objects(root, SH.result)
    assert graph.value(result, SH.resultSeverity) == SH.Violation
    assert graph.value(result, SH.resultPath) == GT.force
    assert graph.value(result, SH.sourceConstraintComponent) == SH.ClassConstraintComponent
    assert graph.value(result, GT.line).toPython() == line_of(model, "costs")
    assert graph.value(graph.value(result, GT.file), GT.path) == Literal("m.py")
    assert len(report.graph) == len(graph)
    assert report.turtle() == study({"m.py": model}).turtle()  # deterministic


def test_json_lists_every_finding(study):
    import json

    document = json.loads(study({"m.py": MODEL + "s2_codes = [lake]\n"}).json())
    assert document["counts"] == {"violation": 0, "warning": 1, "info": 0}
    assert document["findings"][0]["problem"] == "unlinked-code-list"
    assert set(document["findings"][0]) == {"severity", "problem", "message", "focus", "focus_label", "path",
                                            "value", "file", "line", "shape", "other_value", "other_file",
                                            "other_line", "suggestions"}


# ---------------------------------------------------------------------------------------------- the shapes

def test_shapes_are_valid_shacl():
    """Against the SHACL-for-SHACL shapes that pySHACL ships (pyshacl/assets/shacl-shacl.ttl)."""
    import pyshacl

    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    shacl_shacl = Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shacl_shacl, inference="none")
    assert conforms, text
    assert meta_validate(shapes)[0]


def test_every_shape_is_documented_and_names_its_problem():
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    problem = URIRef("https://w3id.org/gtkg/shapes#problem")
    for node_shape in shapes.subjects(URIRef(str(SH) + "targetClass"), None):
        assert shapes.value(node_shape, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")), node_shape
    for shape in set(shapes.subjects(None, SH.PropertyShape)) | set(shapes.subjects(SH.sparql, None)):
        parent = shapes.value(None, SH.property, shape)
        assert shapes.value(shape, problem) or shapes.value(parent, problem), shape
        assert shapes.value(shape, SH.message) or shapes.value(shapes.value(shape, SH.sparql), SH.message), shape


def test_every_class_and_link_of_the_ontology_has_a_shape():
    ontology = Graph().parse(Path(__file__).parent.parent / "gtkg" / "ontology" / "gtkg.ttl", format="turtle")
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    targeted = set(shapes.objects(None, SH.targetClass))
    owl_class = URIRef("http://www.w3.org/2002/07/owl#Class")
    sub = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    for cls in ontology.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), owl_class):
        lineage = {cls} | set(ontology.transitive_objects(cls, sub))
        assert lineage & targeted, f"no shape targets {cls} or a class above it"
        if (cls, sub, GT.Link) in ontology:
            assert cls in targeted, f"link class {cls} has no shape of its own"


@pytest.mark.parametrize("scheme, shape", [
    (GT.SourceTypes, "source-type-allowed"), (GT.AuthorTypes, "source-author-type-allowed"),
    (GT.Impacts, "force-impact-polarity"), (GT.DependencyTypes, "dependency-type"),
    (GT.NextDecisionTypes, "next-type"), (GT.DecisionTypes, "decision-type"), (GT.ContextTypes, "context-type")])
def test_allowed_values_are_the_ontology_schemes(scheme, shape):
    ontology = Graph().parse(Path(__file__).parent.parent / "gtkg" / "ontology" / "gtkg.ttl", format="turtle")
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    allowed = set(Collection(shapes, shapes.value(URIRef(f"https://w3id.org/gtkg/shapes#{shape}"), SH["in"])))
    concepts = set(ontology.subjects(SKOS.inScheme, scheme))
    if all(isinstance(v, Literal) for v in allowed):  # literal lists: the concepts' preferred labels
        concepts = {Literal(str(ontology.value(c, SKOS.prefLabel))) for c in concepts}
    assert allowed == concepts


# ---------------------------------------------------------------------------------------------- the engine

def test_compiled_checks_find_what_pyshacl_finds(tmp_path):
    """Every core shape, run by the SPARQL compiler and by pySHACL on the same (broken) data."""
    load([SHAPES / "broken-study.ttl"], store=tmp_path / "store")
    graph = shapes_graph()
    plan = compile_shapes(graph)
    with open_data(tmp_path / "store") as db:
        compiled = [r for r in engine.run(plan, db, graph) if not r.constraint]
        reference = fallback.run(db, graph, list(set(graph.subjects())))

    def key(result):
        return str(result.focus), str(result.shape), str(result.component), str(result.value)

    assert len(compiled) > 20  # the fixture breaks many shapes
    assert sorted(map(key, compiled)) == sorted(map(key, reference))


def test_study_shapes_add_checks_compiled_delegated_and_sparql(study):
    report = study({"m.py": MODEL}, shapes=[SHAPES / "study-shapes.ttl"])
    found = {(f.shape, f.severity, f.focus_label) for f in report.findings}
    assert ("https://example.org/study-shapes#force-label", "info", "cost") in found  # compiled core
    assert ("https://example.org/study-shapes#ArchivedShape", "warning", "s1") in found  # sh:or, by pySHACL
    [sparql] = [f for f in report.findings if f.problem == "few-options"]
    assert sparql.message == "store_decision has only 2 options"
    assert (sparql.file, sparql.line) == ("m.py", line_of(MODEL, "store_decision = "))


def test_study_shapes_can_switch_off_a_gtkg_shape(study, tmp_path):
    off = tmp_path / "off.ttl"
    off.write_text("@prefix gts: <https://w3id.org/gtkg/shapes#> .\n"
                   "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                   "gts:DiagnosticWarningShape sh:deactivated true .\n")
    assert study({"m.py": MODEL + "s2_codes = [lake]\n"}, shapes=[off]).conforms


@pytest.mark.parametrize("text, error", [
    ("ex:S a sh:NodeShape ; sh:targetClass gt:Force ; sh:rule [ a sh:TripleRule ] .",
     "ex:S uses sh:rule: SHACL Advanced"),
    ("ex:S a sh:NodeShape ; sh:targetClass gt:Force ; sh:js [ sh:jsFunctionName \"f\" ] .", "SHACL-JS"),
    ("ex:S a sh:NodeShape ; sh:target [ a ex:Custom ] .", "ex:S uses sh:target: SHACL Advanced"),
    ("ex:S a sh:NodeShape ; sh:targetClass gt:Force ; sh:sparql [ sh:ask \"ASK {}\" ] .", "SPARQL ASK"),
    ("ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:p ] .", "custom constraint components"),
    ("ex:S a sh:NodeShape ; sh:targetClass gt:Force ; sh:property [ sh:path gt:variable ; sh:minCont 1 ] .",
     "sh:minCont, which is not a SHACL term"),
    ("ex:S a sh:NodeShape ; sh:targetClass gt:Decison .", "gt:Decison, which the gtkg ontology does not define"),
    ("ex:S a sh:NodeShape ; sh:property [ sh:path gt:variable ; sh:minCount 1 ] .", "would check nothing"),
    ("ex:S a sh:NodeShape ; sh:targetClass gt:Force ; sh:property [ sh:path gt:variable ; sh:minCount \"one\" ] .",
     "not valid SHACL: ex:S: sh:minCount one"),
    ("ex:S a sh:NodeShape ; sh:targetClass gt:Force ; sh:node ex:T .\n"
     "ex:T a sh:NodeShape ; sh:sparql [ sh:select \"SELECT $this WHERE { }\" ] .", "ex:T has a SPARQL constraint but"),
    ("ex:S a sh:NodeShape ; sh:targetClass gt:Force ; sh:sparql [ sh:select \"SELECT $this WHERE { "
     "GRAPH $shapesGraph { } }\" ] .", "$shapesGraph"),
    ("ex:S a sh:NodeShape ; sh:targetClass gt:Force ; sh:sparql [ sh:select \"SELECT $this WHERE { ?x ?y\" ] .",
     "cannot run as SPARQL"),
    ("ex:S a sh:NodeShape ; sh:targetClass gt:Force ; sh:entailment ex:RDFS .", "without inference"),
    ("ex:S a sh:NodeShape ; sh:targetClass gt:Force ; sh:nodeKind sh:IRI .\n<> sh:shapesGraph <more.ttl> .",
     "sh:shapesGraph imports"),
    ("this is not Turtle", "cannot read the shapes"),
])
def test_unsupported_or_broken_study_shapes_fail_loudly(study, tmp_path, text, error):
    shapes = tmp_path / "study.ttl"
    shapes.write_text("@prefix gt: <https://w3id.org/gtkg/ontology#> .\n@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "@prefix ex: <https://example.org/shapes#> .\n" + text)
    with pytest.raises(ShapeError) as info:
        study({"m.py": MODEL}, shapes=[shapes])
    assert error in str(info.value).replace("https://example.org/shapes#", "ex:")


def test_remote_endpoint_gives_the_embedded_findings(backend, tmp_path):
    files = tmp_path / "in"
    (files / "models").mkdir(parents=True)
    (files / "models" / "m.py").write_text(MODEL + "add_force_relations({lake: {costs: positive}})\n"
                                           "s2_codes = [lake]\n", encoding="utf-8")
    load([files], **backend)
    report = validate(**backend)
    assert [(f.severity, f.problem, f.file, f.line) for f in report.findings] == [
        ("violation", "undeclared-code", "m.py", 14), ("warning", "unlinked-code-list", "m.py", 15)]


def test_store_without_the_ontology_graph_still_knows_the_class_hierarchy(tmp_path):
    import pyoxigraph as ox

    from gtkg.store.folder import StoreFolder

    load([SHAPES / "broken-study.ttl"], store=tmp_path / "store")
    db = ox.Store(str(StoreFolder(tmp_path / "store").current()))
    db.update("DROP GRAPH <https://w3id.org/gtkg/ontology>")
    db.flush()
    del db
    report = validate(store=tmp_path / "store")
    assert only(report, "wrong-kind")  # sh:class gt:DesignSolution needs rdfs:subClassOf


# ---------------------------------------------------------------------------------------------- shared corpus

def test_shared_corpus_report_is_actionable(corpus, tmp_path):
    load([corpus], store=tmp_path / "store")
    report = validate(store=tmp_path / "store")
    assert all(f.file and f.line for f in report.findings)  # every finding says where to look
    undeclared = {(f.value, f.file) for f in only(report, "undeclared-code")}
    assert ("schema_registry", "s_29.md") in undeclared
    assert {f.focus_label for f in only(report, "shared-label")} >= {"ci_cd", "ci_cd_process"}
    assert only(report, "notes-not-in-model") == []  # notes only: nothing to compare
    diagnostics = run_query("diagnostics", store=tmp_path / "store").dicts()
    assert len([f for f in report.findings if "Diagnostic" in f.shape]) == len(diagnostics)


def test_shapes_graph_is_what_rdflib_reads_from_the_shapes_file():
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from gtkg.shapes import SHAPES_FILE, shapes_graph

    assert isomorphic(shapes_graph(), Graph().parse(SHAPES_FILE, format="turtle"))
