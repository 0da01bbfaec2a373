"""The default graph holds each statement of the named graphs once (their RDF merge); the named graphs keep
provenance. Every way of writing the store keeps it so."""

import json
import threading

import pyoxigraph as ox
import pytest

from gtkg.exporting import export, sparql
from gtkg.loading import load, remove
from gtkg.store import open_store

P = "<urn:x:p>"
A = f'<urn:x:s> {P} "shared" .\n<urn:x:s> {P} "only in a" .\n[] {P} "blank" .\n'
B = f'<urn:x:s> {P} "shared" .\n'


def values(store) -> list[str]:
    """The objects of <urn:x:p> in the default graph, as many times as it holds them."""
    return sorted(row[0] for row in sparql(f"SELECT ?o WHERE {{ ?s {P} ?o }}", store=store).rows)


def holders(store, value: str) -> int:
    return len(sparql(f'SELECT ?g WHERE {{ GRAPH ?g {{ ?s {P} "{value}" }} }}', store=store).rows)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "in").mkdir()
    a, b = tmp_path / "in" / "a.ttl", tmp_path / "in" / "b.ttl"
    a.write_text(A)
    b.write_text(B)
    return a, b


@pytest.fixture(params=["folder", "memory"])
def target(request, tmp_path):
    """A store to load into again and again: on disk (reopened by each call) or in memory (one open store)."""
    if request.param == "folder":
        yield str(tmp_path / "store")
        return
    opened = open_store(":memory:")
    yield opened
    opened.close()


def test_a_statement_of_two_files_is_in_the_default_graph_once_and_in_both_graphs(target, files):
    load(list(files), store=target)
    assert values(target) == ["blank", "only in a", "shared"]
    assert holders(target, "shared") == 2  # provenance: GRAPH ?g sees each file's graph


def test_reloading_a_file_keeps_what_another_file_states_and_drops_what_only_it_stated(target, files):
    a, b = files
    load(list(files), store=target)
    a.write_text(f'<urn:x:s> {P} "new in a" .\n')
    load([a], store=target)  # replaces a's graph only: b's statement stays, a's own go
    assert values(target) == ["new in a", "shared"]
    a.write_text(A)
    load([a], store=target)
    assert values(target) == ["blank", "only in a", "shared"]
    b.write_text(f'<urn:x:s> {P} "in b" .\n')
    load([b], store=target)
    assert values(target) == ["blank", "in b", "only in a", "shared"]  # a still states "shared"


def test_adding_and_removing_files_keeps_the_merge(target, files, tmp_path):
    a, b = files
    load([a], store=target)
    load([b], store=target)  # a new graph, nothing replaced
    assert values(target) == ["blank", "only in a", "shared"]
    remove([a], store=target)
    assert values(target) == ["shared"]
    remove([b], store=target)
    assert values(target) == []


def test_a_blank_node_is_one_node_in_its_graph_and_in_the_merge(target, files):
    a, b = files
    ask = f'ASK {{ ?b {P} "blank" . FILTER isBlank(?b) GRAPH ?g {{ ?b {P} "blank" }} }}'
    load([a], store=target)  # a bulk load
    assert sparql(ask, store=target) is True
    load([b], store=target)  # a load of a new graph
    b.write_text(f'[] {P} "blank in b" .\n')
    load([b], store=target)  # an update
    assert sparql(ask, store=target) is True
    assert sparql(ask.replace('"blank"', '"blank in b"'), store=target) is True


def test_the_merge_is_never_exported_nor_counted_as_a_graph(tmp_path, files):
    store = str(tmp_path / "store")
    summary = load(list(files), store=store)
    for form, syntax in (("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
        quads = list(ox.parse(export(store=store, format=form), format=syntax))
        assert not any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
        assert len(quads) == summary.triples and sum(q.object.value == "shared" for q in quads) == 2
    opened = open_store(store, read_only=True)
    try:
        assert sum(1 for _ in opened.quads()) == summary.triples
        assert len(opened.graphs()) == 3 and None not in opened.dump()  # a.ttl, b.ttl, gtkg's ontology
    finally:
        opened.close()


def forget_the_merge(store) -> None:
    """Make the store look as an older gtkg left it: format 1, nothing in the default graph."""
    marker = json.loads((store / "gtkg-store.json").read_text())
    db = ox.Store(str(store / marker["data"]))
    db.update("CLEAR DEFAULT")
    db.flush()
    del db
    marker["gtkg-store"] = 1
    (store / "gtkg-store.json").write_text(json.dumps(marker))


def test_a_store_of_an_older_gtkg_is_read_as_the_union_until_a_load_adds_the_merge(tmp_path, files):
    from gtkg.shapes import validate

    a, b = files
    store = tmp_path / "store"
    load([a, b], store=str(store))
    before = validate(store=str(store)).text()
    forget_the_merge(store)
    assert values(str(store)) == ["blank", "only in a", "shared", "shared"]  # as before: the union of the graphs
    assert validate(store=str(store)).text() == before
    c = tmp_path / "in" / "c.ttl"
    c.write_text(f'<urn:x:s> {P} "in c" .\n')
    load([c], store=str(store))  # writes into the old store: the merge is added in the same update
    assert values(str(store)) == ["blank", "in c", "only in a", "shared"]
    assert json.loads((store / "gtkg-store.json").read_text())["gtkg-store"] == 2
    assert validate(store=str(store)).text() == before


def test_a_store_of_a_newer_format_is_refused_with_what_to_do(tmp_path, files):
    from gtkg.errors import StoreError

    store = tmp_path / "store"
    load(list(files), store=str(store))
    marker = json.loads((store / "gtkg-store.json").read_text())
    (store / "gtkg-store.json").write_text(json.dumps({**marker, "gtkg-store": 3}))
    with pytest.raises(StoreError, match="format 3, this gtkg reads formats 1, 2: use the gtkg that wrote it"):
        values(str(store))


def test_serve_answers_from_the_merge_and_graph_patterns_see_the_files(tmp_path, files):
    import urllib.parse
    import urllib.request

    from gtkg.store.serve import serve

    store = str(tmp_path / "store")
    load(list(files), store=store)
    server = serve(store=store, port=0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        def count(query: str) -> int:
            url = f"{server.url}?{urllib.parse.urlencode({'query': query})}"
            with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/csv"}),
                                        timeout=10) as response:
                return int(response.read().decode().split()[1])

        assert count(f'SELECT (COUNT(*) AS ?n) WHERE {{ ?s {P} "shared" }}') == 1
        assert count(f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s {P} "shared" }} }}') == 2
        files = sparql(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s {P} ?o }} }}', store=store).rows
        graphs = " ".join(f"FROM <{g}>" for (g,) in files)
        assert count(f'SELECT (COUNT(*) AS ?n) {graphs} WHERE {{ ?s {P} "shared" }}') == 2  # as pyoxigraph does
    finally:
        server.shutdown()
        server.close()
        thread.join(5)
