"""Mutation fuzzing of the loaders, run by test_fuzz.py in a subprocess with a memory cap.

Seeds: the shared self-serve corpus when present, the bundled example and the constructed model fixtures.
Each case is one mutated file, read together with the unchanged model files when it is a model file; the
loaders must turn it into N-Quads that the engine accepts, or raise a GtkgError, within a time bound.

    python tests/fuzzing.py [CASES] [SEED]   prints one JSON line per failure, then a summary line
"""

import json
import random
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from helpers import CORPUS, EXAMPLES, FIXTURES  # noqa: E402

SECONDS_PER_CASE = 3.0

# Pieces that broke readers before, or could: fences, brackets, quotes, line breaks, odd bytes.
HOSTILE = [
    b"```python\n", b"```", b"````\n", b"'''", b'"""', b"\n>", b"(", b")", b"[", b"]", b"{", b"}",
    b"x = (\n", b"{**f1, **f1}", b"s += s\n", b"\\", b"\x00", b"\x0c", b"\x0b", b"\xe2\x80\xa8", b"\xc2\x85",
    b"\r", b"\r\n", b"\xff\xfe", b"\xed\xa0\x80", b"'D\\ud800'", b"add codes to s1:\n", b"Familiar options: ",
    b"CClass(practice, ", b"add_links(", b"role_name=", b"for x in y:\n    ", b"# s\n", b"## title\n",
    b"lambda: 0", b"__import__('os')", b"<<( <a:b> <a:c> <a:d> )>>", b"\t", b" " * 200, b"a" * 5000,
]


def seeds() -> list[tuple[str, bytes]]:
    files = []
    if CORPUS.exists():
        files += sorted(CORPUS.glob("s_*.md"))[:12]
    files += sorted((EXAMPLES / "notes").glob("*.md")) + sorted((EXAMPLES / "models").glob("*.py"))
    files += sorted((FIXTURES / "models").rglob("*.py"))
    return [(path.name, path.read_bytes()) for path in files]


def mutate(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data) + 1)
        kind = rng.randrange(6)
        if kind == 0:  # insert a hostile piece, sometimes many times
            data = data[:at] + rng.choice(HOSTILE) * rng.choice((1, 1, 3, 50, 3000)) + data[at:]
        elif kind == 1:  # delete a span
            data = data[:at] + data[at + rng.randint(1, 200):]
        elif kind == 2:  # duplicate a span
            span = data[at: at + rng.randint(1, 400)]
            data = data[:at] + span * rng.randint(2, 4) + data[at:]
        elif kind == 3:  # truncate
            data = data[:at]
        elif kind == 4:  # flip a byte
            if data:
                at = min(at, len(data) - 1)
                data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1:]
        else:  # swap two lines
            lines = data.split(b"\n")
            if len(lines) > 2:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
                data = b"\n".join(lines)
    return data


class Hung(Exception):
    """A case ran far past its time bound."""


def _stop(signum, frame):
    raise Hung


def run_case(name: str, data: bytes, folder: Path) -> str | None:
    """None when the case loads, "refused" for a GtkgError, else what went wrong."""
    import signal

    signal.signal(signal.SIGALRM, _stop)
    signal.alarm(int(SECONDS_PER_CASE * 10))
    try:
        return _load(name, data, folder)
    except Hung:
        return f"hung: stopped after {SECONDS_PER_CASE * 10:g} s in\n" + traceback.format_exc(limit=-6)
    finally:
        signal.alarm(0)


def _load(name: str, data: bytes, folder: Path) -> str | None:
    import pyoxigraph as ox

    from gtkg.errors import GtkgError
    from gtkg.loading import build_graphs, collect_files

    for old in folder.glob("*"):
        old.unlink()
    (folder / name).write_bytes(data)
    if name.endswith(".py"):  # a model file is read with the rest of its model
        for other in (EXAMPLES / "models").glob("*.py"):
            if other.name != name:
                (folder / other.name).write_bytes(other.read_bytes())
    try:
        graphs, _ = build_graphs(collect_files([folder]))
        ox.Store().load("".join(graphs.values()), format=ox.RdfFormat.N_QUADS)
    except GtkgError:
        return "refused"
    except Exception:  # noqa: BLE001 - the failure is what this reports
        return traceback.format_exc(limit=-4)
    return None


def main(count: int = 300, seed: int = 13) -> int:
    import tempfile

    rng = random.Random(seed)
    pool = seeds()
    failures, refused, slowest = 0, 0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(count):
            name, data = rng.choice(pool)
            mutated = mutate(data, rng)
            started = time.perf_counter()
            problem = run_case(name, mutated, Path(tmp))
            took = time.perf_counter() - started
            slowest = max(slowest, took)
            if problem == "refused":
                refused, problem = refused + 1, None
            if problem is None and took > SECONDS_PER_CASE:
                problem = f"took {took:.1f} s"
            if problem:
                failures += 1
                print(json.dumps({"case": number, "file": name, "problem": problem,
                                  "input": mutated[:3000].decode("utf-8", "replace")}), flush=True)
    print(json.dumps({"cases": count, "failures": failures, "refused": refused, "slowest": round(slowest, 2)}),
          flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*map(int, sys.argv[1:])))
