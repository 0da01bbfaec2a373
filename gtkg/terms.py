"""Deterministic IRIs for study data and a small N-Quads writer (no rdflib on the load path).

>>> m = Minter("https://example.org/", "data mesh")
>>> m.code("rest_apis")
'https://example.org/data%20mesh/code/rest_apis'
>>> m.code("Pub/Sub")
'https://example.org/data%20mesh/code/Pub%2FSub'
>>> nt_term("say \\"hi\\"\\n")
'"say \\\\"hi\\\\"\\\\n"'
>>> nt_term(True)
'"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
"""

from urllib.parse import quote

from gtkg.ontology import IRI, XSD

DEFAULT_BASE = "https://w3id.org/gtkg/data/"
DEFAULT_STUDY = "study"


def segment(text: str) -> str:
    """Percent-encode one IRI path segment so that any label or path is safe."""
    return quote(text, safe="")


class Minter:
    """Mints the IRIs of one study under a base IRI; the same input always gives the same IRIs."""

    def __init__(self, base: str = DEFAULT_BASE, study: str = DEFAULT_STUDY):
        if not base.endswith(("/", "#")):
            base += "/"
        self.root = f"{base}{segment(study)}/"
        self._codes: dict[str, IRI] = {}

    def code(self, variable: str) -> IRI:
        iri = self._codes.get(variable)
        if iri is None:
            iri = self._codes[variable] = IRI(f"{self.root}code/{segment(variable)}")
        return iri

    def source(self, source_id: str) -> IRI:
        return IRI(f"{self.root}source/{segment(source_id)}")

    def reference(self, label: str) -> IRI:
        return IRI(f"{self.root}reference/{segment(label)}")

    def file(self, key: str) -> IRI:
        """The file node, which is also the IRI of the file's named graph."""
        return IRI(self.root + "file/" + "/".join(segment(part) for part in key.split("/")))


_BOOLEAN = f"^^<{XSD}boolean>"
_INTEGER = f"^^<{XSD}integer>"


def nt_term(term) -> str:
    """Serialize an IRI, str (plain literal), bool or int as an N-Triples term."""
    if isinstance(term, IRI):
        return f"<{term}>"
    if isinstance(term, bool):
        return f'"{"true" if term else "false"}"{_BOOLEAN}'
    if isinstance(term, int):
        return f'"{term}"{_INTEGER}'
    if isinstance(term, str):
        if "\\" in term or '"' in term or "\n" in term or "\r" in term:
            term = term.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        return f'"{term}"'
    raise TypeError(f"cannot write {term!r} as an RDF term")


class QuadWriter:
    """Collects the quads of one named graph as N-Quads lines."""

    def __init__(self, graph: IRI):
        self.graph = graph
        self._suffix = f" <{graph}> ."
        self.lines: list[str] = []

    def add(self, subject: IRI, predicate: IRI, obj) -> None:
        if obj is None or obj == "":
            return
        if obj.__class__ is IRI:  # the common case, written without a call
            self.lines.append(f"<{subject}> <{predicate}> <{obj}>{self._suffix}")
        else:
            self.lines.append(f"<{subject}> <{predicate}> {nt_term(obj)}{self._suffix}")
