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
