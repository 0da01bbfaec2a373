"""A table of results: what stored queries and SELECT queries return, and what the table outputs write.

A Table holds plain values: str, int, float, bool, None, or a list for list-valued columns. Its optional Layout
says how to set it on a page (LaTeX) or a web page (Markdown); the other formats write the values only.
"""

from dataclasses import dataclass, field


@dataclass
class Layout:
    """How a table is set: caption and label, column styles, merged blocks of rows, a legend.

    Column styles name columns: `emphasis` columns are set in italics, `shaded` list columns are shaded by
    their number of items. `blocks` are the sizes of consecutive blocks of rows (a decision and its options);
    each `merged` column shows its value once per block. `anchors` names
    each row (one per row, "" for none) so that a document can link to it. `rules` is "booktabs" or "ruled"
    (every cell boxed, as CodeableModels studies set their tables).
    """

    caption: str = ""
    label: str = ""
    widths: dict = field(default_factory=dict)  # column -> relative width; the others sized by their content
    emphasis: tuple = ()
    shaded: tuple = ()
    merged: tuple = ()
    blocks: tuple = ()
    anchors: tuple = ()
    legend: tuple = ()  # lines set under the table
    rules: str = "booktabs"

    def block_starts(self, rows: int) -> dict[int, int]:
        """Row index -> size of the block it starts; without blocks every row is its own.

        >>> Layout(blocks=(2, 1)).block_starts(3), Layout().block_starts(2)
        ({0: 2, 2: 1}, {0: 1, 1: 1})
        """
        starts, row = {}, 0
        for size in self.blocks or [1] * rows:
            starts[row], row = size, row + size
        return starts


@dataclass
class Table:
    columns: list
    rows: list = field(default_factory=list)
    layout: Layout | None = None

    def dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def cell(value) -> str:
    """Text of one value; lists are joined with ', '.

    >>> cell(["s1", "s2"]), cell(None), cell(True), cell(3)
    ('s1, s2', '', 'true', '3')
    """
    if value.__class__ is str:  # most cells: the fast path
        return value
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
