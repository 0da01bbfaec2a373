"""Records -> quads of one file's named graph. Shared by the notes and model emitters; no parsing here."""

from collections import Counter

from gtkg.iris import Minter
from gtkg.loaders.records import INFO, MAX_TEXT, VIOLATION, WARNING, Declaration, Diagnostic, Link
from gtkg.nquads import QuadWriter
from gtkg.ontology import (
    CONTEXT_TYPES,
    DCTERMS,
    DECISION_TYPES,
    DEPENDENCY_TYPES,
    GT,
    IMPACTS,
    IRI,
    KINDS,
    NEXT_DECISION_TYPES,
    OA,
    RDF,
    RDFS,
    REFERENCE_ATTRIBUTES,
    SH,
)
from gtkg.similar import similar

SEVERITIES = {VIOLATION: SH.Violation, WARNING: SH.Warning, INFO: SH.Info}
LINK_CLASSES = {"contains": GT.Containment, "cites": GT.Citation, "option": GT.DecisionOption,
                "impact": GT.ForceImpact, "dependency": GT.Dependency, "next": GT.NextDecisionLink,
                "context": GT.ContextLink, "other": GT.OtherLink}


class FileEmitter:
    """Writes the named graph of one input file. Node IRIs are the file IRI plus a numbered fragment."""

    def __init__(self, minter: Minter, key: str, fmt: str, sha256: str, *, sources: dict | None = None,
                 references: dict | None = None):
        self.minter = minter
        self.file = minter.file(key)
        self._node_prefix = f"{self.file}#"
        self.out = QuadWriter(self.file)
        self.add = self.out.add
        self.sources = sources if sources is not None else {}  # variable -> source id
        self.references = references if references is not None else {}  # variable -> reference id
        self._counts: Counter = Counter()
        self.add(self.file, RDF.type, GT.InputFile)
        self.add(self.file, GT.path, key)
        self.add(self.file, GT.format, fmt)
        self.add(self.file, GT.sha256, sha256)

    def count(self, kind: str) -> int:
        """How many nodes of a kind (decl, link, excerpt, trace, diagnostic) were written."""
        return self._counts[kind]

    def node(self, kind: str) -> IRI:
        self._counts[kind] += 1
        return IRI(f"{self._node_prefix}{kind}-{self._counts[kind]}")

    def located(self, kind: str, cls: IRI, line: int | None, end_line: int | None = None) -> IRI:
        node = self.node(kind)
        self.add(node, RDF.type, cls)
        self.add(node, GT.file, self.file)
        self.add(node, GT.line, line)
        if end_line and end_line != line:
            self.add(node, GT.endLine, end_line)
        return node

    # ---------------------------------------------------------------- names

    def source(self, source_id: str) -> IRI:
        node = self.minter.source(source_id)
        self.add(node, RDF.type, GT.Source)
        self.add(node, DCTERMS.identifier, source_id)
        return node

    def ref(self, var: str, kind: str = "code") -> IRI:
        """The node a variable stands for: a source (by its id), a reference, or a code."""
        if kind == "source" or var in self.sources:
            return self.minter.source(self.sources.get(var, var))
        if kind == "reference":
            return self.minter.reference(self.references.get(var, var))
        return self.minter.code(var)

    # ---------------------------------------------------------------- statements

    def declaration(self, decl: Declaration, *, values_on_entity: bool = True) -> IRI:
        """A CClass statement: the entity it defines plus a gt:Declaration with file and line."""
        record = self.located("decl", GT.Declaration, decl.line)
        self.add(record, GT.variable, decl.var)
        if decl.metaclass in ("source", "reference"):
            entity = self._reference(decl)
            self.metadata(entity if values_on_entity else record, decl.values, decl.line)
        else:
            entity = self.minter.code(decl.var)
            self.add(entity, RDF.type, GT.Code)
            self.add(entity, RDF.type, KINDS.get(decl.metaclass))
            self.add(entity, RDFS.label, decl.label)
            self.add(entity, GT.variable, decl.var)
            for stereotype in decl.stereotypes:
                self.add(entity, GT.decisionType, DECISION_TYPES.get(stereotype))
            if decl.metaclass not in KINDS:
                self.diagnostic(Diagnostic(decl.line, "unknown-metaclass", f"metaclass {decl.metaclass!r} of "
                                f"{decl.var} is not in the CodeableModels guidance vocabulary; typed as a "
                                "plain code", WARNING, about=decl.var))
        self.add(record, GT.declares, entity)
        return entity

    def _reference(self, decl: Declaration) -> IRI:
        label = decl.label or decl.var
        if decl.metaclass == "source":
            return self.source(label)
        entity = self.minter.reference(label)
        self.add(entity, RDF.type, GT.Reference)
        self.add(entity, DCTERMS.identifier, label)
        return entity

    def metadata(self, node: IRI, values: dict, line: int) -> None:
        for key, value in values.items():
            prop = REFERENCE_ATTRIBUTES.get(key.strip().lower())
            if prop is None:
                self.diagnostic(Diagnostic(line, "unknown-attribute", f"attribute {key!r} is not a reference "
                                           "attribute gtkg knows; not loaded", INFO, text=f"{key}: {value}"))
                continue
            if isinstance(value, str):
                value = value.strip()
            self.add(node, prop, value)

    def link(self, link: Link) -> IRI:
        node = self.located("link", LINK_CLASSES[link.kind], link.line)
        self.add(node, RDF.type, GT.Link)
        self.add(node, GT.variable, link.var)
        LINK_WRITERS[link.kind](self, node, link)
        return node

    def _link_contains(self, node, link):
        self._contains(node, self.ref(link.a, "source"), self.ref(link.b))

    def containment(self, source: IRI, code: IRI, line: int) -> IRI:
        """A containment stated where a code list of the notes names the code."""
        node = self.located("link", GT.Containment, line)
        self.add(node, RDF.type, GT.Link)
        self._contains(node, source, code)
        return node

    def _contains(self, node: IRI, source: IRI, code: IRI) -> None:
        self.add(source, GT.containsCode, code)
        self.add(node, GT.source, source)
        self.add(node, GT.code, code)

    def _link_cites(self, node, link):
        source, reference = self.ref(link.a, "source"), self.ref(link.b, "reference")
        self.add(source, GT.cites, reference)
        self.add(node, GT.source, source)
        self.add(node, GT.reference, reference)

    def _link_option(self, node, link):
        self.add(node, GT.decision, self.ref(link.a))
        self.add(node, GT.option, self.ref(link.b))
        self.add(node, GT.optionName, link.name)

    def _link_impact(self, node, link):
        self.add(node, GT.option, self.ref(link.a))
        self.add(node, GT.force, self.ref(link.b))
        self._typed(node, link, GT.impact, IMPACTS)

    def _link_dependency(self, node, link):
        self.add(node, GT["from"], self.ref(link.a))
        self.add(node, GT.to, self.ref(link.b))
        self._typed(node, link, GT.dependencyType, DEPENDENCY_TYPES)
        self.add(node, GT.how, link.tagged.get("how"))
        self.add(node, GT.role, link.tagged.get("role"))

    def _link_next(self, node, link):
        self.add(node, GT["from"], self.ref(link.a))
        self.add(node, GT.to, self.ref(link.b))
        self._typed(node, link, GT.nextDecisionType, NEXT_DECISION_TYPES)

    def _link_context(self, node, link):
        self.add(node, GT.decision, self.ref(link.a))
        self.add(node, GT.context, self.ref(link.b))
        self._typed(node, link, GT.contextType, CONTEXT_TYPES)

    def _link_other(self, node, link):
        self.add(node, GT["from"], self.ref(link.a))
        self.add(node, GT.to, self.ref(link.b))
        self.add(node, GT.roleName, link.role)
        for stereotype in link.stereotypes:
            self.add(node, GT.stereotype, stereotype)

    def _typed(self, node: IRI, link: Link, prop: IRI, concepts: dict) -> None:
        for stereotype in link.stereotypes:
            if stereotype in concepts:
                self.add(node, prop, concepts[stereotype])
            else:
                self.add(node, GT.stereotype, stereotype)
                meant = similar(stereotype, concepts)
                hint = f"; did you mean {' or '.join(meant)}?" if meant else ""
                self.diagnostic(Diagnostic(link.line, "unknown-stereotype", f"stereotype {stereotype!r} on the "
                                           f"link {link.a} -> {link.b} is not a known {link.kind} type{hint} (kept as "
                                           "text)", WARNING), about=node)

    def diagnostic(self, diag: Diagnostic, about: IRI | None = None) -> IRI:
        """A diagnostic node; `about` is the node it is about, when that is no variable (a link)."""
        node = self.located("diagnostic", GT.Diagnostic, diag.line, diag.end_line)
        self.add(node, GT.severity, SEVERITIES[diag.severity])
        self.add(node, GT.problem, diag.problem)
        self.add(node, GT.message, diag.message)
        # the raw text of what could not be read, cut like any text the readers keep (a line may be megabytes)
        self.add(node, GT.text, diag.text[:MAX_TEXT] if diag.text else diag.text)
        if about is not None or diag.about:
            self.add(node, GT.about, about if about is not None else self.ref(diag.about))
        self.add(node, GT.otherLine, diag.other_line)
        self.add(node, GT.otherValue, diag.other_value)
        return node

    def excerpt(self, excerpt, source: IRI) -> IRI:
        node = self.located("excerpt", GT.Excerpt, excerpt.line, excerpt.end_line)
        quote, position = IRI(f"{node}-quote"), IRI(f"{node}-position")
        self.add(node, GT.source, source)
        self.add(node, OA.hasSource, self.file)
        self.add(node, OA.hasSelector, quote)
        self.add(node, OA.hasSelector, position)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, excerpt.text)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, excerpt.start)
        self.add(position, OA.end, excerpt.end)
        return node


LINK_WRITERS = {  # link kind -> the method that writes its triples
    "contains": FileEmitter._link_contains, "cites": FileEmitter._link_cites, "option": FileEmitter._link_option,
    "impact": FileEmitter._link_impact, "dependency": FileEmitter._link_dependency, "next": FileEmitter._link_next,
    "context": FileEmitter._link_context, "other": FileEmitter._link_other,
}
