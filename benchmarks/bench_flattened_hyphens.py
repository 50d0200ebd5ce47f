"""How often a hyphen and a space inside a line ("Con- solidation") is one word in the ground truth.

    python benchmarks/bench_flattened_hyphens.py [--pairs ../shared/train/bln600]

Every such hyphen in the OCR of the pairs (the hyphenation stage's ``_FLATTENED``, suspended ones
like "pre- and" left out), with what ``hyphenation.decide`` says and whether the stage joins it,
against what the ground truth writes: the hyphenated form ("keep"), the joined word ("join"), the
two words apart ("two words"), or none of these found ("not found"). The stage's
FLATTENED_JOIN_CONFIDENCE is the share right among its joins whose truth was found.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore.models.lexicon import vocabulary  # noqa: E402
from restore.stages import hyphenation  # noqa: E402

TRAIN = Path(__file__).resolve().parents[2] / "shared" / "train" / "bln600"


def truth_of(left: str, right: str, gt: str) -> str:
    word = re.escape
    if re.search(rf"\b{word(f'{left}-{right}'.lower())}\b", gt):
        return "keep"
    if re.search(rf"\b{word((left + right).lower())}\b", gt):
        return "join"
    if re.search(rf"\b{word(left.lower())}\W+{word(right.lower())}\b", gt):
        return "two words"
    return "not found"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=TRAIN)
    args = parser.parse_args()
    counts: Counter = Counter()
    for ocr_path in sorted((args.pairs / "ocr").glob("*.txt")):
        text = ocr_path.read_text(encoding="utf-8", errors="replace")
        gt = (args.pairs / "gt" / ocr_path.name).read_text(encoding="utf-8", errors="replace").lower()
        joined = {e.start for e in hyphenation.propose(text, None).edits}
        document: Counter = Counter()
        for form, n in vocabulary(text).items():
            document[form.lower()] += n
        compounds = hyphenation._hyphenated_forms(text)
        for m in hyphenation._FLATTENED.finditer(text):
            left, right = m.group("left"), m.group("right")
            if right in hyphenation._SUSPENDED:
                continue
            verdict = hyphenation.decide(left, right, m.group("hyphen"), document, compounds)[0]
            stage = "joined" if m.start("hyphen") in joined else "left"
            counts[(verdict, stage, truth_of(left, right, gt))] += 1
    print("| decide | the stage | ground truth | hyphens |")
    print("|---|---|---|---|")
    for (verdict, stage, truth), n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"| {verdict} | {stage} | {truth} | {n:,} |")
    joins = {t: n for (_, s, t), n in counts.items() if s == "joined"}
    found = sum(n for t, n in joins.items() if t != "not found")
    print(f"\nJoined and right where the truth was found: {joins.get('join', 0):,} of {found:,}")


if __name__ == "__main__":
    main()
