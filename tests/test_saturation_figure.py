"""The saturation figure: the curve in coding order, the order file, SVG and PDF with matplotlib, and without."""

import builtins
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from helpers import FIXTURES

from gtkg.building import build
from gtkg.cli import cli
from gtkg.design import design_space
from gtkg.errors import InputError
from gtkg.queries import run_query
from gtkg.saturation import read_order, saturation_curve

QUERIES = FIXTURES / "queries"


def test_in_natural_order_the_curve_is_the_saturation_query(queries_store):
    curve = saturation_curve(design_space(store=queries_store))
    query = run_query("saturation", store=queries_store)
    assert [row[:3] for row in curve.rows] == [row[:3] for row in query.rows]
    assert [row[0] for row in curve.rows] == ["s1", "s2", "s10", "p1"]


def test_an_order_puts_the_sources_first_as_they_were_coded(queries_store):
    space = design_space(store=queries_store)
    curve = saturation_curve(space, ["p1", "s10"])
    assert [row[0] for row in curve.rows] == ["p1", "s10", "s1", "s2"]
    assert curve.rows[-1][2] == saturation_curve(space).rows[-1][2]  # the same codes in the end
    assert curve.rows[0][1] == curve.rows[0][2] == len(curve.rows[0][3])


def test_an_order_naming_a_source_the_study_lacks_is_refused(queries_store):
    with pytest.raises(InputError, match="does not have: s99"):
        saturation_curve(design_space(store=queries_store), ["s1", "s99"])


def test_an_order_file_lists_ids_or_note_names(tmp_path):
    order = tmp_path / "order.txt"
    order.write_text("# coded in this order\np1\n\nnotes/s_10.md  # the long one\ns2\n", encoding="utf-8")
    assert read_order(order) == ["p1", "s10", "s2"]
    with pytest.raises(InputError, match="cannot read the order file"):
        read_order(tmp_path / "missing.txt")


def test_build_draws_the_figure_in_the_given_order_the_same_bytes_each_time(tmp_path):
    pytest.importorskip("matplotlib")
    order = tmp_path / "order.txt"
    order.write_text("p1\ns10\n", encoding="utf-8")
    first, second = tmp_path / "a", tmp_path / "b"
    build([QUERIES], output=first, order=order)
    build([QUERIES], output=second, order=order)
    svg = (first / "figures" / "saturation.svg").read_bytes()
    assert svg == (second / "figures" / "saturation.svg").read_bytes()
    assert (first / "figures" / "saturation.pdf").read_bytes() == (second / "figures" / "saturation.pdf").read_bytes()
    assert (first / "figures" / "saturation.pdf").read_bytes().startswith(b"%PDF")
    labels = [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text") if t.text in
              ("s1", "s2", "s10", "p1")]
    assert labels == ["p1", "s10", "s1", "s2"]


def test_build_without_matplotlib_says_how_to_get_the_figure(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    hidden = tmp_path / "hidden" / "matplotlib"  # for the process that draws the figure: a matplotlib that fails
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('No module named matplotlib')\n")
    monkeypatch.syspath_prepend(str(hidden.parent))
    result = CliRunner().invoke(cli, ["build", str(QUERIES), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Not written: the saturation figure: " in result.stderr and "pip install 'gtkg[plots]'" in result.stderr
    assert not (tmp_path / "out" / "figures").exists() and (tmp_path / "out" / "design.md").is_file()


def test_a_script_that_builds_runs_once(tmp_path):
    """The figure is drawn in another process: that process must not run the caller's script again (a script
    without `if __name__ == "__main__"`, as researchers write them, would load and build twice)."""
    pytest.importorskip("matplotlib")
    runs = tmp_path / "runs.txt"
    script = tmp_path / "make_paper.py"
    script.write_text(f"import gtkg\nwith open({str(runs)!r}, 'a') as f:\n    f.write('ran\\n')\n"
                      f"gtkg.build([{str(QUERIES)!r}], output={str(tmp_path / 'out')!r})\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert runs.read_text() == "ran\n"
    assert (tmp_path / "out" / "figures" / "saturation.svg").is_file()
