"""The package's public API: one function per command, names that modules cannot shadow."""

import subprocess
import sys


def test_every_public_name_is_the_function_even_after_its_module_is_imported():
    import gtkg.building  # noqa: F401
    import gtkg.exporting  # noqa: F401
    import gtkg.loading  # noqa: F401

    for name in gtkg.__all__:
        assert callable(getattr(gtkg, name)), name
    assert gtkg.load.__module__ == "gtkg.loading" and gtkg.build.__module__ == "gtkg.building"


def test_help_does_not_import_the_engines():
    code = ("import sys, gtkg.cli; from click.testing import CliRunner; CliRunner().invoke(gtkg.cli.cli, ['--help']);"
            "print(sorted(m for m in ('pyoxigraph', 'rdflib', 'pyshacl', 'SPARQLWrapper') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_store_takes_a_folder_a_url_or_an_open_store(tmp_path, sparql_server):
    from helpers import EXAMPLES

    from gtkg import export, load
    from gtkg.store import Store, open_store, using
    from gtkg.store.embedded import EmbeddedStore
    from gtkg.store.remote import RemoteStore

    folder = str(tmp_path / "store")
    load([EXAMPLES / "notes"], store=folder)
    sparql_server.clear()
    load([EXAMPLES / "notes"], store=sparql_server.query_url)
    opened = open_store(folder, read_only=True)
    try:
        assert isinstance(opened, EmbeddedStore) and isinstance(opened, Store)
        assert isinstance(open_store(sparql_server.query_url), RemoteStore)
        assert open_store(opened) is opened
        with using(opened) as same:
            assert same is opened
        assert opened.engine() is not None  # still open after the call that borrowed it
        assert export(store=opened, format="nquads") == export(store=folder, format="nquads") == export(
            store=sparql_server.query_url, format="nquads")
    finally:
        opened.close()


def test_no_file_holds_a_merge_conflict_marker():
    from helpers import ROOT

    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True)
    if tracked.returncode:
        import pytest

        pytest.skip("not a git checkout")
    marked = [name for name in tracked.stdout.split("\n") if name and (ROOT / name).is_file()
              and any(line.startswith(("<<<<<<< ", ">>>>>>> ")) for line in
                      (ROOT / name).read_text(encoding="utf-8", errors="replace").split("\n"))]
    assert not marked
