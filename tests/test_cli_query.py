"""`gtkg queries` and `gtkg query`: listing, formats, and one-line errors with exit code 2."""

import json

import pytest
from click.testing import CliRunner

from gtkg.cli import cli
from gtkg.queries import catalogue


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_queries_lists_every_query_with_summary_and_parameters():
    result = invoke("queries", "-f", "json")
    assert result.exit_code == 0, result.output
    listed = {row["name"]: row for row in json.loads(result.stdout)}
    assert set(listed) == set(catalogue())
    for name, query in catalogue().items():
        assert listed[name]["summary"] == query.summary
        assert [p["name"] for p in listed[name]["params"]] == [p.name for p in query.params]
        assert listed[name]["columns"] == query.columns and listed[name]["description"] == query.description
    minimum = listed["co-occurrence"]["params"][0]
    assert (minimum["name"], minimum["type"], minimum["default"], minimum["required"]) == ("minimum", "integer", "2",
                                                                                           False)
    assert listed["option-impacts"]["params"][1]["values"] == ["++", "+", "o", "+/-", "-", "--"]


def test_queries_name_describes_one_query():
    result = invoke("queries", "option-impacts")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "columns: force, force_label" in text and "-p polarity (polarity, optional; one of ++, +" in text
    assert "-p force (code, optional; a force)" in text


def test_queries_as_a_table_names_the_contract_queries():
    result = invoke("queries")
    for name in ("sources", "force-evidence", "decision-overview", "source-codes"):
        assert name in result.stdout


def test_query_json_is_an_array_of_objects_with_arrays_for_lists(queries_store):
    result = invoke("query", "force-evidence", "--store", queries_store, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0] == {"force": "cost", "label": "Cost", "sources": ["s1", "s2", "s10"],
                                            "count": 3}


@pytest.mark.parametrize("fmt, line", [
    ("table", "s2      rest_api          REST API            pattern"),
    ("csv", "s2,rest_api,REST API,pattern"),
    ("tsv", "s2\trest_api\tREST API\tpattern"),
    ("json", '  {"source": "s2", "code": "rest_api", "label": "REST API", "kind": "pattern"},'),
    ("markdown", "| s2 | rest_api | REST API | pattern |"),
    ("latex", r"s2 & rest\_api & REST API & pattern \\"),
])
def test_query_with_a_parameter_in_every_format(queries_store, fmt, line):
    result = invoke("query", "source-codes", "-p", "source", "s2", "--store", queries_store, "-f", fmt)
    assert result.exit_code == 0, result.output
    assert line in result.stdout.splitlines()


def test_query_writes_to_a_file(queries_store, tmp_path):
    target = tmp_path / "deep" / "overview.tex"
    result = invoke("query", "decision-overview", "--store", queries_store, "-f", "latex", "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert r"How to Store Data? & Data Lake & Store raw data in a lake & s1, s10 & Cost (+), Latency (-) \\" in \
        target.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (["query", "sourcez"], "Error: no stored query named 'sourcez'. Did you mean source-codes, sources? 'gtkg "
                           "queries' lists them all"),
    (["query", "sources", "-p", "color", "red"], "Error: query 'sources' has no parameter 'color' (it takes: "
                                                 "scope)"),
    (["query", "co-occurrence", "-p", "minimum", "many"], "Error: parameter 'minimum' of 'co-occurrence' must be "
                                                          "an integer, not 'many'"),
    (["query", "option-impacts", "-p", "polarity", "+-"], "Error: parameter 'polarity' of 'option-impacts' must be "
                                                          "one of ++, +, o, +/-, -, --, not '+-'"),
])
def test_bad_query_or_parameter_is_one_line_and_exit_code_2(queries_store, args, message):
    result = invoke(*args, "--store", queries_store)
    assert result.exit_code == 2
    assert result.stderr == message + "\n"


def test_missing_parameter_value_is_a_usage_error(queries_store):
    result = invoke("query", "source-codes", "-p", "source", "--store", queries_store)
    assert result.exit_code == 2 and "Error:" in result.stderr


def test_query_without_a_store_says_what_to_do(tmp_path):
    result = invoke("query", "sources", "--store", tmp_path / "nothing")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no gtkg store at") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("value", ['s1" } UNION { ?s ?p ?o }', "s1\n}\nUNION {", "{ } \\ '"])
def test_injection_on_the_command_line_names_nothing(queries_store, value):
    result = invoke("query", "source-codes", "-p", "source", value, "--store", queries_store, "-f", "csv")
    assert result.exit_code == 2 and "no source" in result.stderr and result.stdout == ""
