"""The LaTeX and Markdown table writers: escaping, column widths, long tables, rules, layouts."""

import re

import pytest
from latex_check import problems

from gtkg.outputs import render
from gtkg.outputs.latex import LONG_TABLE, latex_escape, preamble
from gtkg.table import Layout, Table


@pytest.mark.parametrize("text, latex", [
    ("R&D 100% $5 #1 a_b {x} ~ ^ \\", r"R\&D 100\% \$5 \#1 a\_b \{x\} \textasciitilde{} \textasciicircum{} "
                                      r"\textbackslash{}"),
    ("a<b>c|d", r"a\textless{}b\textgreater{}c\textbar{}d"),
    ("line\nbreak\ttab\x07bell", "line break tabbell"),  # control characters dropped
    ("Time (--)", "Time (-{}-)"),
    ("naïve café", r"na{\"\i}ve caf{\'e}"),
    ("e\u0301", r"{\'e}"),  # combining accent: composed first
    ("“x” – y … z → w", r"{\textquotedblleft}x{\textquotedblright} {\textendash} y {\textellipsis} z "
                        r"{\textrightarrow} w"),
    ("ship it 🚀\u200d\ufe0f", "ship it "),  # emoji, joiners and variation selectors dropped
    ("d\u0430ta", r"d\ensuremath{\langle}\texttt{U+0430}\ensuremath{\rangle}ta"),  # Cyrillic а: no T2A font
])
def test_latex_escape_leaves_only_what_pdflatex_reads(text, latex):
    assert latex_escape(text) == latex
    assert latex_escape(text).isascii()


def test_latex_escape_prints_no_warning(capsys, caplog):
    latex_escape("\U0001f642 \u4e2d")
    assert capsys.readouterr() == ("", "") and not caplog.records


def test_a_narrow_table_keeps_plain_columns_and_a_wide_one_wraps_to_the_page():
    narrow = render(Table(["id", "count"], [["s1", 3]]), "latex")
    assert r"\begin{tabular}{ll}" in narrow
    wide = render(Table(["id", "text"], [["s1", "word " * 60]]), "latex")
    widths = [float(w) for w in re.findall(r"p\{\\dimexpr ([0-9.]+)\\linewidth", wide)]
    assert len(widths) == 2 and widths[1] > widths[0] and abs(sum(widths) - 1) < 0.01
    assert problems(wide) == []


def test_a_long_table_is_a_longtable_with_its_header_repeated():
    rows = [[f"s{n}", "x"] for n in range(LONG_TABLE + 1)]
    text = render(Table(["id", "v"], rows, Layout(caption="Many", label="tab:many")), "latex")
    assert r"\begin{longtable}{ll}" in text and r"\begin{table}" not in text
    assert r"\caption{Many}\label{tab:many}\\" in text
    assert text.count(r"\textbf{id}") == 2 and r"\endhead" in text
    assert problems(text) == []
    assert r"\begin{tabular}" in render(Table(["id", "v"], rows[:LONG_TABLE]), "latex")


def test_caption_and_label_come_from_the_layout_or_render_and_a_table_s_own_win():
    table = Table(["a"], [["x"]])
    text = render(table, "latex", caption="Summary & more", label="tab:my table")
    assert r"\caption{Summary \& more}" in text and r"\label{tab:my-table}" in text
    own = Table(["a"], [["x"]], Layout(caption="Own"))
    assert r"\caption{Own}" in render(own, "latex", caption="Default", label="tab:x")
    assert r"\caption" not in render(table, "latex")


def test_ruled_tables_box_every_cell():
    table = Table(["a", "b"], [["1", "2"], ["3", "4"]], Layout(rules="ruled"))
    text = render(table, "latex")
    assert r"\begin{tabular}{|l|l|}" in text and r"\toprule" not in text
    assert text.count(r"\hline") == 4  # top, under the header, between the rows, bottom


def test_merged_columns_span_their_blocks():
    table = Table(["decision", "option"], [["D", "o1"], ["D", "o2"], ["E", "o3"]],
                  Layout(merged=("decision",), blocks=(2, 1)))
    latex = render(table, "latex").splitlines()
    assert r"\multirow{2}{*}{D} & o1 \\" in latex and r" & o2 \\" in latex and r"E & o3 \\" in latex
    markdown = render(table, "markdown").splitlines()
    assert markdown[2:] == ["| D | o1 |", "|  | o2 |", "| E | o3 |"]
    assert render(table, "csv").splitlines()[2] == "D,o2"  # data stays whole


def test_evidence_is_shaded_by_its_size_and_urls_are_links():
    table = Table(["id", "evidence", "url"], [["f1", ["s1"], "https://x.org/a_b%20c#d"], ["f2", ["s1"] * 5, ""]],
                  Layout(shaded=("evidence",)))
    text = render(table, "latex")
    assert r"\cellcolor{gtkgshade1}s1 &" in text and r"\cellcolor{gtkgshade5}s1, s1" in text
    assert r"\href{https://x.org/a_b\%20c\#d}{https:/\allowbreak{}/\allowbreak{}x.org/\allowbreak{}a\_b\%20c\#d}" \
        in text
    assert r"\colorlet{gtkgshade5}" in preamble() and r"\usepackage{colortbl}" in preamble()


def test_markdown_names_rows_and_sets_the_legend_under_the_table():
    table = Table(["ID", "Title"], [["f1", "A|B"], ["f2", "*C*"]],
                  Layout(emphasis=("Title",), anchors=("f1", ""), legend=("f1: A", "f2: C")))
    assert render(table, "markdown").splitlines() == [
        "| ID | Title |", "| --- | --- |", '| <a id="f1"></a>f1 | *A\\|B* |', "| f2 | *\\*C\\** |", "",
        "f1: A  ", "f2: C  "]
