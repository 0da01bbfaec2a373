"""Markdown: a GitHub table; pipes in cells escaped, line breaks as spaces.

A table's Layout sets emphasis columns in italics, a merged column's value once
per block of rows, an anchor (`<a id=...>`) before each named row, and its legend under the table.

>>> from gtkg.table import Table
>>> print(write(Table(["force", "sources"], [["cost", ["s1", "s2"]], ["a|b", []]]), None), end="")
| force | sources |
| --- | --- |
| cost | s1, s2 |
| a\\|b |  |
"""

from gtkg.table import Layout, cell


def write(table, output, *, width: int | None = None) -> str:
    layout = table.layout or Layout()
    merged = [table.columns.index(c) for c in layout.merged if c in table.columns]
    starts = layout.block_starts(len(table.rows))
    out = [_row(table.columns), "| " + " | ".join("---" for _ in table.columns) + " |"]
    for r, row in enumerate(table.rows):
        texts = [_text(column, value, layout) for column, value in zip(table.columns, row, strict=True)]
        if merged and r not in starts:
            texts = ["" if i in merged else text for i, text in enumerate(texts)]
        if r < len(layout.anchors) and layout.anchors[r]:
            texts[0] = f'<a id="{layout.anchors[r]}"></a>{texts[0]}'
        out.append(_row(texts, escaped=True))
    if layout.legend:
        out += [""] + [_escape(line) + "  " for line in layout.legend]
    return "\n".join(out) + "\n"


def _row(values, escaped: bool = False) -> str:
    return "| " + " | ".join(v if escaped else _escape(cell(v)) for v in values) + " |"


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _text(column: str, value, layout: Layout) -> str:
    text = _escape(cell(value)).strip() if column in layout.emphasis else _escape(cell(value))
    if column in layout.emphasis and text:
        return "*" + text.replace("*", "\\*") + "*"
    return text
