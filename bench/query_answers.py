"""Every stored query's answers on some studies, to check that reshaping the queries changed no answer.

    PYTHONPATH=/tmp/base python bench/query_answers.py --out before.json STUDY...   # gtkg of another worktree
    python bench/query_answers.py --out after.json STUDY...
    python bench/query_answers.py --compare before.json after.json

Each STUDY (a folder or file, or several joined by '+') is loaded into a store of its own; then every stored
query runs with its default parameters, each scope, and each representative value of each other parameter (with
each scope too), and the shaped table (columns and rows, in gtkg's order) is written. `--edge` adds a study made
here of awkward inputs: notes and model disagreeing on labels and kinds, an RDF file with labels that are
language-tagged, numbers or several per code, and a TriG export loaded back.
"""

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SCOPES = ("auto", "model", "notes", "all")

EDGE_NOTES = """# s
7
## title
Edge Cases
# coding

> Quoted.

**AXIAL CODING TRACE:**

add codes to s7:
``` python
    '''
        cost, data_lake, unlabelled_code
    '''
    cost = CClass(practice, "Cost, as the notes call it")
    data_lake = CClass(force, "A Lake")
    add_force_relations({data_lake: {cost: negative}})
```
"""
EDGE_TTL = """@prefix gt: <https://w3id.org/gtkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix code: <https://w3id.org/gtkg/data/study/code/> .
@prefix src: <https://w3id.org/gtkg/data/study/source/> .
code:cost rdfs:label "Cost"@en, "AAA cost" .
code:latency a gt:Force ; rdfs:label 42 .
code:rdf_only a gt:Force ; rdfs:label "Only in RDF", "Also in RDF" ; gt:variable "rdf_only" .
code:caching rdfs:label "caching"@de .
src:s1 gt:containsCode code:rdf_only, code:cost .
"""


def edge_study(folder: Path) -> list[Path]:
    """The query fixture study plus awkward inputs; returns the paths to load."""
    from gtkg.exporting import export
    from gtkg.loading import load

    (folder / "edge").mkdir(parents=True)
    (folder / "edge" / "s_7.md").write_text(EDGE_NOTES, encoding="utf-8")
    (folder / "edge" / "edge.ttl").write_text(EDGE_TTL, encoding="utf-8")
    load([FIXTURES / "models" / "study"], store=str(folder / "export-store"))
    (folder / "edge" / "export.trig").write_bytes(export(format="trig", store=str(folder / "export-store")))
    return [FIXTURES / "queries", folder / "edge"]


def samples(backend) -> dict:
    """Representative values of each parameter type, read from the study."""
    ids = sorted(str(r[0]) for r in backend.query(
        "SELECT DISTINCT ?id WHERE { ?s a <https://w3id.org/gtkg/ontology#Source> ; "
        "<http://purl.org/dc/terms/identifier> ?id }").rows)
    codes = sorted(str(r[0]) for r in backend.query(
        "SELECT DISTINCT ?v WHERE { ?c a <https://w3id.org/gtkg/ontology#Code> ; "
        "<https://w3id.org/gtkg/ontology#variable> ?v }").rows)
    forces = sorted(str(r[0]) for r in backend.query(
        "SELECT DISTINCT ?v WHERE { ?c a <https://w3id.org/gtkg/ontology#Force> ; "
        "<https://w3id.org/gtkg/ontology#variable> ?v }").rows)
    pick = lambda values: sorted({values[0], values[len(values) // 2], values[-1]}) if values else []  # noqa: E731
    return {"source": pick(ids), "code": sorted(set(pick(codes) + pick(forces))), "force": pick(forces),
            "polarity": ["++", "+", "o", "+/-", "-", "--"], "integer": ["1", "2", "3"], "string": ["x"],
            "iri": ["https://w3id.org/gtkg/ontology"], "kind": ["force", "practice"]}


def parameter_sets(query, values: dict) -> list[dict]:
    """Defaults; each scope; each value of each other parameter, with each scope when the query has one."""
    scopes = [{}] + [{"scope": s} for s in SCOPES] if any(p.name == "scope" for p in query.params) else [{}]
    sets = list(scopes)
    for param in query.params:
        if param.name == "scope":
            continue
        for value, scope in itertools.product(param.values or values[param.kind or param.type], scopes):
            sets.append({**scope, param.name: value})
    return sets


def answers(paths: list[Path], store: str) -> dict:
    from gtkg.loading import load
    from gtkg.queries import catalogue, run_query
    from gtkg.store import open_store

    load(paths, store=store)
    backend = open_store(store, read_only=True)
    try:
        values, out = samples(backend), {}
        for name, query in catalogue().items():
            for params in parameter_sets(query, values):
                table = run_query(name, params, store=backend)
                out[f"{name} {json.dumps(params, sort_keys=True)}"] = [table.columns, table.rows]
        return out
    finally:
        backend.close()


def compare(before: dict, after: dict) -> int:
    differ = 0
    for study in sorted(set(before) | set(after)):
        old, new = before.get(study, {}), after.get(study, {})
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                differ += 1
                print(f"DIFFERS {study}: {key}")
                for label, table in (("before", old.get(key)), ("after", new.get(key))):
                    print(f"  {label}: {json.dumps(table)[:600]}")
        tables = len(set(old) & set(new))
        rows = sum(len(table[1]) for table in old.values())
        print(f"{study}: {tables} tables compared ({rows} rows before, "
              f"{sum(len(t[1]) for t in new.values())} after)")
    print("identical" if not differ else f"{differ} tables differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("studies", nargs="*", help="folders or files to load, several joined by '+'")
    parser.add_argument("--edge", action="store_true", help="add the study of awkward inputs")
    parser.add_argument("--out", help="write the answers here (JSON)")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in args.compare)
        return compare(before, after)
    import gtkg

    print(f"gtkg from {Path(gtkg.__file__).parent}", file=sys.stderr)
    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        studies = {study: [Path(p) for p in study.split("+")] for study in args.studies}
        if args.edge:
            studies["edge"] = edge_study(Path(tmp))
        for number, (study, paths) in enumerate(studies.items()):
            result[study] = answers(paths, str(Path(tmp) / f"store{number}"))
            print(f"{study}: {len(result[study])} tables", file=sys.stderr)
    Path(args.out).write_text(json.dumps(result, indent=0, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
