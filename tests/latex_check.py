r"""Checks of the LaTeX tables gtkg writes, with a LaTeX parser (pylatexenc's latexwalker) instead of TeX:
environments and braces balanced, every row of every tabular or longtable as many cells as its columns, and
nothing outside ASCII left (each such character must have been escaped or replaced).

    problems(text) -> list of what is wrong, empty when nothing is
"""

import re

from pylatexenc.latexwalker import (
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexSpecialsNode,
    LatexWalker,
    LatexWalkerError,
)

TABLES = ("tabular", "longtable")
ROW_MACROS = {"toprule", "midrule", "bottomrule", "hline", "cline", "caption", "label", "endfirsthead", "endhead",
              "endfoot", "endlastfoot"}  # a "row" holding only these is no row of cells


def problems(text: str) -> list[str]:
    found = [f"character {c!r} (U+{ord(c):04X}) is not escaped" for c in sorted(set(text)) if ord(c) > 127]
    try:
        nodes, _, _ = LatexWalker(text, tolerant_parsing=False).get_latex_nodes()
    except LatexWalkerError as exc:
        return [*found, f"does not parse: {exc}"]
    for table in _tables(nodes):
        found += _row_problems(table)
    return found


def _tables(nodes):
    for node in nodes or []:
        if isinstance(node, LatexEnvironmentNode):
            if node.environmentname in TABLES:
                yield node
            yield from _tables(node.nodelist)
        elif isinstance(node, LatexGroupNode):
            yield from _tables(node.nodelist)


def _row_problems(table) -> list[str]:
    body = list(table.nodelist)
    spec_node = table.nodeargd.argnlist[-1] if table.nodeargd and table.nodeargd.argnlist else None
    if spec_node is None:  # an environment pylatexenc does not know: its spec is the first group
        spec_node = next(n for n in body if isinstance(n, LatexGroupNode))
        body = body[body.index(spec_node) + 1:]
    columns = column_count(spec_node.latex_verbatim()[1:-1])
    found, row = [], []
    for node in [*body, None]:
        if node is not None and not (isinstance(node, LatexMacroNode) and node.macroname == "\\"):
            row.append(node)
            continue
        cells = _cells(row)
        if cells is not None and cells != columns:
            found.append(f"{table.environmentname}: a row of {cells} cells in {columns} columns: "
                         f"{''.join(n.latex_verbatim() for n in row).strip()[:80]}")
        row = []
    return found


def _cells(row: list) -> int | None:
    """How many columns a row spans, None for a row of rules and captions only."""
    ampersands = sum(isinstance(n, LatexSpecialsNode) and n.specials_chars == "&" for n in row)
    spans = 0
    for i, node in enumerate(row):
        if isinstance(node, LatexMacroNode) and node.macroname == "multicolumn":
            group = next(n for n in row[i + 1:] if isinstance(n, LatexGroupNode))
            spans += int(group.latex_verbatim()[1:-1]) - 1
    content = [n for n in row if not (isinstance(n, LatexMacroNode) and n.macroname in ROW_MACROS)
               and n.latex_verbatim().strip() and not (isinstance(n, LatexGroupNode) and _after_rule_macro(row, n))]
    if not ampersands and not spans and not content:
        return None
    return 1 + ampersands + spans


def _after_rule_macro(row: list, group) -> bool:
    """A group that is the argument of \\caption, \\label or \\cline (pylatexenc keeps it as its own node)."""
    before = [n for n in row[:row.index(group)] if n.latex_verbatim().strip()]
    return bool(before) and isinstance(before[-1], (LatexMacroNode, LatexGroupNode)) and (
        isinstance(before[-1], LatexGroupNode) and _after_rule_macro(row, before[-1])
        or isinstance(before[-1], LatexMacroNode) and before[-1].macroname in ROW_MACROS)


def column_count(spec: str) -> int:
    r"""Columns of a tabular spec: l, c, r, X and p{..}, m{..}, b{..}, with >{..}, <{..}, @{..} and | ignored.

    >>> column_count(r"|>{\raggedright}p{\dimexpr 0.5\linewidth\relax}|l|")
    2
    """
    spec = re.sub(r"[<>@!]\{[^{}]*\}", "", spec)
    spec = re.sub(r"[pmb]\{[^{}]*\}", "p", spec)
    return sum(c in "lcrpX" for c in spec)
