"""Export is deterministic and round-trips."""

import rdflib
from rdflib.compare import isomorphic

from gtkg.exporting import export
from gtkg.loading import load


def _sorted_ntriples(store) -> bytes:
    return b"\n".join(sorted(export(store=store, format="ntriples").splitlines()))


def test_two_loads_give_identical_sorted_ntriples(tmp_path):
    from helpers import EXAMPLES

    first, second = str(tmp_path / "a"), str(tmp_path / "b")
    load([EXAMPLES], store=first)
    load([EXAMPLES], store=second)
    assert _sorted_ntriples(first) == _sorted_ntriples(second)
    assert export(store=first) == export(store=second)


def test_turtle_export_reimports_isomorphic(tmp_path):
    from helpers import EXAMPLES

    store = str(tmp_path / "s")
    load([EXAMPLES], store=store)
    turtle = export(store=store)
    path = tmp_path / "export.ttl"
    path.write_bytes(turtle)
    again = str(tmp_path / "again")
    load([path], store=again)
    original = rdflib.Graph().parse(data=turtle, format="turtle")
    reloaded = rdflib.Graph().parse(data=export(store=again), format="turtle")
    assert len(original) > 500 and isomorphic(original, reloaded)


def test_trig_export_keeps_file_graphs(tmp_path):
    from helpers import EXAMPLES

    store = str(tmp_path / "s")
    load([EXAMPLES], store=store)
    path = tmp_path / "export.trig"
    path.write_bytes(export(store=store, format="trig"))
    again = str(tmp_path / "again")
    load([path], store=again)
    assert export(store=again, format="nquads") == export(store=store, format="nquads")


def test_corpus_round_trip(corpus, tmp_path):
    store = str(tmp_path / "s")
    load([corpus], store=store)
    turtle = export(store=store)
    again = str(tmp_path / "again")
    (tmp_path / "c.ttl").write_bytes(turtle)
    load([tmp_path / "c.ttl"], store=again)
    assert isomorphic(rdflib.Graph().parse(data=turtle, format="turtle"),
                      rdflib.Graph().parse(data=export(store=again), format="turtle"))


def test_blank_nodes_get_canonical_labels_whatever_the_load(tmp_path):
    data = tmp_path / "extra.ttl"
    data.write_text('@prefix ex: <urn:x:> .\nex:a ex:p [ ex:q "one" ; ex:r [ ex:q "two" ] ] .\n'
                    'ex:b ex:p [ ex:q "three" ] .\n')
    shuffled = tmp_path / "shuffled" / "extra.ttl"
    shuffled.parent.mkdir()
    shuffled.write_text('@prefix ex: <urn:x:> .\nex:b ex:p [ ex:q "three" ] .\n'
                        'ex:a ex:p [ ex:r [ ex:q "two" ] ; ex:q "one" ] .\n')
    first, second = str(tmp_path / "a"), str(tmp_path / "b")
    load([data], store=first)
    load([shuffled], store=second)
    for fmt in ("turtle", "ntriples", "nquads", "trig"):
        assert export(store=first, format=fmt) == export(store=second, format=fmt), fmt
    assert b"_:c14n" in export(store=first, format="ntriples")
