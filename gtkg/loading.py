"""`load()`: files and folders -> one named graph per file in the store, all or nothing."""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gtkg.errors import InputError
from gtkg.iris import DEFAULT_BASE, DEFAULT_STUDY, Minter
from gtkg.loaders import LOADERS, InputFile, Study, cyclic_gc_paused, extensions, loader_for
from gtkg.loaders.records import Diagnostic
from gtkg.ontology import ONTOLOGY_GRAPH
from gtkg.store import using
from gtkg.store.folder import MARKER as STORE_MARKER


@dataclass
class LoadSummary:
    files: int = 0
    sources: int = 0
    codes: int = 0
    excerpts: int = 0
    triples: int = 0
    diagnostics: int = 0
    graphs: list = field(default_factory=list)
    removed: list = field(default_factory=list)  # input files whose graphs a folder load removed (they are gone)
    skipped: dict = field(default_factory=dict)  # why -> paths not loaded (other kinds of file, unreadable folders)


@dataclass
class Collected:
    files: list
    skipped: dict = field(default_factory=dict)  # why -> paths
    unreadable: list = field(default_factory=list)  # folders that could not be listed


def collect_files(paths) -> list[InputFile]:
    """Expand folders (recursively, sorted); keep field notes, model files and RDF files.

    A file's graph is named by its file name within the study, so `gtkg load notes/s_5.md` replaces
    the graph that `gtkg load notes/` wrote for that file.
    """
    return collect(paths).files


def collect(paths) -> Collected:
    """The input files under `paths`, with what was skipped and why (hidden files and folders, files of
    other kinds, folders that cannot be listed, gtkg's own store folders)."""
    collected = Collected([])
    for given in paths:
        _refuse_empty(given)
        path = Path(given)
        if path.is_dir():
            _walk(path, collected)
        elif path.is_file():
            loader = loader_for(path)
            if loader is None:
                raise InputError(f"{path}: unknown kind of file; gtkg loads field notes (.md), model files (.py) "
                                 f"and RDF ({', '.join(e for e in extensions() if e not in ('.md', '.py'))})")
            collected.files.append(_input(path, loader))
        else:
            raise InputError(f"{path}: no such file or folder")
    by_key: dict[str, InputFile] = {}
    for f in collected.files:
        if f.key in by_key and by_key[f.key].origin != f.origin:
            raise InputError(f"{by_key[f.key].path} and {f.path} have the same file name, and a file's name names "
                             "its graph within a study; rename one, or load them as separate studies (--study)")
        by_key[f.key] = f
    collected.files = list({f.origin: f for f in collected.files}.values())
    return collected


def _walk(folder: Path, collected: Collected) -> None:
    def unreadable(error: OSError) -> None:
        collected.unreadable.append(Path(error.filename))
        collected.skipped.setdefault(f"unreadable folder ({error.strerror})", []).append(error.filename)

    for root, folders, names in os.walk(folder, onerror=unreadable):
        folders[:] = sorted(d for d in folders if not d.startswith((".", "__"))
                            and not (Path(root, d) / STORE_MARKER).exists())
        for name in sorted(names):
            path = Path(root, name)
            loader = loader_for(path)
            if name.startswith((".", "__")):
                continue
            if loader is None:
                collected.skipped.setdefault(path.suffix.lower() or "no extension", []).append(str(path))
            elif path.is_file():
                collected.files.append(_input(path, loader))


def _input(path: Path, loader) -> InputFile:
    """An input file: its graph is named by its file name (as text even when the name is not valid UTF-8)."""
    return InputFile(path, _as_text(path.name), loader.format, real_path(path))


def real_path(path) -> str:
    """The absolute path with symlinks resolved, as text even when a name in it is not valid UTF-8."""
    return _as_text(os.path.realpath(path))


def _as_text(name: str) -> str:
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def build_graphs(files: list[InputFile], *, study: str = DEFAULT_STUDY, base: str | None = None,
                 progress: Callable | None = None) -> tuple[dict[str, str], LoadSummary]:
    """Parse and emit every file; returns graph IRI -> N-Quads text and the summary. Touches no store."""
    summary = LoadSummary(files=len(files))
    lines: dict[str, list] = {}
    for graph, quads in emit_graphs(files, summary, study=study, base=base, progress=progress):
        lines.setdefault(graph, []).extend(quads)
    graphs = dict(_counted(lines.items(), summary))
    return graphs, summary


def emit_graphs(files: list[InputFile], summary: LoadSummary, *, study: str = DEFAULT_STUDY,
                base: str | None = None, progress: Callable | None = None):
    """Read the files with their loaders (gtkg.loaders, in their order): yields (graph IRI, N-Quads lines), the
    ontology last, and fills in `summary` (all but `triples` and `graphs`) as it goes. A large graph comes in
    parts (pairs of the same IRI in a row), whose lines together are the graph's. `base` (default:
    DEFAULT_BASE) prefixes the IRIs gtkg mints; given, it is also the base of relative IRIs in RDF files, which
    otherwise resolve against the file's own URI."""
    reading = Study(Minter(base or DEFAULT_BASE, study), base=base)
    codes, sources, done = set(), set(), set()
    with cyclic_gc_paused():
        for loader in LOADERS:
            chosen = [f for f in files if f.format == loader.format]
            for graph in loader.read(chosen, reading) if chosen else ():
                if graph.skipped:
                    summary.skipped.setdefault(graph.skipped, []).append(str(graph.file.path))
                    summary.files -= 1
                sources |= graph.sources
                codes |= graph.codes
                summary.excerpts += graph.excerpts
                summary.diagnostics += graph.diagnostics
                yield graph.iri, graph.lines
                if progress and graph.final and graph.file.origin not in done:
                    done.add(graph.file.origin)
                    progress("Reading files", len(done), len(files))
        summary.codes, summary.sources = len(codes), len(sources)
        yield ONTOLOGY_GRAPH, ontology_quads()


def ontology_quads() -> list[str]:
    """The ontology travels with the data (its own graph), so queries can use notations and subclasses."""
    from gtkg.loaders.rdf import quads_of
    from gtkg.ontology import ONTOLOGY_FILE

    return quads_of(ONTOLOGY_FILE, ONTOLOGY_FILE.read_bytes(), ONTOLOGY_GRAPH)[ONTOLOGY_GRAPH]


def load(paths, *, store=None, study: str = DEFAULT_STUDY, base: str | None = None, replace: bool = False,
         progress: Callable | None = None) -> LoadSummary:
    """Load field notes, model files and RDF files into the store, replacing each file's graph.

    `progress(step, done=None, total=None)` hears each step: "Reading files" with counts, "Writing the store".

    All or nothing: a failed load leaves the store as it was. A folder is mirrored: the graphs of files
    that an earlier load read from under it and that are gone now are removed (`summary.removed`). A file
    whose graph was loaded from another path (a moved file, or another study's file of the same name) is
    refused unless `replace` is true. When the load replaces every graph of an embedded store, the files
    stream one by one into a bulk load of a new store that is swapped in at the end (fast, and memory stays
    flat); otherwise every file is read first and the graphs are written in one transaction.
    """
    found = collect(paths)
    with using(store, inputs=paths) as target:
        minter = Minter(base or DEFAULT_BASE, study)
        planned = {minter.file(f.key): f for f in found.files}
        recorded = target.files()
        if not replace:
            _refuse_replacing(planned, recorded, study)
        gone = _gone(paths, found, planned, recorded)
        files = {graph: f.origin for graph, f in planned.items()} | dict.fromkeys(gone)
        if target.rebuilds(set(planned) | set(gone) | {ONTOLOGY_GRAPH}):
            summary = LoadSummary(files=len(found.files))
            emitted = emit_graphs(found.files, summary, study=study, base=base, progress=progress)
            summary.triples = target.rebuild(_then(_texts(emitted, summary), progress, "Writing the store"),
                                             files=files)
        else:
            graphs, summary = build_graphs(found.files, study=study, base=base, progress=progress)
            if progress:
                progress("Writing the store")
            target.replace_graphs({**graphs, **dict.fromkeys(gone, "")}, files=files)
    summary.removed = sorted(recorded[graph] for graph in gone)
    summary.skipped = {**found.skipped, **summary.skipped}
    return summary


def _then(chunks, progress: Callable | None, step: str):
    """The chunks, then the next step said (the store finishes its writing once the chunks are read)."""
    yield from chunks
    if progress:
        progress(step)


def _refuse_replacing(planned: dict, recorded: dict, study: str) -> None:
    for graph, f in planned.items():
        earlier = recorded.get(graph)
        if earlier and earlier != f.origin:
            raise InputError(f"{f.path} would replace the graph loaded from {earlier} (both are {f.key!r} in study "
                             f"{study!r}); if the file moved, add --replace; if it belongs to another study, load "
                             "it with --study NAME")


def _gone(paths, found: Collected, planned: dict, recorded: dict) -> list[str]:
    """Graphs loaded earlier from files under a folder given now, whose files this load no longer finds there
    (files under a folder that could not be listed are kept)."""
    folders = [Path(real_path(p)) for p in paths if Path(p).is_dir()]
    kept = [Path(real_path(p)) for p in found.unreadable]
    gone = []
    for graph, origin in recorded.items():
        where = Path(origin)
        if graph in planned or not any(folder in where.parents for folder in folders):
            continue
        if not any(folder == where or folder in where.parents for folder in kept):
            gone.append(graph)
    return sorted(gone)


@dataclass
class RemoveSummary:
    graphs: list = field(default_factory=list)  # the graphs removed
    files: list = field(default_factory=list)  # the input files they were loaded from, where recorded


def remove(targets, *, store=None, study: str = DEFAULT_STUDY, base: str | None = None) -> RemoveSummary:
    """Remove from the store the graphs of input files: each target is a file or folder that was loaded (it
    may be gone from the disk by now), a file name, or a graph IRI. Nothing is removed unless every target
    names at least one graph."""
    with using(store) as target:
        graphs, recorded = target.graphs(), target.files()
        chosen: dict[str, None] = {}
        for given in targets:
            _refuse_empty(given)
            matches = _graphs_of(str(given), graphs, recorded, Minter(base or DEFAULT_BASE, study))
            if not matches:
                raise InputError(f"nothing to remove for {given}: no graph of the store at {target.location} was "
                                 "loaded from it; give a file or folder you loaded, a file name or a graph IRI")
            chosen.update(dict.fromkeys(matches))
        target.replace_graphs(dict.fromkeys(chosen, ""), files=dict.fromkeys(chosen))
    return RemoveSummary(sorted(chosen), sorted(recorded[g] for g in chosen if g in recorded))


def _refuse_empty(given) -> None:
    """An empty path would be the working folder (Path("") is "."): a script's unset variable, not a choice."""
    if not str(given).strip():
        raise InputError("an empty path was given (an unset variable?); name the file or folder, or '.' for the "
                         "working folder")


def _graphs_of(given: str, graphs: set, recorded: dict, minter: Minter) -> list[str]:
    if given in graphs:
        return [given]
    where = Path(real_path(given))
    loaded = [g for g, origin in recorded.items() if g in graphs and (Path(origin) == where or where in
                                                                       Path(origin).parents)]
    if loaded or Path(given).is_dir():
        return sorted(loaded)
    by_name = minter.file(Path(given).name)
    return [by_name] if by_name in graphs else []


def _texts(emitted, summary: LoadSummary):
    """The N-Quads text of each emitted graph or part, as it comes (the store keeps a repeated line once), noting
    the graphs."""
    graphs = set()
    for graph, quads in emitted:
        graphs.add(graph)
        yield "\n".join([*quads, ""])
    summary.graphs = sorted(graphs)


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


__all__ = ["load", "remove", "LoadSummary", "RemoveSummary", "collect_files", "build_graphs", "emit_graphs",
           "Diagnostic"]
