"""The embedded store's folder: gtkg's marker, its lock, and the engine folders inside it.

    STORE/gtkg-store.json   the marker: {"gtkg-store": 2, "data": "data-3", "files": {graph: input path}}
    STORE/gtkg.lock         held by the one process writing (the whole read-compare-swap of a load)
    STORE/data-3/           the pyoxigraph (RocksDB) folder the marker points at

gtkg writes into a folder only when it is new, empty, or carries the marker; it deletes only `data-N`
folders inside a marked folder that the marker does not point at (what an interrupted load left). A full
reload bulk-loads a new `data-N` folder and then replaces the marker in one atomic rename, so a kill at any
moment leaves either the old store or the new one. A symlinked store folder is followed, never replaced.
Stores written by gtkg before the marker existed (the engine's files directly in the folder, holding gtkg's
ontology graph) are read as they are and moved into `data-0` by the first load.

Format 2: the engine's default graph holds the RDF merge of its named graphs (each statement once, see
gtkg.store.embedded). Stores of format 1, and the older ones, hold only named graphs: they are read as the
union of their graphs, and the first load into one adds the merge (and writes format 2).
"""

import json
import os
import re
import shutil
from pathlib import Path

from gtkg.errors import InputError, StoreBusyError, StoreError
from gtkg.ontology import ONTOLOGY_GRAPH

MARKER = "gtkg-store.json"
LOCK = "gtkg.lock"
FORMAT_VERSION = 2
READ_VERSIONS = (1, 2)  # format 1: no merged default graph
DATA = re.compile(r"data-(\d+)")
LEGACY_MOVE = ".gtkg-legacy"  # where an old store's files wait while they move into data-0
OWN_NAMES = {MARKER, LOCK, MARKER + ".tmp", LEGACY_MOVE}


class StoreFolder:
    """One store folder on disk. Readers call `current()`; the writer calls `acquire()` first."""

    def __init__(self, path: str | os.PathLike):
        self.given = Path(path)
        self.path = Path(os.path.abspath(self.given))
        self._lock = None
        self.created = False  # acquire() made the folder

    # -- reading

    def marker(self) -> dict | None:
        """The marker's content, or None when the folder has none."""
        try:
            text = (self.path / MARKER).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"cannot read {self.given / MARKER}: {exc.strerror or exc}") from exc
        try:
            marker = json.loads(text)
            version = marker["gtkg-store"]
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"{self.given / MARKER} is damaged ({exc}); move the folder away and load again "
                             "(gtkg rebuilds the store from your files)") from exc
        if version not in READ_VERSIONS:
            raise StoreError(f"{self.given} is a store of format {version}, this gtkg reads formats "
                             f"{', '.join(map(str, READ_VERSIONS))}: use the gtkg that wrote it, or load your files "
                             "into a new --store folder")
        return marker

    def current(self) -> Path:
        """The engine folder holding the store's data, for reading; raises when there is no loaded store."""
        return self.current_data()[0]

    def current_data(self) -> tuple[Path, bool]:
        """`current()`, and whether its default graph is the merge of its named graphs (one read of the
        marker, so the two agree while a load swaps folders)."""
        hint = ("run 'gtkg load PATH' first, or point --store (or GTKG_STORE) at the folder you loaded into")
        if not self.path.is_dir():
            raise StoreError(f"no gtkg store at {self.given}: {hint}")
        marker = self.marker()
        if marker is None:
            if is_legacy(self.path):
                return self.path, False
            raise StoreError(f"no gtkg store at {self.given} (the folder has no {MARKER}): {hint}")
        if not marker.get("data"):
            raise StoreError(f"no gtkg store at {self.given} yet: the first load into it did not finish; {hint}")
        return self.path / marker["data"], merged(marker)

    def files(self) -> dict[str, str]:
        """Graph IRI -> the input file it was loaded from, as recorded by the loads."""
        marker = self.marker() or {}
        return dict(marker.get("files") or {})

    def version(self) -> tuple | None:
        """What changes when a load writes the store: the marker (a full reload points it at a new engine
        folder; every load records its files) and the names, sizes and times of the engine folder's files
        (the engine writes a new log, manifest or table file for every write). None while unreadable."""
        try:
            data = self.current()
            with os.scandir(data) as entries:
                files = sorted((e.name, stat.st_size, stat.st_mtime_ns) for e in entries
                               if not e.name.startswith(("LOG", "LOCK")) for stat in (e.stat(),))
            marker = (self.path / MARKER).read_bytes() if data != self.path else b""
        except (OSError, StoreError):
            return None
        return marker, files

    # -- writing

    def acquire(self, inputs=()) -> None:
        """Make sure gtkg may write here, take the lock, and finish what an interrupted load left.

        Refused: a file, the working folder or one of its parents, a folder among the inputs (or holding
        one), and a non-empty folder that is not a gtkg store.
        """
        self._refuse_unsafe(inputs)
        if not self.path.exists():
            try:
                Path(os.path.realpath(self.path)).mkdir(parents=True)  # a dangling symlink: make its target
            except OSError as exc:
                raise StoreError(f"cannot create the store folder {self.given}: {exc.strerror or exc}") from exc
            self.created = True
        elif self.marker() is None:
            self._foreign_entries()  # refuse before writing anything into someone else's folder
        self._lock = _lock(self.path / LOCK, self.given)
        try:
            if self.marker() is None:
                self._adopt()
            self.collect_garbage()
        except BaseException:
            self.release()
            raise

    def _refuse_unsafe(self, inputs) -> None:
        real = Path(os.path.realpath(self.path))
        cwd = Path(os.path.realpath(os.getcwd()))
        why = None
        if real.exists() and not real.is_dir():
            why = "it is a file"
        elif real == cwd or real in cwd.parents:
            why = "it is the working folder" if real == cwd else "it is a parent of the working folder"
        else:
            for given in inputs:
                path = Path(os.path.realpath(given))
                if path == real or real in path.parents:
                    why = f"it {'is' if path == real else 'holds'} the input {given}"
                    break
        if why:
            raise InputError(f"refusing to use {self.given} as the store: {why}; give --store (or GTKG_STORE) a "
                             "new or empty folder of its own, e.g. .gtkg")

    def _adopt(self) -> None:
        """Mark a new or empty folder, or move an old gtkg store's files into data-0."""
        if (self.path / LEGACY_MOVE).is_dir() or is_legacy(self.path):
            self._move_legacy()
        elif not self._foreign_entries():
            self.write_marker(None, {})

    def _foreign_entries(self) -> list[str]:
        """Raise unless the folder (without a marker) is empty or an old gtkg store; returns its entries."""
        entries = sorted(name for name in os.listdir(self.path) if name not in OWN_NAMES)
        if not entries or (self.path / LEGACY_MOVE).is_dir() or is_legacy(self.path):
            return entries
        shown = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
        raise InputError(f"refusing to use {self.given} as the store: it holds {len(entries)} "
                         f"entr{'y' if len(entries) == 1 else 'ies'} that gtkg did not write ({shown}) and "
                         f"no {MARKER}; give --store (or GTKG_STORE) a new or empty folder, e.g. .gtkg")

    def _move_legacy(self) -> None:
        """Move an old store's engine files into data-0, resumably: each step can be repeated after a kill."""
        staging = self.path / LEGACY_MOVE
        staging.mkdir(exist_ok=True)
        for name in os.listdir(self.path):
            if name not in OWN_NAMES:
                os.replace(self.path / name, staging / name)
        os.replace(staging, self.path / "data-0")
        self.write_marker("data-0", {}, version=1)  # no merge yet: the first load adds it

    def new_data(self) -> Path:
        """A new, empty engine folder for a full reload (not yet the store's data)."""
        numbers = [int(m.group(1)) for name in os.listdir(self.path) if (m := DATA.fullmatch(name))]
        fresh = self.path / f"data-{max(numbers, default=0) + 1}"
        fresh.mkdir()
        return fresh

    def write_marker(self, data: str | None, files: dict, *, version: int = FORMAT_VERSION) -> None:
        """Point the store at `data` and record the input files, in one atomic rename; `version` is the format
        of the data (every write of this gtkg leaves format 2)."""
        temporary = self.path / (MARKER + ".tmp")
        text = json.dumps({"gtkg-store": version, "data": data, "files": dict(sorted(files.items()))},
                          indent=1)  # ASCII: a path that is not UTF-8 keeps its escapes
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path / MARKER)

    def collect_garbage(self) -> None:
        """Remove the engine folders the marker does not point at (left by an interrupted or finished swap)."""
        marker = self.marker()
        if marker is None:
            return
        for name in os.listdir(self.path):
            if DATA.fullmatch(name) and name != marker.get("data"):
                shutil.rmtree(self.path / name, ignore_errors=True)

    def discard(self) -> None:
        """After a failed first load: remove the folder that acquire() created, and nothing else."""
        if not self.created:
            return
        self.release()
        for name in os.listdir(self.path):
            target = self.path / name
            if DATA.fullmatch(name):
                shutil.rmtree(target, ignore_errors=True)
            elif name in OWN_NAMES:
                target.unlink(missing_ok=True)
        try:
            self.path.rmdir()
        except OSError:
            pass  # something else appeared in it meanwhile: leave it

    def release(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None


def merged(marker: dict | None) -> bool:
    """Whether the store the marker describes holds the merge of its named graphs in its default graph."""
    return marker is not None and marker["gtkg-store"] >= 2


def is_legacy(path: Path) -> bool:
    """Whether `path` is a store of a gtkg from before the marker: the engine's files directly in the folder
    and gtkg's ontology graph among its graphs."""
    if not (path / "CURRENT").is_file():
        return False
    import pyoxigraph as ox

    try:
        db = ox.Store.read_only(str(path))
        return db.contains_named_graph(ox.NamedNode(ONTOLOGY_GRAPH))
    except OSError:
        return False


def _lock(path: Path, store: Path):
    """An exclusive lock on the store's lock file, held while the returned file stays open."""
    try:
        handle = open(path, "a+b")  # noqa: SIM115 - kept open on purpose: the lock lives as long as the file
    except OSError as exc:
        raise StoreError(f"cannot write to the store folder {store}: {exc.strerror or exc}") from exc
    try:
        _try_lock(handle)
    except OSError as exc:
        handle.close()
        raise StoreBusyError(f"store is busy: another gtkg process is writing to {store}; wait for it to finish "
                             "and try again") from exc
    return handle


def _try_lock(handle) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
