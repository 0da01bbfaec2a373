"""`build()`: field notes and model files to the study's tables, its graph and its validation report.

    OUT/tables/<query>.csv, .md, .tex   every stored query that needs no parameter (the big dumps, code-evidence
                                        and co-occurrence, without .tex: `gtkg query NAME -f latex` writes it)
    OUT/paper/sources, forces, overview .tex, .md, .csv: the paper's tables; preamble.tex, what they need
    OUT/diagrams/<decision>.puml, .mmd, .dot, and all-decisions, next-decisions; .svg when Graphviz or
                                        PlantUML is installed
    OUT/design.md, quotes.md            the design document, and the quotes its source ids link to
    OUT/figures/saturation.svg, .pdf    the saturation figure, when matplotlib is installed (gtkg[plots])
    OUT/study.ttl                       the graph, all files merged (deterministic Turtle)
    OUT/validation.txt, .ttl            the validation report: text, and the standard SHACL report graph

Without a store the build works in a scratch in-memory store, so the outputs depend on the given paths only
(a file removed since the last build does not linger in the tables) and nothing waits on a disk. With a store
(a folder or an endpoint) the files' graphs replace their earlier versions there and other graphs stay, as
`load()` does, and the graph stays there to query afterwards. The store is opened once for the whole build.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gtkg.errors import InputError
from gtkg.iris import DEFAULT_STUDY

TABLE_OUTPUTS = ("csv", "markdown", "latex")  # what every table is written as (gtkg.outputs names)
DUMPS = ("code-evidence", "co-occurrence")  # tables too big for a paper: no LaTeX
PAPER_OUTPUTS = ("latex", "markdown", "csv")
DIAGRAM_OUTPUTS = ("plantuml", "mermaid", "dot")
DOCUMENT_OUTPUTS = ("design", "quotes")  # design.md, quotes.md
FIGURE_OUTPUTS = ("svg", "pdf")
QUERY_THREADS = 3
BUILD_MARKER = "gtkg-build.json"  # marks a folder as a build's output and lists the files the build wrote


@dataclass
class BuildSummary:
    output: Path
    store: str  # where the graph was loaded: a folder or an endpoint URL
    loaded: object  # the LoadSummary of the load
    tables: dict = field(default_factory=dict)  # query name -> number of rows
    skipped: list = field(default_factory=list)  # queries that need a parameter
    validation: str = ""  # one-line summary of the validation, or why there is none
    findings: dict | None = None  # severity -> count, None when validation was unavailable
    failed: bool = False  # findings at or above fail_on
    files: list = field(default_factory=list)  # every file written, relative to output
    diagrams: int = 0  # diagrams written (each in every diagram format)
    rendered: str = ""  # the renderer that drew the diagrams as SVG, "" when none is installed
    missing: list = field(default_factory=list)  # what was not written for want of a tool, and how to get it


def build(paths, *, output, store=None, study: str = DEFAULT_STUDY, base: str | None = None,
          fail_on: str | None = None, shapes=(), rules: str = "booktabs", order=None,
          progress: Callable | None = None) -> BuildSummary:
    """Load `paths`, write every parameterless stored query as CSV, Markdown and LaTeX, the paper tables, the
    diagrams, the design document, the saturation figure, the graph as Turtle and the validation report into
    `output`.

    `fail_on` (violation, warning or info) sets `failed` when validation finds problems at or above it.
    `shapes` are a study's own SHACL shapes files, checked too. `rules` (booktabs or ruled) sets the LaTeX
    tables' rules; `order` is a file listing the sources in the order they were coded, for the saturation
    figure (default: natural order). `progress(step, done=None, total=None)` hears each step.
    """
    from gtkg.design import from_tables
    from gtkg.exporting import export
    from gtkg.loading import load
    from gtkg.saturation import read_order
    from gtkg.store import MEMORY, using

    coded = read_order(order) if order else None
    out = Path(output)
    previous = _claim(out)
    step = progress or (lambda *_: None)
    with using(MEMORY if store is None else store, inputs=paths) as target:
        loaded = load(paths, store=target, study=study, base=base, progress=progress)
        summary = BuildSummary(out, target.location, loaded)
        tables = _write_tables(summary, target, step)
        step("Writing the paper's tables, diagrams and design document")
        space = from_tables(tables)
        with _Figures(summary, space, coded) as figures:  # drawn in another process meanwhile
            _write_design(summary, space, rules)
            step("Writing study.ttl")
            _write(summary, "study.ttl", export(store=target, format="turtle"))
            step("Validating")
            _write_validation(summary, target, fail_on, shapes)
            step("Writing the saturation figure")
            figures.finish()
    _release(out, previous, summary.files)
    return summary


def _claim(out: Path) -> list[str]:
    """Make sure the build may write into `out` and mark it as a build folder; returns the files the
    previous build wrote there. Refused: a file, and a non-empty folder that no gtkg build wrote."""
    import json
    import os

    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file; give a folder for the build's output (-o DIR)")
    marker = out / BUILD_MARKER
    if marker.is_file():
        try:
            return list(json.loads(marker.read_text(encoding="utf-8"))["files"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{marker} is damaged ({exc}); delete it if {out} holds only an earlier build's "
                             "output, or give -o another folder") from exc
    entries = sorted(os.listdir(out)) if out.is_dir() else []
    if entries:
        shown = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
        raise InputError(f"refusing to write the build into {out}: it holds files that no gtkg build wrote "
                         f"({shown}); give -o a new or empty folder, or the folder of an earlier build")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder {out}: {exc.strerror or exc}") from exc
    _mark(out, [])
    return []


def _release(out: Path, previous: list[str], written: list[str]) -> None:
    """Remove what the previous build wrote and this one did not (e.g. the table of a query since removed),
    and record what this build wrote."""
    for name in sorted(set(previous) - set(written)):
        (out / name).unlink(missing_ok=True)
    _mark(out, written)


def _mark(out: Path, files: list[str]) -> None:
    import json

    text = json.dumps({"gtkg-build": 1, "files": sorted(set(files))}, indent=1)
    (out / BUILD_MARKER).write_text(text + "\n", encoding="utf-8")


def _write_tables(summary: BuildSummary, store, step) -> dict:
    """Write the table of every parameterless query; returns the tables by query name."""
    from concurrent.futures import ThreadPoolExecutor

    from gtkg.outputs import get, render
    from gtkg.queries import catalogue, run_query

    queries = catalogue()
    summary.skipped = [name for name, query in queries.items() if any(p.required for p in query.params)]
    names = [name for name in queries if name not in summary.skipped]
    tables = {}
    # the engine answers outside the GIL: a few queries at a time keep both cores busy
    with ThreadPoolExecutor(max_workers=QUERY_THREADS) as pool:
        for done, (name, table) in enumerate(zip(names, pool.map(lambda name: run_query(name, store=store), names),
                                                 strict=True)):
            step("Writing tables", done + 1, len(names))
            summary.tables[name], tables[name] = len(table.rows), table
            for output in map(get, TABLE_OUTPUTS):
                if output.name == "latex" and name in DUMPS:
                    continue
                text = render(table, output.name, caption=queries[name].summary, label=f"tab:{name}")
                _write(summary, f"tables/{name}.{output.extension}", text)
    return tables


def _write_design(summary: BuildSummary, space, rules: str) -> None:
    """The paper tables, the diagrams and the design document of the design space (gtkg.design)."""
    from gtkg.outputs import get, latex, render
    from gtkg.paper import paper_tables

    for name, table in paper_tables(space, rules=rules).items():
        for output in map(get, PAPER_OUTPUTS):
            _write(summary, f"paper/{name}.{output.extension}", render(table, output.name))
    _write(summary, "paper/preamble.tex", latex.preamble())
    _write_diagrams(summary, space)
    for document in map(get, DOCUMENT_OUTPUTS):
        _write(summary, f"{document.name}.{document.extension}", document.writer().write(space, document))


def _write_diagrams(summary: BuildSummary, space) -> None:
    import os
    from concurrent.futures import ThreadPoolExecutor

    from gtkg.diagrams import diagrams
    from gtkg.errors import RenderError
    from gtkg.outputs import get
    from gtkg.rendering import HOW_TO_GET, MOST_NODES, render_svg, renderer

    drawer = renderer()
    summary.rendered = drawer.name if drawer else ""
    drawings = []  # (stem, diagram text, name) to draw as SVG
    for picture in diagrams(space):
        stem = "diagrams/" + re.sub(r"[^\w.-]", "_", picture.name)
        for output in map(get, DIAGRAM_OUTPUTS):
            text = output.writer().write(picture, output)
            _write(summary, f"{stem}.{output.extension}", text)
            if drawer and output.name == drawer.format and len(picture.nodes) > MOST_NODES:
                summary.missing.append(f"{stem}.svg: the diagram has {len(picture.nodes)} codes, too many to "
                                       f"draw (over {MOST_NODES}); draw the .{output.extension} file by hand")
            elif drawer and output.name == drawer.format:
                drawings.append((stem, text, picture.name))
        summary.diagrams += 1
    if not drawer:
        summary.missing.append(f"diagrams as SVG: {HOW_TO_GET}")
        return

    def draw(drawing):
        try:
            return render_svg(drawing[1], drawer, drawing[2])
        except RenderError as exc:
            return exc

    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:  # the renderer runs as processes, one per diagram
        for (stem, _, _), svg in zip(drawings, pool.map(draw, drawings), strict=True):
            if isinstance(svg, RenderError):
                summary.missing.append(str(svg))
            else:
                _write(summary, f"{stem}.svg", svg)


class _Figures:
    """The saturation figure, drawn by matplotlib in a process of its own while the build goes on (importing
    and drawing take some 2 s, as long as the rest of a small build), written by `finish`. The process is a new
    interpreter running gtkg.outputs.figure (not multiprocessing, whose workers would run the caller's script
    again where it has no `if __name__ == "__main__"`); where it fails, the figure is drawn here."""

    def __init__(self, summary: BuildSummary, space, order: list | None):
        from gtkg.saturation import saturation_curve

        self.summary = summary
        self.rows = saturation_curve(space, order).dicts()
        self.process = None

    def __enter__(self) -> "_Figures":
        import json
        import os
        import subprocess
        import sys

        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}  # the same gtkg as here
        try:
            self.process = subprocess.Popen([sys.executable, "-m", "gtkg.outputs.figure"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
            self.process.stdin.write(json.dumps({"rows": self.rows, "extensions": FIGURE_OUTPUTS}).encode())
            self.process.stdin.close()
        except OSError:
            self.__exit__()
        return self

    def finish(self) -> None:
        from gtkg.errors import MissingToolError
        from gtkg.outputs import figure

        try:
            files = self._drawn() or figure.draw(self.rows, FIGURE_OUTPUTS)
        except MissingToolError as exc:
            self.summary.missing.append(f"the saturation figure: {exc}")
            return
        for extension in FIGURE_OUTPUTS:
            _write(self.summary, f"figures/saturation.{extension}", files[extension])

    def _drawn(self) -> dict | None:
        """The files the process drew, or None where it failed."""
        import base64
        import json

        if self.process is None:
            return None
        answer = self.process.stdout.read()
        if self.process.wait() != 0:
            return None
        try:
            return {extension: base64.b64decode(data) for extension, data in json.loads(answer).items()}
        except ValueError:
            return None

    def __exit__(self, *_) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()  # the build failed or was interrupted: the figure is not wanted
            self.process.wait()
        self.process.stdout.close()
        self.process = None


def _write_validation(summary: BuildSummary, store, fail_on: str | None, shapes=()) -> None:
    try:
        from gtkg.shapes import validate
    except ImportError as exc:  # the shapes need pySHACL and rdflib; the tables do not
        summary.validation = f"validation unavailable ({exc})"
        _write(summary, "validation.txt", summary.validation + "\n")
        return
    report = validate(store=store, shapes=shapes, fail_on=fail_on or "violation")
    summary.findings = report.counts()
    summary.validation = ", ".join(f"{n} {severity}{'s' if n != 1 else ''}"
                                   for severity, n in summary.findings.items() if n) or "no findings"
    summary.failed = bool(fail_on) and report.failed(fail_on)
    _write(summary, "validation.txt", report.text())
    _write(summary, "validation.ttl", report.turtle())


def _write(summary: BuildSummary, name: str, content: str | bytes) -> None:
    path = summary.output / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}; check the output folder (-o)") from exc
    summary.files.append(name)
