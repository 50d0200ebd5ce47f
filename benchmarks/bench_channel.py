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
from restore import lexicon  # noqa: E402
from restore.learn import aligned_words, pairs_in, read_pairs  # noqa: E402
from restore.models.noisy_channel import decision_features  # noqa: E402
from restore.stages import in_context  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def outcomes(texts):
    import bisect

    reader = in_context.noisy_channel()
    calibration = in_context.load_calibration()
    rows = []
    for ocr_text, gt_text in texts:
        text, aligned = aligned_words(ocr_text, gt_text)
        starts = sorted(aligned)
        for d in reader.decode(text, in_context.plain_word):
            i = bisect.bisect_right(starts, d.token.start) - 1
            others = [r for r in d.readings if r.form != d.sentence_printed]
            if i < 0 or not others:
                continue
            truth = aligned[starts[i]]
            p = calibration.probability(
                decision_features(d, others[0], reader.known(d.sentence_printed), lexicon.zipf)
            )
            rows.append((p, others[0].form == truth, d.sentence_printed == truth))
    return rows


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
