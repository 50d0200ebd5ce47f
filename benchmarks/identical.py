"""Byte-identity check for behaviour-preserving refactors.

Cleans the sample corpus and every ../shared/eval/*/ocr set with the installed
`restore` into a folder, then compares the sha256 of every output file against
a baseline folder made the same way before the change:

    python benchmarks/identical.py --baseline /tmp/baseline          # once, before
    python benchmarks/identical.py --compare /tmp/baseline /tmp/after  # after each step

Compared: every NAME.txt, NAME.json, NAME.md, NAME.html and index.html. The
manifest (restore-manifest.jsonl) is compared only modulo what changes from run
to run by design (the time a document was done, seconds it took); see _stable().
``--code WORKTREE`` runs the package of another checkout on the same inputs (so that a
commit can be checked while others edit this tree). ``--ignore-settings`` also leaves out the manifest's ``settings`` hash (of the whole
Config), which changes whenever Config gains a field, even one that changes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
VOLATILE = ("seconds", "elapsed", "time", "started", "finished", "at", "when", "duration")


def sets() -> dict[str, Path]:
    found = {"corpus": REPO / "corpus"}
    for ocr in sorted((SHARED / "eval").glob("*/ocr")):
        found[ocr.parent.name] = ocr
    return found


def run(outroot: Path, workers: int, code: Path | None = None) -> None:
    restore = Path(sys.executable).parent / "restore"
    env = dict(os.environ, PYTHONPATH=str(code)) if code else None
    for name, inputs in sets().items():
        out = outroot / name
        if out.exists():
            shutil.rmtree(out)
        subprocess.run(
            [str(restore), "clean", str(inputs), "-o", str(out), "-q", "--workers", str(workers)],
            check=False,
            env=env,
        )


def _stable(value):
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def digest(path: Path) -> str:
    if path.name.endswith(".jsonl"):
        lines = [
            json.dumps(_stable(json.loads(line)), sort_keys=True)
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        return "stable:" + hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): digest(p) for p in sorted(root.rglob("*")) if p.is_file()}


def compare(before: Path, after: Path) -> int:
    a, b = hashes(before), hashes(after)
    differ = sorted(k for k in a.keys() & b.keys() if a[k] != b[k])
    only_a, only_b = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
    for k in differ:
        print(f"DIFFERS  {k}")
    for k in only_a:
        print(f"MISSING  {k}")
    for k in only_b:
        print(f"EXTRA    {k}")
    same = len(a.keys() & b.keys()) - len(differ)
    print(f"{same} identical, {len(differ)} differ, {len(only_a)} missing, {len(only_b)} extra")
    return 0 if not (differ or only_a or only_b) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="clean every set into this folder")
    parser.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("BASELINE", "AFTER"),
        help="clean every set into AFTER, then compare with BASELINE",
    )
    parser.add_argument("--no-run", action="store_true", help="with --compare, only compare")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--code",
        type=Path,
        default=None,
        help="run the restore package in this checkout (a git worktree of a commit) on the same inputs",
    )
    parser.add_argument(
        "--ignore-settings", action="store_true", help="compare manifests without the settings hash"
    )
    args = parser.parse_args()
    global VOLATILE
    if args.ignore_settings:
        VOLATILE = (*VOLATILE, "settings")
    if args.baseline:
        run(args.baseline, args.workers, args.code)
        return 0
    if args.compare:
        before, after = args.compare
        if not args.no_run:
            run(after, args.workers, args.code)
        return compare(before, after)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
