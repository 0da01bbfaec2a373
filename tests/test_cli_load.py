"""`gtkg load`, `gtkg diagnostics`, `gtkg sparql` and `gtkg export` through the command line."""

import json

from click.testing import CliRunner
from helpers import EXAMPLES

from gtkg.cli import cli


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_load_prints_a_summary(store):
    result = invoke("load", "--store", store, EXAMPLES)
    assert result.exit_code == 0, result.output
    assert "Loaded 5 files: 3 sources" in result.stderr and "diagnostics" in result.stderr


def test_store_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GTKG_STORE", str(tmp_path / "env-store"))
    assert invoke("load", EXAMPLES / "notes" / "s_1.md").exit_code == 0
    assert (tmp_path / "env-store" / "gtkg-store.json").exists()


def test_reloading_a_file_replaces_exactly_its_graph(store, tmp_path):
    note = tmp_path / "s_9.md"
    note.write_text((EXAMPLES / "notes" / "s_1.md").read_text().replace("\n1\n", "\n9\n", 1))
    invoke("load", "--store", store, EXAMPLES)
    invoke("load", "--store", store, note)
    count = 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }'
    before = invoke("sparql", "--store", store, "-f", "json", count).output
    note.write_text(note.read_text().replace("Event-Driven", "Changed"))
    assert invoke("load", "--store", store, note).exit_code == 0
    after = invoke("sparql", "--store", store, "-f", "json", count).output
    assert before == after
    titles = invoke("sparql", "--store", store, "-f", "csv",
                    "SELECT ?t WHERE { ?s <http://purl.org/dc/terms/identifier> 's9' ; "
                    "<http://purl.org/dc/terms/title> ?t }").output
    assert "Changed Data Products" in titles and "Event-Driven" not in titles.split("\n", 2)[1]


def test_a_failed_load_leaves_the_store_as_it_was(store, tmp_path):
    invoke("load", "--store", store, EXAMPLES)
    before = invoke("export", "--store", store, "-f", "nquads").stdout_bytes
    bad = tmp_path / "broken.ttl"
    bad.write_text("<a:b> <a:c> .")
    result = invoke("load", "--store", store, EXAMPLES / "notes" / "s_2.md", bad)
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "broken.ttl" in result.stderr
    assert invoke("export", "--store", store, "-f", "nquads").stdout_bytes == before


def test_missing_path_is_a_usage_error(store):
    result = invoke("load", "--store", store, "no/such/folder")
    assert result.exit_code == 2


def test_second_writer_gets_store_is_busy(store):
    from gtkg.errors import StoreBusyError
    from gtkg.store import open_store

    invoke("load", "--store", store, EXAMPLES)
    holder = open_store(store)
    try:
        result = invoke("load", "--store", store, EXAMPLES)
        assert result.exit_code == 2 and "store is busy" in result.stderr
        try:
            open_store(store)
        except StoreBusyError as exc:
            assert str(store) in str(exc)
    finally:
        holder.close()


def test_reading_a_store_that_does_not_exist(tmp_path):
    result = invoke("export", "--store", tmp_path / "nothing")
    assert result.exit_code == 2 and "gtkg load" in result.stderr


def test_diagnostics_lists_file_and_line(store):
    invoke("load", "--store", store, EXAMPLES)
    result = invoke("diagnostics", "--store", store, "-f", "json")
    rows = json.loads(result.output)
    unreadable = [r for r in rows if r["problem"] == "unreadable-snippet"]
    assert unreadable and unreadable[0]["file"] == "s_2.md" and unreadable[0]["line"] > 0
    assert "add_force_relations" in unreadable[0]["text"]
    warnings = json.loads(invoke("diagnostics", "--store", store, "--severity", "info", "-f", "json").output)
    assert all(r["severity"] == "info" for r in warnings)


def test_sparql_ask_select_construct(store):
    invoke("load", "--store", store, EXAMPLES)
    assert invoke("sparql", "--store", store, "ASK { ?s ?p ?o }").output == "true\n"
    table = invoke("sparql", "--store", store, "-f", "csv",
                   "SELECT ?id WHERE { ?s a <https://w3id.org/gtkg/ontology#Source> ; "
                   "<http://purl.org/dc/terms/identifier> ?id } GROUP BY ?id ORDER BY ?id").output
    assert table == "id\ns1\ns2\ns3\n"
    turtle = invoke("sparql", "--store", store, "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 1").output
    assert " a " in turtle or "rdf-syntax-ns#type" in turtle
    bad = invoke("sparql", "--store", store, "SELEC nothing")
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: SPARQL syntax error")


def test_export_to_file_in_every_format(store, tmp_path):
    invoke("load", "--store", store, EXAMPLES)
    for fmt in ("turtle", "ntriples", "nquads", "trig", "jsonld"):
        out = tmp_path / "out" / f"study.{fmt}"
        assert invoke("export", "--store", store, "-f", fmt, "-o", out).exit_code == 0
        assert out.stat().st_size > 1000


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        result = invoke(name, "--help")
        assert result.exit_code == 0, name
        assert "Example:" in result.output, f"{name} --help has no example"
        assert command.get_short_help_str(), name


def test_a_rebuild_that_fails_midway_leaves_the_store_as_it_was(store, monkeypatch):
    from gtkg.store.folder import StoreFolder

    invoke("load", "--store", store, EXAMPLES)
    before = invoke("export", "--store", store, "-f", "nquads").stdout_bytes

    def no_space(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(StoreFolder, "new_data", no_space)  # the folder a full reload bulk-loads into
    result = invoke("load", "--store", store, EXAMPLES)
    assert result.exit_code == 2 and "nothing was changed" in result.stderr
    assert invoke("export", "--store", store, "-f", "nquads").stdout_bytes == before


def test_a_full_reload_that_fails_on_a_late_file_leaves_the_store_as_it_was(store, tmp_path):
    invoke("load", "--store", store, EXAMPLES)
    before = invoke("export", "--store", store, "-f", "nquads").stdout_bytes
    bad = tmp_path / "zz-broken.ttl"  # sorted last: the other files have streamed into the new store by then
    bad.write_text("<a:b> <a:c> .")
    result = invoke("load", "--store", store, EXAMPLES, bad)
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "zz-broken.ttl" in result.stderr
    assert invoke("export", "--store", store, "-f", "nquads").stdout_bytes == before
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == ["data-1", "gtkg-store.json", "gtkg.lock"]


def test_a_failed_first_load_leaves_no_store_behind(store, tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("<a:b> <a:c> .")
    result = invoke("load", "--store", store, EXAMPLES, bad)
    assert result.exit_code == 2 and "broken.ttl" in result.stderr
    assert "gtkg load" in invoke("export", "--store", store).stderr


def test_streamed_and_transactional_loads_store_the_same_quads(store, tmp_path):
    from gtkg.loading import build_graphs, collect_files, load

    streamed = load([EXAMPLES], store=store)  # a fresh store: streamed into a bulk load
    graphs, built = build_graphs(collect_files([EXAMPLES]))
    assert streamed == built
    other = str(tmp_path / "other")
    extra = tmp_path / "extra.nt"
    extra.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    load([extra], store=other)
    load([EXAMPLES], store=other)  # another graph stays: one transaction instead
    lines = sorted(line for text in graphs.values() for line in text.splitlines())
    exported = invoke("export", "--store", store, "-f", "nquads").stdout.splitlines()
    assert sorted(exported) == lines
    exported_other = invoke("export", "--store", other, "-f", "nquads").stdout.splitlines()
    assert sorted(line for line in exported_other if "extra.nt" not in line) == lines
