"""The design space as diagrams: one per decision, one of all decisions, one of the next-decision links.

A Diagram is a plain graph of nodes (codes, with their kind) and labelled edges; the diagram outputs
(`gtkg.outputs`, kind "diagram") write it as PlantUML, Mermaid or DOT. What each diagram shows follows the
views CodeableModels studies render:

- a decision: the decision, its options (each edge named by the option name), the design solutions connected
  to its options by a dependency (each edge labelled with the dependency's stereotype, «Can Use», and its how
  or role), the decisions that follow it or its options (next-decision links with their stereotype), and on
  request the forces each option affects, labelled with the polarity;
- all decisions: every decision's diagram in one;
- next decisions: the decisions linked by next-decision links, with the options those links start from.
"""

import re
from dataclasses import dataclass, field

from gtkg.errors import InputError

ALL = "all-decisions"
NEXT = "next-decisions"


@dataclass
class Node:
    id: str  # safe in every diagram language: letters, digits and _
    label: str
    kind: str  # decision, pattern, practice, force, ... ("" when no file declares the code)


@dataclass(frozen=True)
class Edge:
    start: str  # node ids
    end: str
    kind: str  # option, dependency, next, impact
    lines: tuple = ()  # the label, line by line


@dataclass
class Diagram:
    name: str  # the file stem: the decision's variable, all-decisions or next-decisions
    title: str
    nodes: dict = field(default_factory=dict)  # code variable -> Node, in order of appearance
    edges: dict = field(default_factory=dict)  # Edge -> None: the edges in order, each once

    def add(self, code) -> str:
        """The id of the node of `code` (a gtkg.design.Code), added when new."""
        if code.variable not in self.nodes:
            ident = "c_" + re.sub(r"\W", "_", code.variable, flags=re.ASCII)
            while ident in self._ids:
                ident += "_"
            self._ids.add(ident)
            self.nodes[code.variable] = Node(ident, code.label, code.kind)
        return self.nodes[code.variable].id

    def link(self, start, end, kind: str, *lines: str) -> None:
        self.edges[Edge(self.add(start), self.add(end), kind, tuple(line for line in lines if line))] = None

    def __post_init__(self):
        self._ids = {node.id for node in self.nodes.values()}


def decision_diagram(space, decision, *, forces: bool = False, into: Diagram | None = None) -> Diagram:
    """The diagram of one decision of a DesignSpace (or that decision added to `into`)."""
    diagram = into or Diagram(decision.code.variable, decision.code.label)
    diagram.add(decision.code)
    for option in decision.options:
        diagram.link(decision.code, option.code, "option", option.name)
    options = {option.code.variable for option in decision.options}
    for link in space.dependencies:
        if link.start in options or link.end in options:
            diagram.link(space.code(link.start), space.code(link.end), "dependency", *_stereotypes(link.types),
                         *(f"{key}: {value}" for key, value in (("how", link.how), ("role", link.role)) if value))
    for link in decision.next:
        diagram.link(space.code(link.start), space.code(link.end), "next", *_stereotypes(link.types))
    if forces:
        for option in decision.options:
            for impact in option.impacts:
                diagram.link(option.code, impact.force, "impact", impact.polarity)
    return diagram


def all_decisions_diagram(space, *, forces: bool = False) -> Diagram:
    diagram = Diagram(ALL, "All decisions")
    for decision in space.decisions:
        decision_diagram(space, decision, forces=forces, into=diagram)
    return diagram


def next_decisions_diagram(space) -> Diagram:
    """The next-decision links, each from a decision or from an option drawn under its decision(s)."""
    diagram = Diagram(NEXT, "Next decisions")
    owners = {}
    for decision in space.decisions:
        diagram.add(decision.code)
        for option in decision.options:
            owners.setdefault(option.code.variable, []).append(decision)
    for link in space.next_links:
        for decision in owners.get(link.start, []):
            option = next(o for o in decision.options if o.code.variable == link.start)
            diagram.link(decision.code, option.code, "option", option.name)
        diagram.link(space.code(link.start), space.code(link.end), "next", *_stereotypes(link.types))
    return diagram


def diagrams(space, *, forces: bool = False) -> list[Diagram]:
    """Every diagram of a DesignSpace: one per decision, then all decisions, then the next-decision links."""
    return [*(decision_diagram(space, d, forces=forces) for d in space.decisions),
            all_decisions_diagram(space, forces=forces), next_decisions_diagram(space)]


def diagram(decisions=(), *, store, format: str = "plantuml", forces: bool = False, next_decisions: bool = False,
            scope: str = "auto") -> str:
    """One diagram as text in `format` (plantuml, mermaid, dot): of the given decisions (variables or labels),
    of all decisions when none is given, or of the next-decision links (`next_decisions`)."""
    from gtkg.design import design_space
    from gtkg.outputs import get

    output = get(format, "diagram")
    space = design_space(store=store, scope=scope)
    if next_decisions:
        return output.writer().write(next_decisions_diagram(space), output)
    if not decisions:
        return output.writer().write(all_decisions_diagram(space, forces=forces), output)
    chosen = [_find(space, name) for name in decisions]
    picture = Diagram(chosen[0].code.variable if len(chosen) == 1 else "decisions",
                      " / ".join(d.code.label for d in chosen))
    for decision in chosen:
        decision_diagram(space, decision, forces=forces, into=picture)
    return output.writer().write(picture, output)


def _find(space, name: str):
    for decision in space.decisions:
        if name in (decision.code.variable, decision.code.label):
            return decision
    known = ", ".join(d.code.variable for d in space.decisions) or "none: no decision is declared"
    raise InputError(f"no decision {name!r} in the study; give a decision's variable or label ({known})")


def _stereotypes(types: list) -> list[str]:
    return ["«" + ", ".join(types) + "»"] if types else []
