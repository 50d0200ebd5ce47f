"""Language model quality against size: perplexity on the evaluation ground truth, load time, query speed.

    python benchmarks/bench_lm.py restore/data/lm/forward.bin [other.bin ...]

A model whose file name starts with "backward" is built on reversed sentences (scripts/build_lm.py)
and is asked about each sentence reversed.

Perplexity is per token (``restore.models.lm.lm_sentences``, one sentence at a time, </s>
included) over the ground truth of ../shared/eval (never trained on); OOV is the share of
tokens the model does not know.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore.models.lm import LanguageModel, lm_sentences  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def measure(path: str, reverse: bool = False) -> list[str]:
    """Rows for one model; a backward model (`reverse`) is asked about each sentence read right to left."""
    started = time.perf_counter()
    model = LanguageModel(path)
    load = time.perf_counter() - started
    rows = []
    for name in ("overproof-smh", "icdar2017-en"):
        sentences = [
            s for f in sorted((EVAL / name / "gt").glob("*.txt")) for s in lm_sentences(f.read_text())
        ]
        total, tokens, oov = 0.0, 0, 0
        started = time.perf_counter()
        for s in sentences:
            for p, _n, is_oov in model.model.full_scores(" ".join(reversed(s) if reverse else s)):
                total += p
                tokens += 1
                oov += is_oov
        seconds = time.perf_counter() - started
        rows.append(
            f"| {Path(path).name} | {Path(path).stat().st_size / 1e6:.1f} MB | {name} | "
            f"{10 ** (-total / tokens):.0f} | {oov / tokens:.3f} | {tokens / seconds:,.0f} | {load * 1000:.0f} ms |"
        )
    return rows


HEADER = [
    "| model | size | ground truth | perplexity | OOV | tokens/s (full_scores) | load |",
    "|---|---|---|---|---|---|---|",
]


def run(quick: bool = False) -> str:
    """The shipped models' section of BENCHMARKS.md (other sizes: run this script with their paths)."""
    from restore.models.lm import LM_DIR

    rows = [
        r
        for name in ("forward", "backward")
        for r in measure(str(LM_DIR / f"{name}.bin"), reverse=name == "backward")
    ]
    return "\n".join(
        [
            "## Language models",
            "",
            "The shipped KenLM 3-grams (scripts/build_lm.py, Gutenberg + ECCO-TCP, 115M tokens), per-token perplexity on",
            "the evaluation ground truth (never trained on); the backward model reads each sentence reversed.",
            "",
            *HEADER,
            *rows,
            "",
            "Reproduce: `python benchmarks/bench_lm.py restore/data/lm/forward.bin restore/data/lm/backward.bin`",
        ]
    )


if __name__ == "__main__":
    print("\n".join(HEADER))
    for p in sys.argv[1:]:  # a model whose file name starts "backward" reads sentences reversed
        print("\n".join(measure(p, reverse=Path(p).name.startswith("backward"))))
