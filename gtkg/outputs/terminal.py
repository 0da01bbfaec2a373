"""Tables for a terminal: aligned columns, long cells clipped.

>>> from gtkg.table import Table
>>> print(write(Table(["force", "sources"], [["cost", ["s1", "s2"]]]), None), end="")
force  sources
-----  -------
cost   s1, s2
"""

from gtkg.table import cell

MAX_WIDTH = 60  # characters of one column


def write(table, output) -> str:
    texts = [[cell(v).replace("\n", " ") for v in row] for row in table.rows]
    widths = [max([len(c)] + [len(r[i]) for r in texts]) for i, c in enumerate(table.columns)]
    widths = [min(w, MAX_WIDTH) for w in widths]

    def line(values):
        return "  ".join(_clip(v, w).ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(table.columns), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in texts]
    return "\n".join(out) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
