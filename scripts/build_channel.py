"""Rebuild the shipped error model and calibration (restore/data/channel/) from BLN600's training split.

    python scripts/build_channel.py [--train ../shared/train/bln600]

This is ``restore learn`` on the training pairs, keeping channel.json, calibration.json and
lone_letters.json (words.tsv, the pairs' own vocabulary, is not shipped: the language model and
dictionaries cover English; nor are their trigrams: the shipped reader reads with the book model alone, and
so does its calibration, see restore.models.in_domain). The calibration is learned out of fold
against the shipped language model, so rebuild it after rebuilding the language model
(scripts/build_lm.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from restore.learn import learn  # noqa: E402
from restore.models import channel  # noqa: E402

SHIPPED = ROOT / "restore" / "data" / "channel"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=Path("../shared/train/bln600"))
    args = parser.parse_args(argv)
    train = Path(os.path.relpath(args.train.resolve(), ROOT))
    os.chdir(ROOT)  # the model records its source relative to the repository
    with tempfile.TemporaryDirectory() as tmp:
        learned = learn(train / "ocr", train / "gt", tmp, in_domain_text=False, calibrate=True, prior_words=0)
        for name in ("calibration.json", "lone_letters.json"):
            shutil.copyfile(Path(tmp) / name, SHIPPED / name)
        # Without the pairs' whole-word rates: an engine's habits with its words ("end" for 'and'),
        # which another engine's books do not share (channel.without_word_rates; BENCHMARKS.md,
        # "A word's own rate of misprints").
        data = channel.load_error_model(Path(tmp) / "channel.json").data
        channel.save_error_model(channel.without_word_rates(data), SHIPPED / "channel.json")
    print(
        f"{learned.pairs} pairs, {learned.words} aligned words, {learned.confusions} confusions "
        f"(word error rate {learned.word_error_rate:.3f}) -> {SHIPPED}"
    )


if __name__ == "__main__":
    main()
