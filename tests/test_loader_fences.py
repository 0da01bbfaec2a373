"""Each construct a code fence of the field notes may hold (DESIGN.md 1.1), broken ones included."""

import pytest

from gtkg.loaders.codeable import interpret_text

READABLE = [
    ("declaration", "x = CClass(practice, 'X')", ["x"], 0),
    ("indented by four spaces", "    x = CClass(pattern, 'X')\n    y = CClass(force, 'Y')", ["x", "y"], 0),
    ("docstring listing codes", "    '''\n        rest_apis,\n        containerisation\n    '''",
     ["rest_apis", "containerisation"], 0),
    ("bare names", "data_catalog\ndata_lineage", ["data_catalog", "data_lineage"], 0),
    ("tuple of names", "a, b", ["a", "b"], 0),
    ("comments only", "# already added:\n#added classes:", [], 0),
    ("prose docstring is a comment", "'''we could also code this as a pattern'''", [], 0),
    ("decision option", "add_decision_option_link(d, o, 'Name')", ["d", "o"], 0),
    ("force relations", "add_force_relations({o: {f: positive, g: very_negative}})", ["o", "f", "g"], 0),
    ("dependency", "x = a.add_links(b, role_name='from', stereotype_instances=can_use)[0]", ["b", "a"], 0),
    ("add_links dict", "add_links({a: [b, c]}, role_name='uses')", ["a", "b", "c"], 0),
]

BROKEN = [
    ("unbalanced bracket", "a = CClass(practice, 'A'\nb = CClass(practice, 'B')", ["b"], 1),
    ("missing comma", "add_force_relations({o: {f: positive g: negative}})\nc", ["c"], 1),
    ("name with spaces", "runtime observability = CClass(practice, 'R')\nok = CClass(force, 'Ok')", ["ok"], 1),
    ("mismatched quotes", "x = CClass(practice, 'X\")\ny", ["y"], 1),
    ("prose", "this is not code at all\nz", ["z"], 1),
    ("YAML by mistake", "job1:\n    schedule: 0 0 * * 1\n    type: spark", [], 1),
    ("HCL by mistake", 'module "x" {\n  source = "y"\n}', [], 1),
    ("unclosed block", "if True:\n", [], 1),
]


@pytest.mark.parametrize(("case", "code", "names", "problems"), READABLE + BROKEN,
                         ids=[c[0] for c in READABLE + BROKEN])
def test_fence_construct(case, code, names, problems):
    fragment = interpret_text(code, first_line=10)
    assert fragment.names() == names
    unreadable = [d for d in fragment.diagnostics if d.problem == "unreadable-snippet"]
    assert len(unreadable) == problems
    for diag in unreadable:
        assert diag.line >= 10 and diag.text.strip()


def test_dependency_direction_follows_codeable_models():
    fragment = interpret_text("x = a.add_links(b, role_name='from', stereotype_instances=[uses, can_use])[0]\n"
                              "c.add_links(d, role_name='to', stereotype_instances=requires)")
    assert [(link.a, link.b, link.stereotypes) for link in fragment.links] == [
        ("b", "a", ("uses", "can_use")), ("c", "d", ("requires",))]


def test_unreadable_snippet_keeps_line_and_raw_text():
    fragment = interpret_text("ok = CClass(force, 'Ok')\nbad = CClass(practice, 'B'\n", first_line=40)
    [diag] = fragment.diagnostics
    assert (diag.line, diag.text) == (41, "bad = CClass(practice, 'B'")
