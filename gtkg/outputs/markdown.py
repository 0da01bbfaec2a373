"""Markdown: a GitHub table; pipes in cells escaped, line breaks as spaces.

>>> from gtkg.table import Table
>>> print(write(Table(["force", "sources"], [["cost", ["s1", "s2"]], ["a|b", []]]), None), end="")
| force | sources |
| --- | --- |
| cost | s1, s2 |
| a\\|b |  |
"""

from gtkg.table import cell


def write(table, output, *, width: int | None = None) -> str:
    def row(values):
        return "| " + " | ".join(cell(v).replace("|", "\\|").replace("\n", " ") for v in values) + " |"

    out = [row(table.columns), "| " + " | ".join("---" for _ in table.columns) + " |"]
    out += [row(r) for r in table.rows]
    return "\n".join(out) + "\n"
