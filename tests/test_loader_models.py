"""The model-file loader: every construct of DESIGN.md 1.2 and every defect, asserted on the loaded graph."""

import ast
import gc
import random

import pytest
from helpers import EXAMPLES, FIXTURES, select

from gtkg.loaders import models
from gtkg.loading import build_graphs, collect_files, load

STUDY = FIXTURES / "models" / "study"
DEFECTS = FIXTURES / "models" / "defects"
LOCAL = "REPLACE(STR({0}), '^.*/', '')"  # the variable or id at the end of an IRI


def rows(store, query: str) -> set[tuple]:
    return {tuple(row.values()) for row in select(store, query)}


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    store = str(tmp_path_factory.mktemp("study") / "store")
    load([STUDY], store=store)
    return store


@pytest.fixture(scope="module")
def defects(tmp_path_factory):
    store = str(tmp_path_factory.mktemp("defects") / "store")
    load([DEFECTS], store=store)
    return store


# ---------------------------------------------------------------- constructs

def test_declarations_have_labels_and_the_kind_of_their_metaclass(study):
    found = rows(study, f"SELECT ?var ?label ?kind WHERE {{ ?d gt:declares ?c . ?c a ?k ; gt:variable ?var . "
                       f"OPTIONAL {{ ?c rdfs:label ?label }} FILTER(?k != gt:Code) BIND({LOCAL.format('?k')} AS ?kind) "
                       "FILTER(?var IN ('integration_category', 'data_product', 'kafka_at_acme', 'message_broker', "
                       "'shared_database', 'integration_platform', 'coupling', 'integration_decision', "
                       "'no_integration')) }")
    kinds = {(var, kind.rsplit("#", 1)[1]) for var, _, kind in found}
    assert kinds == {("integration_category", "Category"), ("data_product", "Context"),
                     ("kafka_at_acme", "KnownUse"), ("message_broker", "Pattern"), ("shared_database", "Practice"),
                     ("integration_platform", "DesignSolution"), ("coupling", "Force"),
                     ("integration_decision", "Decision"), ("no_integration", "DoNothing")}
    labels = {var: label for var, label, _ in found}
    assert labels["integration_decision"] == "How to Integrate Data Products?"  # concatenated
    assert labels["no_integration"] is None  # CClass(do_nothing_design_solution) has no name


def test_every_declaration_keeps_its_file_and_line(study):
    found = rows(study, "SELECT ?path ?line WHERE { ?d a gt:Declaration ; gt:variable 'message_broker' ; "
                        "gt:file/gt:path ?path ; gt:line ?line }")
    assert found == {("z_elements_model.py", 12)}
    links = rows(study, "SELECT ?path ?line WHERE { ?l a gt:Dependency ; gt:variable 'gateway_uses_broker' ; "
                        "gt:file/gt:path ?path ; gt:line ?line }")
    assert links == {("a_decisions_model.py", 37)}


def test_decision_types_given_as_keyword_or_set_later(study):
    found = rows(study, f"SELECT ?var ?type WHERE {{ ?c gt:variable ?var ; gt:decisionType ?t "
                        f"BIND({LOCAL.format('?t')} AS ?type) }}")
    assert found == {("integration_decision", "ontology#SingleAnswers"),
                     ("access_decision", "ontology#MultipleAnswers")}


def test_sources_and_references_with_their_values(study):
    found = rows(study, "SELECT ?title ?example ?code WHERE { ?s dcterms:identifier 's1' ; dcterms:title ?title ; "
                        "gt:example ?example ; gt:sourceCode ?code }")
    assert found == {("Integrating Data Products with Events", True, False)}
    cited = rows(study, "SELECT ?ref ?bib WHERE { ?s dcterms:identifier 's2' ; gt:cites ?r . "
                        "?r dcterms:identifier ?ref ; dcterms:bibliographicCitation ?bib }")
    assert cited == {("Enterprise Integration Patterns",
                      "Hohpe, Gregor and Woolf, Bobby: Enterprise Integration Patterns, Addison-Wesley, 2003")}


def test_contained_codes_per_source(study):
    found = select(study, f"SELECT ?id ?code WHERE {{ ?s gt:containsCode ?c ; dcterms:identifier ?id "
                          f"BIND({LOCAL.format('?c')} AS ?code) }}")
    per_source: dict[str, set] = {}
    for row in found:
        per_source.setdefault(row["id"], set()).add(row["code"])
    assert per_source == {
        # a list variable, a second add_links call, and a dependency link listed by its variable
        "s1": {"integration_decision", "message_broker", "coupling", "latency", "gateway_uses_broker",
               "consistency"},
        # one add_links call with {s2: s2_codes, s3: [...]}; event_broker is an alias of message_broker
        "s2": {"access_decision", "api_gateway", "backend_for_frontend"},
        "s3": {"schema_decision", "schema_registry", "message_broker"},
    }
    coded = rows(study, "SELECT ?var WHERE { ?l a gt:Dependency ; gt:codedAs ?c . ?c a gt:Code ; gt:variable ?var }")
    assert coded == {("gateway_uses_broker",)}


def test_decision_options_with_positional_and_keyword_names(study):
    found = rows(study, f"SELECT ?d ?o ?name WHERE {{ ?l a gt:DecisionOption ; gt:decision ?dc ; gt:option ?oc . "
                        f"OPTIONAL {{ ?l gt:optionName ?name }} BIND({LOCAL.format('?dc')} AS ?d) "
                        f"BIND({LOCAL.format('?oc')} AS ?o) }}")
    assert found == {("integration_decision", "message_broker", "Integrate through a Message Broker"),
                     ("integration_decision", "shared_database", "Share a Database"),
                     ("integration_decision", "no_integration", "Do not Integrate"),
                     ("access_decision", "api_gateway", "Expose through an API Gateway"),
                     ("access_decision", "backend_for_frontend", None),
                     ("schema_decision", "schema_registry", "Register Schemas")}


def test_force_impacts_with_all_six_polarities_inline_and_from_a_dict_of_another_file(study):
    found = rows(study, f"SELECT ?o ?f ?n WHERE {{ ?l a gt:ForceImpact ; gt:option ?oc ; gt:force ?fc ; "
                        f"gt:impact/skos:notation ?n BIND({LOCAL.format('?oc')} AS ?o) "
                        f"BIND({LOCAL.format('?fc')} AS ?f) }}".replace(
                            "SELECT", "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT"))
    assert found == {("message_broker", "coupling", "++"), ("message_broker", "latency", "-"),
                     ("message_broker", "consistency", "+/-"), ("shared_database", "coupling", "--"),
                     ("shared_database", "latency", "+"), ("shared_database", "operability", "o"),
                     ("api_gateway", "coupling", "+"), ("api_gateway", "latency", "++"),
                     ("backend_for_frontend", "operability", "+")}


def test_dependencies_follow_codeable_models_directions_types_and_tagged_values(study):
    found = select(study, f"SELECT ?from ?to ?type ?how ?role WHERE {{ ?l a gt:Dependency ; gt:from ?a ; gt:to ?b . "
                          f"OPTIONAL {{ ?l gt:dependencyType ?t }} OPTIONAL {{ ?l gt:how ?how }} "
                          f"OPTIONAL {{ ?l gt:role ?role }} BIND({LOCAL.format('?a')} AS ?from) "
                          f"BIND({LOCAL.format('?b')} AS ?to) BIND(STRAFTER(STR(?t), '#') AS ?type) }}")
    assert {tuple(r.values()) for r in found} == {
        ("api_gateway", "message_broker", "Uses", None, None),  # a.add_links(b, role_name="from"): b -> a
        ("schema_registry", "message_broker", "Requires", None, None),  # role_name="to": a -> b; a list of types
        ("schema_registry", "message_broker", "CanUse", None, None),
        ("backend_for_frontend", "api_gateway", "IsA", None, "specialised gateway"),
        ("event_sourcing", "message_broker", "HasVariant", "events as the log", None),  # `variant`
        ("event_sourcing", "shared_database", None, None, None),  # helpers type only add_links(...)[0]
        ("integration_platform", "message_broker", "Includes", None, None),
        ("integration_platform", "api_gateway", "Uses", "routes the calls", None),  # tagged_values=
        ("api_gateway", "schema_registry", "CanUse", None, "validates payloads"),  # set_tagged_value
    }


def test_next_decision_links_with_their_types_and_context_links(study):
    found = rows(study, f"SELECT ?from ?to ?type WHERE {{ ?l a gt:NextDecisionLink ; gt:from ?a ; gt:to ?b ; "
                        f"gt:nextDecisionType ?t BIND({LOCAL.format('?a')} AS ?from) "
                        f"BIND({LOCAL.format('?b')} AS ?to) BIND(STRAFTER(STR(?t), '#') AS ?type) }}")
    assert found == {("integration_decision", "access_decision", "OptionalNext"),
                     ("integration_decision", "schema_decision", "OptionalNext"),
                     ("message_broker", "schema_decision", "MandatoryNext"),
                     ("access_decision", "schema_decision", "ConsiderIfNotDecidedYet"),
                     ("api_gateway", "schema_decision", "ConsiderIfNotDecidedYet"),
                     ("schema_decision", "integration_decision", "Next")}
    contexts = rows(study, f"SELECT ?d ?c ?type WHERE {{ ?l a gt:ContextLink ; gt:decision ?dc ; gt:context ?cc ; "
                           f"gt:contextType ?t BIND({LOCAL.format('?dc')} AS ?d) BIND({LOCAL.format('?cc')} AS ?c) "
                           "BIND(STRAFTER(STR(?t), '#') AS ?type) }")
    assert contexts == {("integration_decision", "data_product", "DecideForAllInstancesOf"),
                        ("access_decision", "data_product", "DecideForSomeInstancesOf")}


def test_helper_definitions_views_and_metaclass_loops_are_quiet(study):
    """Only the loop that adjusts metaclasses is noted (info); the helper, views and main guard say nothing."""
    found = rows(study, "SELECT ?problem ?severity ?path ?line WHERE { ?d a gt:Diagnostic ; gt:problem ?problem ; "
                        "gt:severity ?s ; gt:file/gt:path ?path ; gt:line ?line BIND(STRAFTER(STR(?s), '#') AS "
                        "?severity) }")
    assert found == {("ignored-statement", "Info", "sources_model.py", 8)}


def test_reversed_roles_association_keyword_and_role_less_links(write, store):
    load([write("m.py", "d1 = CClass(decision, 'D1')\nd2 = CClass(decision, 'D2')\n"
                        "o = CClass(practice, 'O')\nf = CClass(force, 'F')\ns9 = CClass(source, 's9')\n"
                        "f.add_links(o, role_name='solutions', stereotype_instances=negative)\n"
                        "d2.add_links(o, role_name='prior solution', stereotype_instances=optional_next)\n"
                        "o.add_links(s9, role_name='evidence')\n"
                        "d1.add_links(o, association=decision_solution_relation)\n"
                        "add_links({o: f}, stereotype_instances=very_positive)\n"
                        "add_links({d1: d2})\n")], store=store)
    found = rows(store, "SELECT ?kind ?a ?b WHERE { ?l a gt:Link, ?k ; gt:line ?line . FILTER(?k != gt:Link) "
                        "?l (gt:option|gt:from|gt:source|gt:decision) ?x ; (gt:force|gt:to|gt:code|gt:option) ?y "
                        "FILTER(?x != ?y) BIND(STRAFTER(STR(?k), '#') AS ?kind) "
                        f"BIND({LOCAL.format('?x')} AS ?a) BIND({LOCAL.format('?y')} AS ?b) }}")
    assert found == {("ForceImpact", "o", "f"), ("NextDecisionLink", "o", "d2"), ("Containment", "s9", "o"),
                     ("DecisionOption", "d1", "o"), ("OtherLink", "d1", "d2")}


def test_old_camel_case_api(write, store):
    load([write("old.py", "a = CClass(practice, 'A')\nb = CClass(practice, 'B')\nd = CClass(decision, 'D')\n"
                          "x = a.addLinks(b, roleName='from', stereotypeInstances=canUse)[0]\n"
                          "addDecisionOptionLink(d, a, 'Use A')\n")], store=store)
    assert rows(store, "SELECT ?t ?n WHERE { { ?l gt:dependencyType ?t } UNION { ?l gt:optionName ?n } }") == {
        ("https://w3id.org/gtkg/ontology#CanUse", None), (None, "Use A")}


def test_quirks_of_real_study_files(write, store):
    """Aliases, self-assignments, keywords other metamodels add, stereotypes of a study's own metamodel."""
    load([write("quirks.py", "d = CClass(decision, 'D')\nsafety = CClass(force, 'Safety')\n"
                             "safety = safety\nsafety_deploy = safety\n"
                             "o = CClass(practice, 'O')\np = CClass(practice, 'P')\n"
                             "add_decision_option_link(d, o, option_description='Limit changes')\n"
                             "add_force_relations({o: {safety_deploy: positive}})\n"
                             "add_links({o: d}, role_name='next decision', label='why',\n"
                             "          stereotype_instances=[feeds_into_via_trigger, mandatory_next])\n"
                             "first = o.add_links([p, d], role_name='to',\n"
                             "                    stereotype_instances=can_be_realized_with)[0]\n"
                             "first.stereotype_instances = [uses]\n")], store=store)
    impacts = rows(store, f"SELECT ?f WHERE {{ ?l gt:force ?c BIND({LOCAL.format('?c')} AS ?f) }}")
    assert impacts == {("safety",)}  # an alias names the same element
    problems = rows(store, "SELECT ?p ?line WHERE { ?d gt:problem ?p ; gt:line ?line }")
    assert problems == {("unknown-keyword", 7), ("unknown-stereotype", 9)}
    nexts = rows(store, "SELECT ?t ?s WHERE { ?l a gt:NextDecisionLink ; gt:nextDecisionType ?t ; gt:stereotype ?s }")
    assert nexts == {("https://w3id.org/gtkg/ontology#MandatoryNext", "feeds_into_via_trigger")}
    deps = rows(store, f"SELECT ?to ?type WHERE {{ ?l a gt:Dependency ; gt:to ?c "
                       f"OPTIONAL {{ ?l gt:dependencyType ?t }} BIND({LOCAL.format('?c')} AS ?to) "
                       "BIND(STRAFTER(STR(?t), '#') AS ?type) }")
    assert deps == {("p", "Uses"), ("d", "CanBeRealizedBy")}  # [0] is the first link only


# ---------------------------------------------------------------- defects

DEFECTS_FOUND = {
    ("variable-assigned-twice", "Warning", 6),
    ("source-defined-twice", "Violation", 13),  # different values
    ("source-defined-twice", "Warning", 15),  # an exact copy
    ("duplicate-containment", "Warning", 16),  # at the list that holds the copy, not where it is linked
    ("unlinked-code-list", "Warning", 18),
    ("unsupported-statement", "Warning", 22),  # a loop creating codes
    ("unsupported-statement", "Warning", 24),  # a computed name
    ("unsupported-statement", "Warning", 26),  # an f-string label
    ("duplicate-key", "Warning", 28),
    ("unreadable-snippet", "Warning", 29),
}


def test_defects_become_diagnostics_with_severity_file_and_line(defects):
    found = rows(defects, "SELECT ?problem ?severity ?line WHERE { ?d a gt:Diagnostic ; gt:problem ?problem ; "
                          "gt:severity ?s ; gt:line ?line ; gt:file/gt:path 'defects_model.py' "
                          "BIND(STRAFTER(STR(?s), '#') AS ?severity) }")
    assert found == DEFECTS_FOUND


def test_defective_statements_still_load_as_they_are(defects):
    labels = rows(defects, "SELECT ?label WHERE { ?c gt:variable 'caching' ; rdfs:label ?label }")
    assert labels == {("Caching",), ("Caching Layer",)}  # assigned twice: both labels show
    shared = rows(defects, "SELECT ?var WHERE { ?c rdfs:label 'Caching' ; gt:variable ?var }")
    assert shared == {("caching",), ("cdn",)}  # two codes with one label
    kinds = rows(defects, "SELECT ?k WHERE { ?c rdfs:label 'Scalability' ; a ?k FILTER(?k != gt:Code) }")
    assert len(kinds) == 2  # one label as Practice and as Force
    titles = rows(defects, "SELECT ?t WHERE { ?s dcterms:identifier 's1' ; dcterms:title ?t }")
    assert len(titles) == 2  # a source defined twice with different values keeps both
    undeclared = rows(defects, f"SELECT ?a ?b WHERE {{ ?l gt:from|gt:source ?x ; gt:to|gt:code ?y . "
                               f"FILTER NOT EXISTS {{ ?y a gt:Code }} BIND({LOCAL.format('?x')} AS ?a) "
                               f"BIND({LOCAL.format('?y')} AS ?b) }}")
    assert ("s4", "undeclared_thing") in undeclared
    untyped = rows(defects, "SELECT ?c WHERE { ?l gt:from ?c . FILTER NOT EXISTS { ?c a gt:Code } }")
    assert len(untyped) == 1  # ghost_option, never declared, is still the start of its dependency
    impacts = rows(defects, "SELECT ?i WHERE { ?l a gt:ForceImpact ; gt:impact ?i }")
    assert impacts == {("https://w3id.org/gtkg/ontology#VeryPositive",)}  # Python keeps the last dict value


def test_raw_text_of_a_diagnostic_is_the_original_source(defects):
    [row] = select(defects, "SELECT ?text WHERE { ?d gt:problem 'unsupported-statement' ; gt:line 22 ; "
                            "gt:text ?text }")
    lines = (DEFECTS / "defects_model.py").read_text().split("\n")
    assert row["text"] == "\n".join(lines[21:23])


# ---------------------------------------------------------------- merge with the notes

def test_notes_and_models_of_one_study_share_code_and_source_nodes(store):
    load([EXAMPLES], store=store)
    codes = rows(store, "SELECT ?var ?model ?note WHERE { GRAPH ?m { ?d gt:declares ?c ; gt:line ?model } "
                        "?m gt:path 'data_mesh_model.py' . GRAPH ?n { ?c gt:evidence ?e } "
                        "?e gt:line ?note . ?n gt:path 's_1.md' . ?c gt:variable ?var } ")
    # (variable, line of its CClass in the model, line of an excerpt in the notes that is its evidence)
    assert ("containerisation", 34, 56) in codes and ("rest_apis", 31, 36) in codes
    sources = rows(store, "SELECT ?model ?note WHERE { ?s dcterms:identifier 's1' . "
                          "GRAPH ?m { ?l a gt:Containment ; gt:source ?s ; gt:code ?c ; gt:line ?model } "
                          "?m gt:format 'model' "
                          "GRAPH ?n { ?s gt:containsCode ?c } ?n gt:path 's_1.md' "
                          "FILTER(STRENDS(STR(?c), '/rest_apis')) }")
    assert len(sources) == 1  # one source node and one code node, stated by both files
    cited = rows(store, "SELECT ?bib WHERE { ?s dcterms:identifier 's3' ; gt:cites/dcterms:bibliographicCitation "
                        "?bib }")
    assert cited == {("Dehghani, Zhamak: Data Mesh. O'Reilly Media, 2022",)}


# ---------------------------------------------------------------- never executed, never crashes

def test_a_model_file_is_never_executed(tmp_path, write, store):
    marker = tmp_path / "marker"
    path = write("evil.py", f"import os\n"
                            f"os.system('touch {marker}-system')\n"
                            f"open('{marker}-open', 'w').write('x')\n"
                            f"__import__('os').system('touch {marker}-import')\n"
                            f"exec(\"open('{marker}-exec', 'w')\")\n"
                            f"x = CClass(practice, 'Still Loaded')\n")
    load([path], store=store)
    assert not list(tmp_path.glob("marker*"))
    found = rows(store, "SELECT ?line ?message WHERE { ?d gt:problem 'unsupported-statement' ; gt:line ?line ; "
                        "gt:message ?message }")
    assert {line for line, _ in found} == {2, 3, 4, 5}
    assert all("not run" in message for _, message in found)
    assert rows(store, "SELECT ?l WHERE { ?c gt:variable 'x' ; rdfs:label ?l }") == {("Still Loaded",)}


def test_one_liner_fast_path_gives_what_ast_parse_gives():
    from gtkg.loaders.codeable.source import split_one_liners

    text = "\n".join(p.read_text() for p in sorted(STUDY.rglob("*.py"))) + "\nz = CClass(p, 'Don\"t')  # note\n" \
        + "opt\uff41 = CClass(p, 'Width')\nadd_decision_option_link(d, opt\uff41, 'w')\n"  # names Python normalizes
    fast, slow = split_one_liners(text, 7), ast.parse("\n" * 6 + text).body
    assert [(ast.dump(n), n.lineno, n.end_lineno) for n in fast] == \
        [(ast.dump(n), n.lineno, n.end_lineno) for n in slow]
    inside = ['"""\ny = CClass(p, "Y")\n"""\n', 'f(\ny = CClass(p, "Y")\n)\n',
              '@dec\ny = CClass(p, "Y")\ndef f(): pass\n',
              'x = 1 + \\\ny = CClass(p, "Y")\n', 'if x:\n    a = 1\ny = CClass(p, "Y")\nelse:\n    b = 2\n']
    assert [split_one_liners(case) for case in inside] == [None] * len(inside)


def test_one_liner_fast_path_leaves_what_python_reads_otherwise_to_ast_parse():
    """A lone \\r ends a line for Python, NUL and lone surrogates stop the parse, __debug__ cannot be assigned:
    such lines are no one-liners, so the text parses (or fails) as ast.parse has it."""
    from gtkg.loaders.codeable.source import split_one_liners, split_statements

    for line in ['x = CClass(p, "a\rb")', "x = CClass(p)  # c\ry = CClass(q)", "x = CClass(p)  # \x00",
                 'add_decision_option_link(d, o, "\ud800")', "__debug__ = CClass(p)"]:
        assert split_one_liners(line + "\n") is None
        text = line + "\n" + "y = 1\n" * 5000  # long enough for the fast path
        statements, unreadable = split_statements(text)
        try:
            expected = ast.parse(text).body
        except (SyntaxError, ValueError):
            assert unreadable and unreadable[0].line == 1
        else:
            assert [ast.dump(n) for n in statements] == [ast.dump(n) for n in expected]


def test_each_line_is_counted_once_and_the_text_is_deterministic():
    from gtkg.loading import LoadSummary, _counted

    summary = LoadSummary()
    assert list(_counted([("g", ["b", "a", "b"]), ("h", ["c"])], summary)) == [("g", "b\na\n"), ("h", "c\n")]
    assert (summary.triples, summary.graphs) == (3, ["g", "h"])


def test_a_load_leaves_no_reference_cycles():
    """The cyclic collector is paused during a load, so a reference cycle would keep syntax trees alive."""
    gc.collect()
    with models.cyclic_gc_paused():
        build_graphs(collect_files([EXAMPLES, DEFECTS]))
        assert gc.collect() == 0


def _mutations(rng: random.Random) -> list[str | bytes]:
    sources = [p.read_text() for p in sorted(STUDY.rglob("*.py"))] + [(DEFECTS / "defects_model.py").read_text()]
    cases: list[str | bytes] = [text[:rng.randrange(len(text))] for text in sources for _ in range(6)]
    cases += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))) for _ in range(10)]
    cases += ["x = " + "[" * 150 + "]" * 150, "x = " + "(" * 300 + ")" * 300, "x = " + "+".join(["a"] * 3000),
              "add_links({" + "{" * 90 + "}" * 90 + ": s})", "x = CClass(" * 200, "\x00\x00x = 1",
              "a = [" + ", ".join(["b"] * 5000) + "]\nadd_links({s1: a}, role_name='contained_code')"]
    tokens = ["x", "=", "CClass", "(", ")", "[", "]", "{", "}", ":", ",", "add_links", "role_name", "'to'", "0",
              ".", "\n", " ", "for", "in", "if", "lambda", "*", "**", "f'{x}'", "positive", "add_force_relations"]
    cases += ["".join(rng.choice(tokens) for _ in range(rng.randrange(5, 200))) for _ in range(60)]
    return cases


def test_fuzzed_model_files_only_give_diagnostics(write):
    rng = random.Random(1847)
    files = [write(f"fuzz_{n}.py", text) for n, text in enumerate(_mutations(rng))]
    graphs, summary = build_graphs(collect_files([f.parent for f in files[:1]]))
    assert summary.files == len(files) and graphs
    for n, file in enumerate(files):  # each alone too: one file's problems never hide another's
        parsed = models.parse({file.name: file.read_bytes().decode("utf-8", "replace")})
        internal = [d for d in parsed.files[file.name].diagnostics if d.problem == "unreadable-statement"]
        assert not internal, (n, internal)


def test_a_tuple_assignment_declares_each_element(write, store):
    """`a, b = CClass(..), CClass(..)` creates two named elements when the model runs; both load, and links to
    them resolve (found by running the model with CodeableModels)."""
    load([write("m.py", "opt = CClass(practice, 'Opt')\n"
                        "t1, t2 = CClass(force, 'T1'), CClass(force, 'T2')\n"
                        "old = t1\n"
                        "t1, other = CClass(force, 'T1 again'), old\n"
                        "add_force_relations({opt: {t2: negative, other: positive}})\n")], store=store)
    codes = rows(store, "SELECT ?var ?label WHERE { ?d gt:declares ?c ; gt:line ?line . ?c gt:variable ?var ; "
                        "rdfs:label ?label }")
    assert codes == {("opt", "Opt"), ("t1", "T1"), ("t2", "T2"), ("t1", "T1 again")}
    impacts = rows(store, f"SELECT ?f ?i WHERE {{ ?l a gt:ForceImpact ; gt:force ?c ; gt:impact ?i "
                          f"BIND({LOCAL.format('?c')} AS ?f) }}")
    gt = "https://w3id.org/gtkg/ontology#"
    assert impacts == {("t2", gt + "Negative"), ("t1", gt + "Positive")}  # `old` was the first t1
    problems = rows(store, "SELECT ?p ?line WHERE { ?d gt:problem ?p ; gt:line ?line }")
    assert problems == {("variable-assigned-twice", 4)}


def test_links_of_a_redefined_source_are_not_duplicates(write, store):
    """A source defined again is a new element when the model runs, so listing the same codes for it again does
    not stop CodeableModels: only the redefinition is reported, not each code as a duplicate."""
    load([write("m.py", "a = CClass(practice, 'A')\n"
                        "s1 = CClass(source, 's1', values={'title': 'T'})\n"
                        "add_links({s1: [a]}, role_name='contained_code')\n"
                        "s1 = CClass(source, 's1', values={'title': 'T'})\n"
                        "add_links({s1: [a]}, role_name='contained_code')\n"
                        "add_links({s1: [a]}, role_name='contained_code')\n")], store=store)
    problems = rows(store, "SELECT ?p ?line WHERE { ?d gt:problem ?p ; gt:line ?line }")
    assert problems == {("source-defined-twice", 4), ("duplicate-containment", 6)}


def test_a_loop_of_link_calls_over_a_known_list_runs_once_per_item(write, store):
    """`for o in [a, b]: add_decision_option_link(d, o)` links both, as running the model does; so do nested
    loops, list variables and a dict's keys. A loop that assigns, branches or iterates over what gtkg does not
    know is still reported and loads nothing."""
    load([write("m.py", "d = CClass(decision, 'D?')\n"
                        "a = CClass(practice, 'A')\n"
                        "b = CClass(pattern, 'B')\n"
                        "f = CClass(force, 'F')\n"
                        "for o in [a, b]:\n"
                        "    add_decision_option_link(d, o, 'use it')\n"
                        "targets = [b]\n"
                        "for x in {a: 1}:\n"
                        "    for t in targets:\n"
                        "        x.add_links(t, role_name='to', stereotype_instances=uses)\n"
                        "for o in [a, b]:\n"
                        "    if o is a:\n"
                        "        add_force_relations({o: {f: positive}})\n"
                        "for o in sorted([a, b]):\n"
                        "    add_force_relations({o: {f: negative}})\n"
                        "for o in [a]:\n"
                        "    link = add_decision_option_link(d, o)\n")], store=store)
    options = rows(store, f"SELECT ?o ?name ?line WHERE {{ ?l a gt:DecisionOption ; gt:option ?c ; gt:line ?line "
                          f"OPTIONAL {{ ?l gt:optionName ?name }} BIND({LOCAL.format('?c')} AS ?o) }}")
    assert options == {("a", "use it", 6), ("b", "use it", 6)}
    deps = rows(store, f"SELECT ?f ?t WHERE {{ ?l a gt:Dependency ; gt:from ?x ; gt:to ?y "
                       f"BIND({LOCAL.format('?x')} AS ?f) BIND({LOCAL.format('?y')} AS ?t) }}")
    assert deps == {("a", "b")}
    assert rows(store, "SELECT ?l WHERE { ?l a gt:ForceImpact }") == set()
    problems = rows(store, "SELECT ?p ?line WHERE { ?d gt:problem ?p ; gt:line ?line }")
    assert problems == {("unsupported-statement", 11), ("unsupported-statement", 14),
                        ("unsupported-statement", 16)}
