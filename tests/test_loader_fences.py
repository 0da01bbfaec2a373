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


# ---------------------------------------------------------------------------------------------- code lists

def named(fragment) -> list[tuple]:
    """(name, line) of every code the fragment names, in order."""
    return list(fragment.named().items())


def test_quoted_code_list_followed_by_a_comment_at_column_zero_is_read_with_a_line_per_name():
    text = "    '''\n        rest_apis,\n        decision_support_model_as_data_product,\n        sql_layer\n" \
           "    '''\n# already added:\n"
    fragment = interpret_text(text, first_line=20)
    assert named(fragment) == [("rest_apis", 21), ("decision_support_model_as_data_product", 22), ("sql_layer", 23)]
    assert fragment.diagnostics == []


@pytest.mark.parametrize(("case", "text", "names"), [
    ("comment inside the quotes", "    '''\n    rest_apis,  # the API layer\n    # caching, dropped later\n"
     "    sql_layer\n    '''\n", [("rest_apis", 11), ("sql_layer", 13)]),
    ("odd indents", "  '''\n rest_apis,\n          sql_layer\n    '''\n", [("rest_apis", 11), ("sql_layer", 12)]),
    ("a stray line after", "    '''\n    rest_apis\n    '''\n# already added:\n    sql_layer\n",
     [("rest_apis", 11), ("sql_layer", 14)]),
    ("names on one line", "'''rest_apis, sql_layer'''", [("rest_apis", 10), ("sql_layer", 10)]),
    ("bare names with comments", "rest_apis  # first\n# second:\nsql_layer,\n", [("rest_apis", 10), ("sql_layer", 12)]),
])
def test_every_name_a_code_list_holds_is_read(case, text, names):
    fragment = interpret_text(text, first_line=10)
    assert named(fragment) == names
    assert [d for d in fragment.diagnostics if d.severity != "info"] == []
