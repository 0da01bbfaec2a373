"""Stored queries on a small study whose answers are known by hand (tests/fixtures/queries).

The fixture study: four sources (s1, s2, s10, p1, to check the natural order), a model that states the
paper's facts, and field notes that agree with it except where a test needs them not to: s1's notes name
an undeclared code (schema_on_read) and declare flexibility with another label, s2's notes leave out cost,
s1's header gives another url and tiny url, and the notes repeat one force impact of the model.
"""

import json

import pytest
from helpers import FIXTURES

from gtkg.errors import ParameterError, QueryError
from gtkg.loading import load
from gtkg.nquads import nt_term
from gtkg.ontology import IRI
from gtkg.outputs import render
from gtkg.queries import bind, catalogue, get, natural_key, parse_header, run_query, shape, with_values

STUDY = FIXTURES / "queries"


@pytest.fixture(scope="module", params=["embedded", "remote"])
def study(request, tmp_path_factory):
    """The fixture study, as keyword arguments of run_query: in an embedded store, and at a SPARQL endpoint."""
    if request.param == "embedded":
        where = {"store": str(tmp_path_factory.mktemp("queries") / "store")}
    else:
        server = request.getfixturevalue("sparql_server")
        server.clear()
        where = {"store": server.query_url}
    load([STUDY], **where)
    return where


def rows(study, name, **params):
    return run_query(name, params, **study).dicts()


def column(study, name, col, **params):
    return [row[col] for row in rows(study, name, **params)]


# -- every stored query


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_query_documents_itself_and_runs(study, name):
    query = get(name)
    assert query.summary and query.description and query.columns
    assert set(query.lists) <= set(query.columns) and set(query.sort) <= set(query.lists)
    assert {column for column, _ in query.order} <= set(query.columns)
    table = run_query(name, **study)
    assert table.columns == query.columns
    for row in table.dicts():
        assert all(isinstance(row[c], list) for c in query.lists)


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_query_has_the_scope_of_its_kind(name):
    scoped = {p.name: p for p in get(name).params}.get("scope")
    unscoped = {"diagnostics", "code-evidence", "trace-vs-model"}
    assert (scoped is None) == (name in unscoped)
    if scoped:
        assert scoped.default == "auto" and scoped.values == ["auto", "model", "notes", "all"]


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_a_stored_query_run_alone_answers_for_scope_all(study, name):
    """Pasted into a SPARQL editor (no parameter bound, the union of the graphs), a stored query gives the
    answer of scope all: the graphs in scope are gtkg's binding, not part of the query."""
    from gtkg.store import open_store

    query = get(name)
    scope = {"scope": "all"} if any(p.name == "scope" for p in query.params) else {}
    backend = open_store(study["store"], read_only=True)
    try:
        assert shape(query, backend.query(query.text)).rows == run_query(name, scope, store=backend).rows
    finally:
        backend.close()


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_scoped_query_reads_the_graphs_in_scope_and_one_label_form(name):
    """The scope is gtkg's binding of ?_scope, never worked out in the query; labels come from one form."""
    import re

    text = get(name).text
    assert "gt:format ?use" not in text and "?_scope" in text or name in {"diagnostics", "code-evidence",
                                                                         "trace-vs-model"}
    form = ('OPTIONAL { { SELECT ?C (SUBSTR(MIN(CONCAT(COALESCE(?model, "1"), ?l)), 2) AS ?OUT) WHERE { # its label '
            'GRAPH ?g { ?C KINDrdfs:label ?l } OPTIONAL { { SELECT ?g ("0" AS ?model) WHERE { GRAPH ?g { '
            '?g gt:format "model" } } } } # the model\'s first } GROUP BY ?C } }')
    pattern = re.escape(form).replace(r"\?C", r"\?(\w+)", 1).replace(r"\?C", r"\?\1").replace(r"\?OUT", r"\?\w+")
    label = re.compile(pattern.replace("KIND", r"(?:a\ gt:\w+\ ;\ )?"))
    assert len(label.findall(" ".join(text.split()))) == text.count("rdfs:label")


def test_the_graphs_in_scope(study, tmp_path):
    from gtkg.queries import graphs_in_scope
    from gtkg.store import open_store

    file = "https://w3id.org/gtkg/data/study/file/"
    models = [file + "sources_model.py", file + "study_model.py"]
    notes = [file + name for name in ("p_1.md", "s_1.md", "s_10.md", "s_2.md")]
    backend = open_store(study["store"], read_only=True)
    try:
        assert [graphs_in_scope(backend, scope) for scope in ("auto", "model", "notes", "all")] == \
            [models, models, notes, None]
        with pytest.raises(ParameterError, match="scope must be one of auto, model, notes, all, not 'some'"):
            graphs_in_scope(backend, "some")
    finally:
        backend.close()
    load([STUDY / "notes"], store=str(tmp_path / "notes"))
    backend = open_store(str(tmp_path / "notes"), read_only=True)
    try:  # no model file: auto is every graph, model none
        assert [graphs_in_scope(backend, scope) for scope in ("auto", "model")] == [None, []]
    finally:
        backend.close()


# -- the paper's tables


def test_sources_in_natural_order_with_the_model_values(study):
    table = rows(study, "sources")
    assert [r["id"] for r in table] == ["s1", "s2", "s10", "p1"]
    assert table[0] == {"id": "s1", "title": "Lakes and Warehouses", "url": "https://example.org/lakes",
                        "tiny_url": "https://tinyurl.com/q-s1", "archive_url": "", "type": "Blog Post",
                        "author_type": "Practitioner", "example": "true", "source_code": "false"}


def test_sources_of_all_files_show_both_values_where_they_disagree(study):
    s1 = rows(study, "sources", scope="all")[0]
    assert s1["tiny_url"] == "https://bit.ly/q-s1 / https://tinyurl.com/q-s1"
    assert s1["title"] == "Lakes and Warehouses"  # the same in notes and model: once


def test_sources_of_the_notes_alone(study):
    assert column(study, "sources", "url", scope="notes")[:2] == ["https://example.org/s1", "https://example.org/s2"]


def test_force_evidence_is_the_force_table(study):
    assert rows(study, "force-evidence") == [
        {"force": "cost", "label": "Cost", "sources": ["s1", "s2", "s10"], "count": 3},
        {"force": "latency", "label": "Latency", "sources": ["s2", "s10", "p1"], "count": 3},
        {"force": "flexibility", "label": "Flexibility", "sources": [], "count": 0},
    ]


def test_force_evidence_counts_a_source_once_when_notes_and_model_both_say_it(study):
    cost = rows(study, "force-evidence", scope="all")[1]
    assert cost == {"force": "cost", "label": "Cost", "sources": ["s1", "s2", "s10"], "count": 3}


def test_force_evidence_of_the_notes_prefers_the_model_label(study):
    assert rows(study, "force-evidence", scope="notes") == [
        {"force": "flexibility", "label": "Flexibility", "sources": ["s1"], "count": 1}]


def test_decision_overview_is_the_overview_table(study):
    assert rows(study, "decision-overview") == [
        {"decision": "How to Store Data?", "option": "Data Lake", "option_name": "Store raw data in a lake",
         "evidence": ["s1", "s10"], "impacts": ["Cost (+)", "Latency (-)"]},
        {"decision": "How to Store Data?", "option": "Data Warehouse", "option_name": "Model data in a warehouse",
         "evidence": ["s1"], "impacts": ["Cost (-)", "Flexibility (+/-)"]},
        {"decision": "How to Serve Data?", "option": "REST API", "option_name": "Serve through an API",
         "evidence": ["s2"], "impacts": ["Latency (++)"]},
    ]


def test_decision_overview_states_an_impact_of_notes_and_model_once(study):
    lake = rows(study, "decision-overview", scope="all")[0]
    assert lake["impacts"] == ["Cost (+)", "Latency (-)"]


# -- the other questions


def test_source_codes_of_one_source(study):
    assert rows(study, "source-codes", source="s2") == [
        {"source": "s2", "code": "cost", "label": "Cost", "kind": "force"},
        {"source": "s2", "code": "latency", "label": "Latency", "kind": "force"},
        {"source": "s2", "code": "rest_api", "label": "REST API", "kind": "pattern"},
        {"source": "s2", "code": "serving_decision", "label": "How to Serve Data?", "kind": "decision"},
    ]


def test_source_codes_of_all_sources_in_natural_order(study):
    sources = column(study, "source-codes", "source")
    assert sources == ["s1"] * 4 + ["s2"] * 4 + ["s10"] * 4 + ["p1"] * 2


def test_an_undeclared_code_shows_its_variable_and_no_kind(study):
    row = [r for r in rows(study, "source-codes", source="s1", scope="notes") if r["code"] == "schema_on_read"]
    assert row == [{"source": "s1", "code": "schema_on_read", "label": "schema_on_read", "kind": ""}]


def test_code_evidence_quotes_the_excerpts_with_file_and_line(study):
    assert rows(study, "code-evidence", code="data_lake") == [
        {"code": "data_lake", "label": "Data Lake", "source": "s1", "file": "s_1.md", "line": 23,
         "excerpt": "A lake keeps every raw record cheaply; a warehouse models it first."},
        {"code": "data_lake", "label": "Data Lake", "source": "s10", "file": "s_10.md", "line": 23,
         "excerpt": "Querying the lake directly is slow, but it is the cheapest place to keep data."},
    ]


def test_option_impacts_on_one_force_strongest_first(study):
    assert rows(study, "option-impacts", force="latency") == [
        {"force": "latency", "force_label": "Latency", "option": "rest_api", "option_label": "REST API",
         "polarity": "++", "decisions": ["How to Serve Data?"]},
        {"force": "latency", "force_label": "Latency", "option": "data_lake", "option_label": "Data Lake",
         "polarity": "-", "decisions": ["How to Store Data?"]},
    ]


def test_option_impacts_of_one_polarity(study):
    assert column(study, "option-impacts", "option", polarity="-") == ["warehouse", "data_lake"]


def test_trade_offs(study):
    assert rows(study, "trade-offs") == [
        {"option": "data_lake", "label": "Data Lake", "helps": ["Cost (+)"], "hurts": ["Latency (-)"],
         "decisions": ["How to Store Data?"]},
        {"option": "warehouse", "label": "Data Warehouse", "helps": ["Flexibility (+/-)"],
         "hurts": ["Cost (-)", "Flexibility (+/-)"], "decisions": ["How to Store Data?"]},
    ]


def test_dependencies_follow_the_codeable_models_direction(study):
    assert rows(study, "dependencies") == [
        {"from": "data_lake", "from_label": "Data Lake", "type": ["Uses"], "to": "warehouse",
         "to_label": "Data Warehouse", "how": "", "role": ""}]


def test_decision_graph(study):
    assert rows(study, "decision-graph") == [
        {"from": "data_lake", "from_label": "Data Lake", "from_kind": "pattern", "type": ["Optional Next"],
         "to": "serving_decision", "to_label": "How to Serve Data?"}]


def test_co_occurrence_with_the_default_minimum(study):
    pairs = [(r["code"], r["other"], r["count"]) for r in rows(study, "co-occurrence")]
    assert pairs == [("cost", "data_lake", 2), ("cost", "latency", 2), ("cost", "storage_decision", 2),
                     ("data_lake", "storage_decision", 2)]


def test_co_occurrence_with_a_higher_minimum(study):
    assert rows(study, "co-occurrence", minimum="3") == []
    assert len(rows(study, "co-occurrence", minimum="1")) == 15  # 6 + 6 + 6 + 1 pairs, four of them twice


def test_saturation_curve(study):
    assert rows(study, "saturation") == [
        {"source": "s1", "new": 4, "total": 4, "new_codes": ["cost", "data_lake", "storage_decision", "warehouse"]},
        {"source": "s2", "new": 3, "total": 7, "new_codes": ["latency", "rest_api", "serving_decision"]},
        {"source": "s10", "new": 0, "total": 7, "new_codes": []},
        {"source": "p1", "new": 1, "total": 8, "new_codes": ["caching"]},
    ]


def test_orphans_of_the_model(study):
    found = [(r["problem"], r["code"], r["file"], r["line"]) for r in rows(study, "orphans")]
    assert found == [("decision-without-options", "naming_decision", "study_model.py", 14),
                     ("no-source", "naming_decision", "study_model.py", 14),
                     ("no-source", "flexibility", "study_model.py", 23),
                     ("option-without-decision", "caching", "study_model.py", 19)]


def test_orphans_of_all_files_include_undeclared_codes_where_first_used(study):
    undeclared = [r for r in rows(study, "orphans", scope="all") if r["problem"] == "undeclared"]
    assert undeclared == [{"problem": "undeclared", "code": "schema_on_read", "label": "schema_on_read",
                           "kind": "", "file": "s_1.md", "line": 29}]


def test_trace_vs_model(study):
    assert rows(study, "trace-vs-model") == [
        {"source": "s1", "notes_only": ["flexibility", "schema_on_read"], "model_only": [], "in_notes": 6,
         "in_model": 4},
        {"source": "s2", "notes_only": [], "model_only": ["cost"], "in_notes": 3, "in_model": 4},
        {"source": "s10", "notes_only": [], "model_only": [], "in_notes": 4, "in_model": 4},
        {"source": "p1", "notes_only": [], "model_only": [], "in_notes": 2, "in_model": 2},
    ]


def test_notes_only_study_uses_the_notes(tmp_path):
    store = str(tmp_path / "store")
    load([STUDY / "notes"], store=store)
    assert run_query("force-evidence", store=store).dicts() == [
        {"force": "flexibility", "label": "Flexibility of Schemas", "sources": ["s1"], "count": 1}]


# -- formats


def test_json_has_arrays_for_list_columns(study):
    data = json.loads(render(run_query("force-evidence", **study), "json"))
    assert data[0] == {"force": "cost", "label": "Cost", "sources": ["s1", "s2", "s10"], "count": 3}


@pytest.mark.parametrize("fmt, expected", [
    ("table", "cost         Cost         s1, s2, s10  3"),
    ("csv", 'cost,Cost,"s1, s2, s10",3'),
    ("tsv", "cost\tCost\ts1, s2, s10\t3"),
    ("markdown", "| cost | Cost | s1, s2, s10 | 3 |"),
    ("latex", r"cost & Cost & s1, s2, s10 & 3 \\"),
])
def test_text_formats_join_lists_with_commas(study, fmt, expected):
    assert expected in render(run_query("force-evidence", **study), fmt).splitlines()


# -- parameters


@pytest.mark.parametrize("name, params, message", [
    ("nonsense", {}, "no stored query named 'nonsense'"),
    ("source", {}, "Did you mean source-codes, sources?"),
    ("sources", {"colour": "red"}, "query 'sources' has no parameter 'colour' (it takes: scope)"),
    ("co-occurrence", {"minimum": "two"}, "must be an integer, not 'two'"),
    ("option-impacts", {"polarity": "+++"}, "must be one of ++, +, o, +/-, -, --, not '+++'"),
    ("sources", {"scope": "everything"}, "must be one of auto, model, notes, all, not 'everything'"),
])
def test_bad_names_and_parameters_are_clear_errors(study, name, params, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")):
        run_query(name, params, **study)


def test_missing_required_parameter(tmp_path):
    query = parse_header("#+ summary: s\n#+ columns: x\n#+ param: source source required -- a source\n"
                         "SELECT ?x WHERE { ?x ?p ?_source }", tmp_path / "needs.rq")
    with pytest.raises(ParameterError, match="needs parameter 'source' \\(source\\): add -p source VALUE"):
        bind(query, {})


INJECTIONS = ['s1" } UNION { ?s ?p ?o } #', "s1' } UNION { ?s ?p ?o }", 's1\\" } UNION { ?s ?p ?o', "}",
              "{", "s1\n} UNION {\n?s ?p ?o", "s1\\", '"""', "<https://w3id.org/gtkg/ontology#Source>",
              "?s", "s1 } FILTER(true) {", "\\u0022 } UNION { ?s ?p ?o }"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_through_a_parameter_names_nothing(study, value):
    """A value is a term, never SPARQL: it names no source or code, which is said (not an empty answer)."""
    for name, param, what in (("source-codes", "source", "source"), ("code-evidence", "code", "code"),
                              ("option-impacts", "force", "force")):
        with pytest.raises(ParameterError, match=f"no {what} "):
            run_query(name, {param: value}, **study)


def test_the_value_itself_still_matches(study):
    assert len(run_query("source-codes", {"source": "s1"}, **study).rows) == 4


# -- binding and shaping


def test_values_go_into_every_where_but_not_into_strings_comments_or_iris():
    text = ('SELECT ?x WHERE { # not here: WHERE {\n ?x <http://a.example/b#WHERE> "WHERE {" .\n'
            '  { SELECT ?y WHERE { ?y ?p ?_v } } FILTER(?x < ?y || ?x = ?_v) }')
    bound = with_values(text, {"_v": "a"})
    assert bound.count('VALUES (?_v) { ("a") }') == 2
    assert '"WHERE {"' in bound and "# not here: WHERE {\n" in bound


def test_values_go_only_into_the_subqueries_that_use_them():
    text = ('SELECT ?x WHERE {\n'
            '  { SELECT ?x (COUNT(*) AS ?n) WHERE { ?x ?p ?o } GROUP BY ?x }  # ?_v\n'  # a comment is no use
            '  { SELECT ?x WHERE { ?x ?p "?_v" . ?x <urn:a?_v> ?o } }\n'  # nor a string or an IRI
            '  { SELECT ?x ?w WHERE { { SELECT ?w WHERE { ?w ?p ?_v } } ?x ?q ?w } }\n'  # the innermost only
            '  { SELECT * WHERE { ?x ?r ?z } }\n'  # SELECT * names no ?_v either
            '  FILTER(?n > 1 || ?x = ?_w) }')
    bound = with_values(text, {"_v": "a"})
    groups = [group.split("}")[0] for group in bound.split("WHERE {")[1:]]
    assert ['VALUES' in group for group in groups] == [False, False, False, False, True, False]
    assert with_values(text, {"_w": "a", "_u": "b"}).count("VALUES") == 1  # the top query names ?_w, none ?_u


def test_each_subquery_gets_only_the_variables_it_names_and_a_list_one_row_per_item():
    text = ("SELECT ?x WHERE { { SELECT ?x WHERE { GRAPH ?_scope { ?x ?p ?o } } }\n"
            "  { SELECT ?x WHERE { ?x ?p ?_v } } FILTER(?x != ?_v) }")
    bound = with_values(text, {"_v": "a", "_scope": [IRI("urn:g1"), IRI("urn:g2")]})
    assert bound == ('SELECT ?x WHERE {\n  VALUES (?_v) { ("a") }\n { SELECT ?x WHERE {\n'
                     '  { SELECT ?_scope WHERE { VALUES ?_scope { <urn:g1> <urn:g2> } } }\n'
                     ' GRAPH ?_scope { ?x ?p ?o } } }\n'
                     '  { SELECT ?x WHERE {\n  VALUES (?_v) { ("a") }\n ?x ?p ?_v } } FILTER(?x != ?_v) }')
    assert "VALUES ?_scope {  }" in with_values(text, {"_scope": []})  # no graph: no solution


def test_a_subquery_that_selects_a_variable_leaves_its_binding_to_the_query_around_it():
    text = ("SELECT ?x WHERE { { SELECT ?_g ?x WHERE { { SELECT ?_g ?x WHERE { GRAPH ?_g { ?x ?p ?o } } } } }\n"
            "  { SELECT ?x (COUNT(?_g) AS ?n) WHERE { GRAPH ?_g { ?x ?q ?o } } GROUP BY ?x } }")
    block = "\n  { SELECT ?_g WHERE { VALUES ?_g { <urn:g1> } } }\n"
    inner = "{ SELECT ?_g ?x WHERE { { SELECT ?_g ?x WHERE { GRAPH ?_g { ?x ?p ?o } } } } }"
    assert with_values(text, {"_g": [IRI("urn:g1")]}) == (
        f"SELECT ?x WHERE {{{block} {inner}\n"
        f"  {{ SELECT ?x (COUNT(?_g) AS ?n) WHERE {{{block} GRAPH ?_g {{ ?x ?q ?o }} }} GROUP BY ?x }} }}")


@pytest.mark.parametrize("name, params", [("co-occurrence", {"minimum": "1", "scope": "notes"}),
                                          ("source-codes", {"source": "s1", "scope": "all"}),
                                          ("option-impacts", {"polarity": "+", "scope": "notes"}),
                                          ("orphans", {"scope": "all"}), ("saturation", {})])
def test_values_in_fewer_groups_give_the_same_rows(study, name, params):
    """Binding a parameter only where it is named answers as binding it in every WHERE group did (the graphs in
    scope, several rows, only where named in both)."""
    import re

    from gtkg.queries import graphs_in_scope
    from gtkg.store import open_store

    query = get(name)
    bound = bind(query, params)
    backend = open_store(study["store"], read_only=True)
    try:
        graphs = graphs_in_scope(backend, bound.pop("_scope"))
        scoped = {} if graphs is None else {"_scope": graphs}
        block = "\n  VALUES ({}) {{ ({}) }}\n".format(" ".join(f"?{n}" for n in bound),
                                                      " ".join(nt_term(v) for v in bound.values()))
        everywhere = re.sub(r"\bWHERE\s*\{", lambda m: m.group() + block, query.text) if bound else query.text
        assert shape(query, backend.query(with_values(query.text, {**bound, **scoped})), bound).rows == \
            shape(query, backend.query(with_values(everywhere, scoped)), bound).rows
    finally:
        backend.close()


def test_a_header_without_summary_names_its_file(tmp_path):
    with pytest.raises(QueryError, match=r"broken\.rq: the header has no '#\+ summary:' line"):
        parse_header("#+ columns: a\nSELECT ?a WHERE {}", tmp_path / "broken.rq")


@pytest.mark.parametrize("line", ["#+ sort: b natural", "#+ sort: a backwards", "#+ order: z", "#+ order: a up"])
def test_bad_sort_or_order_lines_are_errors(tmp_path, line):
    with pytest.raises(QueryError, match="cannot read"):
        parse_header(f"#+ summary: s\n#+ columns: a, b\n#+ lists: a\n{line}\nSELECT * WHERE {{}}", tmp_path / "x.rq")


def test_firsts_keeps_each_item_at_the_first_row_that_holds_it_in_the_declared_order(tmp_path):
    """`#+ firsts:` (the saturation curve): rows ordered first (s2 before s10 before p1), then each row keeps the
    items no earlier row holds, with their number and the running number of distinct items."""
    from gtkg.table import Table

    query = parse_header("#+ summary: s\n#+ columns: source, new, total, new_codes\n#+ lists: new_codes\n"
                         "#+ sort: new_codes natural\n#+ order: source natural\n#+ firsts: codes -> new_codes, new, "
                         "total\nSELECT * WHERE {}", tmp_path / "x.rq")
    table = shape(query, Table(["source", "codes"], [["p1", "b|d"], ["s10", "c|a|a"], ["s2", "a|b"], ["s3", None]]))
    assert table.columns == ["source", "new", "total", "new_codes"]
    assert table.rows == [["s2", 2, 2, ["a", "b"]], ["s3", 0, 2, []], ["s10", 1, 3, ["c"]], ["p1", 1, 4, ["d"]]]


@pytest.mark.parametrize("line", ["#+ firsts: codes", "#+ firsts: new -> new_codes, new, total",
                                  "#+ firsts: codes -> other, new, total", "#+ firsts: codes -> new_codes, n, total"])
def test_bad_firsts_lines_are_errors(tmp_path, line):
    with pytest.raises(QueryError, match="cannot read '#\\+ firsts"):
        parse_header(f"#+ summary: s\n#+ columns: new, total, new_codes\n#+ lists: new_codes\n{line}\n"
                     "SELECT * WHERE {}", tmp_path / "x.rq")


PAIRS_HEADER = ("#+ summary: s\n#+ columns: code, label, other, other_label, count, quotes\n"
                "#+ order: count desc, code, other\n#+ pairs: sources, excerpts -> count, quotes\n"
                "#+ param: minimum integer default=2 -- pairs in this many sources\nSELECT * WHERE {}")


@pytest.mark.parametrize("bound, expected", [
    (None, [["a", "A", "d", "D", 3, 0], ["a", "A", "b", "b", 2, 1], ["a", "A", "c", "C", 2, 0],
            ["a", "a", "d", "D", 2, 0]]),
    ({"_minimum": 3}, [["a", "A", "d", "D", 3, 0]])])
def test_pairs_counts_the_sources_each_pair_of_codes_shares(tmp_path, bound, expected):
    """`#+ pairs:` (co-occurrence): one row per code becomes the pairs of codes (by IRI) sharing at least the bound
    minimum of sources (the default without one), each once, code before other by variable, labels falling back
    to the variable, with the number of excerpts both hold; two IRIs of one variable are not a pair (x/a, y/a)."""
    from gtkg.table import Table

    query = parse_header(PAIRS_HEADER, tmp_path / "x.rq")
    table = Table(["c", "code", "label", "sources", "excerpts"], [
        ["urn:x/c", "c", "C", "s2|s3", None], ["urn:x/a", "a", "A", "s1|s2|s3|s4|s5", "e1|e2"],
        ["urn:x/b", "b", None, "s1|s2", "e2|e3"], ["urn:y/a", "a", None, "s4|s5", "e1"],
        ["urn:x/d", "d", "D", "s3|s4|s5", ""]])
    table = shape(query, table, bound)
    assert table.columns == ["code", "label", "other", "other_label", "count", "quotes"]
    assert table.rows == expected


@pytest.mark.parametrize("columns, line", [
    ("code, label, other, other_label, count, quotes", "#+ pairs: sources"),
    ("code, label, other, other_label, count, quotes", "#+ pairs: code, excerpts -> count, quotes"),
    ("code, label, other, other_label, count, quotes", "#+ pairs: sources, excerpts -> n, quotes"),
    ("code, label, other, other_label, count, quotes", "#+ pairs: sources, sources -> count, quotes"),
    ("code, label, other, count, quotes", "#+ pairs: sources, excerpts -> count, quotes")])
def test_bad_pairs_lines_are_errors(tmp_path, columns, line):
    with pytest.raises(QueryError, match="cannot read '#\\+ pairs"):
        parse_header(f"#+ summary: s\n#+ columns: {columns}\n{line}\nSELECT * WHERE {{}}", tmp_path / "x.rq")


def test_shape_drops_empty_list_items_and_sorts_lists_and_rows(tmp_path):
    from gtkg.table import Table

    query = parse_header("#+ summary: s\n#+ columns: id, n, ids\n#+ lists: ids\n#+ sort: ids natural\n"
                         "#+ order: n desc, id\nSELECT * WHERE {}", tmp_path / "x.rq")
    table = shape(query, Table(["ids", "id", "n"], [["s10||p1|s2", "b", 1], [None, "a", 1], ["", "c", 2]]))
    assert table.rows == [["c", 2, []], ["a", 1, []], ["b", 1, ["s2", "s10", "p1"]]]


def test_natural_key_puts_literature_before_interviews():
    assert sorted(["p2", "s10", "p10", "s1", "x1", "s2"], key=natural_key) == ["s1", "s2", "s10", "p2", "p10", "x1"]
