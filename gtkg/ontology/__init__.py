"""Namespace constants of the gtkg ontology and the vocabularies it reuses.

IRIs live here and nowhere else, so code never spells them as strings:

>>> GT.Source
'https://w3id.org/gtkg/ontology#Source'
>>> IMPACTS["very_negative"]
'https://w3id.org/gtkg/ontology#VeryNegative'
"""

from pathlib import Path

ONTOLOGY_FILE = Path(__file__).with_name("gtkg.ttl")
ONTOLOGY_GRAPH = "https://w3id.org/gtkg/ontology"  # the graph every load writes the ontology into (its IRI)


class IRI(str):
    """An IRI, as opposed to a plain string literal."""

    __slots__ = ()


class Namespace:
    """`NS.term` and `NS["term"]` give the IRI of a term (not a str subclass, so `NS.format` is a term)."""

    def __init__(self, base: str):
        self.base = base

    def __getattr__(self, name: str) -> IRI:  # only called once per term: the result is cached
        if name.startswith("__"):
            raise AttributeError(name)
        term = IRI(self.base + name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> IRI:
        return IRI(self.base + name)

    def __str__(self) -> str:
        return self.base


GT = Namespace("https://w3id.org/gtkg/ontology#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")
GTS = Namespace("https://w3id.org/gtkg/shapes#")  # gtkg's SHACL shapes (gtkg/shapes/gtkg-shapes.ttl)

PREFIXES = {
    "gt": str(GT),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "skos": str(SKOS),
    "oa": str(OA),
}
SPARQL_PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())  # the same, as SPARQL

# CodeableModels metaclass variable -> ontology class of the code.
KINDS = {
    "decision": GT.Decision,
    "design_solution": GT.DesignSolution,
    "practice": GT.Practice,
    "pattern": GT.Pattern,
    "force": GT.Force,
    "category": GT.Category,
    "known_use": GT.KnownUse,
    "do_nothing_design_solution": GT.DoNothing,
    "do_nothing": GT.DoNothing,
    "domain_metaclass": GT.Context,
    "domain_class": GT.Context,
    "context": GT.Context,
    "design_solution_domain_metaclass": GT.DesignSolution,
}

# Force-impact stereotype variable -> skos concept (its notation is the table label).
IMPACTS = {
    "very_positive": GT.VeryPositive,
    "positive": GT.Positive,
    "neutral": GT.Neutral,
    "negative": GT.Negative,
    "very_negative": GT.VeryNegative,
    "positive_and_negative": GT.PositiveAndNegative,
}
IMPACT_NOTATIONS = {
    "very_positive": "++",
    "positive": "+",
    "neutral": "o",
    "negative": "-",
    "very_negative": "--",
    "positive_and_negative": "+/-",
}

DEPENDENCY_TYPES = {
    "requires": GT.Requires,
    "uses": GT.Uses,
    "can_use": GT.CanUse,
    "can_be_combined_with": GT.CanBeCombinedWith,
    "can_be_realized_by": GT.CanBeRealizedBy,
    "can_be_realized_with": GT.CanBeRealizedBy,
    "has_variant": GT.HasVariant,
    "variant": GT.HasVariant,
    "extension": GT.Extension,
    "is_a": GT.IsA,
    "realizes": GT.Realizes,
    "includes": GT.Includes,
    "can_include": GT.CanInclude,
    "alternative_to": GT.AlternativeTo,
    "rules_out": GT.RulesOut,
    "influences": GT.Influences,
    "leads_to": GT.LeadsTo,
    "enables": GT.Enables,
}

NEXT_DECISION_TYPES = {
    "mandatory_next": GT.MandatoryNext,
    "optional_next": GT.OptionalNext,
    "next_decision": GT.Next,
    "next": GT.Next,
    "consider_if_not_decided_yet": GT.ConsiderIfNotDecidedYet,
}

DECISION_TYPES = {"single_answer": GT.SingleAnswers, "single_answers": GT.SingleAnswers,
                  "multiple_answers": GT.MultipleAnswers}

CONTEXT_TYPES = {
    "decide_for_all_instances_of": GT.DecideForAllInstancesOf,
    "decide_for_some_instances_of": GT.DecideForSomeInstancesOf,
}

# Reference attribute name (as written in CClass values and note headers) -> property.
REFERENCE_ATTRIBUTES = {
    "title": DCTERMS.title,
    "url": GT.url,
    "tiny url": GT.tinyUrl,
    "archive url": GT.archiveUrl,
    "bibliographic reference": DCTERMS.bibliographicCitation,
    "author type": GT.authorType,
    "type": GT.sourceType,
    "source type": GT.sourceType,
    "example": GT.example,
    "source code": GT.sourceCode,
    "references": GT.referencesText,
}
