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
    with models.cyclic_gc_paused():
        return _build_graphs(files, study, base, progress)


def _build_graphs(files: list[InputFile], study: str, base: str, progress: Callable | None):
    minter = Minter(base, study)
    summary = LoadSummary(files=len(files))
    raw = {f.key: f.path.read_bytes() for f in files}
    model_files = [f for f in files if f.format == "model"]
    parsed_models = models.parse({f.key: notes.decode(raw[f.key])[0] for f in model_files})
    lines: dict[str, list] = {}
    codes, sources = set(), set()
    for done, f in enumerate(files, 1):
        if f.format == "rdf":
            for graph, quads in rdf.read(f.path, raw[f.key], minter.file(f.key)).items():
                lines.setdefault(graph, []).extend(quads)
        else:
            out = FileEmitter(minter, f.key, f.format, hashlib.sha256(raw[f.key]).hexdigest(),
                              dict(parsed_models.sources))
            counts = _emit_file(f, raw[f.key], out, parsed_models)
            lines.setdefault(out.file, []).extend(out.out.lines)
            sources |= counts["sources"]
            codes |= counts["codes"]
            summary.excerpts += counts["excerpts"]
            summary.diagnostics += out.count("diagnostic")
        if progress:
            progress(done, len(files), str(f.path))
    lines[ONTOLOGY_GRAPH] = ontology_quads()
    graphs = {}
    for graph, quads in lines.items():
        unique = list(dict.fromkeys(quads))
        graphs[graph] = "\n".join(unique) + "\n"
        summary.triples += len(unique)
    summary.codes, summary.sources = len(codes), len(sources)
    summary.graphs = sorted(graphs)
    return graphs, summary


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

    Every file is read before the store is touched, and the graphs are written in one transaction:
    a failed load leaves the store as it was.
    """
    files = collect_files(paths)
    graphs, summary = build_graphs(files, study=study, base=base, progress=progress)
    target = open_store(store, endpoint=endpoint)
    try:
        target.replace_graphs(graphs)
    finally:
        target.close()
    return summary


__all__ = ["load", "LoadSummary", "collect_files", "build_graphs", "Diagnostic"]
