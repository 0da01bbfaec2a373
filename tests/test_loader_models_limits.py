"""The model reader's limits: a few KB of hostile model text costs at most about a second and a few MB, and
what is too much becomes a `limit-exceeded` diagnostic on its line while the rest of the file still loads.

The costly cases run in a child process under a memory limit and a time bound, so that a regression fails
the test instead of hanging or exhausting the suite.
"""

import ast
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest
from helpers import select

from gtkg.exporting import export
from gtkg.loaders import models
from gtkg.loading import load

CHILD = """
import json, pathlib, re, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from gtkg.loaders import models
parsed = models.parse({"m.py": sys.stdin.read()}).files["m.py"]
usage = resource.getrusage(resource.RUSAGE_SELF)
status = pathlib.Path("/proc/self/status")  # its peak is this program's (ru_maxrss can be the parent's, forked)
peak = re.search(r"VmHWM:\\s*(\\d+)", status.read_text()) if status.exists() else None
print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "rss_mb": int(peak[1] if peak else usage.ru_maxrss) / 1024,
                  "declared": [d.var for d in parsed.declarations], "links": len(parsed.links),
                  "diagnostics": [(d.line, d.problem, d.message) for d in parsed.diagnostics]}))
"""
AFTER = "after = CClass(force, 'After')\n"  # the statement after the hostile ones, which must still load


def read_bounded(text: str) -> dict:
    """Parse one model file in a child process (1 GB of address space, 60 s) and report what it cost."""
    try:
        done = subprocess.run([sys.executable, "-c", CHILD], input=text, capture_output=True, text=True,
                              timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("reading the model did not finish in 60 s")
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def limits_hit(read: dict) -> list[tuple[int, str]]:
    return [(line, message) for line, problem, message in read["diagnostics"] if problem == "limit-exceeded"]


def assert_cheap(read: dict) -> None:
    """Generous bounds (the fixed reader takes a fraction of them); the unbounded one took minutes or GBs."""
    assert read["cpu"] < 5, read["cpu"]
    assert read["rss_mb"] < 64, read["rss_mb"]
    assert "after" in read["declared"]


@pytest.mark.parametrize("template,last", [("f{i} = {{**f{j}, **f{j}}}\n", "{x: 1}"),
                                           ("f{i} = f{j} + f{j}\n", "[x]"), ("f{i} = [f{j}, f{j}]\n", "[x]")],
                         ids=["dict-spread", "list-sum", "list-pair"])
def test_forward_references_that_double_the_work_per_level_are_stopped(template, last):
    """Found by fault injection: 40 levels of 905 bytes never finished (each level reads the next one twice,
    and the next one is defined further down: a forward reference, evaluated again each time)."""
    levels = "".join(template.format(i=i, j=i + 1) for i in range(40)) + f"f40 = {last}\n"
    read = read_bounded(levels + AFTER)
    assert_cheap(read)
    hit = limits_hit(read)
    assert hit and hit[0][0] == 1 and "evaluation steps" in hit[0][1], hit[:3]


def test_a_string_doubled_64_times_stops_at_the_text_limit():
    """Found by fault injection: `s += s` 64 times raised MemoryError at 4 GB."""
    read = read_bounded("s = 'ab'\n" + "s += s\n" * 64 + "label = CClass(force, s)\n" + AFTER)
    assert_cheap(read)
    assert limits_hit(read) == [(17, "value too large: the string built here would have more than 100,000 "
                                     "characters; gtkg stops evaluating this statement, and s is unknown from "
                                     "here on")]
    label = [message for line, _, message in read["diagnostics"] if line == 66]
    assert label and "not a string gtkg can resolve: a value over gtkg's limits (line 17)" in label[0], label


def test_a_list_doubled_64_times_stops_at_the_item_limit():
    read = read_bounded("codes = [a, b]\n" + "codes += codes\n" * 64 + AFTER)
    assert_cheap(read)
    hit = limits_hit(read)
    assert [line for line, _ in hit] == [17] and "more than 100,000 items" in hit[0][1], hit


def test_three_nested_loops_over_50_items_are_not_unrolled():
    """Found by fault injection: 125,000 unrolled calls took 12 s and 2.4 GB."""
    items = ", ".join(f"c{i}" for i in range(50))
    read = read_bounded(f"codes = [{items}]\n"
                        "for a in codes:\n    for b in codes:\n        for c in codes:\n"
                        "            add_links({a: c}, role_name='uses')\n" + AFTER)
    assert_cheap(read)
    assert [line for line, _ in limits_hit(read)] == [2]
    assert read["links"] == 0  # none of the loop's links, not the first few thousand
    assert len(read["diagnostics"]) == 1, read["diagnostics"][:3]  # not one per unrolled call


def test_a_loop_longer_than_the_unroll_limit_is_not_started():
    read = models.parse({"m.py": "codes = [a, b, c, d]\n" + "codes += codes\n" * 12
                                 + "for code in codes:\n    add_links({s: code}, role_name='contained_code')\n"})
    [diagnostic] = read.files["m.py"].diagnostics
    assert (diagnostic.line, diagnostic.problem) == (14, "limit-exceeded")
    assert "loop too long: this loop nest would run more than 10,000 statements" in diagnostic.message


def test_a_loop_keeps_100_diagnostics_of_a_statement_and_counts_the_rest():
    items = ", ".join(f"c{i}" for i in range(150))
    read = models.parse({"m.py": f"codes = [{items}]\nfor code in codes:\n    add_links({{s: code}}, role_name='x')\n"})
    diagnostics = read.files["m.py"].diagnostics
    assert [d.problem for d in diagnostics] == ["unknown-role"] * 100 + ["limit-exceeded"]
    assert diagnostics[-1].message.startswith("50 more diagnostics of this statement are not listed")
    assert len(read.files["m.py"].links) == 150


def test_aliases_of_a_large_list_do_not_copy_it_each_time():
    """A 64,000-item list built by doubling, then 1,000 names for it: each copied its items (3 s, 500 MB)."""
    items = ", ".join(f"c{i}" for i in range(1000))
    read = read_bounded(f"codes = [{items}]\n" + "codes += codes\n" * 6
                        + "".join(f"x{i} = codes\n" for i in range(1000)) + AFTER)
    assert_cheap(read)
    assert limits_hit(read)


def test_a_reused_list_cannot_multiply_links_without_bound():
    """200 lines of 46 bytes, each linking the same 100 codes: 20,000 links and as many duplicate findings."""
    items = ", ".join(f"c{i}" for i in range(100))
    text = f"s = CClass(source, 'S')\ncodes = [{items}]\n" + "add_links({s: codes}, role_name='contained_code')\n" * 200
    read = read_bounded(text + AFTER)
    assert_cheap(read)
    assert read["links"] <= 10_000
    assert limits_hit(read)[0][0] > 3  # the first statements load in full


def test_recovering_from_many_broken_lines_parses_a_bounded_amount(monkeypatch):
    """6 KB of `x = (` lines: each was parsed again merged with up to 40 following ones (5 MB parsed, 2.5 s)."""
    parsed, parse = [], ast.parse

    def counted(text, *args, **kwargs):
        parsed.append(len(text))
        return parse(text, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counted)
    files = models.parse({"m.py": "x = (\n" * 1000 + AFTER}).files
    assert sum(parsed) < 2_000_000
    assert len(files["m.py"].diagnostics) == 1000 and files["m.py"].declarations[0].var == "after"


def test_a_long_chain_of_imports_is_ordered_without_recursion():
    texts = {f"m{i}.py": f"from m{i + 1} import *\n" for i in range(3000)}
    order = list(models.parse(texts).files)
    assert order[0] == "m2999.py" and order[-1] == "m0.py"


def loaded(write, store, name: str, text: str) -> tuple[list[dict], list[tuple]]:
    """Load one file, export it as N-Quads (valid UTF-8 that Oxigraph reads back) and return its diagnostics."""
    load([write(name, text)], store=store)
    quads = export(store=store, format="nquads")
    quads.decode("utf-8")
    parsed = list(ox.parse(quads, format=ox.RdfFormat.N_QUADS))
    rows = select(store, "SELECT ?line ?problem ?message WHERE { ?d gt:problem ?problem ; gt:line ?line ; "
                         "gt:message ?message }")
    return rows, parsed


NOTE = "# s\n1\n## title\nT\n# coding\n\n> quote\n\n**AXIAL CODING TRACE:**\n```python\n{}\n```\n"


@pytest.mark.parametrize("name,wrap", [("m.py", "{}"), ("s_1.md", NOTE)], ids=["model", "note"])
def test_a_lone_surrogate_in_a_string_is_replaced_and_reported(write, store, name, wrap):
    """Found by fault injection: `'D\\ud800'` was a traceback (UTF-8 cannot encode a lone surrogate)."""
    rows, quads = loaded(write, store, name, wrap.format("d = CClass(decision, 'D\\ud800\\x00')"))
    labels = [q.object.value for q in quads if q.predicate.value.endswith("#label")]
    assert "D\ufffd\x00" in labels
    found = [row for row in rows if row["problem"] in ("encoding", "surrogate-escape")]
    assert found and "surrogate" in found[0]["message"], rows


def test_a_huge_hexadecimal_integer_is_not_loaded(write, store):
    """`0xfff...` parses at any length, but Python prints at most 4,300 digits: writing it was a traceback."""
    huge = "0x" + "f" * 5000
    rows, _ = loaded(write, store, "m.py", f"s1 = CClass(source, 's1', values={{'title': {huge}, 'year': 2024}})\n")
    assert any("integer of more than 1,000 digits" in row["message"] for row in rows), rows


def test_a_float_value_of_a_known_attribute_loads(write, store):
    rows, quads = loaded(write, store, "m.py", "s1 = CClass(source, 's1', values={'title': 1.5, 'url': 1e999})\n")
    assert {q.object.value for q in quads if q.predicate.value.endswith("/title")} == {"1.5"}
