"""BLN600 held out: learn an error model on four fifths of ../shared/train, measure on the fifth.

    python benchmarks/bench_bln_cv.py [--fold 0 | --fold all]

`--fold all` measures the five folds in turn (about five minutes each here) and pools them: every
article of ../shared/train read once by a model that never saw it, errors summed over the folds.

The shipped default model was learned on all of ../shared/train, so this is the one fair
figure on that collection: `restore.learn.learn` on the other folds (error model and its
calibration, the in-domain trigrams of its ground truth), then the whole pipeline (spaCy none)
with ``--model`` on the held-out fold, its words.tsv stacked on the dictionaries as
``restore eval --model`` and ``restore clean --model`` stack it (``cli.learned_words``).
The language models never read ../shared/train (scripts/build_lm.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore import Config  # noqa: E402
from restore.cli import learned_words  # noqa: E402
from restore.evaluate import evaluate  # noqa: E402
from restore.learn import learn  # noqa: E402
from restore.models import in_domain  # noqa: E402

TRAIN = Path(__file__).resolve().parents[2] / "shared" / "train" / "bln600"
FOLDS = 5


def fold_dirs(fold: int, work: Path) -> tuple[Path, Path, Path, Path]:
    names = sorted(p.name for p in (TRAIN / "ocr").glob("*.txt"))
    dirs = [work / d for d in ("learn_ocr", "learn_gt", "test_ocr", "test_gt")]
    for d in dirs:
        d.mkdir(parents=True)
    for i, n in enumerate(names):
        side = 2 if i % FOLDS == fold else 0
        shutil.copy(TRAIN / "ocr" / n, dirs[side] / n)
        shutil.copy(TRAIN / "gt" / n, dirs[side + 1] / n)
    return tuple(dirs)


def measure(fold: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="restore-bln-cv-"))
    learn_ocr, learn_gt, test_ocr, test_gt = fold_dirs(fold, work)
    learn(learn_ocr, learn_gt, work / "model", calibrate=True, prior_words=0)
    base = Config(spacy_model="none", stages=("normalize", "pages", "hyphenation", "paragraphs", "spelling"))
    out = {}
    for label, config in (
        ("rules only (--no-context)", base.with_(in_context=False)),
        (
            "restore --model (this fold's model)",
            base.with_(model_dir=str(work / "model"), dictionaries=learned_words(work / "model")),
        ),
    ):
        summary = evaluate(test_ocr, test_gt, config).summary()
        out[label] = (summary["ocr"], summary["systems"]["restore"])
    chosen = json.loads((work / "model" / in_domain.WEIGHT_NAME).read_text(encoding="utf-8"))
    shutil.rmtree(work)
    return out, chosen


def _row(label: str, files: int, raw: dict, r: dict) -> str:
    return (
        f"| {label} | {files} | {raw['wer']:.4f} | {r['wer']:.4f} | {100 * r['wer_change']:+.1f}% | "
        f"{r['fixed']} | {r['introduced']} | {r['introduced'] / max(1, r['fixed']):.3f} |"
    )


HEADER = [
    "| system | files | WER raw | WER after | change | fixed | introduced | introduced / fixed |",
    "|---|---|---|---|---|---|---|---|",
]


def run(quick: bool = False, fold: int = 0) -> str:
    rows = list(HEADER)
    measured, chosen = measure(fold)
    for label, (raw, r) in measured.items():
        rows.append(_row(label, len(list((TRAIN / "ocr").glob("*.txt"))[fold::FOLDS]), raw, r))
    return "\n".join(
        [
            f"## BLN600, held out (fold {fold} of {FOLDS})",
            "",
            "Error model, calibration and in-domain trigrams learned by `restore.learn.learn` on the other four fifths",
            "of ../shared/train; measured on the held-out fifth (stages up to spelling, spaCy none).",
            "",
            *rows,
            "",
            f"The trigrams' share chosen on the learning folds: {chosen['weight']} (held-out perplexity by share: "
            + ", ".join(f"{w}: {p}" for w, p in chosen["held_out_perplexity"].items())
            + ").",
            "",
            f"Reproduce: `python benchmarks/bench_bln_cv.py --fold {fold}`",
        ]
    )


def pooled(scores: list[tuple[dict, dict]]) -> tuple[dict, dict]:
    """The folds' totals as one set: errors and words summed (a corpus-level WER, as eval's)."""
    words = sum(raw["gt_words"] for raw, _ in scores)
    raw_errors = sum(raw["word_errors"] for raw, _ in scores)
    errors = sum(r["word_errors"] for _, r in scores)
    raw_wer, wer = raw_errors / words, errors / words
    return {"wer": raw_wer}, {
        "wer": wer,
        "wer_change": (wer - raw_wer) / raw_wer,
        "fixed": sum(r["fixed"] for _, r in scores),
        "introduced": sum(r["introduced"] for _, r in scores),
    }


def run_all() -> str:
    """Every fold in turn, each row as `run` gives it, and the five pooled."""
    rows = list(HEADER)
    by_label: dict[str, list[tuple[dict, dict]]] = {}
    names = sorted((TRAIN / "ocr").glob("*.txt"))
    for fold in range(FOLDS):
        measured, _chosen = measure(fold)
        for label, (raw, r) in measured.items():
            rows.append(_row(f"fold {fold}: {label}", len(names[fold::FOLDS]), raw, r))
            by_label.setdefault(label, []).append((raw, r))
    for label, scores in by_label.items():
        rows.append(_row(f"**all {FOLDS} folds pooled: {label}**", len(names), *pooled(scores)))
    return "\n".join(
        [
            f"## BLN600, cross-validated ({FOLDS} folds)",
            "",
            "Each fifth of ../shared/train measured with the error model, calibration and in-domain trigrams",
            "`restore.learn.learn` learned on the other four fifths (stages up to spelling, spaCy none); pooled:",
            "the folds' word errors and words summed.",
            "",
            *rows,
            "",
            "Reproduce: `python benchmarks/bench_bln_cv.py --fold all`",
        ]
    )


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--fold", default="0", help="a fold, 0 to 4, or 'all' (the five, pooled)")
    fold = ap.parse_args().fold
    print(run_all() if fold == "all" else run(fold=int(fold)))
