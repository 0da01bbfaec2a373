"""The associations of the CodeableModels guidance and coding metamodels, and how `add_links` picks one.

CodeableModels links `a.add_links(b, role_name=r)` through the association whose *target* role is r (a link
a -> b) or whose *source* role is r (a link b -> a), among the associations between the classes of a and b
(`codeable_models/clink.py`). Role names match exactly. Without a role name the classes decide, and an
`association=` keyword names the association directly. This module encodes that choice statically.

>>> resolve("from", None, (), "practice", "practice")
(Association(name='design_solution_dependencies', kind='dependency', ...), False)
>>> resolve("contained_code", None, (), "source", "force")[0].kind
'contains'
"""

import functools
import re
from dataclasses import dataclass

from gtkg.ontology import CONTEXT_TYPES, DECISION_TYPES, DEPENDENCY_TYPES, IMPACTS, KINDS, NEXT_DECISION_TYPES


@dataclass(frozen=True)
class Association:
    name: str  # the association's variable in the metamodel
    kind: str  # the gtkg link kind it makes
    source: str  # metaclass at the source end
    source_role: str | None
    target: str
    target_role: str | None
    swap: bool = False  # gtkg records (a, b) = (target, source): a source (target end) contains codes

    def __repr__(self) -> str:
        return f"Association(name={self.name!r}, kind={self.kind!r}, ...)"


ASSOCIATIONS = (  # metamodels/guidance_metamodel.py, then the studies' GT_coding.py
    Association("force_impact_relation", "impact", "design_solution", "solutions", "force", "forces"),
    Association("design_solution_dependencies", "dependency", "design_solution", "from", "design_solution", "to"),
    Association("solutions_to_next_decisions_relation", "next", "design_solution", "prior solution", "decision",
                "next decision"),
    Association("decision_solution_relation", "option", "decision", None, "design_solution", None),
    Association("decision_to_contexts_relation", "context", "decision", "decision", "domain_metaclass", "context"),
    Association("decision_category_to_contexts_relation", "context", "category", "category", "domain_metaclass",
                "context"),
    Association("category_decisions_relation", "other", "category", "category", "decision", "decisions"),
    Association("category_hierarchy_relation", "other", "category", "parent category", "category", "sub category"),
    Association("solutions_known_uses_relation", "other", "design_solution", "solutions", "known_use", "knownUses"),
    Association("source_references", "cites", "source", "source", "reference", "referenced"),
    Association("code_sources", "contains", "code", "contained_code", "source", "evidence", swap=True),
)
BY_NAME = {assoc.name: assoc for assoc in ASSOCIATIONS}
CAMEL = re.compile(r"([a-z0-9])([A-Z])")

# metaclass -> its superclasses (guidance metamodel); the coding metamodel makes every element a code
PARENTS = {
    "pattern": ("practice",),
    "practice": ("design_solution",),
    "decision": ("design_solution",),
    "do_nothing_design_solution": ("design_solution",),
    "design_solution_domain_metaclass": ("design_solution", "domain_metaclass"),
    "domain_class": ("domain_metaclass",),
    "source": ("reference",),
}
METACLASSES = {"design_solution", "force", "category", "known_use", "domain_metaclass", "reference", "code",
               *PARENTS}
VOCABULARY = METACLASSES | set(KINDS) | set(IMPACTS) | set(DEPENDENCY_TYPES) | set(NEXT_DECISION_TYPES) \
    | set(CONTEXT_TYPES) | set(DECISION_TYPES) | {"option", "source", "reference"}
LINK_STEREOTYPES = {"option": "option", **dict.fromkeys(IMPACTS, "impact"),
                    **dict.fromkeys(DEPENDENCY_TYPES, "dependency"), **dict.fromkeys(NEXT_DECISION_TYPES, "next"),
                    **dict.fromkeys(CONTEXT_TYPES, "context")}


@functools.lru_cache(maxsize=8192)
def snake(name: str) -> str:
    """The snake_case spelling of an old camelCase CodeableModels name (`addLinks` -> `add_links`).

    Only names with an inner capital change, so `CClass`, `VMs` or `Pattern` stay as they are.
    """
    return CAMEL.sub(r"\1_\2", name).lower() if CAMEL.search(name) else name


@functools.lru_cache(maxsize=8192)
def vocab(name: str) -> str:
    """A metamodel name in its snake_case spelling when it is one (`veryPositive` -> `very_positive`)."""
    spelled = snake(name)
    return spelled if spelled in VOCABULARY else name


def is_a(metaclass: str | None, end: str) -> bool | None:
    """Whether an element of `metaclass` fits an association end; None when the metaclass is not known."""
    if metaclass is None or metaclass not in METACLASSES:
        return None
    if end == "code":
        return metaclass not in ("source", "reference")
    todo = [metaclass]
    while todo:
        current = todo.pop()
        if current == end:
            return True
        todo.extend(PARENTS.get(current, ()))
    return False


@functools.lru_cache(maxsize=4096)
def resolve(role: str | None, association: str | None, stereotypes: tuple, source_kind: str | None,
            target_kind: str | None) -> tuple[Association, bool] | None:
    """The association `add_links` uses and whether the link runs in call order (False: target -> source).

    None when CodeableModels itself would find no association or several (it raises then).
    """
    candidates = [(assoc, in_order) for assoc in ASSOCIATIONS for in_order in (True, False)
                  if (association is None or assoc.name == association)
                  and (role is None or role == (assoc.target_role if in_order else assoc.source_role))]
    kinds = {LINK_STEREOTYPES[s] for s in stereotypes if s in LINK_STEREOTYPES}
    if kinds and role is None and association is None:
        candidates = [c for c in candidates if c[0].kind in kinds]
    fitting = [c for c in candidates if _fits(c, source_kind, target_kind) is not False]
    if role is None and association is None:
        strict = [c for c in fitting if _fits(c, source_kind, target_kind)]
        fitting = strict or (fitting if kinds else [])
        if len({c[0] for c in fitting}) != 1:
            return None
    return (fitting or candidates or [None])[0]


def _fits(candidate: tuple[Association, bool], source_kind, target_kind) -> bool | None:
    assoc, in_order = candidate
    source_end, target_end = (assoc.source, assoc.target) if in_order else (assoc.target, assoc.source)
    checks = (is_a(source_kind, source_end), is_a(target_kind, target_end))
    if False in checks:
        return False
    return None if None in checks else True
