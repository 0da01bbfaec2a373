"""`gtkg validate`: formats, thresholds and exit codes (0 conforms, 1 findings at or above --fail-on, 2 unreadable)."""

import json

import pytest
from click.testing import CliRunner
from helpers import FIXTURES
from rdflib import Graph, Namespace

from gtkg.cli import cli
from gtkg.loading import load

SH = Namespace("http://www.w3.org/ns/shacl#")
MODEL = '''from metamodels.guidance_metamodel import *

store_decision = CClass(decision, "How to Store Data?")
lake = CClass(practice, "Data Lake")
cost = CClass(force, "Cost")
add_decision_option_link(store_decision, lake, "Use a Lake")
add_force_relations({lake: {cost: positive}})
s1 = CClass(source, "s1", values={"title": "Lakes", "url": "https://example.org/1", "type": "Blog Post",
                                  "author type": "Practitioner"})
add_links({s1: [store_decision, lake, cost]}, role_name="contained_code")
'''


@pytest.fixture
def loaded(tmp_path):
    """loaded(extra model lines) -> the store folder holding MODEL plus those lines."""

    def run(extra: str = "") -> str:
        path = tmp_path / "m.py"
        path.write_text(MODEL + extra, encoding="utf-8")
        load([path], store=tmp_path / "store")
        return str(tmp_path / "store")

    return run


def invoke(*args):
    return CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)


def test_conforming_study_exits_0(loaded):
    result = invoke("--store", loaded(), "--fail-on", "info")
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_violation_exits_1_with_file_and_line(loaded):
    result = invoke("--store", loaded("add_force_relations({lake: {costs: positive}})\n"))
    assert result.exit_code == 1
    assert "VIOLATIONS (1)" in result.output
    assert "undeclared-code (1): " in result.output and "\n  m.py:11: force impact lake → costs: " in result.output


@pytest.mark.parametrize("fail_on, code", [("violation", 0), ("warning", 1), ("info", 1)])
def test_warnings_fail_only_at_or_below_the_threshold(loaded, fail_on, code):
    result = invoke("--store", loaded("s2_codes = [lake]\n"), "--fail-on", fail_on)
    assert result.exit_code == code
    assert "unlinked-code-list (1): " in result.output and "\n  m.py:11: the code list s2_codes" in result.output


def test_json_format(loaded):
    result = invoke("--store", loaded("s2_codes = [lake]\n"), "-f", "json")
    document = json.loads(result.output)
    assert document["counts"] == {"violation": 0, "warning": 1, "info": 0}
    assert (document["findings"][0]["file"], document["findings"][0]["line"]) == ("m.py", 11)


def test_turtle_format_is_a_shacl_report_written_to_a_file(loaded, tmp_path):
    out = tmp_path / "out" / "report.ttl"
    result = CliRunner().invoke(cli, ["validate", "--store", loaded("s2_codes = [lake]\n"), "-f",
                                                      "turtle", "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == "" and "1 warning" in result.stderr
    graph = Graph().parse(out, format="turtle")
    assert len(list(graph.subjects(SH.resultSeverity, SH.Warning))) == 1


def test_study_shapes_add_findings(loaded):
    result = invoke("--store", loaded(), "--shapes", str(FIXTURES / "shapes" / "study-shapes.ttl"), "--fail-on",
                    "info")
    assert result.exit_code == 1
    assert "few-options (1)\n  m.py:3: store_decision has only 1 options  [https://example.org/study-shapes#" \
        "FewOptionsShape]" in result.output


def test_unreadable_store_exits_2(tmp_path):
    result = CliRunner().invoke(cli, ["validate", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no gtkg store at")


def test_unsupported_shapes_exit_2_naming_shape_and_feature(loaded, tmp_path):
    shapes = tmp_path / "rules.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <https://example.org/s#> .\n"
                      "ex:Infer a sh:NodeShape ; sh:targetNode ex:x ; sh:rule [ a sh:SPARQLRule ] .\n")
    result = CliRunner().invoke(cli, ["validate", "--store", loaded(), "--shapes", str(shapes)])
    assert result.exit_code == 2
    assert "https://example.org/s#Infer uses sh:rule" in result.stderr and "not supported" in result.stderr


def test_help_has_an_example():
    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0 and "Example: gtkg validate" in result.output
