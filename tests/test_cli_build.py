"""`gtkg build`: from notes and models to every table, the graph and the validation report, in one command."""

import sys

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from helpers import EXAMPLES, FIXTURES

from gtkg.building import DUMPS, build
from gtkg.cli import cli
from gtkg.queries import catalogue, run_query

STUDY = FIXTURES / "queries"
SOURCE = "https://w3id.org/gtkg/ontology#Source"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_build_writes_every_table_the_graph_and_the_report(tmp_path):
    out = tmp_path / "out"
    result = invoke("build", EXAMPLES, "-o", out)
    assert result.exit_code == 0, result.output
    for name in catalogue():
        for extension in ("csv", "md") + (() if name in DUMPS else ("tex",)):
            assert (out / "tables" / f"{name}.{extension}").stat().st_size > 0, (name, extension)
    triples = ox.parse((out / "study.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    sources = {t.subject for t in triples if t.predicate == RDF_TYPE and t.object == ox.NamedNode(SOURCE)}
    assert len(sources) == 3
    assert (out / "validation.txt").read_text(encoding="utf-8")
    ox.parse((out / "validation.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    assert "Wrote 16 tables (csv, md, tex)" in result.stderr and "Validation:" in result.stderr


def test_build_writes_no_latex_of_the_big_dumps(tmp_path):
    summary = build([STUDY], output=tmp_path / "out")
    assert DUMPS == ("code-evidence", "co-occurrence")
    for name in DUMPS:
        assert f"tables/{name}.csv" in summary.files and f"tables/{name}.md" in summary.files
        assert f"tables/{name}.tex" not in summary.files and not (tmp_path / "out" / "tables" / f"{name}.tex").exists()


def test_build_tables_are_the_query_results(tmp_path):
    out = tmp_path / "out"
    build([STUDY], output=out)
    assert (out / "tables" / "force-evidence.csv").read_text(encoding="utf-8") == (
        "force,label,sources,count\n"
        'cost,Cost,"s1, s2, s10",3\n'
        'latency,Latency,"s2, s10, p1",3\n'
        "flexibility,Flexibility,,0\n")
    overview = (out / "tables" / "decision-overview.md").read_text(encoding="utf-8").splitlines()
    assert overview[2] == ("| How to Store Data? | Data Lake | Store raw data in a lake | s1, s10 "
                           "| Cost (+), Latency (-) |")
    sources = (out / "tables" / "sources.tex").read_text(encoding="utf-8")
    assert r"s10 & Ten Lakes &  &  &  & Blog Post &  &  &  \\" in sources


def test_build_summary(tmp_path):
    summary = build([STUDY], output=tmp_path / "out")
    assert summary.tables["sources"] == 4 and summary.tables["saturation"] == 4
    assert summary.skipped == []
    assert summary.findings["violation"] > 0 and summary.validation.startswith(f"{summary.findings['violation']} ")
    assert summary.store == ":memory:" and not summary.failed
    assert not (tmp_path / "out" / "store").exists()
    assert "tables/orphans.tex" in summary.files and "study.ttl" in summary.files


def test_build_starts_from_an_empty_store_each_time(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("s_1.md", "s_2.md"):
        (notes / name).write_bytes((STUDY / "notes" / name).read_bytes())
    out = tmp_path / "out"
    build([notes], output=out)
    (notes / "s_2.md").unlink()
    build([notes], output=out)
    assert (out / "tables" / "sources.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "s1,Lakes and Warehouses,https://example.org/s1,https://bit.ly/q-s1,,Blog Post,Practitioner,true,false"]


def test_build_into_a_given_store_leaves_no_store_in_the_output(tmp_path):
    store = tmp_path / "store"
    result = invoke("build", STUDY, "-o", tmp_path / "out", "--store", store)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / "store").exists()
    assert len(run_query("sources", store=str(store)).rows) == 4


def test_build_refuses_a_folder_of_other_files_and_keeps_them(tmp_path):
    (tmp_path / "out" / "tables").mkdir(parents=True)
    (tmp_path / "out" / "tables" / "my-table.tex").write_text("keep me")
    result = invoke("build", STUDY, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "refusing" in result.stderr and "tables" in result.stderr
    assert (tmp_path / "out" / "tables" / "my-table.tex").read_text() == "keep me"
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["my-table.tex", "tables"]


def test_build_leaves_files_it_did_not_write_alone(tmp_path):
    build([STUDY], output=tmp_path / "out")
    (tmp_path / "out" / "tables" / "precious.tex").write_text("keep me")
    (tmp_path / "out" / "notes").mkdir()
    (tmp_path / "out" / "notes" / "precious.txt").write_text("keep me")
    result = invoke("build", STUDY, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "notes" / "precious.txt").read_text() == "keep me"
    assert (tmp_path / "out" / "tables" / "precious.tex").read_text() == "keep me"


def test_build_removes_tables_of_an_earlier_build(tmp_path):
    import json

    build([STUDY], output=tmp_path / "out")
    stale = tmp_path / "out" / "tables" / "retired-query.csv"
    stale.write_text("old")
    marker = tmp_path / "out" / "gtkg-build.json"
    record = json.loads(marker.read_text())
    marker.write_text(json.dumps({**record, "files": record["files"] + ["tables/retired-query.csv"]}))
    build([STUDY], output=tmp_path / "out")
    assert not stale.exists()
    assert "tables/retired-query.csv" not in marker.read_text()


@pytest.mark.parametrize("fail_on, code", [(None, 0), ("violation", 0), ("warning", 1)])
def test_build_fails_only_when_asked(tmp_path, fail_on, code):
    result = invoke("build", EXAMPLES, "-o", tmp_path / "out", *(["--fail-on", fail_on] if fail_on else []))
    assert result.exit_code == code, result.output
    assert (tmp_path / "out" / "tables" / "sources.csv").exists()


def test_build_without_validation_still_writes_the_tables(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "gtkg.shapes", None)  # importing it fails
    summary = build([STUDY], output=tmp_path / "out")
    assert summary.validation.startswith("validation unavailable") and summary.findings is None
    assert (tmp_path / "out" / "validation.txt").read_text(encoding="utf-8").startswith("validation unavailable")
    assert (tmp_path / "out" / "tables" / "force-evidence.csv").exists()


def test_build_of_a_missing_path_is_a_usage_error(tmp_path):
    result = invoke("build", tmp_path / "nowhere", "-o", tmp_path / "out")
    assert result.exit_code == 2 and not (tmp_path / "out").exists()


def test_build_on_a_remote_endpoint(sparql_server, tmp_path):
    sparql_server.clear()
    summary = build([STUDY], output=tmp_path / "out", store=sparql_server.query_url)
    assert summary.store == sparql_server.query_url and not (tmp_path / "out" / "store").exists()
    embedded = tmp_path / "embedded"
    build([STUDY], output=embedded)
    for name in ("sources", "force-evidence", "decision-overview"):
        assert (tmp_path / "out" / "tables" / f"{name}.csv").read_bytes() == \
            (embedded / "tables" / f"{name}.csv").read_bytes()


def test_build_of_the_shared_corpus(corpus, tmp_path):
    summary = build([corpus], output=tmp_path / "out")
    assert summary.tables["sources"] == summary.loaded.sources
    assert summary.tables["force-evidence"] > 0 and summary.tables["saturation"] == summary.loaded.sources


def test_the_validation_report_graph_is_the_same_bytes_every_time(tmp_path):
    first = build([FIXTURES / "queries"], output=tmp_path / "one")
    build([FIXTURES / "queries"], output=tmp_path / "two")
    assert first.findings  # the fixtures have findings with property paths (blank nodes)
    assert (tmp_path / "one" / "validation.ttl").read_bytes() == (tmp_path / "two" / "validation.ttl").read_bytes()
