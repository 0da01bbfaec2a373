"""Time parsing and emitting one large CodeableModels model file (issue 3: "well under a second" for 1 MB).

    python bench/model_file_speed.py              # about 1 MB, median of 5 runs
    python bench/model_file_speed.py --mb 4 --runs 3

The file is shaped like a real study's model: declarations, decision options, force-impact dicts, dependency
links with stereotypes and tagged values, next-decision links, sources with values and contained-code lists.
Deterministic from the seed. Prints the size, the parse-only time and the parse+emit time (`build_graphs`),
and beside them, measured in the same runs, what `ast.parse` alone takes for the same text (as is, and with the
cyclic collector paused, as gtkg parses): the part any `ast`-based reader pays. The machine's speed varies;
the ratio much less.
"""

import argparse
import ast
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gtkg.loaders import models  # noqa: E402
from gtkg.loading import build_graphs, collect_files  # noqa: E402

KINDS = ("practice", "pattern")
IMPACTS = ("very_positive", "positive", "neutral", "negative", "very_negative", "positive_and_negative")
DEPENDENCIES = ("uses", "can_use", "requires", "includes", "is_a", "variant", "can_be_realized_with")


def block(rng: random.Random, n: int) -> str:
    """One decision with its options, forces, impacts, dependencies and a source (about 2.5 kB)."""
    options = [f"option_{n}_{i}" for i in range(6)]
    forces = [f"force_{n}_{i}" for i in range(5)]
    out = [f"decision_{n} = CClass(decision, \"How to Decide Question {n} \" + \"About the Platform?\")"]
    out += [f"{o} = CClass({rng.choice(KINDS)}, \"Option {o.title()}\")" for o in options]
    out += [f"{f} = CClass(force, \"Force {f.title()}\")" for f in forces]
    out += [f"add_decision_option_link(decision_{n}, {o}, \"Use {o.replace('_', ' ')}\")" for o in options]
    impacts = ",\n                     ".join(
        f"{o}: {{" + ", ".join(f"{f}: {rng.choice(IMPACTS)}" for f in rng.sample(forces, 3)) + "}"
        for o in options)
    out.append(f"add_force_relations({{{impacts}}})")
    pairs = [(a, b) for a in options for b in options if a != b]
    for i, (a, b) in enumerate(rng.sample(pairs, 3)):
        out.append(f"dep_{n}_{i} = {a}.add_links({b}, role_name=\"from\", "
                   f"stereotype_instances={rng.choice(DEPENDENCIES)})[0]")
    out.append(f"dep_{n}_0.set_tagged_value(\"how\", \"through the {n}th platform API\")")
    if n:
        out.append(f"add_links({{{options[0]}: decision_{n - 1}}}, role_name=\"next decision\", "
                   "stereotype_instances=optional_next)")
    out.append(f"s{n} = CClass(source, \"s{n}\", values={{\"title\": \"Source {n}\", \"url\": "
               f"\"https://example.org/{n}\", \"author type\": \"Practitioner\", \"type\": \"Blog Post\", "
               "\"example\": True, \"source code\": False})")
    out.append(f"s{n}_codes = [decision_{n}, " + ", ".join(options[:4] + forces[:3]) + f", dep_{n}_1]")
    out.append(f"add_links({{s{n}: s{n}_codes}}, role_name=\"contained_code\")")
    return "\n".join(out) + "\n\n"


def model_file(megabytes: float, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts = ["from codeable_models import CClass, add_links\nfrom metamodels.guidance_metamodel import *\n\n"]
    size, n = len(parts[0]), 0
    while size < megabytes * 1_000_000:
        parts.append(block(rng, n))
        size += len(parts[-1])
        n += 1
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = model_file(args.mb)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big_model.py"
        path.write_text(text)
        files = collect_files([path])
        parse_times, total_times, ast_times, ast_paused_times = [], [], [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            ast.parse(text)
            ast_times.append(time.perf_counter() - start)
            with models.cyclic_gc_paused():
                start = time.perf_counter()
                ast.parse(text)
                ast_paused_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            parsed = models.parse({path.name: text})
            parse_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            graphs, summary = build_graphs(files)
            total_times.append(time.perf_counter() - start)
    fragment = parsed.files[path.name]
    print(f"model file: {len(text.encode()) / 1e6:.2f} MB, {text.count(chr(10))} lines, "
          f"{len(fragment.declarations)} declarations, {len(fragment.links)} links, "
          f"{len(fragment.diagnostics)} diagnostics")
    print(f"parse:        median {statistics.median(parse_times):.3f} s over {args.runs} runs")
    total, floor = statistics.median(total_times), statistics.median(ast_paused_times)
    print(f"parse + emit: median {total:.3f} s (build_graphs, {summary.triples} triples, "
          "ontology graph included)")
    print(f"ast.parse of the same text alone: median {statistics.median(ast_times):.3f} s, {floor:.3f} s with the "
          f"cyclic collector paused as gtkg parses (parse + emit = {total / floor:.2f}x that)")


if __name__ == "__main__":
    main()
