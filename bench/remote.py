"""Remote endpoint figures next to the embedded store, on a synthetic study (bench/generate.py).

    python bench/remote.py --scale 1     # 100 sources; starts `oxigraph serve` in memory on 127.0.0.1

Prints medians of --runs runs: pushing the study (build_graphs is timed once, separately: it is the same
for both), a whole `gtkg load` process, and `gtkg query sources` in-process and as a process, the latter
also against a second server started with --union-default-graph (union_default_graph = true).
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import run_inprocess  # noqa: E402

from gtkg.loading import build_graphs, collect_files  # noqa: E402
from gtkg.queries import run_query  # noqa: E402
from gtkg.store import using  # noqa: E402
from gtkg.store.endpoint import Endpoint  # noqa: E402

GTKG = [sys.executable, "-m", "gtkg"]


def start_server(*options: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    binary = str(Path(sys.executable).parent / "oxigraph")
    process = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}", *options],
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).close()
            return process, url
        except OSError:
            time.sleep(0.05)
    raise SystemExit("oxigraph serve did not start")


def push(graphs: dict, store) -> None:
    with using(store) as target:
        target.replace_graphs(graphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gtkg-remote-bench-"))
    generate(args.scale, work / "study")
    start = time.perf_counter()
    graphs, summary = build_graphs(collect_files([work / "study"]))
    print(f"study: {summary.sources} sources, {summary.files} files, {summary.triples} triples; "
          f"build_graphs {time.perf_counter() - start:.2f} s (same for both backends)")
    process, url = start_server()
    union_process, union_url = start_server("--union-default-graph")
    (work / "config" / "gtkg").mkdir(parents=True)
    (work / "config" / "gtkg" / "endpoints.toml").write_text(f'["{union_url}"]\nunion_default_graph = true\n')
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    try:
        push(graphs, union_url)
        report(args, work, graphs, url, union_url)
    finally:
        for server in (process, union_process):
            server.terminate()
            server.wait()


def report(args, work: Path, graphs: dict, url: str, union_url: str) -> None:
    store = str(work / "store")
    no_gsp = Endpoint(query=url, update=url.replace("/query", "/update"), graph_store=None)
    rows = [
        ("push (replace_graphs), embedded", run_inprocess(lambda: push(graphs, store), args.runs)),
        ("push (replace_graphs), remote GSP + MOVE", run_inprocess(lambda: push(graphs, url), args.runs)),
        ("push (replace_graphs), remote Update only", run_inprocess(lambda: push(graphs, no_gsp),
                                                                     args.runs)),
        ("gtkg load process, embedded", run_inprocess(
            lambda: subprocess.run([*GTKG, "load", "--store", store, work / "study"], check=True,
                                   capture_output=True), args.runs)),
        ("gtkg load process, remote", run_inprocess(
            lambda: subprocess.run([*GTKG, "load", "--endpoint", url, work / "study"], check=True,
                                   capture_output=True), args.runs)),
        ("run_query('sources'), embedded", run_inprocess(lambda: run_query("sources", store=store), 20)),
        ("run_query('sources'), remote", run_inprocess(lambda: run_query("sources", store=url), 20)),
        ("run_query('sources'), remote union", run_inprocess(lambda: run_query("sources", store=union_url),
                                                              20)),
        ("gtkg query sources process, embedded", run_inprocess(
            lambda: subprocess.run([*GTKG, "query", "sources", "--store", store], check=True, capture_output=True),
            args.runs)),
        ("gtkg query sources process, remote", run_inprocess(
            lambda: subprocess.run([*GTKG, "query", "sources", "--endpoint", url], check=True, capture_output=True),
            args.runs)),
        ("gtkg query sources process, remote union", run_inprocess(
            lambda: subprocess.run([*GTKG, "query", "sources", "--endpoint", union_url], check=True,
                                   capture_output=True), args.runs)),
    ]
    for label, seconds in rows:
        print(f"{label:<45} {seconds * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
