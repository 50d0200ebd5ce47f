"""The noisy channel's decisions against ground truth, by calibrated probability.

    python benchmarks/bench_channel.py [--sets overproof-smh icdar2017-en]

For every word the channel would read otherwise (the stage's own reader and calibration,
before the spelling rules and protections), the calibrated probability and the outcome:
right (the candidate is the ground truth), broke (the printed word was right) or neither.
Shows, for each threshold, how many edits it would apply and what they would do; and, by
bands of probability, whether the probability is what it says (`reliability`): a reason's
"probability 0.7" should be right about seven times in ten on text the calibration never saw.
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
    """(calibrated probability, challenger right, printed word right, printed form a word) for
    every word read otherwise."""
    calibration = in_context.load_calibration()
    rows = decision_rows(texts, in_context.noisy_channel(), in_context.plain_word)
    probabilities = calibration.probabilities([r.features for r in rows])
    return [(p, r.right, r.printed_right, bool(r.features[2])) for p, r in zip(probabilities, rows)]


BANDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def reliability(rows_by_set: dict[str, list]) -> list[str]:
    """Per set and band of calibrated probability: decisions, their mean probability and the
    share whose candidate is the truth, printed forms that are words (the calibration's 'known'
    part) and those that are not apart; and the expected calibration error (the decisions'
    weighted mean gap between the two) from 0.5 up, where the stage flags and edits."""
    lines = [
        "| set | printed form | probability | decisions | mean probability | right | gap |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, rows in rows_by_set.items():
        for part, known in (("a word", True), ("no word", False)):
            gaps, counted = 0.0, 0
            for lo, hi in zip(BANDS, BANDS[1:]):
                band = [r for r in rows if r[3] == known and lo <= r[0] < hi + (hi == 1.0)]
                if not band:
                    continue
                mean = sum(r[0] for r in band) / len(band)
                right = sum(1 for r in band if r[1]) / len(band)
                if lo >= 0.5:
                    gaps += len(band) * abs(mean - right)
                    counted += len(band)
                lines.append(
                    f"| {name} | {part} | {lo:.1f}-{hi:.1f} | {len(band)} | {mean:.3f} | {right:.3f} | "
                    f"{right - mean:+.3f} |"
                )
            if counted:
                lines.append(
                    f"| {name} | {part} | **0.5-1.0, expected calibration error** | {counted} | | | "
                    f"{gaps / counted:.3f} |"
                )
    return lines


def _rows(name: str, limit: int | None) -> list[tuple[float, bool, bool, bool]]:
    pairs = pairs_in(EVAL / name / "ocr", EVAL / name / "gt")[:limit]
    return outcomes(read_pairs(pairs))


def table(rows_by_set: dict[str, list]) -> list[str]:
    lines = [
        "| set | threshold | edits | right | broke | neither | broke per right |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, rows in rows_by_set.items():
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
    rows = {name: _rows(name, 10 if quick else None) for name in ("overproof-smh", "icdar2017-en")}
    return "\n".join(
        [
            "## The noisy channel's decisions by calibrated probability",
            "",
            "Every word the channel would read otherwise, before the spelling rules and the stage's protections",
            "(names, period spellings, repeated forms), scored against the ground truth: *right* the candidate is",
            "the truth, *broke* the printed word was right, *neither* both wrong (or the alignment found no truth).",
            "The stage applies an edit at `--min-confidence` (default 0.8) and flags from 0.5.",
            "",
            *table(rows),
            "",
            "### Is the probability what it says?",
            "",
            "The same decisions by bands of their calibrated probability (learned on BLN600, which neither set",
            "is): the share right against the mean probability, printed forms that are words and those that",
            "are not apart, as the calibration's two parts learn them. *gap*: right minus mean probability.",
            "",
            *reliability(rows),
            "",
            "Reproduce: `python benchmarks/bench_channel.py`",
        ]
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="*", default=["overproof-smh", "icdar2017-en"])
    rows = {name: _rows(name, None) for name in ap.parse_args().sets}
    print("\n".join([*table(rows), "", *reliability(rows)]))


if __name__ == "__main__":
    main()
