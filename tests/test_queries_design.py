"""The stored queries the paper outputs join by variable: codes and decision-options."""

from gtkg.queries import run_query


def test_codes_lists_declared_codes_in_declaration_order_with_kind_and_sources(queries_store):
    assert run_query("codes", store=queries_store).rows == [
        ["storage_decision", "How to Store Data?", "decision", ["s1", "s10"]],
        ["serving_decision", "How to Serve Data?", "decision", ["s2"]],
        ["naming_decision", "How to Name Things?", "decision", []],
        ["data_lake", "Data Lake", "pattern", ["s1", "s10"]],
        ["warehouse", "Data Warehouse", "practice", ["s1"]],
        ["rest_api", "REST API", "pattern", ["s2"]],
        ["caching", "Caching", "practice", ["p1"]],
        ["cost", "Cost", "force", ["s1", "s2", "s10"]],
        ["latency", "Latency", "force", ["s2", "s10", "p1"]],
        ["flexibility", "Flexibility", "force", []],
    ]


def test_codes_in_the_notes_scope(queries_store):
    assert run_query("codes", {"scope": "notes"}, store=queries_store).rows == [
        ["flexibility", "Flexibility", "force", ["s1"]]]


def test_decision_options_keys_the_links_by_variable_in_link_order(queries_store):
    assert run_query("decision-options", store=queries_store).rows == [
        ["storage_decision", "data_lake", "Store raw data in a lake"],
        ["storage_decision", "warehouse", "Model data in a warehouse"],
        ["serving_decision", "rest_api", "Serve through an API"],
    ]
