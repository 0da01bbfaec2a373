"""Diagrams: what each shows, labels that cannot break out of their language, rendering to SVG, `gtkg diagram`."""

import shutil
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from helpers import FIXTURES

from gtkg.building import build
from gtkg.cli import cli
from gtkg.design import Code, design_space
from gtkg.diagrams import Diagram, decision_diagram, next_decisions_diagram
from gtkg.loading import load
from gtkg.outputs import get

STUDY = FIXTURES / "paper"
HOSTILE = 'Evil" ]; x -> y [label="%getenv("HOME")\n!include /etc/passwd\n}\\N <b>&amp; --x-- __u__ `m` #1 |p|'


@pytest.fixture(scope="module")
def space(tmp_path_factory):
    store = tmp_path_factory.mktemp("store") / "store"
    load([STUDY], store=str(store))
    return design_space(store=str(store))


def _decision(space, variable):
    return next(d for d in space.decisions if d.code.variable == variable)


def test_a_decision_s_diagram_shows_options_dependencies_next_decisions_and_on_request_forces(space):
    diagram = decision_diagram(space, _decision(space, "cache_decision"))
    assert list(diagram.nodes) == ["cache_decision", "read_through", "write_behind", "cdn", "store_decision"]
    edges = {(e.start, e.end, e.kind, e.lines) for e in diagram.edges}
    assert ("c_cache_decision", "c_read_through", "option", ("Read through the cache",)) in edges
    assert ("c_read_through", "c_cdn", "dependency", ("«Can Use»", "how: in front of the cache")) in edges
    assert not any(edge[0] == "c_cdn" for edge in edges)  # cdn uses object_store: not an option of this one
    assert ("c_read_through", "c_store_decision", "next", ("«Mandatory Next»",)) in edges
    assert not any(node.kind == "force" for node in diagram.nodes.values())
    with_forces = decision_diagram(space, _decision(space, "cache_decision"), forces=True)
    assert ("c_read_through", "c_consistency", "impact", ("--",)) in {
        (e.start, e.end, e.kind, e.lines) for e in with_forces.edges}


def test_the_next_decisions_diagram_draws_options_under_their_decision(space):
    diagram = next_decisions_diagram(space)
    assert [(e.start, e.end, e.kind) for e in diagram.edges] == [
        ("c_cache_decision", "c_read_through", "option"), ("c_read_through", "c_store_decision", "next")]
    assert {"naming_decision", "store_decision"} <= set(diagram.nodes)


def _hostile_diagram():
    diagram = Diagram("d", HOSTILE)
    diagram.link(Code("d", HOSTILE, "decision"), Code("o", HOSTILE, "pattern"), "option", HOSTILE)
    return diagram


def _text(name):
    output = get(name, "diagram")
    return output.writer().write(_hostile_diagram(), output)


def test_plantuml_labels_are_text_only():
    text = _text("plantuml")
    body = text.splitlines()
    assert len(body) == 6 and body[0] == "@startuml d" and body[-1] == "@enduml"
    for bad in ('"%', "%getenv", "!include", "<b>", "--x--", "__u__", '"]'):
        assert bad not in text
    assert text.count('"') == 4  # the two object names' quotes


def test_mermaid_labels_stay_inside_their_quotes():
    text = _text("mermaid")
    for line in text.splitlines()[1:]:
        quoted = line.split('"')
        assert len(quoted) == 3, line  # one quoted label per line, nothing after it but the shape or target
    assert "<b>" not in text and "`" not in text


def test_dot_labels_stay_inside_their_quotes():
    text = _text("dot")
    assert text.count("\n") == 8 and '\\"' in text and "\\\\N" in text


@pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz is not installed")
def test_graphviz_draws_the_hostile_label_as_written():
    from gtkg.rendering import render_svg, renderer

    svg = render_svg(_text("dot"), renderer(), "d")
    texts = "".join(node.text or "" for node in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))
    assert '%getenv("HOME")' in texts and "<b>&amp;" in texts and "\\N" in texts


@pytest.mark.skipif(not shutil.which("plantuml"), reason="PlantUML is not installed")
def test_plantuml_draws_the_hostile_label_as_written_and_runs_nothing_in_it():
    from gtkg.rendering import Renderer, render_svg

    plantuml = Renderer("PlantUML", "plantuml", (shutil.which("plantuml"), "-tsvg", "-pipe"))
    svg = render_svg(_text("plantuml"), plantuml, "d")
    texts = [node.text for node in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert texts.count(HOSTILE) == 4  # the title, both objects and the link, each exactly as written


@pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz is not installed")
def test_build_draws_every_diagram_as_svg(tmp_path):
    summary = build([STUDY], output=tmp_path / "out")
    assert summary.rendered == "Graphviz" and summary.diagrams == 5
    for name in ("cache_decision", "naming_decision", "store_decision", "all-decisions", "next-decisions"):
        ET.parse(tmp_path / "out" / "diagrams" / f"{name}.svg")


@pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz is not installed")
def test_build_does_not_draw_a_diagram_too_large_to_read(tmp_path, monkeypatch):
    from gtkg import rendering

    monkeypatch.setattr(rendering, "MOST_NODES", 5)
    summary = build([STUDY], output=tmp_path / "out")
    assert not (tmp_path / "out" / "diagrams" / "all-decisions.svg").exists()
    assert (tmp_path / "out" / "diagrams" / "cache_decision.svg").exists()  # 5 codes
    assert summary.missing == ["diagrams/all-decisions.svg: the diagram has 7 codes, too many to draw (over 5); "
                               "draw the .dot file by hand"]


def test_build_without_a_renderer_says_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("PLANTUML_JAR", raising=False)
    summary = build([STUDY], output=tmp_path / "out")
    assert summary.rendered == "" and not list((tmp_path / "out" / "diagrams").glob("*.svg"))
    assert any("apt-get install graphviz" in line for line in summary.missing)
    result = CliRunner().invoke(cli, ["build", str(STUDY), "-o", str(tmp_path / "again")])
    assert result.exit_code == 0 and "Not written: diagrams as SVG: install Graphviz" in result.stderr


def test_a_renderer_that_fails_is_reported_and_the_build_goes_on(tmp_path, monkeypatch):
    from gtkg import rendering

    monkeypatch.setattr(rendering, "renderer", lambda: rendering.Renderer("Graphviz", "dot", ("false",)))
    summary = build([STUDY], output=tmp_path / "out")
    assert (tmp_path / "out" / "design.md").is_file() and summary.diagrams == 5
    assert any("Graphviz failed to draw the diagram cache_decision (exit 1)" in line for line in summary.missing)


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_gtkg_diagram_draws_decisions_by_variable_or_label(tmp_path):
    store = tmp_path / "store"
    assert invoke("load", STUDY, "--store", store).exit_code == 0
    result = invoke("diagram", "store_decision", "Which Café Naming?", "-f", "mermaid", "--store", store)
    assert result.exit_code == 0, result.output
    assert "c_store_decision{{" in result.stdout and "c_naming_decision{{" in result.stdout
    assert "c_write_behind" not in result.stdout
    everything = invoke("diagram", "--forces", "-f", "dot", "--store", store)
    assert everything.stdout.startswith('digraph "all-decisions"') and "c_latency" in everything.stdout
    links = invoke("diagram", "--next", "--store", store, "-o", tmp_path / "next.puml")
    assert links.exit_code == 0 and (tmp_path / "next.puml").read_text().startswith("@startuml next-decisions")


def test_gtkg_diagram_of_an_unknown_decision_names_the_known_ones(tmp_path):
    store = tmp_path / "store"
    invoke("load", STUDY, "--store", store)
    result = invoke("diagram", "nope", "--store", store)
    assert result.exit_code == 2 and result.stderr.startswith("Error: no decision 'nope'")
    assert "cache_decision, store_decision, naming_decision" in result.stderr and "Traceback" not in result.output
