"""Time and peak memory of gtkg at 1x, 10x and 100x a real study's size, beside the floors and the CodeableModels
toolchain's reference figures (issue 17).

    python bench/scale.py                          # 1x, 10x, 100x; the working tree
    python bench/scale.py --scales 1,10 --runs 3
    python bench/scale.py --tree /tmp/base --tree .   # an earlier commit's tree and this one, side by side

1x is a real study's size: 68 sources (`bench/generate.py --scale 0.68`: one sources_and_codes_model.py and a
study model, 0.09 MB of model files at 1x, 8.6 MB at 100x). The CodeableModels toolchain reads only the model
files, so the comparisons with it load the models folder; `build notes+models` is the whole 1x study, and once
more with 100 sources (71k triples, the size of bench/run.py's 1x).
Each step is a whole process (wall time, peak RSS from wait4), median of --runs; with several --tree, the trees
take turns within each step, so their figures are side by side. The floors are measured in the same run: the
engine's own bulk load (pyoxigraph, on disk) of the N-Quads gtkg wrote, and `ast.parse` of the model files.
The toolchain is not installable (not on PyPI): its figures are the issue's, measured on this machine.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

SOURCES_1X = 68
# The CodeableModels toolchain executing the model and writing its tables (issue 17): seconds, GB
TOOLCHAIN = {10: ((1.1, 1.2), None), 100: ((41.0, 51.0), (0.43, 0.44))}
PAPER_TABLES = ("sources", "force-evidence", "decision-overview")
TABLES = """import sys
from pathlib import Path
from gtkg.outputs import render
from gtkg.queries import run_query
from gtkg.store import open_store
store, out = open_store(sys.argv[1], read_only=True), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
for name in sys.argv[3:]:
    table = run_query(name, store=store)
    (out / f"{name}.csv").write_text(render(table, "csv"), encoding="utf-8")
    (out / f"{name}.tex").write_text(render(table, "latex"), encoding="utf-8")
"""
BULK_LOAD = ("import pyoxigraph as ox, sys; s = ox.Store(sys.argv[1]); "
             "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS); s.flush()")
AST_PARSE = """import ast, gc, sys, time
from pathlib import Path
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.py"))]
gc.disable()
start = time.perf_counter()
for text in texts:
    ast.parse(text)
print(time.perf_counter() - start)
"""


def run(argv: list[str], tree: Path | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) and standard output of one process; `tree` goes first on PYTHONPATH."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    start = time.perf_counter()  # the working directory is not a source tree: `-m` would put it first on the path
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tempfile.gettempdir())
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    proc.stdout.close(), proc.stderr.close()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(map(str, argv))} failed: {err.strip()[-800:]}")
    return elapsed, usage.ru_maxrss, out


def gtkg(*args) -> list[str]:
    return [sys.executable, "-m", "gtkg", *map(str, args)]


class Table:
    def __init__(self, trees: list[Path]):
        self.trees = trees
        names = [str(tree) if tree else "installed gtkg" for tree in trees]
        print(f"{'scale':>5}  {'step':<34}" + "".join(f"{name[-18:]:>28}" for name in names) + "   floor / reference")

    def row(self, scale: int, step: str, figures: list[tuple[float, int]], note: str = "") -> None:
        cells = "".join(f"{seconds:>10.2f} s {peak / 1024:>7.0f} MiB{'':>5}" for seconds, peak in figures)
        print(f"{scale:>4}x  {step:<34}{cells}   {note}", flush=True)


def alternating(trees: list, argv_of, runs: int, setup_of=None) -> list[tuple[float, int]]:
    """Median seconds and peak KiB per tree, the trees taking turns run by run (the machine's speed drifts)."""
    times: dict = {tree: [] for tree in trees}
    peaks: dict = dict.fromkeys(trees, 0)
    for _ in range(runs):
        for tree in trees:
            if setup_of:
                setup_of(tree)()
            seconds, kib, _ = run(argv_of(tree), tree)
            times[tree].append(seconds)
            peaks[tree] = max(peaks[tree], kib)
    return [(statistics.median(times[tree]), peaks[tree]) for tree in trees]


def measure(scale: int, args, table: Table) -> None:
    work = args.work / f"x{scale}"
    study = work / "study"
    if not study.exists():
        generate(SOURCES_1X * scale / 100, study)
    models, trees, runs = study / "models", table.trees, args.runs if scale < 100 else args.runs_100x
    stores = {tree: work / f"store-{i}" for i, tree in enumerate(trees)}

    def each(step: str, argv_of, setup_of=None, note: str = "") -> list[tuple[float, int]]:
        figures = alternating(trees, argv_of, runs, setup_of)
        table.row(scale, step, figures, note)
        return figures

    def fresh(tree):
        return lambda: shutil.rmtree(stores[tree], ignore_errors=True)

    loads = each("gtkg load models/", lambda tree: gtkg("load", "--store", stores[tree], models), fresh)
    nquads = work / "gtkg.nq"
    run(gtkg("export", "--store", stores[trees[-1]], "-f", "nquads", "-o", nquads), trees[-1])
    engine = work / "engine"
    bulk = alternating([None], lambda _: [sys.executable, "-c", BULK_LOAD, engine, nquads], runs,
                       lambda _: lambda: shutil.rmtree(engine, ignore_errors=True))[0]
    parse = float(run([sys.executable, "-c", AST_PARSE, models])[2])
    table.row(scale, "  floor: engine bulk load (on disk)", [bulk] * len(trees),
              f"{nquads.stat().st_size / 1e6:.0f} MB of N-Quads; ast.parse of the models {parse:.2f} s")
    tables = each("3 paper tables (csv + latex)", lambda tree: [sys.executable, "-c", TABLES, stores[tree],
                                                               work / "tables", *PAPER_TABLES])
    total = [(load[0] + tab[0], max(load[1], tab[1])) for load, tab in zip(loads, tables, strict=True)]
    table.row(scale, "load + 3 paper tables", total, _versus(scale, total[-1]))
    each("gtkg validate", lambda tree: gtkg("validate", "--store", stores[tree], "-o", os.devnull))
    out = work / "build"
    build = each("gtkg build models/", lambda tree: gtkg("build", models, "-o", out),
                 lambda tree: lambda: shutil.rmtree(out, ignore_errors=True))
    if scale in TOOLCHAIN:
        low, high = TOOLCHAIN[scale][0]
        table.row(scale, "  build vs toolchain", build, f"{build[-1][0] / high:.2f}-{build[-1][0] / low:.2f}x "
                  f"of {low:g}-{high:g} s")
    if scale == 1:  # the whole study, notes too; and the size of the benchmarks of BENCHMARKS.md (71k triples)
        each("gtkg build notes+models", lambda tree: gtkg("build", study, "-o", out),
             lambda tree: lambda: shutil.rmtree(out, ignore_errors=True))
        if not (work / "study-100").exists():
            generate(1, work / "study-100")
        each("gtkg build notes+models, 100 src", lambda tree: gtkg("build", work / "study-100", "-o", out),
             lambda tree: lambda: shutil.rmtree(out, ignore_errors=True), "71k triples")


def _versus(scale: int, figure: tuple[float, int]) -> str:
    if scale not in TOOLCHAIN:
        return ""
    (low, high), memory = TOOLCHAIN[scale]
    said = f"toolchain {low:g}-{high:g} s: {figure[0] / high:.2f}-{figure[0] / low:.2f}x"
    if memory:
        gigabytes = figure[1] * 1024 / 1e9
        said += f"; memory {gigabytes / memory[1]:.2f}-{gigabytes / memory[0]:.2f}x of {memory[0]:g}-{memory[1]:g} GB"
    return said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100", help="multiples of a real study (68 sources)")
    parser.add_argument("--runs", type=int, default=3, help="runs per step below 100x (median)")
    parser.add_argument("--runs-100x", type=int, default=1, help="runs per step at 100x")
    parser.add_argument("--tree", action="append", type=Path, help="a source tree to put on PYTHONPATH "
                        "(repeatable; default: the installed gtkg)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "gtkg-scale")
    args = parser.parse_args()
    table = Table([tree.resolve() for tree in args.tree] if args.tree else [None])
    for scale in map(int, args.scales.split(",")):
        measure(scale, args, table)


if __name__ == "__main__":
    main()
