"""Two or more checkouts of restore timed back to back, alternating, on the same OCR.

    git worktree add /tmp/before COMMIT
    python benchmarks/bench_checkouts.py /tmp/before . [--files 50] [--rounds 2] [--set overproof-smh]

Each round runs every checkout once, in a fresh process that imports that checkout's package,
warms it up on the first 2,000 characters of the first file, then times ``clean`` (spaCy none,
one worker) over the first FILES files of ../shared/eval/SET/ocr; it prints the seconds of the
warm-up and of the cleaning. Alternating is the point: this machine's own speed drifts over a
day by more than most changes gain, so only runs side by side compare.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"

_TIMED = """
import sys, time
sys.path.insert(0, sys.argv[1])
from restore.config import Config
from restore.pipeline import clean
texts = [p.read_text(encoding="utf-8") for p in sorted(__import__("pathlib").Path(sys.argv[2]).glob("*.txt"))][: int(sys.argv[3])]
config = Config(spacy_model="none")
started = time.perf_counter()
clean(texts[0][:2000], config)
warm = time.perf_counter() - started
started = time.perf_counter()
for text in texts:
    clean(text, config)
print(f"{warm:.2f} {time.perf_counter() - started:.1f} {sum(len(t.split()) for t in texts)}")
"""


def timed(checkout: Path, ocr: Path, files: int) -> tuple[float, float, int]:
    """(warm-up s, cleaning s, words) of one fresh process on `checkout`'s package."""
    done = subprocess.run(
        [sys.executable, "-c", _TIMED, str(checkout.resolve()), str(ocr), str(files)],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",  # so that the package imported is the checkout's, not the one installed from here
    )
    warm, seconds, words = done.stdout.split()
    return float(warm), float(seconds), int(words)


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
