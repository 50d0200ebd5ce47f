"""What `restore learn` with ground truth gives a collection of another OCR engine: each eval set in two halves.

    python benchmarks/bench_learn_halves.py [--set overproof-smh] [--pages N]

The set's files, in name order, are dealt into two halves (even and odd places). Each half is
cleaned twice with the whole pipeline (spaCy none): with the shipped model, and with a folder
``restore learn --ocr --gt`` made from the other half's OCR and ground truth (its error model,
calibration, word list and, from 60,000 tokens of ground truth, its trigrams), read as
``restore clean --model`` reads it (its word list stacked on the dictionaries). So no page is
cleaned by a model that read it, and the two halves together are the whole set, measured the
eval's way. `--pages N` learns from only the first N files of the other half: "a few corrected
pages", as the README's workflow puts it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore import Config  # noqa: E402
from restore.cli import learned_words  # noqa: E402
from restore.evaluate import evaluate  # noqa: E402
from restore.learn import learn  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
BASE = Config(spacy_model="none")


def halves(name: str, work: Path) -> list[tuple[Path, Path]]:
    """Two (ocr, gt) folders of links, the set's files dealt alternately in name order."""
    out = []
    names = sorted(p.name for p in (EVAL / name / "gt").glob("*.txt"))
    for k in range(2):
        folder = work / f"half{k}"
        for side in ("ocr", "gt"):
            (folder / side).mkdir(parents=True)
            for file_name in names[k::2]:
                (folder / side / file_name).symlink_to(EVAL / name / side / file_name)
        out.append((folder / "ocr", folder / "gt"))
    return out


def first_pages(ocr: Path, gt: Path, pages: int, folder: Path) -> tuple[Path, Path]:
    """The first `pages` files of a half, as (ocr, gt) folders of links."""
    for side, source in (("ocr", ocr), ("gt", gt)):
        (folder / side).mkdir(parents=True)
        for path in sorted(source.glob("*.txt"))[:pages]:
            (folder / side / path.name).symlink_to(path.resolve())
    return folder / "ocr", folder / "gt"


def totals(ocr: Path, gt: Path, model: Path | None) -> dict:
    config = BASE.with_(model_dir=str(model), dictionaries=learned_words(model)) if model else BASE
    run = evaluate(ocr, gt, config)
    s = run.summary()["systems"]["restore"]
    return {
        "fixed": s["fixed"],
        "introduced": s["introduced"],
        "errors": run.total_ocr.word_errors,
        "left": run.total("restore").word_errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="overproof-smh", choices=("overproof-smh", "icdar2017-en"))
    parser.add_argument(
        "--pages", type=int, default=0, help="learn from only the first N files of the other half"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="restore-halves-"))
    rows = {"shipped": [0, 0, 0, 0], "learned": [0, 0, 0, 0]}
    try:
        parts = halves(args.set, work)
        for k, (ocr, gt) in enumerate(parts):
            learn_ocr, learn_gt = parts[1 - k]
            if args.pages:
                learn_ocr, learn_gt = first_pages(learn_ocr, learn_gt, args.pages, work / f"pages{k}")
            model = work / f"model{k}"
            learned = learn(learn_ocr, learn_gt, model)
            print(
                f"half {k}: learned from {learned.pairs} files, {learned.words:,} aligned words,"
                f" trigrams at {learned.in_domain_weight:g}",
                file=sys.stderr,
            )
            for label, folder in (("shipped", None), ("learned", model)):
                t = totals(ocr, gt, folder)
                for i, key in enumerate(("fixed", "introduced", "errors", "left")):
                    rows[label][i] += t[key]
                print(f"half {k} {label}: {t}", file=sys.stderr)
    finally:
        shutil.rmtree(work)
    learned_from = f"the other half's first {args.pages} files" if args.pages else "the other half"
    print(f"| {args.set} | model | fixed | introduced | word errors: OCR -> restore | change |")
    print("|---|---|---|---|---|---|")
    for label, (fixed, introduced, errors, left) in rows.items():
        name = "shipped (BLN600)" if label == "shipped" else f"learned from {learned_from}"
        change = (left - errors) / errors if errors else 0.0
        print(f"| | {name} | {fixed:,} | {introduced:,} | {errors:,} -> {left:,} | {change:+.1%} |")


if __name__ == "__main__":
    main()
