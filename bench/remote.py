"""Remote endpoint figures next to the embedded store, on a synthetic study (bench/generate.py), side by side in
one run: Oxigraph (`oxigraph serve` in memory, also with --union-default-graph) and Virtuoso (Debian's
virtuoso-opensource, as packaged but for its database folder and ports), both on 127.0.0.1.

    python bench/remote.py --scale 1     # 100 sources
    python bench/remote.py --scale 1 --virtuoso MaxQueryCostEstimationTime=0   # a virtuoso.ini value changed

Prints medians of --runs runs: pushing the study (build_graphs is timed once, separately: it is the same for
every backend), by the Graph Store Protocol and by SPARQL Update alone, a whole `gtkg load` process, `gtkg query
sources` in process and as a process, every stored query once (in process), and `gtkg export`. A server that
cannot be started is left out, saying why.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from generate import generate  # noqa: E402
from run import run_inprocess  # noqa: E402
from sparql_server import ServerUnavailable, start_oxigraph, start_virtuoso  # noqa: E402

from gtkg.exporting import export  # noqa: E402
from gtkg.loading import build_graphs, collect_files  # noqa: E402
from gtkg.queries import catalogue, run_query  # noqa: E402
from gtkg.store import using  # noqa: E402
from gtkg.store.endpoint import Endpoint  # noqa: E402

GTKG = [sys.executable, "-m", "gtkg"]


def push(graphs: dict, store) -> None:
    with using(store) as target:
        target.replace_graphs(graphs)


def every_query(store) -> dict:
    with using(store) as opened:
        return {name: run_query(name, store=opened).rows for name in catalogue()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--virtuoso", nargs="*", default=[], metavar="KEY=VALUE",
                        help="virtuoso.ini values instead of the packaged ones")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gtkg-remote-bench-"))
    generate(args.scale, work / "study")
    start = time.perf_counter()
    graphs, summary = build_graphs(collect_files([work / "study"]))
    print(f"study: {summary.sources} sources, {summary.files} files, {summary.triples} triples; "
          f"build_graphs {time.perf_counter() - start:.2f} s (the same for every backend)")
    servers = start_servers(work, dict(item.split("=", 1) for item in args.virtuoso))
    try:
        union = servers.get("Oxigraph union")
        if union:
            (work / "config" / "gtkg").mkdir(parents=True)
            (work / "config" / "gtkg" / "endpoints.toml").write_text(
                f'["{union.query_url}"]\nunion_default_graph = true\n')
            os.environ["XDG_CONFIG_HOME"] = str(work / "config")
            push(graphs, union.query_url)
        report(args, work, graphs, servers)
    finally:
        for server in servers.values():
            server.stop()


def start_servers(work: Path, virtuoso_settings: dict) -> dict:
    servers = {}
    for name, start in (("Oxigraph", start_oxigraph), ("Oxigraph union", lambda: start_oxigraph(
            "--union-default-graph")), ("Virtuoso", lambda: start_virtuoso(work / "virtuoso", virtuoso_settings))):
        began = time.perf_counter()
        try:
            servers[name] = start()
        except ServerUnavailable as exc:
            print(f"{name}: left out ({exc})")
            continue
        print(f"{name}: started in {time.perf_counter() - began:.1f} s")
    return servers


def report(args, work: Path, graphs: dict, servers: dict) -> None:
    store = str(work / "store")
    stores = {"embedded": store, **{name: server.query_url for name, server in servers.items()
                                    if name != "Oxigraph union"}}
    rows = [(f"push (replace_graphs), {name}", lambda where=where: push(graphs, where), args.runs)
            for name, where in stores.items()]
    rows += [(f"push by SPARQL Update only, {name}", lambda server=server: push(graphs, update_only(server)),
              args.runs) for name, server in servers.items() if name != "Oxigraph union"]
    rows += [(f"gtkg load process, {name}", lambda where=where: subprocess.run(
        [*GTKG, "load", "--endpoint" if where.startswith("http") else "--store", where, work / "study"], check=True,
        capture_output=True), args.runs) for name, where in stores.items()]
    queried = {**stores, **({"Oxigraph union": servers["Oxigraph union"].query_url} if "Oxigraph union" in servers
                            else {})}
    rows += [(f"run_query('sources'), {name}", lambda where=where: run_query("sources", store=where), 20)
             for name, where in queried.items()]
    rows += [(f"every stored query once, {name}", lambda where=where: every_query(where), args.runs)
             for name, where in queried.items()]
    rows += [(f"run_query({query!r}), {name}", lambda where=where, query=query: run_query(query, store=where), 3)
             for query in catalogue() for name, where in queried.items()]
    rows += [(f"gtkg query sources process, {name}", lambda where=where: subprocess.run(
        [*GTKG, "query", "sources", "--endpoint" if where.startswith("http") else "--store", where], check=True,
        capture_output=True), args.runs) for name, where in queried.items()]
    rows += [(f"export (Turtle), {name}", lambda where=where: export(store=where), args.runs)
             for name, where in stores.items()]
    for label, func, runs in rows:
        try:
            seconds = run_inprocess(func, runs)
        except Exception as exc:  # noqa: BLE001 - a figure the server could not give is reported, not fatal
            print(f"{label:<50} failed: {str(exc)[:150]}")
            continue
        print(f"{label:<50} {seconds * 1000:9.1f} ms")
    compare(store, queried)


def compare(store: str, queried: dict) -> None:
    """Do the servers answer every stored query as the embedded store does? (Figures of wrong answers mislead.)"""
    expected = every_query(store)
    for name, where in queried.items():
        if name == "embedded":
            continue
        try:
            differ = [query for query, rows in every_query(where).items() if rows != expected[query]]
        except Exception as exc:  # noqa: BLE001 - reported, not fatal
            differ = [str(exc)[:150]]
        print(f"stored queries, {name}: " + ("DIFFER: " + ", ".join(differ) if differ else "the embedded answers"))


def update_only(server) -> Endpoint:
    return Endpoint.resolve(server.query_url, update=server.update_url, graph_store="")


if __name__ == "__main__":
    main()
