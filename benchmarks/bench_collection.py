"""What a collection's own confusions, learned from its OCR alone, change (``restore learn`` without --gt).

    python benchmarks/bench_collection.py

For each eval set: the whole pipeline (spaCy none) with the shipped model, each file by itself
(``Config.collection`` off), then ``learn_from_ocr`` on the set's OCR (never its ground truth)
and the pipeline with that model, which is what ``restore eval`` and ``restore clean`` do by
default for two files or more (``restore.collection``).
For BLN600 fold 0 (benchmarks/bench_bln_cv.py's split), the same from the fold's own model
learned with ground truth on the other four folds: the engine is the training pairs' own, so
this shows whether the step harms where there is nothing new to learn.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_bln_cv import fold_dirs  # noqa: E402

from restore import Config  # noqa: E402
from restore.evaluate import evaluate  # noqa: E402
from restore.learn import learn, learn_from_ocr  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
BASE = Config(spacy_model="none", collection=False)  # each row's model as given, no collection step on top


def row(name: str, label: str, ocr: Path, gt: Path, model: Path | None, taught: str = "") -> str:
    config = BASE.with_(model_dir=str(model)) if model else BASE
    s = evaluate(ocr, gt, config).summary()["systems"]["restore"]
    return f"| {name} | {label} | {s['wer']:.4f} | {s['wer_change']:+.1%} | {s['fixed']:,} | {s['introduced']:,} | {taught} |"


def taught_of(learned) -> str:
    shown = ", ".join(f"'{b}' for '{a}' {n:,}/{of:,}" for (a, b), (n, of) in list(learned.taught.items())[:3])
    return f"{len(learned.taught)}: {shown}"


def main() -> None:
    lines = [
        "| set | model | WER after | change | fixed | introduced | confusions taught (top three) |",
        "|---|---|---|---|---|---|---|",
    ]
    work = Path(tempfile.mkdtemp(prefix="restore-collection-"))
    try:
        for name in ("overproof-smh", "icdar2017-en"):
            ocr, gt = EVAL / name / "ocr", EVAL / name / "gt"
            lines.append(row(name, "shipped", ocr, gt, None))
            learned = learn_from_ocr(ocr, work / name)
            lines.append(
                row(name, "shipped + learned from its OCR", ocr, gt, work / name, taught_of(learned))
            )
            print("\n".join(lines[-2:]), file=sys.stderr)
        learn_ocr, learn_gt, test_ocr, test_gt = fold_dirs(0, work / "bln")
        learn(learn_ocr, learn_gt, work / "fold", calibrate=True, prior_words=0)
        lines.append(row("BLN600 fold 0", "the fold's (ground truth)", test_ocr, test_gt, work / "fold"))
        learned = learn_from_ocr(test_ocr, work / "fold+ocr", work / "fold")
        lines.append(
            row(
                "BLN600 fold 0",
                "the fold's + learned from its OCR",
                test_ocr,
                test_gt,
                work / "fold+ocr",
                taught_of(learned),
            )
        )
    finally:
        shutil.rmtree(work)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
