"""Two words printed with a mark where the space was, and what the ground truth has there.

    python benchmarks/bench_lost_spaces.py [--set bln600]

For every OCR form of two runs of letters (two or more each) with one mark between them
("rope'round", "had.evidently", "inspection,and") in ../shared/train/bln600 (or an eval set's
ocr/gt), the truth of the same file is searched for the two runs: printed the same, with the
mark and a space ("inspection, and"), with a space alone ("rope round"), with other marks and a
space, or not found (mostly a misreading inside one word, "afterw'ards"). A text search, not an
alignment: a pair the truth prints twice in two ways counts where it is first found in that order.
This is what `NoisyChannel.read_lost_spaces` and the apostrophe reading of `_run_together` rest on;
the "space only" column is what `restore.models.channel.count_pairs` learns as each mark's rate for a
space (``channel.marked_pairs``, the same search).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore.learn import pairs_in, read_pairs  # noqa: E402
from restore.models.channel import MARK_KINDS as KINDS  # noqa: E402
from restore.models.channel import marked_pairs  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
SETS = {
    "bln600": SHARED / "train" / "bln600",
    "overproof-smh": SHARED / "eval" / "overproof-smh",
    "icdar2017-en": SHARED / "eval" / "icdar2017-en",
}


def count(folder: Path) -> Counter:
    """(mark, kind) -> OCR forms, over a set's files."""
    found: Counter = Counter()
    for printed, truth in read_pairs(pairs_in(folder / "ocr", folder / "gt")):
        found += marked_pairs(printed, truth)
    return found


def table(name: str) -> str:
    found = count(SETS[name])
    marks = sorted(
        {mark for mark, _ in found}, key=lambda m: -sum(n for (k, _), n in found.items() if k == m)
    )
    rows = [f"| mark | {' | '.join(KINDS)} |", "|---" * (len(KINDS) + 1) + "|"]
    for mark in marks:
        rows.append(f"| `{mark}` | " + " | ".join(str(found[(mark, k)]) for k in KINDS) + " |")
    return f"{name}: two words with a mark between them, and what the truth has\n\n" + "\n".join(rows)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default="bln600", choices=sorted(SETS))
    print(table(ap.parse_args().set))
