"""A small N-Quads writer (no rdflib on the load path): RDF terms as N-Triples text, one graph's lines.

>>> nt_term("say \\"hi\\"\\n")
'"say \\\\"hi\\\\"\\\\n"'
>>> nt_term("page\\x0cbreak")
'"page\\\\u000Cbreak"'
>>> nt_term(True)
'"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
>>> nt_term(float("inf"))
'"INF"^^<http://www.w3.org/2001/XMLSchema#double>'
"""

import re

from gtkg.ontology import IRI, XSD

_BOOLEAN = f"^^<{XSD}boolean>"
_INTEGER = f"^^<{XSD}integer>"
_DOUBLE = f"^^<{XSD}double>"
# Every character that str.splitlines() splits on is escaped, besides the two N-Triples requires: then one
# line is one quad for any reader of the text, however it splits lines.
LINE_BREAKS = {char: f"\\u{ord(char):04X}" for char in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}
_LINE_BREAK = re.compile(f"[{''.join(LINE_BREAKS)}]")


def nt_term(term) -> str:
    """Serialize an IRI, str (plain literal), bool, int or float as an N-Triples term."""
    if isinstance(term, str):  # literals first: IRIs rarely come here (QuadWriter writes them itself)
        if isinstance(term, IRI):
            return f"<{term}>"
        if '"' in term or "\\" in term or not term.isprintable():  # every line break is unprintable
            term = term.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            if not term.isprintable():  # rare: a tab, or another line break (str.translate is 5x slower)
                term = _LINE_BREAK.sub(lambda match: LINE_BREAKS[match.group()], term)
        return f'"{term}"'
    if isinstance(term, int):
        if isinstance(term, bool):
            return f'"{"true" if term else "false"}"{_BOOLEAN}'
        return f'"{term}"{_INTEGER}'
    if isinstance(term, float):  # a model's values can be numbers of any kind
        lexical = {"inf": "INF", "-inf": "-INF", "nan": "NaN"}.get(repr(term), repr(term))
        return f'"{lexical}"{_DOUBLE}'
    raise TypeError(f"cannot write {term!r} as an RDF term")


class QuadWriter:
    """Collects the quads of one named graph as N-Quads lines.

    Lines are joined from parts rather than f-strings: an f-string formats an `IRI` (a str subclass) through
    `__format__`, which costs three times as much, and a load writes a line per triple.
    """

    def __init__(self, graph: IRI):
        self.graph = graph
        self._suffix = f" <{graph}> ."
        self.lines: list[str] = []

    def take(self) -> list[str]:
        """The lines written since the last take, handed over (the writer starts a new list)."""
        lines, self.lines = self.lines, []
        return lines

    def add(self, subject: IRI, predicate: IRI, obj) -> None:
        """Write one quad; an object of None or "" states nothing, so nothing is written."""
        if obj.__class__ is IRI:
            self.lines.append("".join(("<", subject, "> <", predicate, "> <", obj, ">", self._suffix)))
        elif obj is not None and obj != "":
            self.lines.append("".join(("<", subject, "> <", predicate, "> ", nt_term(obj), self._suffix)))
