"""Tables out: table, csv, tsv, json, markdown, latex.

A Table holds plain values (str, int, float, bool, None, or a list for list-valued columns).

>>> t = Table(["force", "sources"], [["cost", ["s1", "s2"]], ["speed_&_scale", []]])
>>> print(render(t, "markdown"), end="")
| force | sources |
| --- | --- |
| cost | s1, s2 |
| speed_&_scale |  |
>>> print(render(t, "latex").splitlines()[3])
cost & s1, s2 \\\\
>>> render(t, "json")
'[\\n  {"force": "cost", "sources": ["s1", "s2"]},\\n  {"force": "speed_&_scale", "sources": []}\\n]\\n'
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field

FORMATS = ("table", "csv", "tsv", "json", "markdown", "latex")


@dataclass
class Table:
    columns: list
    rows: list = field(default_factory=list)

    def dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def cell(value) -> str:
    """Text of one value; lists are joined with ', '."""
    if value.__class__ is str:  # most cells: the fast path
        return value
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(table: Table, fmt: str = "table") -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return globals()[f"_{fmt}"](table)


def _table(table: Table) -> str:
    texts = [[cell(v).replace("\n", " ") for v in row] for row in table.rows]
    widths = [max([len(c)] + [len(r[i]) for r in texts]) for i, c in enumerate(table.columns)]
    widths = [min(w, 60) for w in widths]

    def line(values):
        return "  ".join(_clip(v, w).ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(table.columns), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in texts]
    return "\n".join(out) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _delimited(table: Table, delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([cell(v) for v in row] for row in table.rows)
    return buffer.getvalue()


def _csv(table: Table) -> str:
    return _delimited(table, ",")


def _tsv(table: Table) -> str:
    return _delimited(table, "\t")


def _json(table: Table) -> str:
    if not table.rows:
        return "[]\n"
    lines = [json.dumps(d, ensure_ascii=False) for d in table.dicts()]
    return "[\n  " + ",\n  ".join(lines) + "\n]\n"


def _markdown(table: Table) -> str:
    def row(values):
        return "| " + " | ".join(cell(v).replace("|", "\\|").replace("\n", " ") for v in values) + " |"

    out = [row(table.columns), "| " + " | ".join("---" for _ in table.columns) + " |"]
    out += [row(r) for r in table.rows]
    return "\n".join(out) + "\n"


_LIGATURE_DASH = re.compile(r"-(?=-)")  # a hyphen followed by another
LATEX_SPECIALS = str.maketrans({
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\n": " "})


def latex_escape(text: str) -> str:
    r"""TeX's special characters escaped, line breaks as spaces, and hyphens kept apart: TeX sets `--` as an
    en dash, and the very negative impact is written `(--)`.

    >>> latex_escape("50% of C#_{x}")
    '50\\% of C\\#\\_\\{x\\}'
    >>> latex_escape("Cost (--), A---B, Time-to-Market")
    'Cost (-{}-), A-{}-{}-B, Time-to-Market'
    """
    text = text.translate(LATEX_SPECIALS)
    return _LIGATURE_DASH.sub("-{}", text) if "--" in text else text


def _latex(table: Table) -> str:
    def row(values):
        return " & ".join(latex_escape(cell(v)) for v in values) + r" \\"

    out = [r"\begin{tabular}{" + "l" * len(table.columns) + "}", r"\hline", row(table.columns) + r" \hline"]
    out += [row(r) for r in table.rows]
    out += [r"\hline", r"\end{tabular}"]
    return "\n".join(out) + "\n"
