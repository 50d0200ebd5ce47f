"""The noisy channel's decisions against ground truth, by calibrated probability.

    python benchmarks/bench_channel.py [--sets overproof-smh icdar2017-en]

For every word the channel would read otherwise (the stage's own reader and calibration,
before the spelling rules and protections), the calibrated probability and the outcome:
right (the candidate is the ground truth), broke (the printed word was right) or neither.
Shows, for each threshold, how many edits it would apply and what they would do.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore.learn import decision_rows, pairs_in, read_pairs  # noqa: E402
from restore.stages import in_context  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def outcomes(texts):
    """(calibrated probability, challenger right, printed word right) for every word read otherwise."""
    calibration = in_context.load_calibration()
    rows = decision_rows(texts, in_context.noisy_channel(), in_context.plain_word)
    return [(calibration.probability(r.features), r.right, r.printed_right) for r in rows]


def table(sets, limit: int | None = None) -> list[str]:
    lines = [
        "| set | threshold | edits | right | broke | neither | broke per right |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in sets:
        pairs = pairs_in(EVAL / name / "ocr", EVAL / name / "gt")[:limit]
        rows = outcomes(read_pairs(pairs))
        for t in THRESHOLDS:
            chosen = [r for r in rows if r[0] >= t]
            right = sum(1 for r in chosen if r[1])
            broke = sum(1 for r in chosen if r[2])
            lines.append(
                f"| {name} | {t} | {len(chosen)} | {right} | {broke} | {len(chosen) - right - broke} | "
                f"{broke / max(1, right):.3f} |"
            )
    return lines


def run(quick: bool = False) -> str:
    return "\n".join(
        [
            "## The noisy channel's decisions by calibrated probability",
            "",
            "Every word the channel would read otherwise, before the spelling rules and the stage's protections",
            "(names, period spellings, repeated forms), scored against the ground truth: *right* the candidate is",
            "the truth, *broke* the printed word was right, *neither* both wrong (or the alignment found no truth).",
            "The stage applies an edit at `--min-confidence` (default 0.8) and flags from 0.5.",
            "",
            *table(["overproof-smh", "icdar2017-en"], 10 if quick else None),
            "",
            "Reproduce: `python benchmarks/bench_channel.py`",
        ]
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="*", default=["overproof-smh", "icdar2017-en"])
    print("\n".join(table(ap.parse_args().sets)))


if __name__ == "__main__":
    main()
