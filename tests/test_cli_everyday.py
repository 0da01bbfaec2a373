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


def readme_usage() -> list[list[str]]:
    """The commands of the README's Usage block, as argument lists (comments and continuation lines dropped)."""
    import shlex

    from helpers import ROOT

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Usage", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.split("\n"):
        words = shlex.split(line, comments=True)
        if words and words[0] == "gtkg":
            commands.append(words[1:])
    return commands


def test_the_readme_usage_runs_as_written_on_the_bundled_example(tmp_path, monkeypatch):
    import shutil

    shutil.copytree(EXAMPLES, tmp_path / "data-mesh")
    monkeypatch.chdir(tmp_path / "data-mesh")
    monkeypatch.delenv("GTKG_STORE", raising=False)
    commands = readme_usage()
    assert len(commands) > 10
    for args in commands:
        result = CliRunner().invoke(cli, args)
        expected = 1 if args[:1] == ["validate"] else 0  # the example has warnings, on purpose
        assert result.exit_code in (0, expected), (args, result.output)
        assert "Traceback" not in result.output
        if args[0] in ("query", "sparql", "queries", "diagnostics", "paper", "diagram"):
            lines = [line for line in result.stdout.split("\n") if line.strip()]
            assert len(lines) > 2, (args, result.output)  # a header and rows: never an empty answer
        if args[0] == "sparql":
            assert len(lines) - 2 == 3, result.stdout  # each of the three sources once


# -- parameters


@pytest.fixture(scope="module")
def numbered(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("numbered")
    note = (EXAMPLES / "notes" / "s_1.md").read_text()
    for number in (9, 99, 12):
        (folder / f"s_{number}.md").write_text(note.replace("\n1\n", f"\n{number}\n", 1))
    store = str(folder / "store")
    assert invoke("load", "--store", store, folder, EXAMPLES / "models").exit_code == 0
    return store


def test_a_source_that_is_not_there_is_an_error_with_the_closest_ids(numbered):
    result = invoke("query", "source-codes", "--store", numbered, "-p", "source", "s999")
    assert result.exit_code == 2 and "no source 's999'" in result.stderr and "did you mean s9, s99?" in result.stderr


def test_a_code_by_label_or_variable_and_a_misspelt_one(loaded):
    by_label = invoke("query", "option-impacts", "--store", loaded, "-p", "force", "latency", "-f", "csv")
    by_variable = invoke("query", "option-impacts", "--store", loaded, "-p", "force", "latency", "-f", "csv")
    assert by_label.stdout == by_variable.stdout and by_label.stdout.count("\n") > 1
    wrong = invoke("query", "option-impacts", "--store", loaded, "-p", "force", "latncy")
    assert wrong.exit_code == 2 and "did you mean latency?" in wrong.stderr


def test_polarity_words_as_the_model_files_write_them(loaded):
    words = invoke("query", "option-impacts", "--store", loaded, "-p", "polarity", "negative", "-f", "csv")
    signs = invoke("query", "option-impacts", "--store", loaded, "-p", "polarity", "-", "-f", "csv")
    assert words.exit_code == 0 and words.stdout == signs.stdout and words.stdout.count("\n") > 1


def test_an_empty_co_occurrence_says_why(loaded):
    result = invoke("query", "co-occurrence", "--store", loaded, "-p", "minimum", "5")
    assert result.exit_code == 0 and "No rows:" in result.stderr and "at least 5 sources" in result.stderr


# -- progress


def test_build_tells_each_long_step(tmp_path):
    from gtkg.building import build

    steps = []
    build([EXAMPLES], output=tmp_path / "out", progress=lambda step, done=None, total=None: steps.append(step))
    said = list(dict.fromkeys(steps))
    assert said == ["Reading files", "Writing the store", "Writing tables",
                    "Writing the paper's tables, diagrams and design document", "Writing study.ttl", "Validating",
                    "Writing the saturation figure"]


def test_progress_goes_to_a_terminal_only_and_quiet_says_nothing(tmp_path):
    piped = invoke("load", "--store", tmp_path / "a", EXAMPLES)
    assert "\r" not in piped.stderr and "Loaded" in piped.stderr
    quiet = invoke("--quiet", "load", "--store", tmp_path / "b", EXAMPLES)
    assert quiet.exit_code == 0 and quiet.stderr == ""
    error = invoke("--quiet", "load", "--store", tmp_path / "b", tmp_path / "missing")
    assert error.exit_code == 2 and error.stderr  # errors are still said
