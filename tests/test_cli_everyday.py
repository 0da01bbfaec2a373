"""Everyday use: ad-hoc SPARQL with gtkg's prefixes, tables that fit, load summaries that say what was skipped."""

import pytest
from click.testing import CliRunner
from helpers import EXAMPLES

from gtkg.cli import cli


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> str:
    store = str(tmp_path_factory.mktemp("everyday") / "store")
    assert invoke("load", "--store", store, EXAMPLES).exit_code == 0
    return store


# -- ad-hoc SPARQL


def test_gtkg_prefixes_are_declared(loaded):
    result = invoke("sparql", "--store", loaded, "-f", "csv",
                    "SELECT DISTINCT ?id WHERE { ?s a gt:Source ; dcterms:identifier ?id } ORDER BY ?id")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["id", "s1", "s2", "s3"]


def test_sparql_help_lists_the_prefixes():
    from gtkg.ontology import PREFIXES

    text = " ".join(invoke("sparql", "--help").output.split())
    assert " ".join(f"{prefix}:" for prefix in PREFIXES) in text


def test_a_query_may_declare_a_prefix_of_its_own(loaded):
    result = invoke("sparql", "--store", loaded, "-f", "csv",
                    "PREFIX gt: <urn:not-gtkg#> SELECT (COUNT(*) AS ?n) WHERE { ?s a gt:Source }")
    assert result.stdout.split() == ["n", "0"]


def test_an_undeclared_prefix_is_one_line_naming_it(loaded):
    result = invoke("sparql", "--store", loaded, "SELECT * WHERE { ?s a foo:Bar }")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "prefix foo: is not declared" in result.stderr and "line 1, column" in result.stderr
    assert "\\u{" not in result.stderr


def test_a_syntax_error_is_one_short_line(loaded):
    result = invoke("sparql", "--store", loaded, "SELECT * WHERE { ?s ?p }")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and len(result.stderr) < 250


# -- tables that fit


def test_a_piped_table_keeps_every_cell_whole(loaded):
    wide = invoke("diagnostics", "--store", loaded).stdout
    messages = invoke("diagnostics", "--store", loaded, "-f", "json").stdout
    import json

    longest = max(len(row["message"]) for row in json.loads(messages))
    assert longest > 60 and "…" not in wide
    assert any(len(line) > longest for line in wide.splitlines())


def test_max_width_fits_the_table_by_wrapping(loaded):
    result = invoke("diagnostics", "--store", loaded, "--max-width", "80")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and max(map(len, lines)) <= 80
    joined = " ".join(" ".join(line.split()) for line in lines)
    assert "save it as UTF-8" in joined or "fix" in joined  # the what-to-do half of messages is kept


# -- load summaries


def test_the_summary_counts_one_file_in_the_singular(tmp_path):
    result = invoke("load", "--store", tmp_path / "store", EXAMPLES / "notes" / "s_1.md")
    assert "Loaded 1 file:" in result.stderr


def test_the_summary_says_what_it_skipped_and_why(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    for note in (EXAMPLES / "notes").glob("s_*.md"):
        (notes / note.name).write_bytes(note.read_bytes())
    (notes / "README.md").write_text("# The study's notes\n\nHow we coded.\n> a quoted line\n")
    (notes / "paper.pdf").write_bytes(b"%PDF")
    (notes / "a.pdf").write_bytes(b"%PDF")
    result = invoke("load", "--store", tmp_path / "store", notes)
    assert result.exit_code == 0 and "Loaded 3 files" in result.stderr
    assert "2 .pdf" in result.stderr and "not field notes): README.md" in result.stderr
    graphs = invoke("sparql", "--store", tmp_path / "store", "-f", "csv",
                    "SELECT ?p WHERE { ?f gt:path ?p }").stdout
    assert "README.md" not in graphs
