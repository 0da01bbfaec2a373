"""The values gtkg/loaders/codeable computes for expressions (as running them would, without running anything),
and the limits that stop a statement whose values or work grow too large."""

import ast
import re
import textwrap

import pytest

from gtkg.loaders.codeable import Env, interpret, interpret_text
from gtkg.loaders.codeable.limits import MAX_ITEMS, MAX_PROBLEMS, MAX_TEXT, MAX_UNROLLED
from gtkg.loaders.records import MAX_TEXT as LONGEST_TEXT


def read(*parts: str):
    return interpret_text("".join(textwrap.dedent(part) for part in parts))


def values_of(expression: str, prelude: str = "") -> dict:
    """The value an expression gives, as the `values=` of a declaration records it."""
    fragment = read(prelude, f"x = CClass(practice, 'X', values={{'v': {expression}}})\n")
    return fragment.declarations[-1].values


def messages(fragment) -> list[str]:
    return [d.message for d in fragment.diagnostics]


@pytest.mark.parametrize(("expression", "value"), [
    ("'a' + 'b'", "ab"),
    ("3", 3),
    ("-1.5", None),  # a UnaryOp is not computed
    ("False", False),
    ("['a', 'b'][1]", "b"),
    ("{'k': 'v'}['k']", "v"),
    ("{**{'k': 'v'}, 'j': 'w'}['k']", "v"),
    ("text", "t"),
    ("later", "l"),
])
def test_values_computed_as_running_the_model_would(expression, value):
    prelude = "text = 't'\nx = CClass(practice, 'X', values={'v': later})\nlater = 'l'\n"
    assert values_of(expression, prelude).get("v") == value


@pytest.mark.parametrize(("expression", "message"), [
    ("['a'][3]", "the index 3 is not there (1 items); CodeableModels fails here"),
    ("{'k': 'v'}['j']", "the index 'j' is not there (1 items); CodeableModels fails here"),
    ("[1][True]", "a subscript gtkg cannot resolve statically"),
    ("'a' - 'b'", "an operation other than joining strings or lists"),
    ("[*'ab']", "a starred value that is not a list"),
    ("{**['a']}", "a ** entry that is not a dict"),
    ("f'{a}'", "an f-string is computed when the model runs; write the text out"),
    ("lambda: 0", "a Lambda expression cannot be resolved statically"),
    ("[len][0]()", "a call of a computed function is not a CodeableModels statement; it was not run"),
    ("eval('1')", "call of eval() is not a CodeableModels statement gtkg reads; it was not run"),
    ("a.frobnicate()", "call of a.frobnicate() is not a CodeableModels statement gtkg reads; it was not run"),
    ("[a].pop()", "call of ….pop() is not a CodeableModels statement gtkg reads; it was not run"),
])
def test_expressions_it_cannot_compute_stop_their_statement(expression, message):
    fragment = read(f"x = CClass(practice, 'X', values={{'v': {expression}}})\n")
    assert fragment.declarations[0].values == {}
    assert messages(fragment) == [message]


@pytest.mark.parametrize("expression", [
    "len('a')", "str(1)", "local()", "unknown_value[0]", "'a'.upper()", "mod.attr", "a.get_value('k')",
    "['a'].index('a')", "{'k': 'v'}.keys()",
])
def test_harmless_calls_and_views_are_unknown_values(expression):
    fragment = read("def local():\n    return 1\nunknown_value = thing.attribute\n",
                    f"x = CClass(practice, 'X', values={{'v': {expression}}})\n")
    assert fragment.declarations[0].values == {}
    assert [d.message.split(" cannot be resolved statically ")[0] for d in fragment.diagnostics[1:]] == [
        "the value of 'v'"]


def test_a_key_written_twice_in_a_dict_keeps_its_last_value_and_is_reported():
    fragment = read("a = CClass(practice, 'A')\nb = CClass(practice, 'B')\nadd_links({a: b,\n           a: [b]},"
                    " role_name='to')\n")
    assert [(link.a, link.b) for link in fragment.links] == [("a", "b")]
    [found] = fragment.diagnostics
    assert (found.line, found.end_line, found.problem, found.about) == (4, None, "duplicate-key", "a")
    assert found.message == ("key a appears twice in this dict; Python keeps only its last value, so the earlier "
                             "entry is lost when the model runs")


def test_list_methods_change_the_list_in_place():
    fragment = read("""\
        codes = [a]
        same = codes
        codes.append(b)
        codes.extend([c, d])
        codes.insert(0, e)
        codes.remove(c)
        codes.sort()
        add_links({s1: same}, role_name="contained_code")
        """)
    assert [link.b for link in fragment.links] == ["e", "a", "b", "d"]


def test_a_dict_updated_with_another_dict():
    fragment = read("pairs = {a: b}\npairs.update({c: d})\npairs.update(42)\nadd_links(pairs, role_name='to')\n")
    assert [(link.a, link.b) for link in fragment.links] == [("a", "b"), ("c", "d")]


def test_sys_path_is_never_changed_and_module_calls_are_never_run():
    fragment = read("import sys\nimport subprocess as sp\nsys.path.insert(0, '..')\nsp.run(['ls'])\n")
    assert [(d.line, d.problem, d.message) for d in fragment.diagnostics] == [
        (3, "ignored-statement", "sys.path is not changed: gtkg imports nothing"),
        (4, "unsupported-statement", "call of sp.run() is not a CodeableModels statement; it was not run")]


def test_a_string_over_the_longest_text_is_cut_and_reported():
    fragment = read(f"x = CClass(practice, 'X', values={{'v': '{'a' * (LONGEST_TEXT + 1)}'}})\n")
    assert len(fragment.declarations[0].values["v"]) == LONGEST_TEXT
    assert [d.problem for d in fragment.diagnostics] == ["long-text"]


def test_a_lone_surrogate_in_a_string_is_replaced_and_reported():
    fragment = read("x = CClass(practice, 'X', values={'v': 'a\\ud800b'})\n")
    assert fragment.declarations[0].values == {"v": "a\ufffdb"}
    assert [d.problem for d in fragment.diagnostics] == ["surrogate-escape"]  # split_statements replaced it


def test_a_lone_surrogate_in_a_string_of_statements_given_as_they_are_is_replaced_and_reported():
    statements = ast.parse("x = CClass(practice, 'X', values={'v': 'a\\ud800b'})").body
    fragment = interpret(statements, Env())
    assert fragment.declarations[0].values == {"v": "a\ufffdb"}
    assert [d.problem for d in fragment.diagnostics] == ["encoding"]


def test_an_integer_of_more_than_a_thousand_digits_is_not_loaded():
    fragment = read(f"x = CClass(practice, 'X', values={{'v': {'9' * 1001}, 'w': {'9' * 1000}}})\n")
    assert list(fragment.declarations[0].values) == ["w"]
    assert messages(fragment) == ["the value of 'v' cannot be resolved statically (an integer of more than 1,000 "
                                  "digits (line 1)); it is not loaded"]


# ---------------------------------------------------------------- limits


def test_a_string_joined_over_the_text_limit_stops_its_statement_and_its_name_is_unknown():
    half = "a" * (MAX_TEXT // 2 + 1)
    fragment = read(f"s = '{half}'\nt = s + s\nx = CClass(practice, 'X', values={{'t': t}})\ns += s\n")
    assert [(d.line, d.problem) for d in fragment.diagnostics] == [(2, "limit-exceeded"), (3, "unsupported-statement"),
                                                                   (4, "limit-exceeded")]
    assert messages(fragment)[0] == ("value too large: the string built here would have more than 100,000 "
                                     "characters; gtkg stops evaluating this statement, and t is unknown from here on")
    assert messages(fragment)[1] == ("the value of 't' cannot be resolved statically (a value over gtkg's limits "
                                     "(line 2)); it is not loaded")


def test_a_list_doubled_over_the_item_limit_stops_and_loads_none_of_the_statement_s_links():
    doublings = MAX_ITEMS.bit_length()
    fragment = read("codes = [a]\n", "codes += codes\n" * doublings,
                    "add_links({s1: [b, *codes, *codes]}, role_name='contained_code')\n")
    assert fragment.links == []
    assert [d.line for d in fragment.diagnostics] == [doublings + 1, doublings + 2]
    assert messages(fragment)[0].startswith("value too large: the list built here would have more than 100,000 "
                                            "items")
    assert messages(fragment)[1].startswith("a starred value that is not a list")


def test_a_statement_over_its_steps_stops_and_loads_none_of_its_links():
    loop = "for c in {}:\n    s1.add_links(c, role_name='contained_code')\n"
    fragment = read("codes = [a]\n", "codes += codes\n" * 12, loop.format("codes"), "more = codes + codes + codes\n",
                    loop.format("more"))
    assert fragment.links == []
    assert [(d.line, d.problem) for d in fragment.diagnostics] == [(14, "limit-exceeded"), (17, "limit-exceeded")]
    assert messages(fragment)[0].startswith("too much work: reading this statement takes more than ")
    assert re.search(r"; this loop nest ran [\d,]+ statements\); gtkg stops evaluating this statement, and loads "
                     "none of its links$", messages(fragment)[0])
    assert messages(fragment)[1] == (f"loop too long: this loop nest would run more than {MAX_UNROLLED:,} "
                                     "statements; gtkg stops unrolling it")


def test_statements_borrow_from_one_reserve_for_the_whole_load():
    loop = "for c in codes:\n    s1.add_links(c, role_name='contained_code')\n"
    fragment = read("codes = [a]\n", "codes += codes\n" * 12, loop * 4)
    assert [d.problem for d in fragment.diagnostics] == ["limit-exceeded"] * 4
    assert "plus the 100,000 one statement may borrow" in messages(fragment)[0]
    assert "plus the 0 left of the 300,000 a load may borrow" in messages(fragment)[-1]


def test_a_loop_keeps_a_hundred_diagnostics_of_its_statement_and_counts_the_rest():
    fragment = read("for x in [", "'t', " * (MAX_PROBLEMS + 5), "]:\n    add_links({s1: x}, role_name='to')\n")
    assert len(fragment.diagnostics) == MAX_PROBLEMS + 1
    assert fragment.diagnostics[-1].message == ("5 more diagnostics of this statement are not listed (gtkg keeps "
                                                f"{MAX_PROBLEMS} per statement)")
