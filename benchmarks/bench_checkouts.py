"""Two or more checkouts of restore timed back to back, alternating, on the same OCR.

    git worktree add /tmp/before COMMIT
    python benchmarks/bench_checkouts.py /tmp/before . [--files 50] [--rounds 2] [--set overproof-smh]

Each round runs every checkout once, in a fresh process that imports that checkout's package
and times it with ``bench_speed.throughput`` (spaCy none, one worker: a warm-up on the first
2,000 characters, then ``clean`` over the first FILES files of ../shared/eval/SET/ocr); it
prints the seconds of the warm-up and of the cleaning. Alternating is the point: this machine's own speed drifts over a
day by more than most changes gain, so only runs side by side compare.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL = HERE.parents[1] / "shared" / "eval"

# The child puts the checkout first on its path, so that bench_speed (this repository's) times
# that checkout's package with its own `throughput`.
_TIMED = """
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from pathlib import Path
import bench_speed
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[3]).glob("*.txt"))][: int(sys.argv[4])]
print(json.dumps(bench_speed.throughput(texts, "none")))
"""


def timed(checkout: Path, ocr: Path, files: int) -> tuple[float, float, int]:
    """(warm-up s, cleaning s, words) of one fresh process on `checkout`'s package."""
    done = subprocess.run(
        [sys.executable, "-c", _TIMED, str(checkout.resolve()), str(HERE), str(ocr), str(files)],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",  # so that the package imported is the checkout's, not the one installed from here
    )
    run = json.loads(done.stdout.strip().splitlines()[-1])
    return run["warmup"], run["seconds"], run["words"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--set", default="overproof-smh")
    args = parser.parse_args()
    ocr = EVAL / args.set / "ocr"
    print("| round | checkout | warm-up s | cleaning s | words/s |")
    print("|---|---|---|---|---|")
    for n in range(1, args.rounds + 1):
        for checkout in args.checkouts:
            warm, seconds, words = timed(checkout, ocr, args.files)
            print(f"| {n} | {checkout} | {warm:.2f} | {seconds:.1f} | {words / seconds:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
