"""What Overproof fixes that restore leaves, on overproof-smh: the words by kind.

    python benchmarks/bench_peer.py [--examples 12]

Cleans every overproof-smh article with the whole pipeline (spaCy none), then aligns the ground
truth word by word (the eval's normalisation and alignment) with the raw OCR, Overproof's
output (``peer/``) and restore's. A truth word the OCR has wrong, Overproof right and restore
wrong is counted by what the print is: a known word or not (the language model's ``known``),
its truth one edit away, two, or further, a number, or no single printed word (a split, a join,
a word lost). The first table is every truth word by who has it right (O: the OCR, P: Overproof,
R: restore; upper case right).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore import Config, clean  # noqa: E402
from restore.evaluate import Normalization, align, aligned_words  # noqa: E402
from restore.models.lm import load_language_model  # noqa: E402

SET = Path(__file__).resolve().parents[2] / "shared" / "eval" / "overproof-smh"


def kind(printed: str, truth: str, known) -> str:
    if not printed or " " in printed:
        return "no single printed word (split, join or lost)"
    if any(c.isdigit() for c in printed + truth):
        return "a number"
    distance = min(Levenshtein.distance(printed, truth), 3)
    edits = {1: "one edit", 2: "two edits", 3: "three or more edits"}[distance]
    return f"{'a known word' if known(printed) else 'no known word'}, {edits} from its truth"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=12)
    args = parser.parse_args()
    words = Normalization().words
    known = load_language_model().known
    config = Config(spacy_model="none")
    who: Counter = Counter()
    left: Counter = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for path in sorted((SET / "gt").glob("*.txt")):
        read = (SET / "ocr" / path.name).read_text(encoding="utf-8")
        gt = words(path.read_text(encoding="utf-8"))
        sides = [
            words(read),
            words((SET / "peer" / path.name).read_text(encoding="utf-8")),
            words(clean(read, config).output),
        ]
        right = [align(side, gt).right for side in sides]
        ocr_words = aligned_words(sides[0], gt)
        for j, truth in enumerate(gt):
            o, p, r = (r[j] for r in right)
            who["".join(c if ok else c.lower() for c, ok in zip("OPR", (o, p, r), strict=True))] += 1
            if not o and p and not r:
                k = kind(ocr_words[j], truth, known)
                left[k] += 1
                if len(examples[k]) < args.examples:
                    examples[k].append(f"{ocr_words[j] or '(none)'} ({truth})")
    print("| truth words: right in O(CR), P(eer: Overproof), R(estore) | words |")
    print("|---|---|")
    for key, n in who.most_common():
        print(f"| {key} | {n:,} |")
    total = sum(left.values())
    print(f"\n{total:,} words Overproof has right and restore leaves wrong, by what the OCR printed:\n")
    print("| the print | words | share | examples (truth) |")
    print("|---|---|---|---|")
    for k, n in left.most_common():
        print(f"| {k} | {n:,} | {n / total:.2f} | {', '.join(examples[k])} |")


if __name__ == "__main__":
    main()
