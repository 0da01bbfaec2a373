r"""DOT: a Graphviz digraph (render it with `dot -Tsvg`).

Decisions are hexagons, forces ellipses, other codes rounded boxes; option links are solid, dependencies
dashed, next-decision links bold, force impacts dotted. Every name and label is a quoted string with its
backslashes, quotes and ampersands escaped, so Graphviz reads no escape sequence, entity or attribute from a
label.

>>> from gtkg.diagrams import Diagram
>>> from gtkg.design import Code
>>> d = Diagram("d", "How?")
>>> d.link(Code("d", "How?", "decision"), Code("o", 'A "B" \\N', "pattern"), "option", "C")
>>> print(write(d, None), end="")
digraph "d" {
  graph [rankdir=LR, label="How?", labelloc=t, fontname="Helvetica"];
  node [shape=box, style=rounded, fontname="Helvetica"];
  edge [fontname="Helvetica", fontsize=10];
  c_d [label="«Decision»\nHow?", shape=hexagon];
  c_o [label="«Pattern»\nA \"B\" \\N"];
  c_d -> c_o [label="C"];
}
"""

SHAPES = {"decision": ", shape=hexagon", "force": ", shape=ellipse, style=solid"}
STYLES = {"option": "", "dependency": ", style=dashed", "next": ", style=bold", "impact": ", style=dotted"}


def write(diagram, output) -> str:
    out = [f"digraph {quoted(diagram.name)} {{",
           f'  graph [rankdir=LR, label={quoted(diagram.title)}, labelloc=t, fontname="Helvetica"];',
           '  node [shape=box, style=rounded, fontname="Helvetica"];',
           '  edge [fontname="Helvetica", fontsize=10];']
    for node in diagram.nodes.values():
        lines = ([f"«{node.kind.title()}»"] if node.kind else []) + [node.label]
        out.append(f"  {node.id} [label={quoted(*lines)}{SHAPES.get(node.kind, '')}];")
    for edge in diagram.edges:
        label = f"label={quoted(*edge.lines)}" if edge.lines else ""
        attributes = (label + STYLES[edge.kind]).lstrip(", ")
        out.append(f"  {edge.start} -> {edge.end}" + (f" [{attributes}]" if attributes else "") + ";")
    return "\n".join(out + ["}"]) + "\n"


def quoted(*lines: str) -> str:
    """Lines as one DOT string, \\n between them."""
    escaped = (line.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;").replace("\n", " ")
               .replace("\r", " ") for line in lines)
    return '"' + "\\n".join(escaped) + '"'
