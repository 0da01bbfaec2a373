"""The statement reader of gtkg/loaders/codeable: the records each kind of statement gives, read directly
(declarations, assignments, aliases, loops, imports, listings), and what it refuses, with its diagnostic."""

import textwrap

import pytest

from gtkg.loaders import models
from gtkg.loaders.codeable import Env, interpret, interpret_text, split_statements
from gtkg.loaders.records import Declaration, Listing

KINDS = """\
a = CClass(practice, "A")
b = CClass(practice, "B")
o = CClass(pattern, "O")
s1 = CClass(source, "s1")
"""


def read(*parts: str, first_line: int = 1):
    """The fragment of the parts (each dedented) read one after the other."""
    return interpret_text("".join(textwrap.dedent(part) for part in parts), first_line)


def links(fragment) -> list[tuple]:
    return [(link.kind, link.a, link.b, link.line, link.var) for link in fragment.links]


def problems(fragment) -> list[tuple]:
    return [(d.line, d.problem) for d in fragment.diagnostics]


def messages(fragment) -> list[str]:
    return [d.message for d in fragment.diagnostics]


# ---------------------------------------------------------------- declarations


def test_a_declaration_with_label_values_and_stereotypes():
    fragment = read("""\
        p = CClass(practice, "P", values={"url": "u", "n": 3, "ok": True, "x": 1.5},
                   stereotype_instances=[a_type, b_type])
        """)
    assert fragment.declarations == [Declaration("p", "practice", "P", 1, {"url": "u", "n": 3, "ok": True, "x": 1.5},
                                                 ("a_type", "b_type"))]
    assert fragment.diagnostics == []


def test_a_declaration_by_keywords_and_camel_case_metaclass_names():
    fragment = read("f = CClass(metaclass=force, name='F')\nd = CClass(decision, 'D', stereotypeInstances=x)\n"
                    "n = CClass(doNothingDesignSolution)")
    assert [(d.var, d.metaclass, d.label, d.stereotypes) for d in fragment.declarations] == [
        ("f", "force", "F", ()), ("d", "decision", "D", ("x",)), ("n", "do_nothing_design_solution", None, ())]


@pytest.mark.parametrize(("code", "declared", "message"), [
    ("q = CClass(pattern, label)", {"q": (None, {}, ())},
     "the label of q is not a string gtkg can resolve: label; q is loaded without a label"),
    ("r = CClass(practice, 'R', values=things)", {"r": ("R", {}, ())}, "values must be a dict"),
    ("r = CClass(practice, 'R', values={'bad': [1], 'ok': 'yes'})", {"r": ("R", {"ok": "yes"}, ())},
     "the value of 'bad' cannot be resolved statically ([1]); it is not loaded"),
    ("s = CClass(practice, 'S', stereotype_instances='x')", {"s": ("S", {}, ())},
     "stereotype_instances must be stereotype names (a name or a list of names)"),
    ("t = CClass('practice', 'T')", {}, "the metaclass of t is not a metaclass name"),
    ("CClass(practice, 'Anonymous')", {}, "a CClass not assigned to a variable cannot be named or linked; not loaded"),
    ("globals()['g'] = CClass(practice, 'G')", {},
     "a CClass assigned to a computed name (globals()[...], setattr, ...) cannot be resolved statically; assign it "
     "to a plain variable"),
])
def test_what_a_declaration_cannot_resolve_is_reported_and_the_rest_loads(code, declared, message):
    fragment = read(code)
    assert {d.var: (d.label, d.values, d.stereotypes) for d in fragment.declarations} == declared
    assert messages(fragment) == [message]


def test_an_alias_names_the_element_it_was_assigned():
    fragment = read(KINDS, "u = v = CClass(force, 'UV')\nalias = a\nadd_links({s1: [v, alias]}, "
                    "role_name='contained_code')\n")
    assert [d.var for d in fragment.declarations][-1] == "u"
    assert links(fragment) == [("contains", "s1", "u", 7, None), ("contains", "s1", "a", 7, None)]


def test_a_parallel_assignment_declares_each_element_and_binds_the_rest_after_computing_all():
    fragment = read(KINDS, "x, y, z = CClass(force, 'X'), CClass(practice, 'Y'), a\n"
                    "add_links({s1: [x, y, z]}, role_name='contained_code')\n")
    assert [(d.var, d.metaclass, d.line) for d in fragment.declarations[-2:]] == [("x", "force", 5),
                                                                                  ("y", "practice", 5)]
    assert [link.b for link in fragment.links] == ["x", "y", "a"]


def test_metamodel_names_assigned_in_the_input_stay_metamodel_names():
    fragment = read("veryPositive = CStereotype('very positive')\nx = CClass(force, 'X')\n"
                    "add_force_relations({o: {x: veryPositive}})")
    assert [link.stereotypes for link in fragment.links] == [("very_positive",)]


def test_attributes_set_after_the_declaration_change_it():
    fragment = read("""\
        d = CClass(decision, "D")
        d.stereotype_instances = [decision_type]
        d.name = "Decided"
        d.name = 42
        d.values = {"a": "1"}
        d.set_value("b", 2)
        d.superclasses = [code]
        """)
    [decl] = fragment.declarations
    assert (decl.label, decl.values, decl.stereotypes) == ("Decided", {"a": "1", "b": 2}, ("decision_type",))
    assert fragment.diagnostics == []


# ---------------------------------------------------------------- lists, dicts, assignments


def test_a_list_variable_is_recorded_and_stands_for_its_elements():
    fragment = read(KINDS, "codes = [a, b]\ncodes += [o]\ncodes.append(a)\nmore = [*codes, b]\n"
                    "add_links({s1: more}, role_name='contained_code')\n")
    assert fragment.lists == {"codes": (["a", "b"], 5), "more": (["a", "b", "o", "a", "b"], 8)}
    assert [link.b for link in fragment.links] == ["a", "b", "o", "a", "b"]


def test_a_dict_variable_can_be_filled_item_by_item():
    fragment = read(KINDS, "links = {}\nlinks[a] = b\nlinks.update({o: [a]})\nadd_links(links, role_name='to')\n")
    assert [(link.a, link.b, link.line) for link in fragment.links] == [("a", "b", 8), ("o", "a", 8)]


def test_a_forward_reference_to_plain_data_resolves_and_a_cycle_does_not_hang():
    fragment = read(KINDS, "add_links({s1: later}, role_name='contained_code')\nlater = [a, b]\n"
                    "add_links({s1: p}, role_name='contained_code')\np = [a, *q]\nq = [*p]\n")
    assert [link.b for link in fragment.links] == ["a", "b"]
    assert messages(fragment) == ["a link target cannot be resolved statically: a starred value that is not a list "
                                  "(line 8)"]


def test_a_name_assigned_data_it_cannot_compute_is_unknown_quietly_until_used():
    fragment = read(KINDS, "view = [c for c in range(3)]\nlabel = f'{a}'\nadd_links({s1: view}, role_name='x')\n")
    assert problems(fragment) == [(7, "unsupported-statement")]
    assert "a link target cannot be resolved statically: a ListComp expression cannot be resolved statically" \
        in messages(fragment)[0]


@pytest.mark.parametrize(("code", "message"), [
    ("x, y = [a]", "an unpacking assignment whose parts cannot be matched statically"),
    ("x[0]: int = 1", "an assignment to a computed name (e.g. globals()[...]) cannot be resolved statically; "
                      "assign a plain variable"),
    ("[a, b][0] = 1", "an assignment to a computed name (e.g. globals()[...]) cannot be resolved statically; "
                      "assign a plain variable"),
    ("*x, = [a]", "an assignment to a Starred cannot be read statically"),
    ("x -= 1", "only `name += ...` on lists and strings can be read statically"),
    ("x = 'a'\nx += 1", "`x += ...` cannot be resolved statically"),
    ("del x", "a Delete statement cannot be read statically"),
    ("a + b", "a BinOp expression is not a CodeableModels statement"),
    ("(a, [b])", "a listing of something other than variables"),
])
def test_assignments_and_expressions_it_cannot_resolve(code, message):
    assert messages(read(code))[-1] == message


def test_assignments_to_unknown_containers_and_attributes_carry_nothing():
    fragment = read("x = thing.attribute\nx[0] = a\nv = [c for c in y]\nv[1] = 2\nw = 'ab'\nw += 'c'\n"
                    "unknown = [c for c in y]\nunknown += [a]\na, b = [c, d]\nz: list = [a]\n")
    assert fragment.diagnostics == [] and fragment.lists == {"z": (["c"], 10)}


def test_a_variable_assigned_twice_is_a_defect_of_the_load():
    parsed = models.parse({"m.py": KINDS + "a = CClass(practice, 'A again')\nb = o\n"})
    found = [(d.line, d.problem, d.message) for d in parsed.files["m.py"].diagnostics]
    assert found == [(5, "variable-assigned-twice", "variable a is assigned again (first at m.py:1); statements "
                      "after this line use the new value"),
                     (6, "variable-assigned-twice", "variable b is assigned again (first at m.py:2); statements "
                      "after this line use the new value")]


def test_a_code_listed_twice_for_a_source_is_a_duplicate_containment():
    parsed = models.parse({"m.py": KINDS + "add_links({s1: [a, b, a]}, role_name='contained_code')\n"})
    [found] = parsed.files["m.py"].diagnostics
    assert (found.line, found.problem, found.about) == (5, "duplicate-containment", "a")


def test_a_link_added_again_after_its_element_was_reassigned_is_no_duplicate():
    parsed = models.parse({"m.py": KINDS + "a.add_links(b, role_name='to')\na = CClass(practice, 'A2')\n"
                                           "a.add_links(b, role_name='to')\na.add_links(b, role_name='to')\n"})
    assert [(d.line, d.problem) for d in parsed.files["m.py"].diagnostics] == [
        (6, "variable-assigned-twice"), (8, "duplicate-link")]


def test_a_code_list_never_linked_to_a_source_is_reported():
    parsed = models.parse({"m.py": KINDS + "s1_codes = [a, b]\nothers = [a, o]\nlinked = [a]\n"
                                           "add_links({s1: linked}, role_name='contained_code')\nnumbers = [1, 2]\n"})
    assert [(d.line, d.problem, d.message[:24]) for d in parsed.files["m.py"].diagnostics] == [
        (5, "unlinked-code-list", "the code list s1_codes i"), (6, "unlinked-code-list", "the code list others is ")]


# ---------------------------------------------------------------- loops, blocks, functions


def test_a_loop_of_link_calls_over_a_known_list_or_dict_is_unrolled():
    fragment = read(KINDS, """\
        for x in [a, b]:
            s1.add_links(x, role_name="contained_code")
        pairs = {a: b, b: o}
        for x in pairs:
            for y in [o]:
                x.add_links(y, role_name="to")
                pass
        """)
    assert links(fragment) == [("contains", "s1", "a", 6, None), ("contains", "s1", "b", 6, None),
                               ("dependency", "a", "o", 10, None), ("dependency", "b", "o", 10, None)]
    assert fragment.diagnostics == []


@pytest.mark.parametrize(("loop", "what"), [
    ("for x in [a, b]:\n    y = CClass(practice, 'Y')", "loop"),
    ("for x in [a, b]:\n    y = x\n    s1.add_links(y, role_name='contained_code')", "loop"),
    ("for x in range(3):\n    s1.add_links(x, role_name='contained_code')", "loop"),
    ("for x in unknown_thing.items:\n    s1.add_links(x, role_name='contained_code')", "loop"),
    ("for x in f'{a}':\n    s1.add_links(x, role_name='contained_code')", "loop"),
    ("for x in [a]:\n    s1.add_links(x)\nelse:\n    pass", "loop"),
    ("while True:\n    add_links({a: b})", "loop"),
    ("if a:\n    add_links({a: b})", "conditional block"),
    ("with open('f') as f:\n    add_links({a: b})", "with block"),
])
def test_loops_and_blocks_that_create_links_and_cannot_be_unrolled_are_refused(loop, what):
    fragment = read(KINDS, loop)
    assert fragment.links == []
    assert messages(fragment)[-1] == (f"a {what} that creates codes or links cannot be resolved statically; write "
                                      "its statements out one by one")


def test_blocks_that_only_adjust_elements_are_ignored_and_blocks_calling_anything_else_are_refused():
    fragment = read("""\
        import os
        for classifier in [a, b]:
            classifier.superclasses = [code]
        try:
            import shutil
        except ImportError:
            os.system("rm -rf /")
        class Helper:
            pass
        if __name__ == "__main__":
            run()
        """)
    assert [(d.line, d.problem, d.severity) for d in fragment.diagnostics] == [
        (2, "ignored-statement", "info"), (4, "unsupported-statement", "warning"), (8, "ignored-statement", "info")]
    assert messages(fragment)[1] == "a try block calling os.system() is not a CodeableModels statement; it was not run"


@pytest.mark.parametrize(("block", "call"), [
    ("if x:\n    eval('1')", "eval"),
    ("import os\nif x:\n    os.path.join('a')", "os.path.join"),
    ("if x:\n    [len][0]()", "a computed function"),
])
def test_a_block_calling_anything_but_codeable_models_or_harmless_functions_is_refused(block, call):
    assert messages(read(block)) == [f"a conditional block calling {call}() is not a CodeableModels statement; it "
                                     "was not run"]


def test_function_definitions_are_never_run_and_a_copy_of_add_links_is_read_as_add_links():
    fragment = read(KINDS, """\
        def make():
            return CClass(practice, "M")
        def describe():
            return "nothing"
        def add_links(mapping, role_name=None):
            pass
        make()
        describe()
        add_links({a: b}, role_name="to")
        """)
    assert links(fragment) == [("dependency", "a", "b", 13, None)]
    assert [(d.line, d.problem) for d in fragment.diagnostics] == [
        (5, "ignored-statement"), (7, "ignored-statement"), (11, "unsupported-statement")]
    assert messages(fragment)[0] == ("function make() creates codes or links; gtkg does not run functions, so calls "
                                     "to it are reported where they occur")
    assert messages(fragment)[-1] == ("make() is a function of the model that creates codes or links; gtkg does not "
                                      "run functions; write its statements out")


# ---------------------------------------------------------------- listings, imports, fragments


def test_names_tuples_and_docstrings_that_list_names_are_listings():
    fragment = read(KINDS, "codes = [a, b]\n'''\n    c,\n    d\n'''\n'''prose is a comment'''\ncodes\n(o, e)\n",
                    first_line=20)
    assert fragment.listings == [Listing(["c", "d"], 25, [26, 27]), Listing(["a", "b"], 30, [30, 30]),
                                 Listing(["o", "e"], 31, [31, 31])]  # each name at its line


def test_imports_are_recorded_and_imported_modules_are_never_called():
    fragment = read("from pkg.sources import *\nfrom . import x as y\nimport os\nimport sys\n"
                    "sys.path.append('..')\nos.path.join('a')\nos.environ['x'] = 'y'\n")
    assert fragment.imports == [("pkg.sources", ["*"], 1), ("", ["x"], 2)]
    assert [(d.line, d.problem) for d in fragment.diagnostics] == [
        (5, "ignored-statement"), (6, "unsupported-statement"), (7, "unsupported-statement")]
    assert messages(fragment)[1:] == [
        "call of os.path.join() is not a CodeableModels statement; it was not run",
        "an assignment to a computed name (e.g. globals()[...]) cannot be resolved statically; assign a plain "
        "variable"]


def test_names_resolve_across_the_files_of_one_load_imported_files_first():
    parsed = models.parse({
        "main.py": "from codes import *\nadd_links({s1: shared}, role_name='contained_code')\n",
        "codes.py": KINDS + "shared = [a, o]\n",
    })
    assert list(parsed.files) == ["codes.py", "main.py"]
    assert [(link.kind, link.a, link.b) for link in parsed.files["main.py"].links] == [
        ("contains", "s1", "a"), ("contains", "s1", "o")]
    assert parsed.sources == {"s1": "s1"}


def test_fences_of_one_note_share_an_environment():
    env = Env()
    first = interpret_text("x = CClass(force, 'X')\nids = [x]\n", env=env)
    second = interpret_text("add_links({s1: ids}, role_name='contained_code')\n", first_line=30, env=env)
    assert [d.var for d in first.declarations] == ["x"]
    assert [(link.a, link.b, link.line) for link in second.links] == [("s1", "x", 30)]


def test_interpret_without_source_lines_gives_diagnostics_without_raw_text():
    statements, _ = split_statements("x = CClass('bad')\n")
    fragment = interpret(statements, Env())
    [found] = fragment.diagnostics
    assert (found.line, found.end_line, found.text) == (1, 1, "")


def test_a_diagnostic_keeps_the_statement_s_lines_and_raw_text():
    fragment = read("\n    x = CClass(\n        'bad'\n    )\n", first_line=7)
    [found] = fragment.diagnostics
    assert (found.line, found.end_line, found.text) == (8, 10, "x = CClass(\n    'bad'\n)")


def test_a_statement_nested_too_deeply_is_reported_and_the_next_one_reads():
    statements = [_nested(5000), *split_statements("z = CClass(force, 'Z')", first_line=2)[0]]
    fragment = interpret(statements, Env(), ["x = [[[...]]]", "z = CClass(force, 'Z')"])
    assert [d.var for d in fragment.declarations] == ["z"]
    assert messages(fragment) == ["this statement is nested too deeply to read"]


def _nested(depth: int):
    """A list expression nested `depth` deep, built without parsing it (which has a nesting limit of its own)."""
    import ast

    node = ast.List(elts=[], ctx=ast.Load())
    for _ in range(depth):
        node = ast.List(elts=[node], ctx=ast.Load())
    return ast.Assign(targets=[ast.Name("x", ast.Store())], value=node, lineno=1, end_lineno=1, col_offset=0,
                      end_col_offset=10)


def test_what_breaks_the_reader_is_reported_as_an_unreadable_statement():
    import ast

    nameless = ast.Name(None, ast.Load())  # no parse gives this: a name without a name
    broken = ast.Expr(value=ast.Call(func=ast.Name("add_links", ast.Load()), args=[nameless], keywords=[]),
                      lineno=1, end_lineno=1, col_offset=0, end_col_offset=12)
    [found] = interpret([broken], Env(), ["add_links(?)"]).diagnostics
    assert (found.problem, found.message) == ("unreadable-statement", "gtkg could not read this statement "
                                              "(TypeError: expected string or bytes-like object, got 'NoneType')")
