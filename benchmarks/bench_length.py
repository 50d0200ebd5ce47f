"""Cost against document length: words per CPU-second and peak memory of one `restore clean`
of one file at growing lengths, so that a cost that grows faster than the text shows as a
falling words/CPU-s, and memory that grows with it as a rising peak.

Each input is built from the eval sets' OCR (``../shared/eval``, or ``$RESTORE_EVAL``): the
same leading share of every file, so the mix of books and articles is alike at every length;
past the size of the whole set it is repeated (a repeated text has more forms seen twice,
which the spelling stage trusts, so per-word cost there is a little lower). Every figure
times the real command in a child process (ru_utime + ru_stime, ru_maxrss); the pipeline runs
without a spaCy parser (``--spacy-model none``; ``--spacy-model auto`` to measure with one), first whole (``--chunk-chars`` past the input's
length), then as `restore clean` cleans it by default, in chunks of ``Config.chunk_chars``
characters, to show that memory then stays flat in the length.

    /work/venv/bin/python benchmarks/bench_length.py           # 1 and 5 MB
    /work/venv/bin/python benchmarks/bench_length.py --quick   # 0.25 and 1 MB
    /work/venv/bin/python benchmarks/bench_length.py --quick --spacy-model auto
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("RESTORE_EVAL", ROOT.parent / "shared" / "eval"))
RESTORE = str(Path(sys.executable).parent / "restore")
COMMAND = "/work/venv/bin/python benchmarks/bench_length.py"
sys.path.insert(0, str(ROOT))
from restore import Config  # noqa: E402

WHOLE = str(10**12)  # --chunk-chars past any input: one chunk


def build_input(path: Path, megabytes: float) -> int:
    """Write about ``megabytes`` of eval OCR to path (see the module's docstring); its words."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(EVAL.glob("*/ocr/*.txt"))]
    if not texts:
        raise SystemExit(f"no OCR under {EVAL}/*/ocr: set RESTORE_EVAL")
    whole = sum(len(t.encode()) for t in texts)
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    while target >= whole:
        parts += texts
        target -= whole
    share = target / whole
    for text in texts:
        cut = text[: int(len(text) * share)]
        end = max(cut.rfind("\n"), cut.rfind(" "))
        if end > 0:
            parts.append(cut[:end].rstrip())
    body = "\n\n".join(p.strip("\n") for p in parts) + "\n"
    path.write_text(body, encoding="utf-8")
    return len(body.split())


def _child(args: list[str]) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, peak memory (KiB) and exit status of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def _row(label: str, path: Path, out: Path, words: int, timing: tuple[float, float, int, int]) -> str:
    wall, cpu, peak_kib, status = timing
    record = out / (path.stem + ".json")
    chunks = json.loads(record.read_text(encoding="utf-8"))["stats"].get("chunks", 1) if status == 0 else "-"
    sizes = [
        (out / (path.stem + ext)).stat().st_size / 1e6 if status == 0 else 0 for ext in (".json", ".html")
    ]
    return (
        f"| {label} | {words:,} | {chunks} | {wall:.0f} | {cpu:.0f} | {words / cpu:,.0f} | "
        f"{peak_kib / 1024:,.0f} MiB | {sizes[0]:.1f} / {sizes[1]:.1f} | {status} |"
    )


def run(quick: bool = False, spacy_model: str = "none") -> str:
    sizes = (0.25, 1.0) if quick else (1.0, 5.0)
    whole, chunked = [], []
    with tempfile.TemporaryDirectory(prefix="bench-length-") as tmp:
        work = Path(tmp)
        for megabytes in sizes:
            path = work / f"length-{megabytes:g}mb.txt"
            words = build_input(path, megabytes)
            label = f"{path.stat().st_size / 1e6:.2f} MB"
            for rows, extra, name in ((whole, ["--chunk-chars", WHOLE], "whole"), (chunked, [], "chunked")):
                out = work / f"out-{name}"
                command = [RESTORE, "clean", str(path), "-o", str(out), "-q", "--spacy-model", spacy_model]
                rows.append(_row(label, path, out, words, _child(command + ["--force", *extra])))
            path.unlink()
    cores = len(os.sched_getaffinity(0))
    header = "| input | words | chunks | wall s | CPU s | words / CPU-s | peak memory | NAME.json / NAME.html MB | exit |"
    return "\n".join(
        [
            "## Cost against document length",
            "",
            f"`{COMMAND}{' --quick' if quick else ''}{'' if spacy_model == 'none' else ' --spacy-model ' + spacy_model}`"
            f" ({cores} cores, shared). One file of eval OCR at each"
            " length (the same leading share of every eval file; past the whole set, repeated), cleaned by"
            f" `restore clean FILE -o OUT -q --spacy-model {spacy_model} --chunk-chars {WHOLE}` (whole) in a fresh process; CPU seconds are the"
            " child's user + system time, start-up (about 2 s) included; peak memory is its ru_maxrss."
            " A cost per word that is flat in the length keeps words / CPU-s flat.",
            "",
            header,
            "|---|---|---|---|---|---|---|---|---|",
            *whole,
            "",
            f"The same inputs cleaned as `restore clean` cleans them by default, in chunks of"
            f" {Config.chunk_chars:,} characters (`--chunk-chars`, `Config.chunk_chars`): memory stays flat in the length.",
            "",
            header,
            "|---|---|---|---|---|---|---|---|---|",
            *chunked,
            "",
        ]
    )


if __name__ == "__main__":
    model = sys.argv[sys.argv.index("--spacy-model") + 1] if "--spacy-model" in sys.argv else "none"
    print(run(quick="--quick" in sys.argv, spacy_model=model))
