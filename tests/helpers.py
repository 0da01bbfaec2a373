"""Helpers shared by the tests (paths of the examples and shared notes, SPARQL shortcuts)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = ROOT / "examples" / "data-mesh"
SHARED = Path(os.environ.get("GTKG_SHARED") or ROOT.parent / "shared")  # set it where the worktree is elsewhere
SEED = SHARED / "seed" / "s_33.md"
CORPUS = SHARED / "corpus" / "self-serve-platform"
W3C_SHACL = SHARED / "w3c-shacl-core"  # the W3C SHACL core test suite, unchanged

# Turtle prefixes of the small RDF files tests write
PREFIXES = ("@prefix ex: <http://example.org/> .\n@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")

# datatype, a literal of it as a file may write it (often not as the store holds it), an ill-formed one
XSD_LITERALS = [
    ("boolean", "1", "yes"), ("decimal", "4.0", "4e0"), ("float", "1.50", "1e"), ("double", "1e0", "1.5.5"),
    ("integer", "+04", "4.0"), ("long", "9223372036854775807", "9223372036854775808"), ("int", "05", "2147483648"),
    ("short", "-32768", "32768"), ("byte", "100", "300"), ("unsignedLong", "18446744073709551615", "-1"),
    ("unsignedInt", "4294967295", "4294967296"), ("unsignedShort", "65535", "65536"), ("unsignedByte", "255", "c"),
    ("positiveInteger", "+0001", "0"), ("nonNegativeInteger", "-0", "-1"), ("negativeInteger", "-05", "-0"),
    ("nonPositiveInteger", "+0", "1"), ("dateTime", "2020-02-29T10:00:00.000+00:00", "2021-02-29T00:00:00"),
    ("dateTimeStamp", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00"), ("date", "2020-02-29Z", "2020-02-30"),
    ("time", "10:00:00.0", "25:00:00"), ("gYear", "2020", "20"), ("gYearMonth", "2020-01", "2020-13"),
    ("gMonth", "--01", "--13"), ("gDay", "---31", "---32"), ("gMonthDay", "--02-29", "--02-30"),
    ("duration", "P1Y0M", "P1H"), ("yearMonthDuration", "P12M", "P1D"), ("dayTimeDuration", "PT60S", "P1Y"),
    ("hexBinary", "0a", "0"), ("base64Binary", "AA==", "AA="), ("anyURI", "x", None), ("string", "x", None),
    ("normalizedString", "a b", "a\\nb"), ("token", "a b", "a  b"), ("language", "en-US", "e n"),
    ("NMTOKEN", "1a", "a b"), ("Name", "_a", "1a"), ("NCName", "a", "a:b"),
]


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
