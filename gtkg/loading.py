"""`load()`: files and folders -> one named graph per file in the store, all or nothing."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gtkg.errors import InputError
from gtkg.loaders import models, notes, rdf
from gtkg.loaders.emit import FileEmitter
from gtkg.loaders.records import Diagnostic
from gtkg.store import open_store
from gtkg.terms import DEFAULT_BASE, DEFAULT_STUDY, Minter

ONTOLOGY_GRAPH = "https://w3id.org/gtkg/ontology"
FORMATS = {".md": "notes", ".py": "model", **{ext: "rdf" for ext in rdf.EXTENSIONS}}


@dataclass
class InputFile:
    path: Path
    key: str  # the file name: names its graph within the study
    format: str


@dataclass
class LoadSummary:
    files: int = 0
    sources: int = 0
    codes: int = 0
    excerpts: int = 0
    triples: int = 0
    diagnostics: int = 0
    graphs: list = field(default_factory=list)


def collect_files(paths) -> list[InputFile]:
    """Expand folders (recursively, sorted); keep field notes, model files and RDF files.

    A file's graph is named by its file name within the study, so `gtkg load notes/s_5.md` replaces
    the graph that `gtkg load notes/` wrote for that file.
    """
    found = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                parts = child.relative_to(path).parts
                if child.is_file() and child.suffix.lower() in FORMATS and not any(
                        p.startswith((".", "__")) for p in parts):
                    found.append(InputFile(child, child.name, FORMATS[child.suffix.lower()]))
        elif path.is_file():
            if path.suffix.lower() not in FORMATS:
                raise InputError(f"{path}: unknown kind of file; gtkg loads field notes (.md), model files (.py) "
                                 f"and RDF ({', '.join(sorted(rdf.EXTENSIONS))})")
            found.append(InputFile(path, path.name, FORMATS[path.suffix.lower()]))
        else:
            raise InputError(f"{path}: no such file or folder")
    by_key: dict[str, Path] = {}
    for f in found:
        if f.key in by_key and by_key[f.key].resolve() != f.path.resolve():
            raise InputError(f"{by_key[f.key]} and {f.path} have the same file name, and a file's name names its "
                             "graph within a study; rename one, or load them as separate studies (--study)")
        by_key[f.key] = f.path
    unique = {f.path.resolve(): f for f in found}
    return list(unique.values())


def build_graphs(files: list[InputFile], *, study: str = DEFAULT_STUDY, base: str = DEFAULT_BASE,
                 progress: Callable | None = None) -> tuple[dict[str, str], LoadSummary]:
    """Parse and emit every file; returns graph IRI -> N-Quads text and the summary. Touches no store."""
    summary = LoadSummary(files=len(files))
    lines: dict[str, list] = {}
    for graph, quads in emit_graphs(files, summary, study=study, base=base, progress=progress):
        lines.setdefault(graph, []).extend(quads)
    graphs = dict(_counted(lines.items(), summary))
    return graphs, summary


def emit_graphs(files: list[InputFile], summary: LoadSummary, *, study: str = DEFAULT_STUDY,
                base: str = DEFAULT_BASE, progress: Callable | None = None):
    """Parse and emit the files one by one: yields (graph IRI, N-Quads lines), the ontology last, and
    fills in `summary` (all but `triples` and `graphs`) as it goes. Model files are parsed together first,
    since names resolve across them."""
    with models.cyclic_gc_paused():
        minter = Minter(base, study)
        model_bytes = {f.key: f.path.read_bytes() for f in files if f.format == "model"}
        parsed_models = models.parse({key: notes.decode(raw)[0] for key, raw in model_bytes.items()})
        codes, sources = set(), set()
        for done, f in enumerate(files, 1):
            raw = model_bytes.pop(f.key) if f.format == "model" else f.path.read_bytes()
            if f.format == "rdf":
                yield from rdf.read(f.path, raw, minter.file(f.key)).items()
            else:
                out = FileEmitter(minter, f.key, f.format, hashlib.sha256(raw).hexdigest(),
                                  dict(parsed_models.sources))
                counts = _emit_file(f, raw, out, parsed_models)
                sources |= counts["sources"]
                codes |= counts["codes"]
                summary.excerpts += counts["excerpts"]
                summary.diagnostics += out.count("diagnostic")
                yield out.file, out.out.lines
            if progress:
                progress(done, len(files), str(f.path))
        summary.codes, summary.sources = len(codes), len(sources)
        yield ONTOLOGY_GRAPH, ontology_quads()


def planned_graphs(files: list[InputFile], *, study: str = DEFAULT_STUDY, base: str = DEFAULT_BASE) -> set[str]:
    """The graphs a load of `files` surely writes (an RDF file may add graphs of its own)."""
    minter = Minter(base, study)
    return {minter.file(f.key) for f in files} | {ONTOLOGY_GRAPH}


def ontology_quads() -> list[str]:
    """The ontology travels with the data (its own graph), so queries can use notations and subclasses."""
    from gtkg.ontology import ONTOLOGY_FILE

    return rdf.read(ONTOLOGY_FILE, ONTOLOGY_FILE.read_bytes(), ONTOLOGY_GRAPH)[ONTOLOGY_GRAPH]


def _emit_file(f: InputFile, data: bytes, out: FileEmitter, parsed_models) -> dict:
    if f.format == "model":
        return models.emit(parsed_models.files[f.key], out)
    text, note = notes.decode(data)
    parsed = notes.parse(text, f.key)
    if note:
        parsed.diagnostics.insert(0, note)
    return notes.emit(parsed, out)


def load(paths, *, store=None, endpoint: str | None = None, study: str = DEFAULT_STUDY,
         base: str = DEFAULT_BASE, progress: Callable | None = None) -> LoadSummary:
    """Load field notes, model files and RDF files into the store, replacing each file's graph.

    All or nothing: a failed load leaves the store as it was. When the load replaces every graph of an
    embedded store, the files stream one by one into a bulk load of a new store that is swapped in at the
    end (fast, and memory stays flat); otherwise every file is read first and the graphs are written in
    one transaction.
    """
    files = collect_files(paths)
    target = open_store(store, endpoint=endpoint)
    try:
        if target.rebuilds(planned_graphs(files, study=study, base=base)):
            summary = LoadSummary(files=len(files))
            emitted = emit_graphs(files, summary, study=study, base=base, progress=progress)
            target.rebuild(text for _, text in _counted(emitted, summary))
        else:
            graphs, summary = build_graphs(files, study=study, base=base, progress=progress)
            target.replace_graphs(graphs)
    finally:
        target.close()
    return summary


def _counted(emitted, summary: LoadSummary):
    """(graph, N-Quads text) per emitted graph, each line once, counting triples and graphs as they pass."""
    graphs = set()
    for graph, quads in emitted:
        count = len(set(quads))  # a set is twice as fast as an ordered dict, and most graphs repeat no line
        if count < len(quads):
            quads = list(dict.fromkeys(quads))  # the first of each line, in order: the text stays deterministic
        summary.triples += count
        graphs.add(graph)
        # the final newline joined in: appending it to the text would copy the whole text once more
        yield graph, "\n".join([*quads, ""]) if quads else "\n"
    summary.graphs = sorted(graphs)


__all__ = ["load", "LoadSummary", "collect_files", "build_graphs", "emit_graphs", "Diagnostic"]
