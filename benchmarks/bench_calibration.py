"""Does the calibrated probability of a spelling decision hold on text it was not learned on?

    python benchmarks/bench_calibration.py [--eval]

`restore.learn.learn` on four fifths of ../shared/train/bln600 (fold 0 of
benchmarks/bench_bln_cv.py), then every word the channel would read otherwise in the fifth
held out (``learn.decision_rows``, labelled by the aligned ground truth), binned by the
calibrated probability of its best other reading: how many, the share whose best other reading
is the truth ("right"), the share printed right, and the mean probability. With --eval, the
shipped models on ../shared/eval's sets as well (measured, never chosen on).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_bln_cv import fold_dirs  # noqa: E402

from restore.learn import decision_rows, learn, pairs_in, read_pairs  # noqa: E402
from restore.models import channel  # noqa: E402
from restore.stages import in_context  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
BANDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)


def table(name: str, texts: list[tuple[str, str]], model_dir: Path | None) -> list[str]:
    model = channel.load_error_model(str(model_dir)) if model_dir else channel.load_error_model()
    rows = decision_rows(texts, in_context.reader_for(model), in_context.plain_word)
    ps = in_context.load_calibration(str(model_dir) if model_dir else None).probabilities(
        [r.features for r in rows]
    )
    out = [
        f"### {name}: {len(rows):,} decisions",
        "",
        "| probability | printed form | rows | right | printed right | mean probability |",
        "|---|---|---|---|---|---|",
    ]
    for known, label in ((1.0, "a word"), (0.0, "no word")):
        for lo, hi in zip(BANDS, BANDS[1:]):
            sel = [(r, p) for r, p in zip(rows, ps) if r.features[2] == known and lo <= p < hi + (hi == 1.0)]
            if sel:
                n = len(sel)
                out.append(
                    f"| {lo:g}-{hi:g} | {label} | {n} | {sum(r.right for r, _ in sel) / n:.3f} "
                    f"| {sum(r.printed_right for r, _ in sel) / n:.3f} | {sum(p for _, p in sel) / n:.3f} |"
                )
    return out + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", action="store_true", help="also the shipped models on the eval sets")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="restore-calibration-"))
    try:
        learn_ocr, learn_gt, test_ocr, test_gt = fold_dirs(0, work)
        learn(learn_ocr, learn_gt, work / "model", calibrate=True, prior_words=0)
        lines = table("BLN600 fold 0 held out", read_pairs(pairs_in(test_ocr, test_gt)), work / "model")
        if args.eval:
            for name in ("overproof-smh", "icdar2017-en"):
                texts = read_pairs(pairs_in(EVAL / name / "ocr", EVAL / name / "gt"))
                lines += table(name, texts, None)
    finally:
        shutil.rmtree(work)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
