"""Input formats as plug-ins: one module per format, listed once in LOADERS.

Each loader module has one function with one signature:

    read(files: list[InputFile], study: Study) -> Iterator[Graph]

the graphs of the given files, the files' own graph each (and any other graph the format holds), with what
the load summary counts. `gtkg.loading` finds each file's loader by its extension and runs the loaders in the
order of LOADERS: model files first, since notes name the sources the models declare (`Study.sources`).
Adding an input format is one module with `read`, one line in LOADERS, and a test.
"""

import gc
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gtkg.errors import InputError
from gtkg.iris import Minter
from gtkg.loaders.records import INFO, Diagnostic


@dataclass(frozen=True)
class Loader:
    format: str  # recorded as the file's gt:format
    extensions: tuple[str, ...]  # the file name endings it reads (lower case)
    module: str

    def read(self, files: list["InputFile"], study: "Study") -> Iterator["Graph"]:
        return importlib.import_module(self.module).read(files, study)


LOADERS = (
    Loader("model", (".py",), "gtkg.loaders.models"),
    Loader("notes", (".md",), "gtkg.loaders.notes"),
    Loader("rdf", (".ttl", ".nt", ".nq", ".trig", ".jsonld"), "gtkg.loaders.rdf"),
)
_BY_EXTENSION = {extension: loader for loader in LOADERS for extension in loader.extensions}


def loader_for(path: Path) -> Loader | None:
    """The loader of a file, by its extension; None for files gtkg does not read."""
    return _BY_EXTENSION.get(path.suffix.lower())


def extensions() -> list[str]:
    return sorted(_BY_EXTENSION)


@dataclass
class InputFile:
    path: Path
    key: str  # the file name: names its graph within the study
    format: str
    origin: str = ""  # the file's real absolute path, recorded in the store beside its graph

    def read(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {self.path}: {exc.strerror or exc}; fix its permissions or move it out "
                             "of the folders you load") from exc


@dataclass
class Study:
    """What the loaders of one load share: how IRIs are minted, and what earlier loaders declared."""

    minter: Minter
    base: str | None = None  # --base as given: also the base of relative IRIs in RDF files
    sources: dict = field(default_factory=dict)  # variable -> source id, as the model files declare them


@dataclass
class Graph:
    """One named graph a loader read: its N-Quads lines, and what the load summary counts.

    A large graph may come in parts: Graphs of the same IRI in a row, all but the last with `final` false and
    no counts; the lines of all parts together are the graph's."""

    iri: str
    lines: list
    file: InputFile | None = None  # the input file it is the graph of (None for extra graphs of a file)
    sources: set = field(default_factory=set)  # ids of the sources it declares
    codes: set = field(default_factory=set)  # variables of the codes it declares
    excerpts: int = 0
    diagnostics: int = 0
    skipped: str | None = None  # why the file was not loaded after all (its graph is then empty)
    final: bool = True


def decode(data: bytes) -> tuple[str, Diagnostic | None]:
    """UTF-8 if possible, else Windows-1252 (with a note saying so)."""
    try:
        text = data.decode("utf-8-sig")
        note = None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        text = data.decode("cp1252", errors="replace")
        note = Diagnostic(line, "encoding", "file is not valid UTF-8 (Windows-1252 bytes?); decoded as "
                          "Windows-1252; save it as UTF-8 to silence this", INFO)
    return text.replace("\r\n", "\n").replace("\r", "\n"), note


@contextmanager
def cyclic_gc_paused():
    """`ast` builds hundreds of thousands of acyclic nodes for a big file, and emitting builds as many
    strings in lists; the cyclic collector would scan the growing heap again and again meanwhile (a third
    of the parse time, a fifth of a load's), so pause it. Nesting is safe: only the outermost re-enables."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
