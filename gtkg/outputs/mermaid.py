"""Mermaid: a flowchart that GitHub and GitLab draw in Markdown (a ```mermaid block) with no tool installed.

Decisions are hexagons, forces stadiums, other codes boxes; option links are plain arrows labelled with the
option name, dependencies dotted with their stereotype, next-decision links thick, force impacts dotted with
the polarity. Labels are quoted, with quotes, markup and line breaks as Mermaid entity codes (#quot;).

>>> from gtkg.diagrams import Diagram
>>> from gtkg.design import Code
>>> d = Diagram("d", "How?")
>>> d.link(Code("d", "How?", "decision"), Code("o", 'A "B" <i>', "pattern"), "option", "C#")
>>> print(write(d, None), end="")
flowchart LR
  c_d{{"«Decision»<br>How?"}}
  c_o["«Pattern»<br>A #quot;B#quot; #lt;i#gt;"]
  c_d -->|"C#35;"| c_o
"""

SHAPES = {"decision": ('{{"', '"}}'), "force": ('(["', '"])')}
ARROWS = {"option": "-->", "dependency": "-.->", "next": "==>", "impact": "-.->"}
ENTITIES = str.maketrans({"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "|": "#124;",
                          "`": "#96;", "\n": " ", "\r": " "})


def write(diagram, output) -> str:
    out = ["flowchart LR"]
    for node in diagram.nodes.values():
        opening, closing = SHAPES.get(node.kind, ('["', '"]'))
        kind = f"«{text(node.kind.title())}»<br>" if node.kind else ""
        out.append(f"  {node.id}{opening}{kind}{text(node.label)}{closing}")
    for edge in diagram.edges:
        label = f'|"{"<br>".join(map(text, edge.lines))}"|' if edge.lines else ""
        out.append(f"  {edge.start} {ARROWS[edge.kind]}{label} {edge.end}")
    return "\n".join(out) + "\n"


def text(value: str) -> str:
    return value.translate(ENTITIES)
