"""Batch cleaning at scale: files/s and words/s with 1 and 2 workers and with Dask, and the
peak memory of one huge input (with line breaks, and with none at all).

Every figure times the real command, `restore clean`, start-up included, in a child
process; peak memory is that child's ru_maxrss. The pipeline runs without a spaCy
parser (--spacy-model none), as the throughput target is stated.

    /work/venv/bin/python benchmarks/bench_batch.py           # 100 MB inputs
    /work/venv/bin/python benchmarks/bench_batch.py --quick   # 10 MB inputs, one eval set
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EVAL = Path(os.environ.get("RESTORE_EVAL", "/work/shared/eval"))
RESTORE = str(Path(sys.executable).parent / "restore")
COMMAND = "/work/venv/bin/python benchmarks/bench_batch.py"


def _run(args: list[str]) -> tuple[float, int, int]:
    """Seconds, peak memory (KiB) and exit status of one `restore` child process."""
    started = time.perf_counter()
    process = subprocess.Popen([RESTORE, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss, process.returncode


def _corpus(folder: Path, quick: bool) -> list[Path]:
    sets = ["overproof-smh"] if quick else ["overproof-smh", "icdar2017-en"]
    files = []
    for name in sets:
        for path in sorted((EVAL / name / "ocr").glob("*.txt")):
            target = folder / name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            files.append(target)
    return files


def _throughput(work: Path, quick: bool) -> list[str]:
    src = work / "corpus"
    files = _corpus(src, quick)
    words = sum(len(p.read_text(encoding="utf-8", errors="replace").split()) for p in files)
    rows = []
    for label, extra in (
        ("local, 1 worker", ["--workers", "1"]),
        ("local, 2 workers", ["--workers", "2"]),
        ("dask LocalCluster, 2 workers", ["--engine", "dask", "--workers", "2"]),
    ):
        out = work / ("out-" + label.replace(" ", "").replace(",", "-"))
        seconds, _, status = _run(["clean", str(src), "-o", str(out), "-q", "--spacy-model", "none", *extra])
        rows.append(
            f"| {label} | {len(files)} | {words:,} | {seconds:.1f} | {len(files) / seconds:.1f} | "
            f"{words / seconds:,.0f} | {status} |"
        )
        rerun, _, _ = _run(["clean", str(src), "-o", str(out), "-q", "--spacy-model", "none", *extra])
        rows[-1] += f" {rerun:.2f} |"
    return rows


def _huge_input(path: Path, megabytes: int, line_breaks: bool) -> int:
    """OCR text from the eval sets repeated to the size; without line breaks it is one line."""
    pieces = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(EVAL.glob("*/ocr/*.txt"))]
    block = "\n\n".join(pieces)
    if not line_breaks:
        block = block.replace("\n", " ")
    target = megabytes * 1_000_000
    with open(path, "w", encoding="utf-8") as handle:
        written = 0
        while written < target:
            handle.write(block)
            handle.write("\n\n" if line_breaks else " ")
            written += len(block.encode()) + 2
    return path.stat().st_size


def _memory(work: Path, quick: bool) -> list[str]:
    megabytes = 10 if quick else 100
    rows = []
    for line_breaks in (True, False):
        big = work / f"huge-{'lines' if line_breaks else 'oneline'}.txt"
        size = _huge_input(big, megabytes, line_breaks)
        words = len(big.read_text(encoding="utf-8").split())
        seconds, peak_kib, status = _run(
            ["clean", str(big), "-o", str(work / "out-huge"), "-q", "--spacy-model", "none", "--force"]
        )
        record = json.loads((work / "out-huge" / (big.stem + ".json")).read_text(encoding="utf-8"))
        rows.append(
            f"| {size / 1e6:.0f} MB, {'with line breaks' if line_breaks else 'no line break at all'} | "
            f"{words:,} | {record['stats'].get('chunks', 1)} | {seconds:.0f} | {words / seconds:,.0f} | "
            f"{peak_kib / 1024:,.0f} MiB | {status} |"
        )
        big.unlink()
    return rows


def run(quick: bool = False) -> str:
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = Path(tmp)
        throughput = _throughput(work, quick)
        memory = _memory(work, quick)
    cores = len(os.sched_getaffinity(0))
    return "\n".join(
        [
            "## Batch cleaning: workers, Dask, memory",
            "",
            f"`{COMMAND}{' --quick' if quick else ''}` ({cores} cores, shared; every stage, no spaCy parser:"
            " `--spacy-model none`). Times are of the whole `restore clean` command, start-up included;"
            " the rerun column is a second run over the same OUTDIR, which skips every input (manifest).",
            "",
            "| engine | files | words | seconds | files/s | words/s | exit | rerun s |",
            "|---|---|---|---|---|---|---|---|",
            *throughput,
            "",
            "Peak memory (ru_maxrss of the `restore clean` process) on one huge input, cleaned in chunks:",
            "",
            "| input | words | chunks | seconds | words/s | peak memory | exit |",
            "|---|---|---|---|---|---|---|",
            *memory,
            "",
        ]
    )


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
