"""A table of results: what stored queries and SELECT queries return, and what the table outputs write.

A Table holds plain values: str, int, float, bool, None, or a list for list-valued columns.
"""

from dataclasses import dataclass, field


@dataclass
class Table:
    columns: list
    rows: list = field(default_factory=list)

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
