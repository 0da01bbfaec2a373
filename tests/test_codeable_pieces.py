"""A long model file parsed piece by piece (gtkg/loaders/codeable/pieces.py) gives exactly the statements and
diagnostics that parsing it whole gives, whatever sits where a piece could end; and a model read in two passes
with its trees released in between reads the same records as with its trees kept."""

import ast

import pytest

from gtkg.loaders import models
from gtkg.loaders.codeable import split_statements
from gtkg.loaders.codeable.pieces import DEDENTED, ONE_LINERS, WHOLE, Split

BLOCK = '''\
d_{n} = CClass(decision, "Decision {n}")
o_{n} = CClass(pattern, "Option {n}: caf\u00e9 \\ud83d\\ude00")
add_decision_option_link(d_{n}, o_{n}, "use {n}")
s{n} = CClass(source, "s{n}", values={{
    "title": "S\u00e9rie {n}",
    "url": "https://example.org/{n}"}})
s{n}_codes = [o_{n},
d_{n}]
add_links({{s{n}: s{n}_codes}}, role_name="contained_code")
text_{n} = """
x = 1
   \t
else: 2
"""
if o_{n}:
    pass
elif d_{n}:
    pass
else:
    pass
try:
    pass
except ValueError:
    pass
finally:
    pass
@decorator
def f_{n}():
    return [
o_{n}]
total_{n} = 1 + \\
2
for item in [o_{n}]:
    add_links({{d_{n}: item}}, role_name="from")
'''


def long_text(block: str = BLOCK, size: int = 40_000, **extra) -> str:
    parts, n = ["from study_model import *\n"], 0
    while sum(map(len, parts)) < size:
        parts.append(block.format(n=n, **extra))
        n += 1
    return "".join(parts)


def dumped(statements) -> list[str]:
    return [ast.dump(node, include_attributes=True) for node in statements]


def diagnosed(diagnostics) -> list[tuple]:
    return [(d.line, d.end_line, d.problem, d.message, d.text) for d in diagnostics]


def read_in_pieces(text: str, piece_chars: int = 300) -> tuple[Split, list]:
    split = Split(text, piece_chars=piece_chars)
    first = [node for piece in split.pieces() for node in piece.statements]  # may start over in another mode
    second = [node for piece in split.pieces() for node in piece.statements]  # in the mode the first settled on
    assert dumped(first[len(first) - len(second):]) == dumped(second)
    return split, second


@pytest.mark.parametrize(("text", "mode"), [
    (long_text(), ONE_LINERS),
    (long_text(BLOCK.replace('o_{n} = CClass(pattern, "Option {n}', 'o_{n} = CClass(pattern, name="Option {n}')
               .replace('o_{n}, "use {n}")', 'o_{n}, option_name="use {n}")')
               .replace('d_{n} = CClass(decision, "Decision {n}")', 'd_{n} = CClass(decision, name="D")')), DEDENTED),
    (long_text() + 'call(\nx = CClass(force, "inside a call")\n)\n', DEDENTED),  # a one-liner inside a statement
    (long_text() + "broken = (\n", WHOLE),  # does not parse: read whole, with recovery
    (long_text(size=100), WHOLE),  # short
    ("\n".join("    " + line for line in long_text().split("\n")), WHOLE),  # indented
])
def test_pieces_give_what_one_parse_gives(text, mode):
    split, statements = read_in_pieces(text)
    expected, diagnostics = split_statements(text)
    assert split.mode == mode
    assert dumped(statements) == dumped(expected)
    assert diagnosed(split.diagnostics) == diagnosed(diagnostics)
    assert any(d.problem == "surrogate-escape" for d in diagnostics) or mode == WHOLE


def test_a_piece_holds_a_statement_longer_than_a_piece():
    text = long_text() + "big = [\n" + "".join(f"    o_{n},\n" for n in range(3_000)) + "]\n" + long_text()
    split, statements = read_in_pieces(text)
    assert split.mode == ONE_LINERS and dumped(statements) == dumped(split_statements(text)[0])


FORWARD = '''\
s{n} = CClass(source, "s{n}")
add_links({{s{n}: later_{n}}}, role_name="contained_code")
add_force_relations({{o_{n}: impacts_{n}}})
later_{n} = [o_{n},  # codes listed before they are assigned
  d_{n}, "caf\u00e9 \\ud800"]
impacts_{n} = {{f_{n}: positive,
  f_{n}: negative}}
o_{n} = CClass(pattern, "Option {n}")
d_{n} = CClass(decision, "D {n}")
f_{n} = CClass(force, "F {n}")
add_decision_option_link(d_{n}, o_{n}, "use")
'''


def records(parsed: models.Models) -> list:
    return [(key, f.declarations, f.links, diagnosed(f.diagnostics), f.lists) for key, f in parsed.files.items()]


def read_both_ways(texts: dict, monkeypatch) -> tuple[list, list, int]:
    """The records of a load read with a first pass that glances (and its number of starts), and with one that
    parses every piece, in pieces of 500 characters."""
    monkeypatch.setattr(models, "Split", lambda text: Split(text, piece_chars=500))
    starts = []
    parse = models._parse
    monkeypatch.setattr(models, "_parse", lambda texts, **kw: starts.append(kw) or parse(texts, **kw))
    glanced = records(models.parse(texts))
    return glanced, records(parse(texts, glancing=False)), len(starts)


def test_forward_references_read_the_same_when_the_first_pass_only_glances(monkeypatch):
    texts = {"sources.py": "from model import *\n" + long_text(FORWARD), "model.py": long_text()}
    glanced, parsed, starts = read_both_ways(texts, monkeypatch)
    assert glanced == parsed and starts == 1
    assert any(link.kind == "impact" for link in parsed[1][2]) and any(d[2] == "duplicate-key" for d in parsed[1][3])


@pytest.mark.parametrize(("trap", "starts"), [
    ('text = f("""\nlater_3 = [d_1]\n    """)\n', 2),  # a line in a string that looks like a list assignment
    ('o_5 = CClass(pattern, "x") + extra\n', 2),  # looks like a declaration, is not one
    ('if x:\n    pass\ncall(\nx = CClass(force, "inside a call")\n)\n', 2),  # a one-liner inside: read dedented
    ('broken = (\n', 1),  # does not parse on its own: the first pass parses the file (read whole)
    ('call(1); later_4 = [o_1]\n', 1),  # two statements on one line: parsed in the first pass, no surprise
])
def test_a_wrong_glance_is_caught_and_everything_is_read_again(trap, starts, monkeypatch):
    texts = {"sources.py": "from model import *\n" + long_text(FORWARD) + trap + long_text(FORWARD),
             "model.py": long_text()}
    glanced, parsed, started = read_both_ways(texts, monkeypatch)
    assert glanced == parsed and started == starts
