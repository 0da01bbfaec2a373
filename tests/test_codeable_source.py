"""Splitting Python text into statements (gtkg/loaders/codeable/source.py): what parses is kept with the lines
of the file, what does not is one `unreadable-snippet` diagnostic per broken part with its raw text."""

import ast

import pytest

from gtkg.loaders.codeable import split_statements
from gtkg.loaders.codeable.source import FAST_PATH_MIN, split_one_liners


def shapes(statements: list[ast.stmt]) -> list[tuple]:
    return [(type(s).__name__, s.lineno) for s in statements]


def unreadable(diagnostics) -> list[tuple]:
    return [(d.line, d.end_line, d.text) for d in diagnostics if d.problem == "unreadable-snippet"]


def test_an_indented_text_is_dedented_and_numbered_from_its_first_line():
    statements, diagnostics = split_statements("    a = 1\n\n    b = 2\n", first_line=30)
    assert shapes(statements) == [("Assign", 30), ("Assign", 32)] and diagnostics == []


def test_a_broken_line_is_reported_and_the_statements_around_it_are_kept():
    text = "@decorator\ndef f():\n    pass\nx = (\n  1,\n  2)\nbad bad\ny = 1\n"
    statements, diagnostics = split_statements(text, first_line=5)
    assert shapes(statements) == [("FunctionDef", 6), ("Assign", 8), ("Assign", 12)]
    assert unreadable(diagnostics) == [(11, 11, "bad bad")]
    assert diagnostics[0].message == ("cannot read this as Python: 'bad bad'; fix the syntax (brackets, commas, "
                                      "quotes, names with spaces) so the code is loaded; its raw text is kept")


@pytest.mark.parametrize(("text", "kept", "reported"), [
    ("x = [\n    1,\n# comment\n]\nthis is prose\n    still prose\n\nz = 2\n", [("Assign", 1), ("Assign", 8)],
     [(5, 6, "this is prose\n    still prose")]),  # a comment does not start a part, an indented line continues one
    ("a = 1\nb = (\n", [("Assign", 1)], [(2, 2, "b = (")]),
    ("x = 1\ny = (1 +\n2 +\n3)\nz = [\n", [("Assign", 1), ("Assign", 2)], [(5, 5, "z = [")]),  # read with the next
])
def test_the_broken_parts_of_a_text_are_reported_with_their_lines(text, kept, reported):
    statements, diagnostics = split_statements(text)
    assert shapes(statements) == kept
    assert unreadable(diagnostics) == reported


def test_surrogate_escapes_become_the_character_a_pair_stands_for_and_one_diagnostic_says_so():
    statements, diagnostics = split_statements("s = 'a\\ud83d\\ude00b'\nt = '\\ud800'\nu = 'plain'\n")
    assert [s.value.value for s in statements] == ["a\U0001f600b", "\ufffd", "plain"]
    [found] = diagnostics
    assert (found.line, found.problem) == (1, "surrogate-escape")
    assert found.message.startswith("2 string(s) hold surrogate escapes")


def test_a_long_unindented_text_of_one_liners_splits_as_ast_parse_does():
    lines = [f"x{i} = CClass(practice, 'X {i}')  # c" if i % 3 else f"add_decision_option_link(d, x{i - 1}, 'N')"
             for i in range(FAST_PATH_MIN // 30)] + ["y = (\n  1)", "@f\ndef g():\n    pass"]
    text = "\n".join(lines) + "\n"
    statements, diagnostics = split_statements(text)
    assert diagnostics == []
    assert [ast.dump(s) for s in statements] == [ast.dump(s) for s in ast.parse(text).body]
    assert len(split_one_liners(text)) == len(statements)
