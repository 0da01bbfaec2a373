"""Memory stays flat as a model file grows: a load keeps the file's text, its records and a bounded amount of
syntax trees and N-Quads, never the syntax tree of the whole file (issue 17). Measured on a whole `gtkg load`
process (its peak resident memory), which before held every syntax tree at once: 0.9 GB for this 5 MB file."""

import os
import subprocess
import sys

import pytest

MEMORY_BOUND_MB = 400  # about 200 MB measured (the interpreter and its imports are 45 MB of it)


def model_text(megabytes: float) -> str:
    """A model file of many statements: declarations, sources, links, and data that is never linked (lists and
    dicts), whose syntax trees take many times the memory of their text."""
    parts = ["from codeable_models import CClass, add_links\nfrom metamodels.guidance_metamodel import *\n\n"]
    size, n = len(parts[0]), 0
    while size < megabytes * 1_000_000:
        block = (f'option_{n} = CClass(practice, "Option {n}")\ns{n} = CClass(source, "s{n}", values={{\n'
                 f'    "title": "Source {n}"}})\nadd_links({{s{n}: [option_{n}]}}, role_name="contained_code")\n'
                 f"weights_{n} = [" + ", ".join(str(i % 97) for i in range(120)) + "]\n"
                 f"names_{n} = {{" + ", ".join(f'"k{i}": option_{n}' for i in range(30)) + "}\n")
        parts.append(block)
        size += len(block)
        n += 1
    return "".join(parts)


# A string whose lines look like statements: the first pass cannot only glance at the file, and parses it
UNGLANCEABLE = 'notes = """\noption_x = CClass(practice, "x")\nend"""\n'


@pytest.mark.parametrize("prefix", ["", UNGLANCEABLE])
def test_loading_a_5_mb_model_file_stays_within_a_memory_bound(tmp_path, prefix):
    model = tmp_path / "big_model.py"
    model.write_text(prefix + model_text(5), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "gtkg", "load", "--store", str(tmp_path / "store"), str(model)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    proc.stdout.close(), proc.stderr.close()
    assert os.waitstatus_to_exitcode(status) == 0, err
    assert "4009 sources" in out + err
    peak_mb = usage.ru_maxrss / 1024  # KiB on Linux
    assert peak_mb < MEMORY_BOUND_MB, f"gtkg load of a 5 MB model file peaked at {peak_mb:.0f} MB"
