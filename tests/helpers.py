"""Helpers shared by the tests (paths of the examples and shared notes, SPARQL shortcuts)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = ROOT / "examples" / "data-mesh"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "s_33.md"
CORPUS = SHARED / "corpus" / "self-serve-platform"


def select(store, query: str) -> list[dict]:
    """Rows of a SELECT over the union of all graphs (prefixes gt, rdfs, dcterms, oa predeclared)."""
    from gtkg.exporting import sparql

    prefixes = (
        "PREFIX gt: <https://w3id.org/gtkg/ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "PREFIX oa: <http://www.w3.org/ns/oa#>\n"
        "PREFIX sh: <http://www.w3.org/ns/shacl#>\n"
    )
    return sparql(prefixes + query, store=store).dicts()
