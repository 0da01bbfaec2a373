"""The field-notes loader on small fixtures (one per construct) and on the shared notes."""

from helpers import select

from gtkg.exporting import sparql
from gtkg.loaders import notes
from gtkg.loading import load

HEADER = """# s
{n}
## url
https://example.org/{n}
## title
Title {n}
## source code
no
## example
yes
## source type
Blog Post
## author type
Practitioner
## references

"""


def note(n: int, body: str, block: str = "") -> str:
    return HEADER.format(n=n) + block + "# coding\n\n" + body


def test_header_metadata_lands_on_the_source(write, store):
    load([write("s_4.md", note(4, ""))], store=store)
    rows = select(store, "SELECT ?t ?ex ?code WHERE { ?s dcterms:identifier 's4' ; dcterms:title ?t ; "
                         "gt:example ?ex ; gt:sourceCode ?code }")
    assert rows == [{"t": "Title 4", "ex": True, "code": False}]


def test_excerpt_lines_continue_until_a_blank_line():
    parsed = notes.parse(note(1, "> first line\nlazy continuation\n> more\n\n> second\n"), "s_1.md")
    assert [e.text for e in parsed.excerpts] == ["first line\nlazy continuation\nmore", "second"]
    assert parsed.excerpts[0].line == 19 and parsed.excerpts[0].end_line == 21


def test_trace_codes_the_excerpts_just_above_it(write, store):
    body = ("> one\n\n> two\n\n**OPEN CODING TRACE:**\n\nFamiliar options: rest_apis\n\n"
            "**AXIAL CODING TRACE:**\n\nadd codes to s1:\n```python\n    '''\n        rest_apis,\n"
            "        caching\n    '''\n```\n\n> three\n\n**AXIAL CODING TRACE:**\n```python\nqueues\n```\n")
    load([write("s_1.md", note(1, body))], store=store)
    rows = select(store, "SELECT ?v WHERE { ?c a gt:Code ; gt:variable ?v . } ")
    assert rows == []  # referenced codes are not declared by the notes
    evidence = select(store, "SELECT ?code ?text WHERE { ?c gt:evidence ?e . ?e oa:hasSelector/oa:exact ?text "
                             "BIND(STRAFTER(STR(?c), 'code/') AS ?code) } ORDER BY ?code ?text")
    assert evidence == [{"code": "caching", "text": "one"}, {"code": "caching", "text": "two"},
                        {"code": "queues", "text": "three"},
                        {"code": "rest_apis", "text": "one"}, {"code": "rest_apis", "text": "two"}]
    contained = select(store, "SELECT ?code WHERE { ?s gt:containsCode ?c "
                              "BIND(STRAFTER(STR(?c), 'code/') AS ?code) } ORDER BY ?code")
    assert [r["code"] for r in contained] == ["caching", "queues", "rest_apis"]


def test_unreadable_snippet_is_a_diagnostic_and_the_rest_loads(write, store):
    body = ("> quote\n\n**AXIAL CODING TRACE:**\n```python\n    runtime observability = CClass(practice, 'R')\n"
            "    caching = CClass(practice, 'Caching')\n    add_links({a: [b, c]}\n    queues\n```\n")
    load([write("s_1.md", note(1, body))], store=store)
    diags = select(store, "SELECT ?problem ?line ?text WHERE { ?d a gt:Diagnostic ; gt:problem ?problem ; "
                          "gt:line ?line ; gt:text ?text } ORDER BY ?line")
    assert [(d["problem"], d["line"]) for d in diags] == [("unreadable-snippet", 23), ("unreadable-snippet", 25)]
    assert diags[0]["text"].strip() == "runtime observability = CClass(practice, 'R')"
    labels = select(store, "SELECT ?l WHERE { ?c a gt:Code ; rdfs:label ?l }")
    assert labels == [{"l": "Caching"}]
    assert sparql("ASK { ?s <https://w3id.org/gtkg/ontology#containsCode> "
                  "<https://w3id.org/gtkg/data/study/code/queues> }", store=store) is True


def test_unclosed_fence_stops_before_the_next_quote(write, store):
    body = ("> a\n\n**AXIAL CODING TRACE:**\n```python\ncaching\n\n> b\n\n**OPEN CODING TRACE:**\n"
            "Familiar options: queues\n")
    parsed = notes.parse(note(1, body), "s_1.md")
    assert [e.text for e in parsed.excerpts] == ["a", "b"]
    assert [d.problem for d in parsed.diagnostics] == ["unclosed-fence"]
    assert parsed.traces[-1].mentions == ["queues"]


def test_four_backtick_fence_and_windows_1252(write, store):
    text = note(1, "> caf\xe9\n\n**AXIAL CODING TRACE:**\n````python\ncaching\n```\n").encode("cp1252")
    load([write("s_1.md", text)], store=store)
    excerpt = select(store, "SELECT ?t WHERE { ?e oa:hasSelector/oa:exact ?t }")
    assert excerpt == [{"t": "caf\xe9"}]
    problems = {r["p"] for r in select(store, "SELECT ?p WHERE { ?d gt:problem ?p }")}
    assert problems == {"encoding", "fence"}


def test_header_and_code_block_disagreement_is_reported_and_both_kept(write, store):
    block = ('**AXIAL CODING TRACE**: source\n```python\ns1 = CClass(source, "s1", values={"title": "Other",'
             ' "example": True})\n```\n')
    load([write("s_1.md", note(1, "", block))], store=store)
    titles = select(store, "SELECT DISTINCT ?t WHERE { ?x dcterms:title ?t } ORDER BY ?t")
    assert titles == [{"t": "Other"}, {"t": "Title 1"}]
    diag = select(store, "SELECT ?line ?m WHERE { ?d gt:problem 'metadata-disagreement' ; gt:line ?line ; "
                         "gt:message ?m }")
    assert len(diag) == 1 and diag[0]["line"] == 6 and "Other" in diag[0]["m"]


def test_empty_template_loads_as_no_source(write, store):
    summary = load([write("s_.md", "# s \n\n## url\n\n# coding\n")], store=store)
    assert summary.sources == 0
    assert select(store, "SELECT ?p WHERE { ?d gt:problem ?p }") == [{"p": "no-source"}]


def test_labels_with_slashes_and_unicode_get_safe_iris(write, store):
    body = ("> x\n\n**AXIAL CODING TRACE:**\n```python\npub_sub = CClass(pattern, 'Pub/Sub')\n"
            "café = CClass(force, 'Ünïcode')\n```\n")
    load([write("s_1.md", note(1, body))], store=store)
    rows = select(store, "SELECT ?c ?l WHERE { ?c a gt:Code ; rdfs:label ?l } ORDER BY ?l")
    assert [r["l"] for r in rows] == ["Pub/Sub", "Ünïcode"]
    assert rows[1]["c"].endswith("/code/caf%C3%A9")


def test_seed_s33(seed, store):
    load([seed], store=store)
    source = select(store, "SELECT ?title ?url ?tiny ?archive ?type ?author ?ex ?code WHERE { ?s dcterms:identifier"
                           " 's33' ; dcterms:title ?title ; gt:url ?url ; gt:tinyUrl ?tiny ; gt:archiveUrl ?archive ;"
                           " gt:sourceType ?type ; gt:authorType ?author ; gt:example ?ex ; gt:sourceCode ?code }")
    assert source == [{"title": "Data as a Product: Make It Real with Event-Driven, Serverless Data Pipelines",
                       "url": "https://www.fst.network/post/data-product",
                       "tiny": "https://tinyurl.com/data-as-a-product-s33",
                       "archive": "https://bit.ly/data-as-a-product-s33",
                       "type": "Practitioner Audience Article", "author": "Practitioner", "ex": True,
                       "code": False}]
    codes = {r["v"] for r in select(store, "SELECT ?v WHERE { ?s dcterms:identifier 's33' ; gt:containsCode ?c "
                                           "BIND(STRAFTER(STR(?c), 'code/') AS ?v) }")}
    assert {"rest_apis", "containerisation", "triggering", "event_streaming", "time_to_market",
            "internal_storages", "quality_monitoring", "infrastructure_as_code", "on_demand"} <= codes
    assert select(store, "SELECT ?l WHERE { ?c gt:variable 'on_demand' ; a gt:Force ; rdfs:label ?l }") == \
        [{"l": "On-Demand"}]
    impacts = select(store, "SELECT ?f ?n WHERE { ?i a gt:ForceImpact ; gt:option ?o ; gt:force ?fc ; "
                            "gt:impact/<http://www.w3.org/2004/02/skos/core#notation> ?n "
                            "FILTER(STRENDS(STR(?o), '/triggering')) BIND(STRAFTER(STR(?fc), 'code/') AS ?f) } "
                            "ORDER BY ?f")
    assert impacts == [{"f": "on_demand", "n": "+"}, {"f": "time_to_market", "n": "+"}]
    for code in codes:
        rows = select(store, f"SELECT ?text ?line WHERE {{ <https://w3id.org/gtkg/data/study/code/{code}> "
                             "gt:evidence ?e . ?e gt:line ?line ; gt:source/dcterms:identifier 's33' ; "
                             "oa:hasSelector/oa:exact ?text }")
        assert rows and all(r["text"] and r["line"] > 0 for r in rows), code


def test_whole_corpus_loads(corpus, store):
    summary = load([corpus], store=store)
    assert summary.files == 44 and summary.sources == 43
    assert summary.excerpts > 400 and summary.codes > 100


# ---------------------------------------------------------------------------------------------- code lists

CODE_LIST = "> quote\n\n**AXIAL CODING TRACE:**\n\nadd codes to s1:\n"  # a fence follows, from line 24


def listed(body: str) -> tuple[list, list]:
    """The (name, line) pairs the notes give source s1, and the diagnostics as (problem, line, message)."""
    parsed = notes.parse(note(1, CODE_LIST + body), "s_1.md")
    names = [pair for trace in parsed.traces for fence in trace.fences for pair in fence.fragment.named().items()]
    return names, [(d.problem, d.line, d.message) for d in parsed.diagnostics]


def test_the_template_code_list_gives_every_name_its_line():
    names, diagnostics = listed("``` python\n    '''\n        rest_apis,\n        decision_support_model,\n"
                                "        sql_layer\n    '''\n# already added:\n```\n")
    assert names == [("rest_apis", 26), ("decision_support_model", 27), ("sql_layer", 28)]
    assert diagnostics == []


def test_names_of_a_broken_code_list_are_recovered_and_the_diagnostic_says_which():
    names, diagnostics = listed("``` python\n    '''\n        rest_apis,\n        sql_layer\n```\n")  # no closing '''
    assert names == [("rest_apis", 26), ("sql_layer", 27)]
    [(problem, line, message)] = diagnostics
    assert (problem, line) == ("recovered-code-list", 25)
    assert "rest_apis, sql_layer" in message


def test_a_name_with_spaces_in_a_code_list_is_reported_with_the_name_it_probably_is():
    names, diagnostics = listed("``` python\n    '''\n    rest_apis,\n    data catalog\n    '''\n```\n")
    assert names == [("rest_apis", 26)]
    [(problem, line, message)] = diagnostics
    assert (problem, line) == ("name-with-spaces", 27)
    assert "'data catalog'" in message and "data_catalog" in message


def test_a_bare_name_with_spaces_is_reported_with_the_name_it_probably_is():
    names, diagnostics = listed("``` python\n    in_place consumption\n    data_movement\n```\n")
    assert names == [("data_movement", 26)]
    [(problem, line, message)] = diagnostics
    assert (problem, line) == ("name-with-spaces", 25) and "in_place_consumption" in message


def test_each_listed_code_is_a_containment_of_the_source_at_its_own_line(write, store):
    fence = "``` python\n    '''\n        rest_apis,\n        sql_layer\n    '''\n# already added:\n```\n"
    load([write("s_1.md", note(1, CODE_LIST + fence))], store=store)
    rows = select(store, "SELECT ?code ?line WHERE { ?l a gt:Containment ; gt:source ?s ; gt:code ?c ; gt:line ?line"
                         " . ?s dcterms:identifier 's1' BIND(STRAFTER(STR(?c), 'code/') AS ?code) } ORDER BY ?line")
    assert rows == [{"code": "rest_apis", "line": 26}, {"code": "sql_layer", "line": 27}]
