"""The links gtkg/loaders/codeable reads from each CodeableModels call, with the kind and direction that running
the call would give (the metamodel's associations), read directly from the records."""

import textwrap

import pytest

from gtkg.loaders.codeable import interpret_text

KINDS = """\
a = CClass(practice, "A")
b = CClass(practice, "B")
o = CClass(pattern, "O")
f = CClass(force, "F")
g = CClass(force, "G")
d = CClass(decision, "D")
s1 = CClass(source, "s1")
r = CClass(reference, "r")
"""
AFTER_KINDS = 9  # the line after KINDS


def read(*parts: str):
    return interpret_text("".join(textwrap.dedent(part) for part in parts))


def links(fragment) -> list[tuple]:
    return [(link.kind, link.a, link.b, link.stereotypes) for link in fragment.links]


def messages(fragment) -> list[str]:
    return [d.message for d in fragment.diagnostics]


@pytest.mark.parametrize(("call", "link"), [
    ("a.add_links(b, role_name='from', stereotype_instances=can_use)", ("dependency", "b", "a", ("can_use",))),
    ("a.add_links(b, role_name='to', stereotype_instances=[uses, requires])",
     ("dependency", "a", "b", ("uses", "requires"))),
    ("a.add_links(b, stereotype_instances=[uses])", ("dependency", "a", "b", ("uses",))),
    ("a.add_links(b)", ("dependency", "a", "b", ())),
    ("a.addLinks(b, roleName='from')", ("dependency", "b", "a", ())),
    ("add_links({s1: a}, role_name='contained_code')", ("contains", "s1", "a", ())),
    ("a.add_links(s1, role_name='evidence')", ("contains", "s1", "a", ())),
    ("add_links({s1: r}, role_name='referenced')", ("cites", "s1", "r", ())),
    ("add_links({r: s1}, role_name='source')", ("cites", "s1", "r", ())),
    ("add_links({o: d}, role_name='next decision', stereotype_instances=optional_next)",
     ("next", "o", "d", ("optional_next",))),
    ("add_links({d: o}, role_name='prior solution')", ("next", "o", "d", ())),
    ("add_links({d: ctx}, role_name='context')", ("context", "d", "ctx", ())),
    ("add_links({o: f}, role_name='forces', stereotype_instances=veryPositive)",
     ("impact", "o", "f", ("very_positive",))),
    ("add_links({f: o}, role_name='solutions', stereotype_instances=negative)", ("impact", "o", "f", ("negative",))),
    ("add_links({d: a}, stereotype_instances=option)", ("option", "d", "a", ("option",))),
    ("add_links({d: a})", ("other", "d", "a", ())),  # two associations fit: CodeableModels raises
    ("add_links({a: b}, association=design_solution_dependencies)", ("dependency", "a", "b", ())),
    ("set_links({a: b}, role_name='to')", ("dependency", "a", "b", ())),
])
def test_the_kind_and_direction_of_a_link_follow_the_metamodel(call, link):
    assert links(read(KINDS, call)) == [link]


def test_add_links_with_a_dict_makes_one_link_per_target_on_the_line_of_its_entry():
    fragment = read(KINDS, """\
        add_links({a: [b, o],
                   o: b}, role_name="to", stereotype_instances=uses, tagged_values={"how": "via API", "n": 1})
        """)
    assert [(link.a, link.b, link.line, link.tagged) for link in fragment.links] == [
        ("a", "b", AFTER_KINDS, {"how": "via API"}), ("a", "o", AFTER_KINDS, {"how": "via API"}),
        ("o", "b", AFTER_KINDS + 1, {"how": "via API"})]


def test_links_of_a_dict_variable_are_on_the_line_of_the_call():
    fragment = read(KINDS, "pairs = {a: b}\n\nadd_links(pairs, role_name='to')\n")
    assert [link.line for link in fragment.links] == [AFTER_KINDS + 2]


def test_index_0_binds_the_first_link_only_and_the_whole_list_binds_every_link():
    fragment = read(KINDS, "x = a.add_links([b, o], role_name='to')[0]\nw = a.add_links([b, o], role_name='from')\n")
    assert [(link.a, link.b, link.var) for link in fragment.links] == [
        ("a", "b", "x"), ("a", "o", None), ("b", "a", "w"), ("o", "a", "w")]


def test_stereotypes_and_tagged_values_set_on_a_link_afterwards():
    fragment = read(KINDS, """\
        x = a.add_links(b, role_name="to")[0]
        x.stereotype_instances = [uses]
        x.tagged_values = {"how": "through a queue"}
        x.set_tagged_value("role", "consumer")
        y = add_links({d: o}, stereotype_instances=option)[0]
        y.tagged_values = {"name": "Use O"}
        z = a.add_links(d, role_name="odd")[0]
        z.stereotype_instances = option
        a.set_tagged_value("ignored", "on a class")
        """)
    x, y, z = fragment.links
    assert (x.kind, x.stereotypes) == ("dependency", ("uses",))
    assert x.tagged == {"how": "through a queue", "role": "consumer"}
    assert (y.kind, y.name, y.tagged) == ("option", "Use O", {})
    assert (z.kind, z.a, z.b, z.stereotypes) == ("other", "a", "d", ("option",))  # a role decides, not a stereotype


def test_a_link_without_a_role_is_reclassified_by_stereotypes_set_afterwards():
    fragment = read("a = CClass(practice, 'A')\nd = CClass(decision, 'D')\nx = a.add_links(d)[0]\n"
                    "x.tagged_values = {'name': 'Use A'}\nx.stereotype_instances = option\n")
    [link] = fragment.links
    assert (link.kind, link.a, link.b, link.name, link.tagged) == ("option", "d", "a", "Use A", {})


@pytest.mark.parametrize(("call", "kind", "message"), [
    ("add_links({a: b}, role_name='wibble')", "other", "role_name 'wibble' is no role of the guidance or coding "
     "metamodel, so CodeableModels finds no association; read as a other link"),
    ("add_links({a: b}, role_name='codes')", "contains", "role_name 'codes' is no role of the guidance or coding "
     "metamodel, so CodeableModels finds no association; read as a contains link"),
    ("add_links({a: b}, role_name='odd', stereotype_instances=[optional_next])", "next", "role_name 'odd' is no "
     "role of the guidance or coding metamodel, so CodeableModels finds no association; read as a next link"),
    ("add_links({a: b}, association=nonsense)", "dependency", "association 'nonsense' is not one of the guidance "
     "or coding metamodel; the link kind follows its role and stereotypes"),
    ("add_links({a: b}, association='text')", "dependency", "association 'text' is not one of the guidance or "
     "coding metamodel; the link kind follows its role and stereotypes"),
])
def test_a_role_or_association_outside_the_metamodel_is_read_loosely_and_said(call, kind, message):
    fragment = read(KINDS, call)
    assert [link.kind for link in fragment.links] == [kind]
    assert [(d.problem, d.severity) for d in fragment.diagnostics][0][1] == "info"
    assert messages(fragment) == [message]


@pytest.mark.parametrize(("call", "message"), [
    ("add_links()", "add_links without link definitions"),
    ("add_links([a, b])", "add_links needs a dict {source: target or [targets]}"),
    ("a.add_links()", "add_links without targets"),
    ("add_links({a: b}, **options)", "**keyword arguments cannot be resolved statically"),
    ("add_links({a: b}, role_name=role)", "role_name is not a string gtkg can resolve: role"),
    ("add_links({a: b}, role_name=f'{a}')", "an f-string is computed when the model runs; write the text out"),
    ("dep = a.add_links(b)[0]\nadd_links({a: b}, role_name=dep)", "role_name is not a string gtkg can resolve: "
     "the link a -> b"),
    ("add_links({a: b}, tagged_values=[1])", "tagged_values must be a dict of strings"),
    ("x = add_links({a: [b]})\nx.stereotype_instances = uses", "stereotype_instances set on the list add_links "
     "returns (CodeableModels fails here); take one link with [0]"),
    ("x = a.add_links(b)[3]", "the index 3 is not there (1 items); CodeableModels fails here"),
    ("delete_links({a: b})", "delete_links is not read: the links it deletes stay in the graph"),
    ("a.delete()", "deleting elements or links is not read: they stay in the graph"),
])
def test_link_calls_it_cannot_resolve_are_refused_with_a_reason(call, message):
    assert messages(read(KINDS, call))[-1:] == [message]


def test_set_links_is_read_as_add_links_and_says_so():
    fragment = read(KINDS, "a.set_links(b, role_name='to')")
    assert links(fragment) == [("dependency", "a", "b", ())]
    assert messages(fragment) == ["set_links also deletes earlier links of these elements; gtkg reads it as "
                                  "add_links"]


def test_an_unresolved_source_or_target_drops_that_link_only():
    fragment = read(KINDS, "add_links({a: [b, 'text', o], 'key': b}, role_name='to')")
    assert [(link.a, link.b) for link in fragment.links] == [("a", "b"), ("a", "o")]
    assert messages(fragment) == ["a link target cannot be resolved statically: 'text'",
                                  "a link source cannot be resolved statically: 'key'"]


def test_a_link_listed_as_contained_code_is_coded_under_its_variable():
    fragment = read(KINDS, "dep = a.add_links(b, role_name='to')[0]\nadd_links({s1: [dep, a]}, "
                    "role_name='contained_code')\nadd_links({s1: a.add_links(o)[0]}, role_name='contained_code')\n"
                    "add_links({a: dep}, role_name='to')\n")
    assert [(link.kind, link.a, link.b) for link in fragment.links] == [
        ("dependency", "a", "b"), ("contains", "s1", "dep"), ("contains", "s1", "a"), ("dependency", "a", "o")]
    assert messages(fragment) == ["a link without a variable is listed as a link target; assign it to a variable",
                                  "the link dep is a target of a dependency link; gtkg reads links only as contained "
                                  "codes"]


# ---------------------------------------------------------------- decision options


def test_option_links_with_positional_and_keyword_names():
    fragment = read(KINDS, "add_decision_option_link(d, a, 'Use A')\n"
                    "x = add_decision_option_link(d, b, option_name='Use B')\n")
    assert [(link.kind, link.a, link.b, link.name, link.var) for link in fragment.links] == [
        ("option", "d", "a", "Use A", None), ("option", "d", "b", "Use B", "x")]


def test_an_option_link_with_a_name_it_cannot_resolve_or_unknown_keywords_still_loads():
    fragment = read(KINDS, "add_decision_option_link(d, a, label)\nadd_decision_option_link(d, b, 'B', other=1, "
                    "extra=2)\n")
    assert [(link.b, link.name) for link in fragment.links] == [("a", None), ("b", "B")]
    assert [(d.line, d.problem) for d in fragment.diagnostics] == [
        (AFTER_KINDS, "unsupported-statement"), (AFTER_KINDS + 1, "unknown-keyword"),
        (AFTER_KINDS + 1, "unknown-keyword")]
    assert messages(fragment)[0] == "the option name is not a string gtkg can resolve: label; the option is loaded " \
                                    "without a name"
    assert messages(fragment)[1] == "extra= is no parameter of add_decision_option_link (CodeableModels raises a " \
                                    "TypeError here); ignored"


@pytest.mark.parametrize(("call", "message"), [
    ("add_decision_option_link(d)", "add_decision_option_link needs a decision and an option"),
    ("add_decision_option_link([d], a, 'A')", "add_decision_option_link on a list of decisions fails in "
     "CodeableModels"),
    ("add_decision_option_link(d, 'a', 'A')", "a link target cannot be resolved statically: 'a'"),
])
def test_option_links_it_cannot_make(call, message):
    fragment = read(KINDS, call)
    assert fragment.links == [] and messages(fragment) == [message]


# ---------------------------------------------------------------- force relations


def test_force_relations_inline_on_the_line_of_each_impact():
    fragment = read(KINDS, """\
        add_force_relations({a: {f: positive,
                                 g: [negative, very_negative]},
                             b: {f: neutral}})
        """)
    assert [(link.kind, link.a, link.b, link.stereotypes, link.role, link.line) for link in fragment.links] == [
        ("impact", "a", "f", ("positive",), "forces", AFTER_KINDS),
        ("impact", "a", "g", ("negative", "very_negative"), "forces", AFTER_KINDS + 1),
        ("impact", "b", "f", ("neutral",), "forces", AFTER_KINDS + 2)]


def test_force_relations_through_a_dict_variable_are_on_the_line_of_the_call():
    fragment = read(KINDS, "impacts = {a: {f: positive}}\nimpacts[b] = {g: negative}\nadd_force_relations(impacts)\n")
    assert [(link.a, link.b, link.line) for link in fragment.links] == [("a", "f", AFTER_KINDS + 2),
                                                                        ("b", "g", AFTER_KINDS + 2)]


def test_force_relations_through_a_helper_defined_in_the_file():
    fragment = read(KINDS, """\
        def addForceRelations(relations):
            for source, targets in relations.items():
                for target, stereotype in targets.items():
                    source.add_links(target, role_name="forces", stereotype_instances=stereotype)
        addForceRelations({a: {f: positive}})
        """)
    assert [(link.kind, link.a, link.b) for link in fragment.links] == [("impact", "a", "f")]
    assert fragment.diagnostics == []


def test_force_relations_it_cannot_read_are_reported_entry_by_entry():
    fragment = read(KINDS, "add_force_relations({a: {f: 'positive', g: positive}, b: 'nope', 'c': 3})\n"
                    "add_force_relations([a])\n")
    assert [(link.a, link.b) for link in fragment.links] == [("a", "g")]
    assert messages(fragment) == [
        "stereotype_instances must be stereotype names (a name or a list of names)",
        "the forces of b are not a dict {force: impact}", "the forces of c are not a dict {force: impact}",
        "add_force_relations needs a dict {option: {force: impact}} (inline or a variable)"]


# ---------------------------------------------------------------- the guidance metamodel's link helpers


def test_stereotyped_link_helpers_stereotype_and_tag_the_first_link_only():
    fragment = read(KINDS, """\
        add_stereotyped_design_solution_link(a, b, uses)
        h = add_stereotyped_link_with_how_tagged_value(a, b, can_use, "how text")
        k = add_stereotyped_link_with_role_tagged_value(a, [b, o], [uses, requires], "role text")
        """)
    assert [(link.a, link.b, link.stereotypes, link.tagged, link.var) for link in fragment.links] == [
        ("a", "b", ("uses",), {}, None), ("a", "b", ("can_use",), {"how": "how text"}, "h"),
        ("a", "b", ("uses", "requires"), {"role": "role text"}, "k"), ("a", "o", (), {}, None)]


def test_stereotyped_link_helpers_it_cannot_read():
    fragment = read(KINDS, "add_stereotyped_design_solution_link(a, b)\n"
                    "add_stereotyped_design_solution_link(a, 'b', uses)\n")
    assert fragment.links == []
    assert messages(fragment) == ["add_stereotyped_design_solution_link needs from, to and a stereotype",
                                  "a link target cannot be resolved statically: 'b'"]
