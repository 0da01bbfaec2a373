r"""LaTeX: a table ready to paste into a paper, and the preamble it needs (`preamble()`).

A table gets its Layout's caption and label, booktabs rules (or every cell ruled, with `rules="ruled"`),
columns that wrap and add up to the page's width when its text does not fit on one line, and `longtable` when
it has more rows than a page holds. Every character reaches pdflatex escaped or replaced: TeX's specials by
hand, other characters by pylatexenc; what has no LaTeX form is written as its code point (U+XXXX), and
emoji and invisible marks are dropped.

>>> from gtkg.table import Table
>>> print(write(Table(["force", "sources"], [["cost", ["s1", "s2"]]]), None))
\begin{table}[htbp]
\centering
\small
\begin{tabular}{ll}
\toprule
\textbf{force} & \textbf{sources} \\
\midrule
cost & s1, s2 \\
\bottomrule
\end{tabular}
\end{table}
<BLANKLINE>
"""

import math
import re
import unicodedata
from functools import lru_cache

from gtkg.table import Layout, cell

SIZES = (("small", 68), ("footnotesize", 76), ("scriptsize", 92))  # characters a line of a one-column page
# holds (345pt) in each type size: a table takes the largest in which its longest words fit
COLUMN_GAP = 3  # characters: the space between two columns (2\tabcolsep)
WIDE_COLUMN = 60  # a column's text counts at most this much when the page's width is shared out
LONG_WORD = 30  # a column is made at most this wide for its longest word (URLs); longer words stick out
LONG_TABLE = 30  # rows: more go into a longtable, which breaks across pages
SHADES = 5  # shades of an evidence list, from few sources to the most any row has
_LIGATURE_DASH = re.compile(r"-(?=-)")  # a hyphen followed by another
_URL = re.compile(r"https?://[^\s]+")
_SLASH_BREAK = r"/\allowbreak{}"
_UNDERSCORE_BREAK = r"\_\allowbreak{}"
_BREAKS = re.compile(r"\s+|(?<=[-_])")
_URL_BREAKS = re.compile(r"(?<=/)")
LATEX_SPECIALS = str.maketrans({
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
    "|": r"\textbar{}", "\n": " ", "\r": " ", "\t": " ",
    **{chr(c): "" for c in (*range(0, 9), 11, 12, *range(14, 32), 127)}})

PREAMBLE = r"""% The packages and colours of the tables gtkg writes: \input{preamble} in the paper's preamble.
\usepackage{array}
\usepackage{booktabs}
\usepackage{longtable}
\usepackage{multirow}
\usepackage{xcolor}
\usepackage{colortbl}
\usepackage{hyperref}
% Evidence lists are shaded by their number of sources, in SHADES steps of one colour: change it here.
\definecolor{gtkgevidence}{HTML}{4C72B0}
"""


def preamble() -> str:
    r"""The preamble snippet the tables need: packages and the shades of evidence.

    >>> preamble().splitlines()[-1]
    '\\colorlet{gtkgshade5}{gtkgevidence!40}'
    """
    shades = [rf"\colorlet{{gtkgshade{n}}}{{gtkgevidence!{8 * n}}}" for n in range(1, SHADES + 1)]
    return PREAMBLE + "\n".join(shades) + "\n"


def latex_escape(text: str) -> str:
    r"""Text as LaTeX that pdflatex accepts: TeX's special characters escaped, line breaks as spaces, other
    characters as LaTeX macros, and hyphens kept apart (TeX sets `--` as an en dash; the very negative impact
    is written `(--)`).

    >>> latex_escape("50% of C#_{x}")
    '50\\% of C\\#\\_\\{x\\}'
    >>> latex_escape("Cost (--), A---B, Time-to-Market")
    'Cost (-{}-), A-{}-{}-B, Time-to-Market'
    >>> print(latex_escape("Café “Ops” — 🚀!"))
    Caf{\'e} {\textquotedblleft}Ops{\textquotedblright} {\textemdash} !
    >>> print(latex_escape("中"))
    \ensuremath{\langle}\texttt{U+4E2D}\ensuremath{\rangle}
    """
    text = text.translate(LATEX_SPECIALS)
    if not text.isascii():
        text = "".join(c if c < "\x80" else _non_ascii(c) for c in unicodedata.normalize("NFC", text))
    return _LIGATURE_DASH.sub("-{}", text) if "--" in text else text


@lru_cache(maxsize=4096)
def _non_ascii(char: str) -> str:
    latex = _encoder().unicode_to_latex(char)
    if latex == char or r"\cyr" in latex.lower():  # no LaTeX form, or one that needs a Cyrillic font encoding
        return _unknown(char)
    return latex


@lru_cache(maxsize=1)
def _encoder():
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    return UnicodeToLatexEncoder(non_ascii_only=True, replacement_latex_protection="braces-all",
                         unknown_char_policy="keep", unknown_char_warning=False)


def _unknown(char: str) -> str:
    if unicodedata.category(char) in ("So", "Sk", "Cf", "Mn", "Me", "Cs", "Co", "Cn"):  # emoji, marks, invisibles
        return ""
    return rf"\ensuremath{{\langle}}\texttt{{U+{ord(char):04X}}}\ensuremath{{\rangle}}"


def write(table, output, *, width: int | None = None) -> str:
    layout = table.layout or Layout()
    texts = [[cell(v) for v in row] for row in table.rows]
    ruled = layout.rules == "ruled"
    specs, size = _column_specs(table.columns, texts, layout, ruled)
    long = len(table.rows) > LONG_TABLE
    head = " & ".join(rf"\textbf{{{latex_escape(c)}}}" for c in table.columns) + r" \\"
    top, mid, bottom = (r"\hline",) * 3 if ruled else (r"\toprule", r"\midrule", r"\bottomrule")
    colspec = ("|" + "|".join(specs) + "|") if ruled else "".join(specs)
    legend = _legend(layout, len(specs), mid)
    body = _body(table, layout, specs, ruled)
    titles = ([rf"\caption{{{latex_escape(layout.caption)}}}"] if layout.caption else []) + (
        [rf"\label{{{_label(layout.label)}}}"] if layout.label else [])
    if long:
        out = [rf"\begingroup\{size}", rf"\begin{{longtable}}{{{colspec}}}"]
        out += ["".join(titles) + r"\\"] if titles else []
        out += [top, head, mid, r"\endfirsthead", top, head, mid, r"\endhead", bottom, r"\endfoot"]
        out += [*legend, bottom, r"\endlastfoot", *body, r"\end{longtable}", r"\endgroup"]
    else:
        out = [r"\begin{table}[htbp]", r"\centering", rf"\{size}", *titles, rf"\begin{{tabular}}{{{colspec}}}"]
        out += [top, head, mid, *body, *legend, bottom, r"\end{tabular}", r"\end{table}"]
    return "\n".join(out) + "\n"


def _column_specs(columns: list, texts: list, layout: Layout, ruled: bool) -> tuple[list[str], str]:
    r"""The columns' specs and the type size: `l` columns when the rows fit on a line, else wrapping columns
    whose widths add up to \linewidth, each at least as wide as its longest word, the rest of the line shared
    out by the Layout's relative widths, else by each column's longest text (counted up to WIDE_COLUMN
    characters). Widths are reckoned in characters (SIZES), COLUMN_GAP of them between columns; ruled tables
    leave room for their vertical rules."""
    natural = [max([len(c)] + [len(row[i]) for row in texts]) for i, c in enumerate(columns)]
    gaps = COLUMN_GAP * len(columns)
    if not layout.widths and sum(natural) + gaps <= SIZES[0][1]:
        return ["l"] * len(columns), SIZES[0][0]
    words = [min(LONG_WORD, max(_longest_word(c) * 1.4, *(_longest_word(row[i]) * 1.15 for row in texts), 1))
             for i, c in enumerate(columns)]  # headers are bold: wider letters
    size, page = next(((size, page) for size, page in SIZES if sum(words) + gaps <= page), SIZES[-1])
    wants = [layout.widths.get(c) or min(n, WIDE_COLUMN) for c, n in zip(columns, natural, strict=True)]
    room = max(0, page - gaps - sum(words))
    extra = [max(0, want - word) for want, word in zip(wants, words, strict=True)]
    spare = sum(extra) or 1
    widths = [word + room * e / spare + COLUMN_GAP for word, e in zip(words, extra, strict=True)]
    total, count = sum(widths), len(columns)
    rules = rf"-\arrayrulewidth*{count + 1}/{count}" if ruled else ""
    return [rf">{{\raggedright\arraybackslash}}p{{\dimexpr {w / total:.3f}\linewidth-2\tabcolsep{rules}\relax}}"
            for w in widths], size


def _longest_word(text: str) -> int:
    """Characters of the longest word, where a line may not break: lines break at spaces, after hyphens and
    underscores, and in URLs after each slash."""
    return max(map(len, (_URL_BREAKS if _URL.fullmatch(text) else _BREAKS).split(text)), default=0)


def _body(table, layout: Layout, specs: list, ruled: bool) -> list[str]:
    columns = table.columns
    shades = {c: _shades(table, columns.index(c)) for c in layout.shaded if c in columns}
    merged = [columns.index(c) for c in layout.merged if c in columns]
    starts = layout.block_starts(len(table.rows))
    out = []
    for r, row in enumerate(table.rows):
        if r and layout.blocks and r in starts:
            out.append(r"\hline" if ruled else r"\midrule")
        elif r and ruled:
            out.append(_cline(merged, len(columns)) if merged else r"\hline")
        cells = []
        for i, (column, value) in enumerate(zip(columns, row, strict=True)):
            text = _text(column, value, layout, shades, specs[i] != "l")
            if i in merged:
                span = starts.get(r)
                text = "" if span is None else text if span == 1 else _multirow(span, specs[i], text)
            cells.append(text)
        out.append(" & ".join(cells) + r" \\")
    return out


def _text(column: str, value, layout: Layout, shades: dict, wraps: bool) -> str:
    plain = cell(value)
    text = latex_escape(plain).strip()  # a dropped emoji may leave a space at the end
    if wraps:  # identifiers may break after an underscore
        text = text.replace(r"\_", _UNDERSCORE_BREAK)
    if _URL.fullmatch(plain):  # a link, which may break after each slash
        text = rf"\href{{{_href(plain)}}}{{{text.replace('/', _SLASH_BREAK)}}}"
    if column in layout.emphasis and text:
        text = rf"\emph{{{text}}}"
    if column in shades and isinstance(value, list) and value:
        text = rf"\cellcolor{{gtkgshade{shades[column](len(value))}}}{text}"
    return text


def _shades(table, index: int):
    most = max([len(row[index]) for row in table.rows if isinstance(row[index], list)] + [1])
    return lambda n: max(1, math.ceil(SHADES * n / most))


def _multirow(span: int, spec: str, text: str) -> str:
    return rf"\multirow{{{span}}}{{{'*' if spec == 'l' else '='}}}{{{text}}}"


def _cline(merged: list, count: int) -> str:
    """Rules under the cells of a row except the merged ones (ruled style, inside a block)."""
    return "".join(rf"\cline{{{i + 1}-{i + 1}}}" for i in range(count) if i not in merged)


def _legend(layout: Layout, count: int, mid: str) -> list[str]:
    if not layout.legend:
        return []
    text = "; ".join(latex_escape(line) for line in layout.legend)
    return [mid, rf"\multicolumn{{{count}}}{{p{{\dimexpr\linewidth-2\tabcolsep\relax}}}}{{\footnotesize {text}}} \\"]


def _href(url: str) -> str:
    r"""A URL as the first argument of \href: %, # and & escaped, characters TeX or hyperref would take
    otherwise percent-encoded."""
    from urllib.parse import quote

    url = quote(url, safe=":/?=+,;@!$'()*-._%#&")
    return url.replace("%", r"\%").replace("#", r"\#").replace("&", r"\&")


def _label(label: str) -> str:
    """A label as \\label takes it: letters, digits and :-_. only."""
    return re.sub(r"[^A-Za-z0-9:._-]", "-", label)
