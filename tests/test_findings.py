"""Findings a researcher can act on, on a constructed study with planted defects (notes and models): each is
reported once, at the file:line where it is written, naming the values and places involved; values that mean
the same are not findings; the text report leads with what to fix; the filters narrow it."""

import json

import pytest
from click.testing import CliRunner

from gtkg.cli import cli
from gtkg.loading import load
from gtkg.shapes import validate

CODES = {"store_decision": ("decision", "How to Store Data?"), "lake": ("practice", "Data Lake"),
         "mesh": ("pattern", "Data Mesh"), "ci_cd_process": ("practice", "CI/CD Process"), "cost": ("force", "Cost")}
OPTIONS = {"lake": "Use a Lake", "mesh": "Use a Mesh", "ci_cd_process": "Automate"}
MODEL = ("from metamodels.guidance_metamodel import *\n\n"
         + "".join(f'{var} = CClass({kind}, "{label}")\n' for var, (kind, label) in CODES.items())
         + "".join(f'add_decision_option_link(store_decision, {var}, "{name}")\n' for var, name in OPTIONS.items())
         + "add_force_relations({lake: {cost: positive}, mesh: {cost: negative}, ci_cd_process: {cost: positive}})\n")

SOURCES = '''from m import *

s1 = CClass(source, "s1", values={"title": "Lakes and Meshes", "url": "https://example.org/1",
                                  "tiny url": "https://tinyurl.com/s1", "type": "Blog Post",
                                  "author type": "Practitioner", "example": True, "source code": False})
s1_codes = [store_decision, lake, mesh, ci_cd_process, cost]
add_links({s1: s1_codes}, role_name="contained_code")
'''

HEADER = {"url": "https://example.org/1", "tiny url": "https://tinyurl.com/s1", "title": "Lakes and Meshes",
          "source code": "no", "example": "yes", "source type": "Blog Post", "author type": "Practitioner"}
NOTES = "# s\n1\n" + "".join(f"## {field}\n{value}\n" for field, value in HEADER.items()) + '''
**AXIAL CODING TRACE**: source
``` python
s1 = CClass(source, "s1", values={
    "title": "Lakes and Meshes",
    "url": "https://example.org/1",
    "tiny url": "https://tinyurl.com/s1"})
```

# coding

> Some teams store everything in one lake; others give each domain its own data product, built by a pipeline.

**AXIAL CODING TRACE:**

add codes to s1:
``` python
    \'\'\'
        store_decision,
        lake, mesh,
        ci_cd_process,
        cost
    \'\'\'
# already added:
```
'''

FILES = {"m.py": MODEL, "sources.py": SOURCES, "s_1.md": NOTES}


def line_of(text: str, fragment: str, nth: int = 1) -> int:
    """1-based line of the nth line containing fragment."""
    return [n for n, line in enumerate(text.splitlines(), 1) if fragment in line][nth - 1]


@pytest.fixture
def study(tmp_path):
    """study({path: text}, **validate options) -> the report of FILES changed by those texts (None drops a file)."""

    def run(changes: dict | None = None, **options):
        folder = tmp_path / "in"
        for name, text in {**FILES, **(changes or {})}.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(text, encoding="utf-8")
        load([folder], store=tmp_path / "store")
        return validate(store=tmp_path / "store", **options)

    return run


def only(report, problem: str) -> list:
    return [f for f in report.findings if f.problem == problem]


def test_the_constructed_study_conforms(study):
    report = study(severity="info")
    assert report.findings == [], report.text()


# ---------------------------------------------------------------------------------------------- planted defects

def test_a_typo_in_a_notes_code_list_is_reported_at_its_line_with_the_code_it_probably_means(study):
    notes = NOTES.replace("        ci_cd_process,", "        ci_cd_proces,")
    report = study({"s_1.md": notes})
    [finding] = only(report, "undeclared-code")
    assert (finding.severity, finding.file, finding.line) == ("violation", "s_1.md", line_of(notes, "ci_cd_proces,"))
    assert finding.value == "ci_cd_proces" and finding.suggestions == ["ci_cd_process"]
    assert "did you mean ci_cd_process?" in finding.message


def test_a_duplicate_force_impact_is_reported_at_the_copy_naming_both_ends(study):
    model = MODEL + "add_force_relations({mesh: {cost: negative}})\n"
    [finding] = only(study({"m.py": model}), "duplicate-link")
    assert (finding.file, finding.line) == ("m.py", line_of(model, "add_force_relations({mesh"))
    assert "mesh -> cost" in finding.message and f"m.py:{line_of(model, 'mesh: {cost: negative}')}" \
        in finding.message


def test_a_title_changed_in_the_model_only_names_both_values_and_both_places(study):
    sources = SOURCES.replace('"title": "Lakes and Meshes"', '"title": "Meshes and Lakes"')
    report = study({"sources.py": sources})
    [finding] = only(report, "defined-twice")
    notes_line, model_line = line_of(NOTES, "## title") + 1, line_of(sources, 's1 = CClass')
    assert (finding.severity, finding.file, finding.line) == ("violation", "s_1.md", notes_line)
    assert (finding.value, finding.other_value) == ("Lakes and Meshes", "Meshes and Lakes")
    assert (finding.other_file, finding.other_line) == ("sources.py", model_line)
    assert finding.message.startswith(f"s1 title: 'Lakes and Meshes' (s_1.md:{notes_line}) vs "
                                      f"'Meshes and Lakes' (sources.py:{model_line})")
    assert only(report, "metadata-disagreement") == []  # the notes agree with themselves


def test_a_code_listed_twice_is_reported_at_the_list_that_lists_it_twice(study):
    sources = SOURCES.replace("[store_decision, lake, mesh,", "[store_decision, lake, mesh, lake,")
    [finding] = only(study({"sources.py": sources}), "duplicate-containment")
    assert (finding.file, finding.line) == ("sources.py", line_of(sources, "s1_codes = ["))
    assert "lake" in finding.message and "s1_codes" in finding.message and "s1" in finding.message


def test_a_force_nothing_affects_is_reported_at_its_declaration(study):
    model = MODEL + 'speed = CClass(force, "Speed")\n'
    sources = SOURCES.replace("cost]", "cost, speed]")
    [finding] = only(study({"m.py": model, "sources.py": sources}), "force-without-impact")
    assert (finding.file, finding.line, finding.focus_label) == ("m.py", line_of(model, "speed ="), "speed")


def test_a_misspelt_impact_stereotype_is_reported_once_at_its_line_with_the_one_it_probably_is(study):
    model = MODEL.replace("ci_cd_process: {cost: positive}", "ci_cd_process: {cost: postive}")
    report = study({"m.py": model})
    [finding] = [f for f in report.findings if f.severity != "info"]
    assert (finding.problem, finding.file, finding.line) == ("unknown-stereotype", "m.py",
                                                             line_of(model, "postive"))
    assert "'postive'" in finding.message and "ci_cd_process -> cost" in finding.message
    assert "did you mean positive?" in finding.message


# ---------------------------------------------------------------------------------------------- no false alarms

@pytest.mark.parametrize(("notes_url", "model_url"), [
    ("https://tinyurl.com/s1", "tinyurl.com/s1"), ("https://tinyurl.com/s1", "http://tinyurl.com/s1/"),
    ("https://tinyurl.com/s1", " https://tinyurl.com/s1 ")])
def test_urls_that_differ_only_by_scheme_trailing_slash_or_blanks_are_the_same(study, notes_url, model_url):
    sources = SOURCES.replace('"tiny url": "https://tinyurl.com/s1"', f'"tiny url": "{model_url}"')
    notes = NOTES.replace('    "tiny url": "https://tinyurl.com/s1"', f'    "tiny url": "{model_url}"')
    report = study({"sources.py": sources, "s_1.md": notes.replace("https://tinyurl.com/s1\n",
                                                                                  notes_url + "\n")})
    assert report.findings == [], report.text()


def test_urls_that_differ_otherwise_are_reported(study):
    sources = SOURCES.replace('"tiny url": "https://tinyurl.com/s1"', '"tiny url": "hhttps://tinyurl.com/s1"')
    [finding] = only(study({"sources.py": sources}), "defined-twice")
    assert (finding.value, finding.other_value) == ("https://tinyurl.com/s1", "hhttps://tinyurl.com/s1")


def test_a_name_imported_from_a_module_not_loaded_is_an_info_naming_the_module(study):
    model = MODEL.replace("from metamodels.guidance_metamodel import *\n",
                          "from metamodels.guidance_metamodel import *\nfrom map_models.apis import api\n")
    model += 'add_decision_option_link(store_decision, api, "Through an API")\n'
    report = study({"m.py": model})
    assert only(report, "undeclared-code") == []
    [finding] = only(report, "import-not-loaded")
    assert (finding.severity, finding.file, finding.line) == ("info", "m.py", 2)
    assert "api" in finding.message and "map_models.apis" in finding.message


def test_header_and_source_block_of_the_notes_disagreeing_name_both_values_and_lines(study):
    notes = NOTES.replace('    "title": "Lakes and Meshes",', '    "title": "Lakes & Meshes",')
    [finding] = only(study({"s_1.md": notes}), "metadata-disagreement")
    header, block = line_of(notes, "## title") + 1, line_of(notes, "s1 = CClass")
    assert (finding.file, finding.line) == ("s_1.md", header)
    assert (finding.value, finding.other_value) == ("Lakes and Meshes", "Lakes & Meshes")
    assert (finding.other_file, finding.other_line) == ("s_1.md", block)
    assert finding.message.startswith(f"s1 title: 'Lakes and Meshes' (s_1.md:{header}) vs 'Lakes & Meshes' "
                                      f"(s_1.md:{block})")


@pytest.mark.parametrize(("declared", "problem", "values"), [
    ("lake = CClass(practice, 'Data Lakes')", "label-disagreement", ("Data Lake", "Data Lakes")),
    ("cost = CClass(practice, 'Cost')", "two-kinds", ("force", "practice")),
])
def test_a_code_the_notes_declare_otherwise_names_both_values_and_places(study, declared, problem, values):
    notes = NOTES.replace("    \'\'\'\n#", f"    \'\'\'\n    {declared}\n#")
    [finding] = only(study({"s_1.md": notes}), problem)
    model_line, notes_line = line_of(MODEL, declared.split()[0] + " = "), line_of(notes, declared)
    assert (finding.file, finding.line, finding.other_file, finding.other_line) == ("m.py", model_line, "s_1.md",
                                                                                    notes_line)
    assert (finding.value, finding.other_value) == values
    assert f"'{values[0]}' (m.py:{model_line}) vs '{values[1]}' (s_1.md:{notes_line})" in finding.message \
        or f"a {values[0]} (m.py:{model_line}) and a {values[1]} (s_1.md:{notes_line})" in finding.message


# ---------------------------------------------------------------------------------------------- the report

def defects() -> dict:
    """The study with a violation, warnings and infos."""
    notes = NOTES.replace("        ci_cd_process,", "        ci_cd_proces,")
    model = MODEL + 'speed = CClass(force, "Speed")\nadd_links({s9: [speed]}, role_name="contained_code")\n'
    return {"s_1.md": notes, "m.py": model}


def test_the_text_report_leads_with_violations_grouped_by_problem_with_how_to_fix(study):
    text = study(defects()).text()
    lines = text.splitlines()
    assert lines[0].startswith("2 violations, 1 warning, 2 infos")
    assert [line.split() for line in lines[1:6]] == [
        ["violation", "undeclared-code", "1"], ["violation", "undeclared-source", "1"],
        ["warning", "force-without-impact", "1"], ["info", "model-not-in-notes", "1"],
        ["info", "notes-not-in-model", "1"]]
    assert "(infos are counted, not listed: add --severity info to list them)" in text
    violations = lines.index("VIOLATIONS (2)")
    assert lines[violations + 2].startswith("undeclared-code (1): declare the code")
    typo = line_of(defects()["s_1.md"], "ci_cd_proces,")
    assert lines[violations + 3].startswith(f"  s_1.md:{typo}: containment s1 → ci_cd_proces: ")
    assert lines[violations + 3].endswith("[gts:containment-code]")
    assert "did you mean ci_cd_process?" in lines[violations + 3]
    assert text.index("VIOLATIONS") < text.index("WARNINGS") and "INFOS" not in text


def test_infos_are_listed_when_asked_and_notes_versus_model_grouped_per_source(study):
    notes = NOTES.replace("        lake, mesh,\n", "        lake,\n").replace("        cost\n", "        cost,\n"
                                                                                     "        speed\n")
    model = MODEL + 'speed = CClass(force, "Speed")\nadd_force_relations({lake: {speed: positive}})\n'
    text = study({"s_1.md": notes, "m.py": model}, severity="info").text()
    assert "INFOS (2)" in text and "counted, not listed" not in text
    assert (f"  sources.py:{line_of(SOURCES, 'add_links')}: the model lists 1 code for s1 that its notes "
            "never name: mesh  [gts:ModelOnlyCodeShape]") in text
    assert (f"  s_1.md:{line_of(notes, 'speed')}: the notes of s1 name 1 code that the model does not list "
            "for it: speed  [gts:NotesOnlyCodeShape]") in text


@pytest.mark.parametrize(("options", "kept"), [
    ({"problems": ["force-without-impact"]}, {"force-without-impact"}),
    ({"severity": "violation"}, {"undeclared-code", "undeclared-source"}),
    ({"sources": ["s1"]}, {"undeclared-code", "notes-not-in-model", "model-not-in-notes"}),
    ({"files": ["notes/s_1.md"]}, {"undeclared-code", "notes-not-in-model"}),  # the path given, as loaded: s_1.md
    ({"files": ["s_1.md"], "problems": ["notes-not-in-model"]}, {"notes-not-in-model"}),
])
def test_filters_keep_what_they_name(study, options, kept):
    report = study(defects(), **options)
    assert {f.problem for f in report.findings} == kept


def test_json_keeps_its_fields_and_adds_the_other_place_and_suggestions(study):
    sources = SOURCES.replace('"title": "Lakes and Meshes"', '"title": "Meshes and Lakes"')
    document = json.loads(study({**defects(), "sources.py": sources}).json())
    fields = {"severity", "problem", "message", "value", "focus", "focus_label", "path", "file", "line", "shape",
              "other_file", "other_line", "other_value", "suggestions"}
    assert all(set(finding) == fields for finding in document["findings"])
    [titles] = [f for f in document["findings"] if f["problem"] == "defined-twice"]
    assert (titles["other_file"], titles["other_value"]) == ("sources.py", "Meshes and Lakes")
    [typo] = [f for f in document["findings"] if f["problem"] == "undeclared-code"]
    assert typo["suggestions"] == ["ci_cd_process"]


def test_cli_filters_and_exit_code_follow_the_selection(study, tmp_path):
    study(defects())
    store = str(tmp_path / "store")
    run = CliRunner().invoke(cli, ["validate", "--store", store, "--problem", "force-without-impact",
                                   "--fail-on", "warning"])
    assert run.exit_code == 1 and "force-without-impact (1)" in run.output and "undeclared" not in run.output
    run = CliRunner().invoke(cli, ["validate", "--store", store, "--file", "models/m.py", "--severity", "warning"])
    assert run.exit_code == 1 and "undeclared-source" in run.output and "ci_cd_proces" not in run.output
    run = CliRunner().invoke(cli, ["validate", "--store", store, "--source", "s1", "--problem", "notes-not-in-model"])
    assert run.exit_code == 0 and "1 info" in run.output


def test_build_checks_a_studys_own_shapes(tmp_path):
    folder = tmp_path / "in"
    for name, text in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    shapes = tmp_path / "own.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix gt: <https://w3id.org/gtkg/ontology#> .\n"
                      "<urn:x:NoForces> a sh:NodeShape ; sh:targetClass gt:Force ; sh:property [ sh:path gt:variable ;"
                      " sh:maxLength 2 ; sh:message \"force variables are short\" ] .\n", encoding="utf-8")
    run = CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "out"), "--shapes", str(shapes),
                                   "--fail-on", "violation"])
    assert run.exit_code == 1, run.output
    assert "force variables are short" in (tmp_path / "out" / "validation.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------- orphans

def test_design_solutions_connected_to_an_option_through_dependencies_are_not_orphans(study):
    model = MODEL + ('helper = CClass(practice, "Helper")\ntool = CClass(pattern, "Tool")\n'
                     'lonely = CClass(practice, "Lonely")\n'
                     'lake.add_links(helper, role_name="from", stereotype_instances=can_use)\n'
                     'tool.add_links(helper, role_name="to", stereotype_instances=realizes)\n')
    sources = SOURCES.replace("cost]", "cost, helper, tool, lonely]")
    report = study({"m.py": model, "sources.py": sources})
    [finding] = only(report, "option-without-decision")
    assert (finding.file, finding.line, finding.focus_label) == ("m.py", line_of(model, "lonely ="), "lonely")
    assert finding.message.startswith("the design solution is no decision's option")


def test_validate_and_query_orphans_agree_on_every_loose_end(study, tmp_path):
    from gtkg.queries import run_query

    model = MODEL + ('lonely = CClass(practice, "Lonely")\nnaming_decision = CClass(decision, "How to Name?")\n'
                     'speed = CClass(force, "Speed")\nadd_force_relations({lake: {speed: positive}})\n')
    notes = NOTES.replace("    \'\'\'\n#", "    \'\'\'\n    notes_only = CClass(practice, 'Notes Only')\n#")
    report = study({"m.py": model, "s_1.md": notes})
    validated = {(f.problem, f.focus_label, f.file, f.line) for f in report.findings
                 if f.shape == "gts:OrphansShape"}
    renamed = {"no-source": "code-not-contained"}
    queried = {(renamed.get(r["problem"], r["problem"]), r["code"], r["file"], r["line"])
               for r in run_query("orphans", {"scope": "all"}, store=tmp_path / "store").dicts()
               if r["problem"] != "undeclared"}
    assert validated == queried == {
        ("option-without-decision", "lonely", "m.py", line_of(model, "lonely =")),
        ("code-not-contained", "lonely", "m.py", line_of(model, "lonely =")),
        ("decision-without-options", "naming_decision", "m.py", line_of(model, "naming_decision =")),
        ("code-not-contained", "naming_decision", "m.py", line_of(model, "naming_decision =")),
        ("code-not-contained", "speed", "m.py", line_of(model, "speed =")),
        ("option-without-decision", "notes_only", "s_1.md", line_of(notes, "notes_only ="))}
