"""Names and places of the nodes in validation results, read from the store in a few batched queries.

A finding is reported where its check said (?file, ?line), else where its focus node was read (gt:file,
gt:line), else where its value node was read, else at the first declaration of its focus or value node.
"""

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from gtkg.ontology import GT, SPARQL_PREFIXES
from gtkg.shapes.rdflib_bridge import tail

# The two ends of each kind of link, for naming it "force impact triggering -> latency".
ENDS = {
    GT.Containment: (GT.source, GT.code),
    GT.Citation: (GT.source, GT.reference),
    GT.DecisionOption: (GT.decision, GT.option),
    GT.ForceImpact: (GT.option, GT.force),
    GT.Dependency: (GT["from"], GT.to),
    GT.NextDecisionLink: (GT["from"], GT.to),
    GT.ContextLink: (GT.decision, GT.context),
    GT.OtherLink: (GT["from"], GT.to),
}
ROLES = sorted({role for pair in ENDS.values() for role in pair} | {GT.about})


@dataclass
class Node:
    """What the store says about one node."""

    types: set = field(default_factory=set)
    name: str | None = None  # variable, identifier or path
    place: tuple | None = None  # (path, line, file IRI) where the node itself was read
    declared: tuple | None = None  # (path, line, file IRI) of its first declaration
    ends: dict = field(default_factory=dict)  # role -> node IRI


class Places:
    """Names, kinds and places of a set of nodes (IRIs as strings)."""

    def __init__(self, db: ox.Store, nodes: set[str]):
        self.db = db
        self.nodes: dict[str, Node] = {iri: Node() for iri in nodes}
        self.classes = self._classes()
        if nodes:
            self._read(sorted(nodes))
            ends = {e for n in self.nodes.values() for e in n.ends.values()} - set(self.nodes)
            for iri in ends:
                self.nodes[iri] = Node()
            if ends:
                self._read(sorted(ends), names_only=True)

    def _select(self, body: str, iris: list[str]):
        values = " ".join(f"<{iri}>" for iri in iris)
        return self.db.query(f"{SPARQL_PREFIXES}SELECT * WHERE {{ VALUES ?node {{ {values} }} {body} }}")

    def _read(self, iris: list[str], names_only: bool = False) -> None:
        for row in self._select("?node gt:variable|dcterms:identifier|gt:path ?name", iris):
            node = self.nodes[row["node"].value]
            node.name = min(node.name or row["name"].value, row["name"].value)
        for row in self._select("?node rdf:type ?type", iris):
            self.nodes[row["node"].value].types.add(row["type"].value)
        if names_only:
            return
        for row in self._select("?node gt:file ?file . ?file gt:path ?path OPTIONAL { ?node gt:line ?line }", iris):
            self._place(row, "place")
        for row in self._select("?d gt:declares ?node ; gt:file ?file . ?file gt:path ?path "
                                "OPTIONAL { ?d gt:line ?line }", iris):
            self._place(row, "declared")
        # one branch per role: a VALUES of predicates would make the store scan every triple
        ends = " UNION ".join(f"{{ ?node <{role}> ?end BIND(<{role}> AS ?role) }}" for role in ROLES)
        for row in self._select(f"{ends} FILTER(isIRI(?end))", iris):
            self.nodes[row["node"].value].ends.setdefault(row["role"].value, row["end"].value)

    def _place(self, row, attribute: str) -> None:
        line = row["line"]
        place = (row["path"].value, int(line.value) if line is not None else 0, row["file"].value)
        node = self.nodes[row["node"].value]
        if getattr(node, attribute) is None or place < getattr(node, attribute):
            setattr(node, attribute, place)

    def _classes(self) -> dict:
        """Class IRI -> (label, set of superclasses), from the ontology in the store."""
        classes: dict = {}
        query = (f"{SPARQL_PREFIXES}SELECT ?class ?label ?super WHERE {{ ?class rdfs:label ?label . "
                 f"FILTER(STRSTARTS(STR(?class), \"{GT}\")) OPTIONAL {{ ?class rdfs:subClassOf+ ?super }} }}")
        for row in self.db.query(query):
            entry = classes.setdefault(row["class"].value, (row["label"].value, set()))
            if row["super"] is not None:
                entry[1].add(row["super"].value)
        return classes

    # ------------------------------------------------------------------ answers

    def kind(self, iri: str) -> str:
        """The label of the node's most specific gtkg class, 'undeclared' for an untyped code IRI.

        A diagnostic takes the kind of the node it is about ('file' when it is about none), so that it is
        grouped with the other findings about that node.
        """
        node = self.nodes.get(iri)
        if node is not None and GT.Diagnostic in node.types:
            about = node.ends.get(GT.about)
            return self.kind(about) if about else "file"
        known = [t for t in (node.types if node else ()) if t in self.classes]
        narrowest = [t for t in known if not any(t in self.classes[o][1] for o in known if o != t)]
        if narrowest:
            return ", ".join(sorted(self.classes[t][0] for t in narrowest))
        return "undeclared" if "/code/" in iri and not (node and node.types) else "node"

    def name(self, term) -> str:
        """A readable name: variable, source id, link ends, diagnostic subject, or lexical form."""
        if isinstance(term, Literal):
            return str(term)
        if isinstance(term, BNode):
            return f"_:{term}"
        iri = str(term)
        node = self.nodes.get(iri) or Node()
        link = next((cls for cls in ENDS if cls in node.types), None)
        if link is not None:
            a, b = (self._end_name(node, role) for role in ENDS[link])
            return f"{self.classes.get(link, ('link',))[0]} {a} → {b}"
        if GT.Diagnostic in node.types:
            about = node.ends.get(GT.about)
            return self._end_name(node, GT.about) if about else (node.place or ("?",))[0]
        if node.name:
            return node.name
        if node.place:
            return f"{self.kind(iri)} at {node.place[0]}:{node.place[1]}"
        return tail(iri)

    def _end_name(self, node: Node, role: str) -> str:
        end = node.ends.get(role)
        if end is None:
            return "?"
        return (self.nodes.get(end) or Node()).name or tail(end)

    def place(self, focus, value) -> tuple | None:
        """(path, line, file IRI) of a finding without a place of its own."""
        nodes = [self.nodes.get(str(t)) for t in (focus, value) if isinstance(t, URIRef)]
        for attribute in ("place", "declared"):
            for node in nodes:
                if node is not None and getattr(node, attribute):
                    return getattr(node, attribute)
        return None

    def about(self, term) -> str | None:
        """The node a diagnostic is about, if any."""
        node = self.nodes.get(str(term))
        return node.ends.get(GT.about) if node is not None else None

    def is_declared(self, iri) -> bool:
        """Whether some file declares the code (it has a kind)."""
        node = self.nodes.get(str(iri)) if iri else None
        return node is not None and GT.Code in node.types

    def is_link(self, term) -> bool:
        node = self.nodes.get(str(term))
        return node is not None and GT.Link in node.types

    def file_of(self, term) -> str | None:
        """The path of the file a node was read from."""
        node = self.nodes.get(str(term))
        return node.place[0] if node is not None and node.place else None

    def file_path(self, file_iri: str) -> str | None:
        node = self.nodes.get(file_iri)
        return node.name if node else None

    def code_variables(self) -> list[str]:
        """The variables of every declared code, sorted."""
        query = f"{SPARQL_PREFIXES}SELECT DISTINCT ?v WHERE {{ ?d gt:declares ?c . ?c a gt:Code ; gt:variable ?v }}"
        return sorted(row["v"].value for row in self.db.query(query))

    def sources_of(self, iris: set[str]) -> dict[str, set]:
        """Node IRI -> ids of the sources it belongs to: a source itself, what names it as its gt:source (a trace,
        an excerpt, a containment), and the notes file of a source (and what was read from that file)."""
        owners: dict[str, set] = {}
        if not iris:
            return owners
        body = ("{ ?node dcterms:identifier ?id ; a gt:Source } "
                "UNION { ?node gt:source ?s . ?s dcterms:identifier ?id }"
                " UNION { ?node gt:file? ?f . ?f gt:format \"notes\" . ?d gt:file ?f ; gt:declares ?s . "
                "?s a gt:Source ; dcterms:identifier ?id }")
        for row in self._select(body, sorted(iris)):
            owners.setdefault(row["node"].value, set()).add(row["id"].value)
        return owners
