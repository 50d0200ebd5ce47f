"""Words in capitals: how often OCR misprints them, and what the spelling stage changes in clean ones.

    python benchmarks/bench_capitals.py [--files 160]

Two tables, for overproof-smh and icdar2017-en (../shared/eval) and BLN600's training pairs
(../shared/train/bln600):

- every printed word in capitals (two letters or more) of the OCR that ``restore.learn.aligned_words``
  aligns with one word of the ground truth, right (the truth is the same word) or wrong: what
  the channel may mend since it reads words in capitals (stop 44);
- the spelling edits on words in capitals when the first FILES ground-truth files are cleaned
  (spaCy none): on clean text each one is a change nobody asked for, unless the truth itself
  keeps an OCR error ("COLOIAL") or prints a drop capital apart ("S ECOND").
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore import Config, clean  # noqa: E402
from restore.learn import aligned_words, pairs_in, read_pairs  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
SETS = {
    "overproof-smh": SHARED / "eval" / "overproof-smh",
    "icdar2017-en": SHARED / "eval" / "icdar2017-en",
    "bln600-train": SHARED / "train" / "bln600",
}
LETTERS = re.compile(r"[^\W\d_]+")


def in_capitals(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def printed(folder: Path) -> Counter:
    """Words in capitals of the OCR aligned with one truth word: right, wrong."""
    counts: Counter = Counter()
    for ocr, gt in read_pairs(pairs_in(folder / "ocr", folder / "gt")):
        text, aligned = aligned_words(ocr, gt)
        for m in LETTERS.finditer(text):
            truth = aligned.get(m.start())
            if truth is not None and in_capitals(m.group()):
                counts["right" if truth == m.group().lower() else "wrong"] += 1
    return counts


def edits_on_truth(folder: Path, files: int) -> tuple[int, int, list[str]]:
    """(words, spelling edits on words in capitals, those edits) over the first `files` truths."""
    config = Config(spacy_model="none")
    words, changed = 0, []
    for path in sorted((folder / "gt").glob("*.txt"))[:files]:
        result = clean(path.read_text(encoding="utf-8"), config)
        words += len(result.output.split())
        changed += [
            f"{e.before} -> {e.after}"
            for e in result.edits
            if e.stage == "spelling" and any(in_capitals(w) for w in LETTERS.findall(e.before))
        ]
    return words, len(changed), changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=160)
    args = parser.parse_args()
    print("| set | words in capitals in the OCR, right | wrong |")
    print("|---|---|---|")
    for name, folder in SETS.items():
        c = printed(folder)
        print(f"| {name} | {c['right']:,} | {c['wrong']:,} |")
    print()
    print(
        f"| ground truth (first {args.files} files) | words | spelling edits on words in capitals | those edits |"
    )
    print("|---|---|---|---|")
    for name, folder in SETS.items():
        words, n, changed = edits_on_truth(folder, args.files)
        print(f"| {name} | {words:,} | {n} | {', '.join(changed)} |")


if __name__ == "__main__":
    main()
