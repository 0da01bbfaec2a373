"""PlantUML: an object diagram, each code an object with its kind as stereotype, each link an arrow labelled
with its option name, stereotype or polarity.

Labels come from the study's files, so every character that PlantUML could read as markup, a preprocessor
function (%getenv), a variable or a quote is written as its code point (<U+0025>), as is a run of -, / or _
(creole strike-through, italics, underline): a label is always just text.

>>> from gtkg.diagrams import Diagram
>>> from gtkg.design import Code
>>> d = Diagram("d", "How?")
>>> d.link(Code("d", "How?", "decision"), Code("o", "50% <b>off</b>", "pattern"), "option", "Cut -- prices")
>>> print(write(d, None), end="")
@startuml d
title How?
object "How?" as c_d <<Decision>>
object "50<U+0025> <U+003C>b<U+003E>off<U+003C>/b<U+003E>" as c_o <<Pattern>>
c_d --> c_o : Cut <U+002D><U+002D> prices
@enduml
"""

import re

ARROWS = {"option": "-->", "dependency": "..>", "next": "==>", "impact": "..>"}
_NAME = re.compile(r"[A-Za-z0-9_-]+")
_UNSAFE = re.compile(r"[^\w .,:;?()'+\-/«»]|([-/_])(?=\1)|(?<=([-/_]))\2")


def write(diagram, output) -> str:
    name = diagram.name if _NAME.fullmatch(diagram.name) else "diagram"
    out = [f"@startuml {name}", f"title {text(diagram.title)}"]
    for node in diagram.nodes.values():
        stereotype = f" <<{text(node.kind.title())}>>" if node.kind else ""
        out.append(f'object "{text(node.label)}" as {node.id}{stereotype}')
    for edge in diagram.edges:
        label = " : " + r"\n".join(map(text, edge.lines)) if edge.lines else ""
        out.append(f"{edge.start} {ARROWS[edge.kind]} {edge.end}{label}")
    return "\n".join(out + ["@enduml"]) + "\n"


def text(value: str) -> str:
    """A label as PlantUML text: markup, quotes and line breaks as code points."""
    return _UNSAFE.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)
