"""How often real OCR prints a digit in a word, and in which shape: the problem size of the
channel's reading of words a digit breaks (``NoisyChannel.read_splits``).

    python benchmarks/bench_digit_words.py

Each OCR/ground-truth pair of ../shared/train/bln600 and of ../shared/eval's sets is split into
words with the eval's normalisation and aligned word by word (``restore.evaluate.aligned_words``); every OCR word
of letters and one or two digits is counted by its shape and by what the truth has there:

- *inside*: letters, digits, letters ("bro1ught", "witn6ss");
- *end, short*: up to three letters, then the digits ("wa3", "a11"): read by the channel;
- *end, long*: more letters, then the digits ("london1", a footnote's "gentleman1"): left;
- *start*: digits, then three letters or more that the language model does not know ("8ubeequently");
- *start, known*: digits before a word or an ordinal's, price's or format's letters ("4they", "8th", "8vo").

The truth is *the print* (the word was printed right), *a word* (letters only), or *other* (a
number, or letters and digits otherwise).
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore.evaluate import Normalization, aligned_words  # noqa: E402
from restore.learn import pairs_in, read_pairs  # noqa: E402
from restore.models.lm import load_language_model  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
SETS = {
    "bln600 (train)": SHARED / "train" / "bln600",
    "overproof-smh": SHARED / "eval" / "overproof-smh",
    "icdar2017-en": SHARED / "eval" / "icdar2017-en",
}
SHAPES = ("inside", "end, short", "end, long", "start", "start, known")


def shape(word: str, known) -> str | None:
    if re.fullmatch(r"[a-z]+\d{1,2}[a-z]+", word):
        return "inside"
    if re.fullmatch(r"[a-z]{1,3}\d{1,2}", word):
        return "end, short"
    if re.fullmatch(r"[a-z]{4,}\d{1,2}", word):
        return "end, long"
    m = re.fullmatch(r"\d{1,2}([a-z]+)", word)
    if m:
        return "start" if len(m.group(1)) >= 3 and not known(m.group(1)) else "start, known"
    return None


def counts(folder: Path, known) -> tuple[Counter, dict]:
    norm = Normalization()
    found: Counter = Counter()
    examples: dict = defaultdict(list)
    for ocr, gt in read_pairs(pairs_in(folder / "ocr", folder / "gt")):
        gt_words = norm.words(gt)
        for truth, word in zip(gt_words, aligned_words(norm.words(ocr), gt_words)):
            s = shape(word, known) if " " not in word else None  # one printed word for one true word
            if s is None:
                continue
            kind = "the print" if truth == word else ("a word" if truth.isalpha() else "other")
            found[(s, kind)] += 1
            if kind == "a word" and len(examples[s]) < 4:
                examples[s].append(f"{word} ({truth})")
    return found, examples


def main() -> None:
    known = load_language_model().known
    lines = []
    for name, folder in SETS.items():
        found, examples = counts(folder, known)
        lines += [
            f"### {name}",
            "",
            "| shape | truth: a word | the print | other | examples (truth) |",
            "|---|---|---|---|---|",
        ]
        for s in SHAPES:
            row = [found[(s, k)] for k in ("a word", "the print", "other")]
            lines.append(f"| {s} | {row[0]:,} | {row[1]:,} | {row[2]:,} | {', '.join(examples[s])} |")
        lines.append("")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
