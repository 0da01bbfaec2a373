"""`gtkg paper`: one of the paper's tables, with its caption, label and rules; `gtkg query -f latex` titles."""

import pytest
from click.testing import CliRunner
from helpers import FIXTURES
from latex_check import problems

from gtkg.cli import cli

STUDY = FIXTURES / "paper"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = tmp_path_factory.mktemp("store") / "store"
    assert invoke("load", STUDY, "--store", store).exit_code == 0
    return store


def test_gtkg_paper_writes_the_overview_with_its_own_caption_and_label(store):
    result = invoke("paper", "overview", "--store", store, "--caption", "Decisions & options", "--label",
                    "tab:decisions", "--rules", "ruled")
    assert result.exit_code == 0, result.output
    assert r"\caption{Decisions \& options}" in result.stdout and r"\label{tab:decisions}" in result.stdout
    assert r"\hline" in result.stdout and r"\toprule" not in result.stdout
    assert r"\multirow{2}{=}{How to Cache Data \& Results?}" in result.stdout
    assert problems(result.stdout) == []


@pytest.mark.parametrize("fmt, line", [
    ("markdown", '| <a id="f2"></a>f2 | Consistency “C#” | s1 |'),
    ("csv", "f1,Latency,\"s1, s2\""),
    ("latex", r"f3 & Cost &  \\"),
])
def test_gtkg_paper_writes_the_forces_in_each_format(store, fmt, line):
    result = invoke("paper", "forces", "-f", fmt, "--store", store)
    assert result.exit_code == 0, result.output
    assert line in result.stdout.splitlines()


def test_gtkg_paper_refuses_an_unknown_table(store):
    result = invoke("paper", "decisions", "--store", store)
    assert result.exit_code == 2 and "'decisions' is not one of 'sources', 'forces', 'overview'" in result.output


def test_gtkg_query_latex_has_the_query_s_summary_as_caption(store):
    result = invoke("query", "force-evidence", "-f", "latex", "--store", store)
    assert r"\caption{Each force with the sources that contain it: the paper's force table}" in result.stdout
    assert r"\label{tab:force-evidence}" in result.stdout and problems(result.stdout) == []
