"""What `gtkg build` writes for a paper: the three tables, the diagrams, the design document and its quotes.

The constructed study tests/fixtures/paper (three decisions, one without options; TeX's specials, “quotes”, é
and an emoji in labels and titles; a dependency with a how; a next-decision link from an option; a force no
source contains) is built and every file compared with tests/golden/paper/, reviewed by hand. After a change
meant to alter them: gtkg build tests/fixtures/paper -o /tmp/p, copy the files over, and read the diff.
Properties hold on every study at hand: the examples, the fixtures, a generated study, the shared corpus.
"""

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import CORPUS, EXAMPLES, FIXTURES, ROOT
from latex_check import problems

from gtkg.building import build

STUDY = FIXTURES / "paper"
GOLDEN = Path(__file__).parent / "golden" / "paper"
GOLDEN_FILES = sorted(str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("paper") / "out"
    build([STUDY], output=out)
    return out


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_build_writes_the_golden_file(built, name):
    assert (built / name).read_text(encoding="utf-8") == (GOLDEN / name).read_text(encoding="utf-8")


def test_every_paper_diagram_and_document_file_has_a_golden_file(built):
    written = {str(p.relative_to(built)) for folder in ("paper", "diagrams") for p in (built / folder).iterdir()
               if p.suffix != ".svg"} | {"design.md", "quotes.md"}
    assert written == set(GOLDEN_FILES)


def test_the_latex_parses_with_rows_as_wide_as_their_tables(built):
    for tex in [*(built / "paper").glob("*.tex"), *(built / "tables").glob("*.tex")]:
        assert problems(tex.read_text(encoding="utf-8")) == [], tex.name


@pytest.mark.parametrize("text, problem", [
    (r"\begin{tabular}{ll} a & b & c \\ \end{tabular}", "a row of 3 cells in 2 columns"),
    (r"\begin{longtable}{lll} a & b & c \\ \multicolumn{2}{l}{z} \\ \end{longtable}", "a row of 2 cells"),
    (r"\begin{tabular}{ll} a & b \\", "does not parse"),
    ("Caf\u00e9", "(U+00E9) is not escaped"),
])
def test_the_latex_check_finds_what_is_wrong(text, problem):
    assert any(problem in found for found in problems(text))


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="pdflatex is not installed (apt-get install texlive-latex-"
                                                          "extra); the parser test above still checks the LaTeX")
def test_pdflatex_compiles_every_table(built, tmp_path):
    tables = sorted((built / "paper").glob("*.tex")) + sorted((built / "tables").glob("*.tex"))
    ruled = tmp_path / "ruled"
    build([STUDY], output=ruled, rules="ruled")
    tables += sorted((ruled / "paper").glob("[fos]*.tex"))
    inputs = []
    for n, tex in enumerate(t for t in tables if t.name != "preamble.tex"):
        shutil.copy(tex, tmp_path / f"t{n}.tex")
        inputs.append(rf"\input{{t{n}}}\clearpage")
    shutil.copy(built / "paper" / "preamble.tex", tmp_path)
    (tmp_path / "paper.tex").write_text("\\documentclass{article}\n\\input{preamble}\n\\begin{document}\n"
                                        + "\n".join(inputs) + "\n\\end{document}\n", encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "paper.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:]
    log = (tmp_path / "paper.log").read_text(encoding="latin-1")
    assert not re.search(r"^! ", log, re.MULTILINE)


# -- properties on every study at hand


def _generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    subprocess.run(["python", str(ROOT / "bench" / "generate.py"), "--scale", "0.3", "--out", str(out)],
                   check=True, capture_output=True)
    return out


@pytest.fixture(scope="module", params=["examples", "fixture-study", "paper-study", "generated", "corpus"])
def study(request, tmp_path_factory):
    if request.param == "corpus" and not CORPUS.exists():
        pytest.skip("the shared self-serve corpus is not present")
    paths = {"examples": EXAMPLES, "fixture-study": FIXTURES / "models" / "study", "paper-study": STUDY,
             "corpus": CORPUS}
    source = paths.get(request.param) or _generated(tmp_path_factory)
    out = tmp_path_factory.mktemp(request.param) / "out"
    build([source], output=out)
    return out


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_decision_has_a_diagram_in_every_language(study):
    decisions = [row["code"] for row in _rows(study / "tables" / "codes.csv") if row["kind"] == "decision"]
    for decision in decisions:
        for extension in ("puml", "mmd", "dot"):
            assert (study / "diagrams" / f"{decision}.{extension}").is_file(), (decision, extension)
    for name in ("all-decisions", "next-decisions"):
        assert (study / "diagrams" / f"{name}.mmd").is_file()


def test_every_option_of_every_decision_appears(study):
    document = (study / "design.md").read_text(encoding="utf-8")
    links = _rows(study / "tables" / "decision-options.csv")
    labels = {row["code"]: row["label"] for row in _rows(study / "tables" / "codes.csv")}
    overview = _rows(study / "paper" / "overview.csv")
    for decision in {link["decision"] for link in links}:  # its options numbered 1., 2., ... in the overview
        numbers = [row["Options"].split(".")[0] for row in overview if row["Decision"] == labels[decision]]
        assert numbers == [str(n) for n in range(1, sum(link["decision"] == decision for link in links) + 1)]
    for link in links:
        node = f"c_{link['option']}"
        for extension in ("puml", "mmd", "dot"):
            text = (study / "diagrams" / f"{link['decision']}.{extension}").read_text(encoding="utf-8")
            assert re.search(rf"\b{node}\b", text), (link, extension)
            assert re.search(rf"\b{node}\b", (study / "diagrams" / f"all-decisions.{extension}").read_text())
        assert f"#{link['decision']}--{link['option']})" in document


def test_every_force_id_of_the_overview_is_in_the_forces_table(study):
    defined = [row["ID"] for row in _rows(study / "paper" / "forces.csv")]
    assert defined == [f"f{n}" for n in range(1, len(defined) + 1)]
    used = {found for row in _rows(study / "paper" / "overview.csv")
            for found in re.findall(r"\b(f\d+)\(", row["Force Impacts"])}
    assert used <= set(defined)
    forces = [row["label"] for row in _rows(study / "tables" / "force-evidence.csv")]
    assert [row["Force"] for row in _rows(study / "paper" / "forces.csv")][:len(forces)] == forces


def test_every_latex_table_parses(study):
    for tex in [*(study / "paper").glob("*.tex"), *(study / "tables").glob("*.tex")]:
        assert problems(tex.read_text(encoding="utf-8")) == [], tex
