"""Time every stored query on a synthetic study: in process (run_query, warm) and as a whole `gtkg query`.

    python bench/queries.py                 # 100 sources
    python bench/queries.py --scale 10      # 1,000 sources
    python bench/queries.py --base /tmp/old # beside the stored queries of another checkout, runs interleaved
    python bench/queries.py --only saturation,co-occurrence   # only these queries

Builds the study with bench/generate.py into a temporary folder, loads it once, then prints for each
query the rows it returns, the median and best in-process time of --runs runs, and the median wall time
of the `gtkg query NAME -f csv` process. In process, the store is opened once (as `gtkg build` does); opening
it is reported separately. With --base, each query of that checkout
(its gtkg/queries module and .rq files) runs too, alternating with this one's on the same store, and both
medians are printed with their ratio (its answers must be the same).
"""

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from gtkg.loading import load  # noqa: E402
from gtkg.queries import catalogue, run_query  # noqa: E402
from gtkg.store import open_store  # noqa: E402


def timed(func, runs: int) -> tuple[list, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return times, result


def other_queries(checkout: str):
    """The gtkg.queries module of another checkout, with its own .rq files, beside this one's."""
    spec = importlib.util.spec_from_file_location("base_queries", Path(checkout) / "gtkg" / "queries" / "__init__.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def side_by_side(base, backend, runs: int, names: list) -> None:
    """Median wall and CPU time of each query, base then this; CPU time is steadier on a busy machine."""
    import gtkg.queries as this

    print(f"{'query':20} {'rows':>6} {'base ms':>8} {'this ms':>8} {'ratio':>6} "
          f"{'base cpu':>9} {'this cpu':>9} {'ratio':>6}")
    totals = [0.0] * 4
    for name in names:
        before, after = ask(base, name, backend), ask(this, name, backend)
        if (before.columns, before.rows) != (after.columns, after.rows):
            raise SystemExit(f"{name}: the answers differ from the base checkout's")
        times = ([], [], [], [])  # wall base, wall this, cpu base, cpu this
        for run in range(runs):  # alternate which goes first, so that neither always finds the caches warm
            for side in ((0, 1) if run % 2 else (1, 0)):
                wall, cpu = time.perf_counter(), time.process_time()
                ask((base, this)[side], name, backend)
                times[side].append(time.perf_counter() - wall)
                times[side + 2].append(time.process_time() - cpu)
        medians = [statistics.median(t) * 1000 for t in times]
        totals = [total + median for total, median in zip(totals, medians, strict=True)]
        print(f"{name:20} {len(after.rows):>6} {_pair(medians[:2])} {_pair(medians[2:], 9)}")
    print(f"{'all':20} {'':>6} {_pair(totals[:2])} {_pair(totals[2:], 9)}")


def ask(queries, name: str, backend):
    """run_query of either checkout: an open store went as `backend=` before it went as `store=`."""
    import inspect

    takes = inspect.signature(queries.run_query).parameters
    return queries.run_query(name, **{"backend" if "backend" in takes else "store": backend})


def _pair(values: list, width: int = 8) -> str:
    return f"{values[0]:>{width}.1f} {values[1]:>{width}.1f} {values[1] / values[0]:>6.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 100 sources")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--process-runs", type=int, default=5)
    parser.add_argument("--base", help="another checkout whose stored queries to time beside these")
    parser.add_argument("--only", help="the queries to time, by name, comma-separated (default: all)")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else catalogue()
    if unknown := sorted(set(names) - set(catalogue())):
        parser.error(f"no stored query {', '.join(unknown)}")
    with tempfile.TemporaryDirectory() as tmp:
        study, store = generate(args.scale, Path(tmp) / "study"), str(Path(tmp) / "store")
        load([study], store=store)
        opening, _ = timed(lambda: open_store(store, read_only=True).close(), args.runs)
        print(f"opening the store read-only: median {statistics.median(opening) * 1000:.1f} ms")
        backend = open_store(store, read_only=True)
        if args.base:
            side_by_side(other_queries(args.base), backend, args.runs, names)
            backend.close()
            return
        print(f"{'query':20} {'rows':>6} {'median ms':>10} {'best ms':>8} {'process ms':>11}")
        for name in names:
            run_query(name, store=backend)  # warm the caches once
            times, table = timed(lambda n=name: run_query(n, store=backend), args.runs)
            argv = [sys.executable, "-m", "gtkg", "query", name, "--store", store, "-f", "csv"]
            wall, _ = timed(lambda a=argv: subprocess.run(a, check=True, capture_output=True), args.process_runs)
            print(f"{name:20} {len(table.rows):>6} {statistics.median(times) * 1000:>10.1f} "
                  f"{min(times) * 1000:>8.1f} {statistics.median(wall) * 1000:>11.0f}")
        backend.close()


if __name__ == "__main__":
    main()
