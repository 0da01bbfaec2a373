"""Mutated notes and model files (of the shared corpus when present, of the example and the constructed models):
the loaders give a graph the engine accepts or a clean error, in bounded time and memory, and the commands exit
0, 1 or 2 without a traceback."""

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fuzzing import mutate, seeds

from gtkg.cli import cli

HERE = Path(__file__).resolve().parent
MEMORY_CAP = 2 << 30  # bytes of address space for the fuzzing process


def _capped():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX resource limits")
def test_mutated_inputs_load_or_are_refused_in_bounded_time_and_memory():
    run = subprocess.run([sys.executable, str(HERE / "fuzzing.py"), "300", "20261207"], capture_output=True,
                         text=True, timeout=120, preexec_fn=_capped)
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert lines and "cases" in lines[-1], run.stdout[-2000:] + run.stderr[-2000:]
    failures = [line for line in lines[:-1]]
    assert not failures, json.dumps(failures[:3], indent=1)[:6000]
    assert run.returncode == 0, run.stderr[-2000:]


@pytest.mark.parametrize("case", range(6))
def test_commands_on_a_mutated_study_exit_cleanly(tmp_path, case):
    rng = random.Random(case)
    pool = seeds()
    study = tmp_path / "study"
    study.mkdir()
    for name, data in rng.sample(pool, 4):
        (study / name).write_bytes(mutate(data, rng))
    store = str(tmp_path / "store")
    runner = CliRunner()
    for args in (["load", "--store", store, str(study)], ["validate", "--store", store],
                 ["query", "decision-overview", "--store", store], ["export", "--store", store, "-f", "trig"]):
        result = runner.invoke(cli, args)
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert "Traceback" not in result.output and result.exception is None or isinstance(
            result.exception, SystemExit), (args, result.output, result.exception)
        if args[0] == "load" and result.exit_code == 2:
            break
