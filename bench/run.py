"""Benchmark gtkg on a synthetic study, side by side with the limits it should be judged against.

    python bench/run.py --scale 1          # 100 sources
    python bench/run.py --scale 10 --runs 3

Measures whole processes (wall time, peak RSS) and in-process calls; prints seconds, the limit measured in
the same run, and the ratio gtkg / limit. Medians of --runs runs.
"""

import argparse
import json
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

GTKG = [sys.executable, "-m", "gtkg"]


def run_process(argv: list[str], runs: int, setup=None) -> tuple[float, int]:
    """Median wall seconds and max peak RSS (KiB) of a command; `setup` runs before each run, untimed."""
    times, peak = [], 0
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        stderr = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise RuntimeError(f"{' '.join(argv)} exited {code}: {stderr.strip()[-500:]}")
        times.append(elapsed)
        peak = max(peak, usage.ru_maxrss)
    return statistics.median(times), peak


def run_inprocess(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class Report:
    def __init__(self):
        self.rows = []

    def add(self, step: str, seconds: float | None, limit: float | None = None, limit_name: str = "",
            peak_kib: int | None = None) -> None:
        ratio = seconds / limit if seconds is not None and limit else None
        self.rows.append({"step": step, "seconds": seconds, "limit": limit_name, "limit_seconds": limit,
                          "ratio": ratio, "peak_mib": round(peak_kib / 1024) if peak_kib else None})
        print(f"{step:<44} {_fmt(seconds):>9} {limit_name:<28} {_fmt(limit):>9} "
              f"{'' if ratio is None else f'{ratio:6.2f}x':>8} {'' if not peak_kib else f'{peak_kib // 1024} MiB'}",
              flush=True)


def _fmt(value):
    return "" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 100 sources")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "gtkg-bench")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--skip", default="", help="comma-separated: rdflib, validate, build, queries, export")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))

    study = args.work / f"study-{args.scale:g}"
    if not study.exists():
        generate(args.scale, study)
    store = args.work / f"store-{args.scale:g}"
    env_store = ["--store", str(store)]
    report = Report()
    print(f"{'step':<44} {'seconds':>9} {'limit':<28} {'seconds':>9} {'ratio':>8} peak")

    startup, _ = run_process([sys.executable, "-c", "import gtkg"], args.runs)
    report.add("python -c 'import gtkg'", startup)
    helptime, _ = run_process(GTKG + ["--help"], args.runs)
    report.add("gtkg --help", helptime, startup, "import gtkg")

    def fresh():
        shutil.rmtree(store, ignore_errors=True)

    load_s, load_peak = run_process(GTKG + ["load", *env_store, str(study)], args.runs, setup=fresh)
    nquads = args.work / f"export-{args.scale:g}.nq"
    subprocess.run(GTKG + ["export", *env_store, "-f", "nquads", "-o", str(nquads)], check=True)
    limit_store = args.work / "limit-store"
    bulk_s, bulk_peak = run_process(
        [sys.executable, "-c", "import pyoxigraph as ox, sys; s = ox.Store(sys.argv[1]); "
         "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS); s.flush()", str(limit_store), str(nquads)],
        args.runs, setup=lambda: shutil.rmtree(limit_store, ignore_errors=True))
    report.add("gtkg load (fresh store)", load_s, bulk_s, "pyoxigraph bulk_load N-Quads", load_peak)
    report.add("  pyoxigraph bulk_load of gtkg's N-Quads", bulk_s, peak_kib=bulk_peak)
    if "rdflib" not in skip:
        rdflib_s, rdflib_peak = run_process(
            [sys.executable, "-c", "import rdflib, sys; rdflib.Dataset().parse(sys.argv[1], format='nquads')",
             str(nquads)], max(1, args.runs - 2))
        report.add("  rdflib parse of the same N-Quads", rdflib_s, bulk_s, "pyoxigraph bulk_load N-Quads",
                   rdflib_peak)

    changed = sorted((study / "notes").glob("s_*.md"))[0]
    original = changed.read_text(encoding="utf-8")

    def touch():
        changed.write_text(original + f"\n<!-- edited {time.time()} -->\n", encoding="utf-8")

    reload_s, _ = run_process(GTKG + ["load", *env_store, str(changed)], args.runs, setup=touch)
    changed.write_text(original, encoding="utf-8")
    report.add("gtkg load one changed file (reload)", reload_s, startup, "import gtkg")

    if "export" not in skip:
        export_s, export_peak = run_process(GTKG + ["export", *env_store, "-o", str(args.work / "export.ttl")],
                                            args.runs)
        report.add("gtkg export (Turtle)", export_s, peak_kib=export_peak)

    if "validate" not in skip:
        validate_s, validate_peak = run_process(GTKG + ["validate", *env_store, "-o", os.devnull], args.runs)
        report.add("gtkg validate", validate_s, peak_kib=validate_peak)
    if "build" not in skip:
        out = args.work / "build-out"
        build_s, build_peak = run_process(GTKG + ["build", str(study), "-o", str(out)], args.runs,
                                          setup=lambda: shutil.rmtree(out, ignore_errors=True))
        report.add("gtkg build (notes to tables)", build_s, peak_kib=build_peak)

    if "queries" not in skip:
        _queries(report, store, args.runs)
    if args.json:
        args.json.write_text(json.dumps({"scale": args.scale, "sources": round(100 * args.scale),
                                         "rows": report.rows}, indent=2))


def _queries(report: Report, store: Path, runs: int) -> None:
    from gtkg.queries import catalogue, run_query
    from gtkg.store import open_store

    backend = open_store(str(store), read_only=True)  # in process: the store is opened once, as a library would
    for name, query in catalogue().items():
        if any(p.required for p in query.params):
            continue
        inproc = run_inprocess(lambda name=name: run_query(name, store=backend), max(runs, 5))
        whole, _ = run_process(GTKG + ["query", name, "--store", str(store), "-f", "csv"], runs)
        report.add(f"query {name} (in process)", inproc)
        report.add(f"query {name} (gtkg query process)", whole)


if __name__ == "__main__":
    main()
