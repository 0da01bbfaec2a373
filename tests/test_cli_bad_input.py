"""Bad input on the command line: one line `Error: ...` and exit 2, never a traceback, never a hang;
Ctrl-C exits 130; a query's time is bounded."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import EXAMPLES

from gtkg.cli import cli

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def invoke(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


def one_line_error(result, *words) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> str:
    store = str(tmp_path_factory.mktemp("bad-input") / "store")
    assert invoke("load", "--store", store, EXAMPLES).exit_code == 0
    return store


def gtkg(*args, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gtkg", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


# -- time and interruption


def test_a_query_that_runs_too_long_stops_at_the_timeout(loaded):
    started = time.monotonic()
    process = gtkg("sparql", "--store", loaded, "--timeout", "1", CARTESIAN)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2 and "did not finish within 1 s" in err and "--timeout" in err, err
    assert time.monotonic() - started < 30


def test_ctrl_c_exits_130_with_one_line(loaded):
    process = gtkg("sparql", "--store", loaded, "--timeout", "0", CARTESIAN)
    time.sleep(1.5)  # the query runs
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert err.startswith("Interrupted") and "Traceback" not in err and "Aborted" not in err


def test_ctrl_c_during_a_load_changes_nothing(tmp_path, monkeypatch):
    import gtkg.loaders.notes

    store = tmp_path / "store"
    invoke("load", "--store", store, EXAMPLES / "notes" / "s_1.md")
    before = invoke("export", "--store", store, "-f", "nquads").stdout_bytes
    original, seen = gtkg.loaders.notes.parse, []

    def interrupted(*args):
        seen.append(1)
        if len(seen) == 2:
            raise KeyboardInterrupt
        return original(*args)

    monkeypatch.setattr(gtkg.loaders.notes, "parse", interrupted)
    result = invoke("load", "--store", store, EXAMPLES / "notes")
    assert result.exit_code == 130 and "nothing was changed" in result.stderr
    monkeypatch.undo()
    assert invoke("export", "--store", store, "-f", "nquads").stdout_bytes == before


# -- queries


def test_an_update_is_refused_with_what_to_do_instead(loaded):
    one_line_error(invoke("sparql", "--store", loaded, "INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
                   "only reads", "gtkg load")


def test_service_is_refused_unless_allowed(loaded):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    one_line_error(invoke("sparql", "--store", loaded, query), "SERVICE", "--allow-service")
    allowed = invoke("sparql", "--store", loaded, "--allow-service", query.replace("SERVICE", "SERVICE SILENT"))
    assert "--allow-service" not in allowed.stderr


def test_a_service_that_fails_is_a_one_line_error(loaded):
    query = "SELECT * WHERE { SERVICE <ftp://example.org/sparql> { ?s ?p ?o } }"
    one_line_error(invoke("sparql", "--store", loaded, "--allow-service", query), "the query failed", "ftp")


def test_from_restricts_the_query_to_the_graphs_it_names(loaded):
    graph = "https://w3id.org/gtkg/data/study/file/s_1.md"
    result = invoke("sparql", "--store", loaded, "-f", "csv",
                    f"SELECT DISTINCT ?id FROM <{graph}> WHERE {{ ?s <http://purl.org/dc/terms/identifier> ?id . "
                    "?s a <https://w3id.org/gtkg/ontology#Source> }")
    assert result.stdout.split() == ["id", "s1"]


@pytest.mark.parametrize("text", ["SELECT * WHERE { ?s ?p 'caf\udce9' }"])
def test_a_query_that_is_not_utf8_is_refused(loaded, text):
    one_line_error(invoke("sparql", "--store", loaded, text), "not UTF-8")


def test_a_parameter_that_is_not_utf8_is_refused(loaded):
    one_line_error(invoke("query", "source-codes", "--store", loaded, "-p", "source", "s\udcff"), "not UTF-8")


def test_query_files_that_are_missing_or_binary(loaded, tmp_path):
    one_line_error(invoke("sparql", "--store", loaded, "@" + str(tmp_path / "missing.rq")), "missing.rq")
    binary = tmp_path / "binary.rq"
    binary.write_bytes(b"\x00\xff\xfe\x80 SELECT")
    one_line_error(invoke("sparql", "--store", loaded, f"@{binary}"), "UTF-8")


# -- output


def test_output_under_a_file_is_an_error(loaded, tmp_path):
    (tmp_path / "a-file").write_text("x")
    one_line_error(invoke("export", "--store", loaded, "-o", tmp_path / "a-file" / "study.ttl"), "cannot write")


def test_output_in_an_unwritable_folder_is_an_error(loaded, tmp_path, monkeypatch):
    import builtins

    real_open = builtins.open

    def refusing(path, *args, **kwargs):
        if str(path).startswith(str(tmp_path / "locked")):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    (tmp_path / "locked").mkdir()
    monkeypatch.setattr(builtins, "open", refusing)
    one_line_error(invoke("query", "sources", "--store", loaded, "-o", tmp_path / "locked" / "t.csv"),
                   "Permission denied")


def test_build_output_that_is_a_file_under_a_file(tmp_path):
    (tmp_path / "a-file").write_text("x")
    one_line_error(invoke("build", EXAMPLES, "-o", tmp_path / "a-file" / "out"), "a-file")


# -- input files


def test_rdf_star_is_refused(tmp_path):
    star = tmp_path / "star.ttl"
    star.write_text("<urn:a> <urn:b> <<( <urn:x> <urn:y> <urn:z> )>> .\n")
    one_line_error(invoke("load", "--store", tmp_path / "store", star), "RDF-star", "star.ttl")


def test_an_unreadable_file_is_an_error(tmp_path, monkeypatch):
    note = tmp_path / "notes" / "s_1.md"
    note.parent.mkdir()
    note.write_bytes((EXAMPLES / "notes" / "s_1.md").read_bytes())
    read_bytes = Path.read_bytes

    def refusing(path):
        if path.name == "s_1.md":
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refusing)
    one_line_error(invoke("load", "--store", tmp_path / "store", note.parent), "s_1.md", "Permission denied")


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_a_file_name_that_is_not_utf8_loads(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    name = os.fsdecode(b"s_\xff.md")
    (folder / name).write_bytes((EXAMPLES / "notes" / "s_1.md").read_bytes())
    result = invoke("load", "--store", tmp_path / "store", folder)
    assert result.exit_code == 0, result.output
    paths = invoke("sparql", "--store", tmp_path / "store", "-f", "csv",
                   "SELECT ?p WHERE { ?f <https://w3id.org/gtkg/ontology#path> ?p }").stdout
    assert "s_\ufffd.md" in paths


def test_a_string_of_megabytes_in_a_model_loads_cut_with_a_diagnostic(tmp_path):
    model = tmp_path / "m.py"
    model.write_text('x = CClass(practice, """' + "A" * (17 << 20) + '""")\n')
    result = invoke("load", "--store", tmp_path / "store", model)
    assert result.exit_code == 0, result.output
    found = invoke("diagnostics", "--store", tmp_path / "store", "-f", "csv").stdout
    assert "long-text" in found and "m.py" in found


def test_a_literal_beyond_the_engine_buffer_is_a_one_line_error(tmp_path):
    data = tmp_path / "big.nt"
    data.write_text('<urn:a> <urn:b> "' + "A" * (17 << 20) + '" .\n')
    one_line_error(invoke("load", "--store", tmp_path / "store", data), "big.nt", "16777216")
