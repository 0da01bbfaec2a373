"""Deterministic IRIs for study data: the same input always gives the same IRIs, safe for any label.

>>> m = Minter("https://example.org/", "data mesh")
>>> m.code("rest_apis")
'https://example.org/data%20mesh/code/rest_apis'
>>> m.code("Pub/Sub")
'https://example.org/data%20mesh/code/Pub%2FSub'
"""

import re
from urllib.parse import quote

from gtkg.ontology import IRI

UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")  # what quote() never encodes: most variables are only these
DEFAULT_BASE = "https://w3id.org/gtkg/data/"
DEFAULT_STUDY = "study"


def segment(text: str) -> str:
    """Percent-encode one IRI path segment so that any label or path is safe."""
    return text if UNRESERVED.fullmatch(text) else quote(text, safe="")


class Minter:
    """Mints the IRIs of one study under a base IRI; the same input always gives the same IRIs."""

    def __init__(self, base: str = DEFAULT_BASE, study: str = DEFAULT_STUDY):
        if not base.endswith(("/", "#")):
            base += "/"
        self.root = f"{base}{segment(study)}/"
        # name -> IRI, per kind: a load names the same codes and sources thousands of times, and quoting is slow
        self._codes: dict[str, IRI] = {}
        self._sources: dict[str, IRI] = {}
        self._references: dict[str, IRI] = {}

    def code(self, variable: str) -> IRI:
        return self._codes.get(variable) or self._mint(self._codes, "code", variable)

    def source(self, source_id: str) -> IRI:
        return self._sources.get(source_id) or self._mint(self._sources, "source", source_id)

    def reference(self, label: str) -> IRI:
        return self._references.get(label) or self._mint(self._references, "reference", label)

    def _mint(self, minted: dict, kind: str, name: str) -> IRI:
        iri = minted[name] = IRI(f"{self.root}{kind}/{segment(name)}")
        return iri

    def file(self, key: str) -> IRI:
        """The file node, which is also the IRI of the file's named graph."""
        return IRI(self.root + "file/" + "/".join(segment(part) for part in key.split("/")))
