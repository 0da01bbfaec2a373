"""Tables for a terminal: aligned columns that fit a width, long cells wrapped onto more lines.

Without a width every cell is written whole on one line (for a pipe or a file). With one, the widest columns
are narrowed until the table fits, and their cells wrap at spaces (or inside a long word when they must).

>>> from gtkg.table import Table
>>> table = Table(["force", "sources"], [["cost", ["s1", "s2"]], ["time to market", ["s3"]]])
>>> print(write(table, None), end="")
force           sources
--------------  -------
cost            s1, s2
time to market  s3
>>> print(write(table, None, width=16), end="")
force    sources
-------  -------
cost     s1, s2
time to  s3
market
"""

import textwrap

from gtkg.table import cell

GAP = "  "
NARROWEST = 6  # a column is not narrowed below this


def write(table, output, *, width: int | None = None) -> str:
    texts = [[" ".join(cell(v).split()) for v in row] for row in table.rows]
    widths = [max([len(c)] + [len(r[i]) for r in texts]) for i, c in enumerate(table.columns)]
    if width:
        widths = _fitted(widths, width)
    out = _lines(table.columns, widths) + [GAP.join("-" * w for w in widths)]
    for row in texts:
        out += _lines(row, widths)
    return "\n".join(out) + "\n"


def _fitted(widths: list[int], width: int) -> list[int]:
    """Narrow the widest column, one character at a time, until the columns and their gaps fit `width`."""
    widths = list(widths)
    floors = [min(NARROWEST, w) for w in widths]
    while sum(widths) + len(GAP) * (len(widths) - 1) > width:
        widest = max(range(len(widths)), key=lambda i: (widths[i] - floors[i], widths[i]))
        if widths[widest] <= floors[widest]:
            break  # as narrow as it gets: the table is wider than the terminal
        widths[widest] -= 1
    return widths


def _lines(values: list[str], widths: list[int]) -> list[str]:
    """One row as terminal lines: each cell wrapped to its column's width, the columns side by side."""
    wrapped = [textwrap.wrap(v, w, break_on_hyphens=False) or [""] if len(v) > w else [v]
               for v, w in zip(values, widths, strict=True)]
    height = max(len(cell_lines) for cell_lines in wrapped)
    return [GAP.join((c[k] if k < len(c) else "").ljust(w) for c, w in zip(wrapped, widths, strict=True)).rstrip()
            for k in range(height)]
