"""Text holding the characters that str.splitlines() splits on goes through every load path and comes back exact.

The N-Quads text gtkg writes escapes them, so one line is one quad for any reader; lines are split on \\n only.
"""

import pyoxigraph as ox
import pytest

from gtkg.exporting import export, sparql
from gtkg.loading import build_graphs, collect_files, load
from gtkg.nquads import nt_term
from gtkg.outputs.rdf import FORMATS
from gtkg.store.endpoint import Endpoint

BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # with \r and \n: every character str.splitlines() splits on
EVERY_BREAK = BREAKS + "\r\n"
EXCERPTS = sorted([f"before{char}after" for char in BREAKS] + ["first line\nsecond line"])
EXACT = "SELECT ?text WHERE { ?quote <http://www.w3.org/ns/oa#exact> ?text }"
LITERALS = sorted(f"{name}{char}end" for name, char in zip("abcdefghij", EVERY_BREAK, strict=True))
OBJECTS = "SELECT ?text WHERE { ?s <urn:test:says> ?text }"
IRI = "urn:test:line\u2028and\u2029paragraph"  # an IRI may hold these two (RFC 3987 ucschar)


def note(number: int, excerpts: list[str]) -> str:
    quotes = "".join("> " + text.replace("\n", "\n> ") + "\n\n" for text in excerpts)
    return (f"# s\n{number}\n## title\nLine breaks {number}\n# coding\n\n{quotes}"
            "**OPEN CODING TRACE:**\nFamiliar options: rest_apis\n")


def turtle() -> str:
    """Turtle with each break as an escape (\\u000B, \\f, \\r, \\n, ...), and raw where Turtle allows it."""
    escaped = [nt_term(text)[1:-1] for text in LITERALS]
    return "".join(f'<urn:test:s{n}> <urn:test:says> "{text}" .\n' for n, text in enumerate(escaped)) + \
        "".join(f'<urn:test:r{n}> <urn:test:says> """{text}""" .\n' for n, text in enumerate(LITERALS)) + \
        f"<{IRI}> <urn:test:named> <urn:test:o> .\n"


@pytest.fixture
def study(write):
    """Two notes (one holds every break) and a Turtle file: the folder to load."""
    write("s_1.md", note(1, EXCERPTS))
    write("s_2.md", note(2, ["an excerpt without breaks"]))
    return write("breaks.ttl", turtle()).parent


@pytest.mark.parametrize("char", EVERY_BREAK + "\\\"\t")
def test_a_literal_is_one_line_and_reads_back_exact(char):
    text = f"a{char}b"
    line = f"<urn:s> <urn:p> {nt_term(text)} ."
    assert len(line.splitlines()) == 1
    (triple,) = ox.parse(line, format=ox.RdfFormat.N_TRIPLES)
    assert triple.object.value == text


def test_written_nquads_hold_no_line_break_but_newline(study):
    graphs, _ = build_graphs(collect_files([study]))
    for graph, text in graphs.items():
        assert len(text.splitlines()) == text.count("\n"), graph


def _reload(where, study):
    """Load the study, then the note alone (so it replaces its graph among others)."""
    load([study], **where)
    load([study / "s_1.md"], **where)


PATHS = {
    "embedded, new store (bulk load)": lambda where, study: load([study], **where),
    "embedded, one file into a store (update)": _reload,
    "endpoint, graph store": lambda where, study: load([study], **where),
    "endpoint, SPARQL Update": _reload,
}


@pytest.fixture(params=PATHS)
def loaded(request, study, tmp_path):
    """The study loaded along one path; returns where it is."""
    if request.param.startswith("embedded"):
        where = {"store": str(tmp_path / "store")}
    else:
        server = request.getfixturevalue("sparql_server")
        server.clear()
        graph_store = server.store_url if "graph store" in request.param else None
        where = {"store": Endpoint(server.query_url, server.update_url, graph_store=graph_store)}
    PATHS[request.param](where, study)
    return where


def test_queries_give_back_the_exact_text(loaded):
    assert sorted(text for (text,) in sparql(EXACT, **loaded).rows) == sorted([*EXCERPTS, "an excerpt without breaks"])
    assert sorted(text for (text,) in sparql(OBJECTS, **loaded).rows) == sorted(LITERALS * 2)
    assert sparql("SELECT ?s WHERE { ?s <urn:test:named> ?o }", **loaded).rows == [[IRI]]


@pytest.mark.parametrize("fmt", ["nquads", "turtle", "trig", "jsonld"])
def test_exports_give_back_the_exact_text(loaded, fmt):
    parsed = ox.parse(export(format=fmt, **loaded), format=FORMATS[fmt])
    literals = {quad.object.value for quad in parsed if isinstance(quad.object, ox.Literal)}
    assert set(EXCERPTS + LITERALS) <= literals
