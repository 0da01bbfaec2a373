"""Build the same studies with an earlier commit and with the working tree, and compare every file written.

    python bench/same_outputs.py --base REV [--study DIR ...]

By default the studies are the bundled example, the constructed query fixtures, the shared self-serve corpus
and seed note (when present) and a generated 1x study. The earlier commit is checked out into a temporary git
worktree; both builds run as `python -m gtkg build STUDY -o OUT` with PYTHONPATH pointing at their tree. Prints
one line per study and every file that differs; exits 1 when any does.
"""

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MARKERS = {"gtkg-build.json"}  # the build folder's own record, which earlier commits did not write


def default_studies(work: Path) -> list[Path]:
    studies = [ROOT / "examples" / "data-mesh", ROOT / "tests" / "fixtures" / "queries"]
    studies += [p for p in (SHARED / "corpus" / "self-serve-platform", SHARED / "seed") if p.exists()]
    generated = work / "generated-1x"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--scale", "1", "--out", str(generated)],
                   check=True, capture_output=True)
    return [*studies, generated]


def build(tree: Path, study: Path, out: Path) -> None:
    """`python -m gtkg build` with `tree` first on the path: run elsewhere than in a source tree, since `-m` puts
    the working directory first (before PYTHONPATH), which would make both builds this tree's."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    run = subprocess.run([sys.executable, "-m", "gtkg", "build", str(study.resolve()), "-o", str(out.resolve())],
                         env=env, capture_output=True, text=True, cwd=out.parent)
    if run.returncode not in (0, 1):
        raise SystemExit(f"build of {study} with {tree} failed: {run.stderr.strip()}")


def differences(before: Path, after: Path) -> list[str]:
    names = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    names |= {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    found = []
    for name in sorted(names):
        if name.name in MARKERS:
            continue
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            found.append(f"{name}: only {'after' if b.exists() else 'before'}")
        elif not filecmp.cmp(a, b, shallow=False):
            found.append(f"{name}: differs")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the earlier commit (or branch) to compare with")
    parser.add_argument("--study", action="append", type=Path, help="a study folder (repeatable)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = work / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base), args.base], check=True)
        try:
            failed = False
            for n, study in enumerate(args.study or default_studies(work)):
                build(base, study, work / f"before-{n}")
                build(ROOT, study, work / f"after-{n}")
                found = differences(work / f"before-{n}", work / f"after-{n}")
                print(f"{study}: {'identical' if not found else f'{len(found)} files differ'}")
                for line in found:
                    print(f"  {line}")
                failed |= bool(found)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
