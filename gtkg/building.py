"""`build()`: field notes and model files to the study's tables, its graph and its validation report.

    OUT/tables/<query>.csv, .md, .tex   every stored query that needs no parameter
    OUT/study.ttl                       the graph, all files merged (deterministic Turtle)
    OUT/validation.txt, .ttl            the validation report: text, and the standard SHACL report graph

Without a store the build works in a scratch in-memory store, so the outputs depend on the given paths only
(a file removed since the last build does not linger in the tables) and nothing waits on a disk. With a store
(a folder or an endpoint) the files' graphs replace their earlier versions there and other graphs stay, as
`load()` does, and the graph stays there to query afterwards. The store is opened once for the whole build.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gtkg.errors import InputError
from gtkg.iris import DEFAULT_STUDY

TABLE_OUTPUTS = ("csv", "markdown", "latex")  # what every table is written as (gtkg.outputs names)
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


def build(paths, *, output, store=None, study: str = DEFAULT_STUDY, base: str | None = None,
          fail_on: str | None = None, shapes=(), progress: Callable | None = None) -> BuildSummary:
    """Load `paths`, write every parameterless stored query as CSV, Markdown and LaTeX, the graph as Turtle
    and the validation report into `output`.

    Validation checks gtkg's shapes plus the `shapes` files (a study's own); `fail_on` (violation, warning or
    info) sets `failed` when it finds problems at or above it.
    """
    from gtkg.exporting import export
    from gtkg.loading import load
    from gtkg.store import MEMORY, using

    out = Path(output)
    previous = _claim(out)
    with using(MEMORY if store is None else store, inputs=paths) as target:
        loaded = load(paths, store=target, study=study, base=base, progress=progress)
        summary = BuildSummary(out, target.location, loaded)
        _write_tables(summary, target)
        _write(summary, "study.ttl", export(store=target, format="turtle"))
        _write_validation(summary, target, fail_on, shapes)
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


def _write_tables(summary: BuildSummary, store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from gtkg.outputs import get, render
    from gtkg.queries import catalogue, run_query

    queries = catalogue()
    summary.skipped = [name for name, query in queries.items() if any(p.required for p in query.params)]
    names = [name for name in queries if name not in summary.skipped]
    # the engine answers outside the GIL: a few queries at a time keep both cores busy
    with ThreadPoolExecutor(max_workers=QUERY_THREADS) as pool:
        for name, table in zip(names, pool.map(lambda name: run_query(name, store=store), names), strict=True):
            summary.tables[name] = len(table.rows)
            for output in map(get, TABLE_OUTPUTS):
                _write(summary, f"tables/{name}.{output.extension}", render(table, output.name))


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
