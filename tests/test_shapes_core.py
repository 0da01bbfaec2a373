"""SHACL Core on any data (an RDF file and a study's shapes), as the W3C test suite checks it: one test per
defect the suite found, each on a few triples written here."""

from collections import Counter

import pytest
from helpers import PREFIXES, XSD_LITERALS
from rdflib import Namespace

from gtkg.errors import ShapeError
from gtkg.loading import load
from gtkg.shapes import validate
from gtkg.shapes.rdflib_bridge import to_oxigraph
from gtkg.store import MEMORY
from gtkg.store.embedded import EmbeddedStore

SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture
def check(tmp_path):
    """check(data, shapes) -> the report's results as a Counter of (focus, value, component) in N3 (compact).

    The data is loaded into a store in memory (as `gtkg build` does); the W3C suite uses store folders."""

    def run(data: str, shapes: str, report: bool = False):
        (tmp_path / "data.ttl").write_text(PREFIXES + data, encoding="utf-8")
        (tmp_path / "shapes.ttl").write_text(PREFIXES + shapes, encoding="utf-8")
        store = EmbeddedStore(MEMORY)
        load([tmp_path / "data.ttl"], store=store)
        validation = validate(store=store, shapes=[tmp_path / "shapes.ttl"])
        return validation if report else results(validation.graph)

    return run


def results(graph) -> Counter:
    return Counter((n3(graph.value(r, SH.focusNode)), n3(graph.value(r, SH.value)),
                    n3(graph.value(r, SH.sourceConstraintComponent)).removesuffix("ConstraintComponent"))
                   for r in graph.objects(None, SH.result))


def n3(term) -> str | None:
    """ex:a, "1"^^xsd:integer, Class: short enough to write in an assert (N-Triples, as written)."""
    if term is None:
        return None
    text = str(to_oxigraph(term))
    for namespace, prefix in (("http://example.org/", "ex:"), (str(SH), ""),
                              ("http://www.w3.org/2001/XMLSchema#", "xsd:")):
        text = text.replace(f"<{namespace}", prefix).replace(">", "") if namespace in text else text
    return text


# ---------------------------------------------------------------------------------------------- shapes files

def test_any_iri_may_be_a_severity(check):
    report = check("ex:a ex:p 1 .", "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:severity ex:Fatal ; "
                                    "sh:datatype xsd:string ] .", report=True)
    assert results(report.graph) == Counter({("ex:a", '"1"^^xsd:integer', "Datatype"): 1})
    [finding] = report.findings
    assert finding.severity == "violation"  # a custom severity counts as a violation
    assert str(next(report.graph.objects(None, SH.resultSeverity))) == "http://example.org/Fatal"


def test_a_shapes_file_may_hold_a_validation_report(check):
    shapes = ("ex:S sh:targetNode ex:a ; sh:class ex:C .\n"
              "[] a sh:ValidationReport ; sh:conforms false ; sh:result [ a sh:ValidationResult ; sh:focusNode ex:a ;"
              " sh:value ex:a ; sh:resultSeverity sh:Violation ; sh:sourceShape ex:S ;"
              " sh:sourceConstraintComponent sh:ClassConstraintComponent ; sh:resultMessage \"not a C\" ] .")
    assert check("ex:a ex:p 1 .", shapes) == Counter({("ex:a", "ex:a", "Class"): 1})


def test_shapes_may_name_an_unsupported_feature_as_a_value(check):
    shapes = "ex:S sh:targetObjectsOf sh:shapesGraph ; sh:nodeKind sh:IRI ."
    assert check("ex:a sh:shapesGraph \"g\" .", shapes) == Counter({('"g"', '"g"', "NodeKind"): 1})


def test_a_shapes_graph_import_is_still_refused(check):
    with pytest.raises(ShapeError, match="sh:shapesGraph imports"):
        check("ex:a ex:p 1 .", "ex:S sh:targetNode ex:a ; sh:class ex:C .\n<> sh:shapesGraph <other.ttl> .")


# ---------------------------------------------------------------------------------------------- constraints

def test_equals_and_disjoint_on_a_node_shape_compare_the_focus_node_itself(check):
    data = "ex:a ex:p ex:a .\nex:b ex:p ex:a , ex:b .\nex:c ex:q 1 ."
    shapes = ("ex:E sh:targetNode ex:a , ex:b , ex:c ; sh:equals ex:p .\n"
              "ex:D sh:targetNode ex:a , ex:b , ex:c ; sh:disjoint ex:p .")
    assert check(data, shapes) == Counter({
        ("ex:b", "ex:a", "Equals"): 1, ("ex:c", "ex:c", "Equals"): 1,
        ("ex:a", "ex:a", "Disjoint"): 1, ("ex:b", "ex:b", "Disjoint"): 1})


def test_each_class_of_a_shape_gives_its_own_result(check):
    found = check("ex:a ex:p 1 .", "ex:S sh:targetNode ex:a ; sh:class ex:C , ex:D .")
    assert found == Counter({("ex:a", "ex:a", "Class"): 2})


def test_less_than_gives_one_result_per_pair_of_values(check):
    data = "ex:a ex:start 5 ; ex:end 3 , 4 , 6 ."
    shapes = "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:start ; sh:lessThan ex:end ] ."
    assert check(data, shapes) == Counter({("ex:a", '"5"^^xsd:integer', "LessThan"): 2})


def test_unique_lang_gives_one_result_per_repeated_language(check):
    data = 'ex:a ex:label "a"@en , "b"@EN , "c"@de , "d"@de , "e"@fr , "f" , "g" .'
    shapes = "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:label ; sh:uniqueLang true ] ."
    assert check(data, shapes) == Counter({("ex:a", None, "UniqueLang"): 2})


def test_boolean_parameters_are_on_only_when_true(check):
    data = 'ex:a ex:label "a"@en , "b"@en .'
    shapes = ('ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:label ; sh:uniqueLang "1"^^xsd:boolean ] .\n'
              'ex:T sh:targetNode ex:a ; sh:closed "1"^^xsd:boolean .')
    assert check(data, shapes) == Counter()


# ---------------------------------------------------------------------------------------------- literals


@pytest.mark.parametrize("datatype, good, bad", XSD_LITERALS)
def test_datatype_takes_the_literals_as_written_and_refuses_ill_formed_ones(check, datatype, good, bad):
    data = f'ex:good ex:p "{good}"^^xsd:{datatype} .' + (f'\nex:bad ex:p "{bad}"^^xsd:{datatype} .' if bad else "")
    found = check(data, f"ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:datatype xsd:{datatype} ] .")
    assert found == (Counter({("ex:bad", f'"{bad}"^^xsd:{datatype}', "Datatype"): 1}) if bad else Counter())


def test_an_integer_subtype_is_not_xsd_integer(check):
    data = 'ex:a ex:p "5"^^xsd:int , "6"^^xsd:integer .'
    shapes = "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ] ."
    assert check(data, shapes) == Counter({("ex:a", '"5"^^xsd:int', "Datatype"): 1})


def test_literals_are_checked_as_written_at_a_remote_endpoint_too(backend, tmp_path):
    (tmp_path / "data.ttl").write_text(PREFIXES + 'ex:a ex:p "5"^^xsd:int , "06"^^xsd:integer .', encoding="utf-8")
    (tmp_path / "shapes.ttl").write_text(PREFIXES + "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; "
                                         "sh:datatype xsd:integer ] .", encoding="utf-8")
    load([tmp_path / "data.ttl"], **backend)
    report = validate(shapes=[tmp_path / "shapes.ttl"], **backend)
    assert results(report.graph) == Counter({("ex:a", '"5"^^xsd:int', "Datatype"): 1})


def test_literals_of_blank_nodes_are_checked_as_written(check):
    data = 'ex:a ex:q [ ex:p "5"^^xsd:int ] , [ ex:p "6"^^xsd:integer ] .'
    shapes = "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ] ."
    [(focus, value, component)] = check(data, shapes)
    assert focus.startswith("_:") and (value, component) == ('"5"^^xsd:int', "Datatype")


def test_results_name_the_literals_of_the_shapes_as_written(check):
    found = check("ex:a ex:p 1 .", "ex:S sh:targetNode 4.0 , 3.50 , 5 ; sh:minExclusive 4 .")
    assert found == Counter({('"4.0"^^xsd:decimal', '"4.0"^^xsd:decimal', "MinExclusive"): 1,
                             ('"3.50"^^xsd:decimal', '"3.50"^^xsd:decimal', "MinExclusive"): 1})


def test_ill_typed_literals_are_reported_quietly(check, caplog, recwarn):
    check('ex:a ex:p "c"^^xsd:byte , "none"^^xsd:boolean .',
          "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:or ( [ sh:datatype xsd:byte ] "
          "[ sh:datatype xsd:boolean ] ) ] .")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("rdflib")] == []
    assert [str(w.message) for w in recwarn] == []
