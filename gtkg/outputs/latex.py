r"""LaTeX: a tabular, TeX's special characters escaped.

>>> from gtkg.table import Table
>>> print(write(Table(["force", "sources"], [["cost", ["s1", "s2"]]]), None).splitlines()[3])
cost & s1, s2 \\
"""

import re

from gtkg.table import cell

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


def write(table, output, *, width: int | None = None) -> str:
    def row(values):
        return " & ".join(latex_escape(cell(v)) for v in values) + r" \\"

    out = [r"\begin{tabular}{" + "l" * len(table.columns) + "}", r"\hline", row(table.columns) + r" \hline"]
    out += [row(r) for r in table.rows]
    out += [r"\hline", r"\end{tabular}"]
    return "\n".join(out) + "\n"
