"""The store never destroys what gtkg did not create: refused folders, symlinks, interrupted swaps, busy stores,
mirrored folders, moved files and `gtkg remove`."""

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import EXAMPLES

from gtkg.cli import cli

NOTE = EXAMPLES / "notes" / "s_1.md"


def invoke(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


def sources(store) -> list[str]:
    table = invoke("sparql", "--store", store, "-f", "csv",
                   "SELECT DISTINCT ?id WHERE { ?s a <https://w3id.org/gtkg/ontology#Source> ; "
                   "<http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id")
    assert table.exit_code == 0, table.output
    return table.stdout.split()[1:]


def tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def thesis(tmp_path) -> Path:
    folder = tmp_path / "thesis"
    (folder / "chapters").mkdir(parents=True)
    (folder / "thesis.tex").write_text("\\documentclass{book}")
    (folder / "chapters" / "one.tex").write_text("Once upon a time")
    return folder


@pytest.fixture
def notes(tmp_path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    for note in (EXAMPLES / "notes").glob("s_*.md"):
        (folder / note.name).write_bytes(note.read_bytes())
    return folder


# -- folders that are not gtkg's store


def test_a_folder_holding_other_files_is_refused_and_kept(thesis):
    before = tree(thesis)
    result = invoke("load", "--store", thesis, NOTE)
    assert result.exit_code == 2 and result.stderr.startswith("Error: refusing to use")
    assert "thesis.tex" in result.stderr and "new or empty folder" in result.stderr
    assert tree(thesis) == before


def test_the_store_from_the_environment_is_checked_too(thesis, monkeypatch):
    monkeypatch.setenv("GTKG_STORE", str(thesis))
    before = tree(thesis)
    assert invoke("load", NOTE).exit_code == 2
    assert tree(thesis) == before


def test_the_folder_being_loaded_is_refused(notes):
    before = tree(notes)
    result = invoke("load", "--store", notes, notes)
    assert result.exit_code == 2 and "input" in result.stderr
    assert tree(notes) == before


def test_a_folder_holding_an_input_is_refused(tmp_path, notes):
    result = invoke("load", "--store", tmp_path, notes / "s_1.md")
    assert result.exit_code == 2 and "refusing" in result.stderr


@pytest.mark.parametrize("where", [".", ".."])
def test_the_working_folder_and_its_parents_are_refused(tmp_path, monkeypatch, where):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = invoke("load", "--store", where, NOTE)
    assert result.exit_code == 2 and "working folder" in result.stderr
    assert "Traceback" not in result.output
    assert list(work.iterdir()) == []


def test_a_file_is_refused(tmp_path):
    file = tmp_path / "store"
    file.write_text("mine")
    result = invoke("load", "--store", file, NOTE)
    assert result.exit_code == 2 and file.read_text() == "mine"


def test_an_empty_folder_becomes_a_store(tmp_path):
    (tmp_path / "empty").mkdir()
    assert invoke("load", "--store", tmp_path / "empty", NOTE).exit_code == 0
    assert (tmp_path / "empty" / "gtkg-store.json").exists()


def test_siblings_named_like_scratch_folders_survive_full_loads(tmp_path):
    store = tmp_path / "store"
    for name in ("store.old", "store.new", "store.gtkg-new"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "keep.txt").write_text(name)
    for _ in range(2):
        assert invoke("load", "--store", store, EXAMPLES).exit_code == 0
    for name in ("store.old", "store.new", "store.gtkg-new"):
        assert (tmp_path / name / "keep.txt").read_text() == name


def test_only_unreferenced_engine_folders_inside_the_store_are_removed(tmp_path):
    store = tmp_path / "store"
    invoke("load", "--store", store, EXAMPLES)
    (store / "notes.txt").write_text("a file of mine in the store folder")
    assert invoke("load", "--store", store, EXAMPLES).exit_code == 0
    assert (store / "notes.txt").exists()


def test_a_symlinked_store_is_followed_not_replaced(tmp_path):
    real = tmp_path / "real-store"
    link = tmp_path / "store"
    link.symlink_to(real, target_is_directory=True)
    for _ in range(3):  # full reloads, one after the other
        result = invoke("load", "--store", link, EXAMPLES)
        assert result.exit_code == 0, result.output
    assert link.is_symlink() and (real / "gtkg-store.json").exists()
    assert sources(link) == ["s1", "s2", "s3"]


# -- interrupted and overlapping loads

KILLER = textwrap.dedent("""
    import os, sys
    from gtkg.loading import load
    from gtkg.store.folder import StoreFolder

    where = sys.argv[1]
    original = {"marker": StoreFolder.write_marker, "garbage": StoreFolder.collect_garbage}

    def die_before_marker(self, data, files):
        if data and data != "data-1":
            os._exit(9)  # the new engine folder is complete, the marker still points at the old one
        return original["marker"](self, data, files)

    def die_before_cleanup(self):
        if any(p.name == "data-2" for p in self.path.iterdir()) and (self.path / "data-1").exists() \\
                and self.marker()["data"] == "data-2":
            os._exit(9)  # the marker points at the new folder, the old one is still there
        return original["garbage"](self)

    if where == "marker":
        StoreFolder.write_marker = die_before_marker
    else:
        StoreFolder.collect_garbage = die_before_cleanup
    load(sys.argv[3:], store=sys.argv[2])
""")


@pytest.mark.parametrize("where", ["marker", "cleanup"])
def test_a_load_killed_during_the_swap_leaves_a_whole_store(tmp_path, notes, where):
    store = tmp_path / "store"
    invoke("load", "--store", store, notes / "s_1.md")
    (notes / "s_1.md").unlink()  # the second load has other content: s2 and s3 only
    killed = subprocess.run([sys.executable, "-c", KILLER, where, str(store), str(notes)], capture_output=True)
    assert killed.returncode == -9 or killed.returncode == 9, killed.stderr
    expected = ["s1"] if where == "marker" else ["s2", "s3"]
    assert sources(store) == expected  # a reader sees one whole store
    assert invoke("load", "--store", store, notes / "s_2.md").exit_code == 0  # the next load recovers
    assert sorted(p.name for p in store.iterdir() if p.name.startswith("data-")) == [
        "data-1" if where == "marker" else "data-2"]


def test_the_second_of_two_overlapping_loads_is_told_the_store_is_busy(tmp_path, notes, monkeypatch):
    from gtkg.loading import load
    from gtkg.store.folder import StoreFolder

    store = tmp_path / "store"
    load([notes / "s_1.md"], store=store)
    inside, release = threading.Event(), threading.Event()
    original = StoreFolder.write_marker

    def slow_marker(self, data, files):  # the first load pauses between reading and swapping
        inside.set()
        release.wait(10)
        return original(self, data, files)

    monkeypatch.setattr(StoreFolder, "write_marker", slow_marker)
    first = threading.Thread(target=load, args=([notes],), kwargs={"store": store})
    first.start()
    assert inside.wait(10)
    result = invoke("load", "--store", store, notes / "s_2.md")
    release.set()
    first.join(10)
    assert result.exit_code == 2 and "store is busy" in result.stderr
    monkeypatch.setattr(StoreFolder, "write_marker", original)
    assert sources(store) == ["s1", "s2", "s3"]


def test_queries_after_an_interrupted_first_load_say_there_is_no_store(tmp_path, notes):
    from gtkg.store.folder import StoreFolder

    store = tmp_path / "store"
    StoreFolder(store).acquire()  # what a first load killed before its first commit leaves
    result = invoke("query", "sources", "--store", store)
    assert result.exit_code == 2 and "no gtkg store" in result.stderr and "did not finish" in result.stderr
    assert invoke("load", "--store", store, notes).exit_code == 0
    assert sources(store) == ["s1", "s2", "s3"]


def test_a_store_of_an_earlier_gtkg_is_read_and_then_moved_into_place(tmp_path, notes):
    import pyoxigraph as ox

    from gtkg.loading import build_graphs, collect_files

    store = tmp_path / "old-store"
    graphs, _ = build_graphs(collect_files([notes]))
    db = ox.Store(str(store))  # the layout before the marker: the engine's files right in the folder
    db.load("".join(graphs.values()), format=ox.RdfFormat.N_QUADS)
    db.flush()
    del db
    assert sources(store) == ["s1", "s2", "s3"]
    assert invoke("load", "--store", store, notes / "s_1.md").exit_code == 0
    assert sources(store) == ["s1", "s2", "s3"]
    assert (store / "gtkg-store.json").exists() and not (store / "CURRENT").exists()


def test_an_engine_folder_without_gtkg_data_is_not_adopted(tmp_path):
    import pyoxigraph as ox

    store = tmp_path / "theirs"
    db = ox.Store(str(store))
    db.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("c"), ox.NamedNode("urn:x:g")))
    db.flush()
    del db
    result = invoke("load", "--store", store, NOTE)
    assert result.exit_code == 2 and "refusing" in result.stderr
    assert (store / "CURRENT").exists()


# -- the store mirrors what was loaded


def test_a_folder_load_removes_the_graphs_of_files_gone_from_it(tmp_path, notes):
    store = tmp_path / "store"
    invoke("load", "--store", store, notes)
    (notes / "s_3.md").unlink()
    result = invoke("load", "--store", store, notes)
    assert result.exit_code == 0
    assert "Removed 1 graph" in result.stderr and "s_3.md" in result.stderr
    assert sources(store) == ["s1", "s2"]


def test_a_folder_load_keeps_graphs_of_other_folders_and_of_unreadable_subfolders(tmp_path, notes):
    store = tmp_path / "store"
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "s_9.md").write_text(NOTE.read_text().replace("\n1\n", "\n9\n", 1))
    sub = notes / "interviews"
    sub.mkdir()
    (sub / "s_7.md").write_text(NOTE.read_text().replace("\n1\n", "\n7\n", 1))
    invoke("load", "--store", store, notes, extra)
    scandir = os.scandir

    def unreadable(path="."):
        if Path(path) == sub:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "scandir", unreadable)
        result = invoke("load", "--store", store, notes)
    assert result.exit_code == 0 and "unreadable folder" in result.stderr
    assert sources(store) == ["s1", "s2", "s3", "s7", "s9"]


def test_a_file_of_the_same_name_from_elsewhere_is_refused_unless_replace(tmp_path, notes):
    store = tmp_path / "store"
    other = tmp_path / "other-study"
    other.mkdir()
    (other / "s_1.md").write_text(NOTE.read_text().replace("Event-Driven", "Other"))
    invoke("load", "--store", store, notes)
    result = invoke("load", "--store", store, other / "s_1.md")
    assert result.exit_code == 2 and "--replace" in result.stderr and "--study" in result.stderr
    assert str(notes / "s_1.md") in result.stderr
    assert invoke("load", "--store", store, "--study", "other", other / "s_1.md").exit_code == 0
    assert invoke("load", "--store", store, "--replace", other / "s_1.md").exit_code == 0


def test_remove_takes_a_file_a_folder_or_a_graph(tmp_path, notes):
    store = tmp_path / "store"
    invoke("load", "--store", store, notes, EXAMPLES / "models")
    result = invoke("remove", "--store", store, notes / "s_1.md")
    assert result.exit_code == 0 and "Removed 1 graph" in result.stderr
    assert "s1" not in invoke("query", "trace-vs-model", "--store", store, "-p", "scope", "notes", "-f", "csv").stdout
    graph = "https://w3id.org/gtkg/data/study/file/s_2.md"
    assert invoke("remove", "--store", store, graph).exit_code == 0
    assert invoke("remove", "--store", store, notes).exit_code == 0  # s_3.md, the last one
    missing = invoke("remove", "--store", store, notes / "s_1.md")
    assert missing.exit_code == 2 and "nothing to remove" in missing.stderr
    left = invoke("sparql", "--store", store, "-f", "csv", "SELECT DISTINCT ?p WHERE { ?f "
                  "<https://w3id.org/gtkg/ontology#path> ?p } ORDER BY ?p").stdout.split()[1:]
    assert left == ["data_mesh_model.py", "sources_and_codes_model.py"]


@pytest.mark.parametrize("command", ["remove", "load"])
def test_an_empty_path_is_refused_not_taken_as_the_working_folder(tmp_path, notes, monkeypatch, command):
    """`gtkg remove "$DIR"` with DIR unset must not remove every graph loaded from the working folder."""
    store = tmp_path / "store"
    invoke("load", "--store", store, notes)
    monkeypatch.chdir(tmp_path)
    result = invoke(command, "--store", store, "")
    assert result.exit_code == 2  # load: click refuses the path itself, as it refuses any missing path
    assert command == "load" or (result.stderr.count("\n") == 1 and "empty path" in result.stderr)
    ids = invoke("sparql", "--store", store, "-f", "csv", "SELECT ?id WHERE { ?s a gt:Source ; dcterms:identifier ?id }"
                 " ORDER BY ?id").stdout.split()[1:]
    assert ids == ["s1", "s2", "s3"]


def test_the_library_refuses_an_empty_path(tmp_path, notes):
    from gtkg.errors import InputError
    from gtkg.loading import load, remove

    load([notes], store=tmp_path / "store")
    for call in (lambda: load([""], store=tmp_path / "store"), lambda: remove([" "], store=tmp_path / "store")):
        with pytest.raises(InputError, match="an empty path"):
            call()


def test_mirroring_refusing_and_removing_work_on_every_backend(tmp_path, notes, backend):
    from gtkg.errors import InputError
    from gtkg.exporting import sparql
    from gtkg.loading import load, remove

    def ids():
        rows = sparql("SELECT DISTINCT ?id WHERE { ?s a <https://w3id.org/gtkg/ontology#Source> ; "
                      "<http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id", **backend).rows
        return [row[0] for row in rows]

    load([notes], **backend)
    (notes / "s_3.md").unlink()
    summary = load([notes], **backend)
    assert summary.removed == [str(notes / "s_3.md")] and ids() == ["s1", "s2"]
    other = tmp_path / "other"
    other.mkdir()
    (other / "s_1.md").write_text(NOTE.read_text())
    with pytest.raises(InputError, match="--replace"):
        load([other / "s_1.md"], **backend)
    assert load([other / "s_1.md"], replace=True, **backend).files == 1
    assert remove([other / "s_1.md"], **backend).graphs == ["https://w3id.org/gtkg/data/study/file/s_1.md"]
    assert ids() == ["s2"]
