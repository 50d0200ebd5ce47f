"""Lone letters inside lines: what removing each would do to the word errors, and the rates the
reader (``restore.models.lone_letters``) learns (see BENCHMARKS.md, "Lone letters inside lines").

    python benchmarks/bench_lone_letters.py [--set train/bln600] [--set eval/overproof-smh]

A lone letter is a token of one letter other than 'a', 'A' and 'I', with a space on each side
and a word of two letters or more on each side ("the e prisoner", "said t he"). The stray-mark
edits judge such marks only first or last on a line; in BLN600, whose OCR prints a paragraph a
line, they stand inside lines. For each, the raw OCR with the letter taken out is scored against
the ground truth (the eval's normalisation): removing it *saves* an error when the truth has no
word there, is *neutral* when the letter stood for a word (a wrong word becomes a missing one:
no right edit), *harms* when the truth has the letter ("Mr J Smith", "Smith v Jones"). Rows:
lower-case letters but 'v', lower-case 'v' (versus, in case names), capitals; and the share of
the letters whose removal the language model favours a thousand times or more (the two words
each side without the letter against with it).

The second table is the reader's: `restore.learn.lone_letter_rates` on the set's pairs, the letters
it judges (lower case but 'a' and 'v', both neighbours words the model knows) by margin band,
and the share of each band that the truth lacks; on an eval set, how well the shipped rates
(learned on train/bln600) carry over. Last, the reader on the ground truth itself, where each
removal would be harm (but BLN600's transcribers kept a few specks).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore.evaluate import Normalization, align  # noqa: E402
from restore.learn import lone_letter_rates, pairs_in, read_pairs  # noqa: E402
from restore.models import lm  # noqa: E402
from restore.models import lone_letters as reader  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
LONE = re.compile(r"(?<=[A-Za-z]{2} )([b-zB-HJ-Z])(?= [A-Za-z]{2})")


def lone_letters(text: str, model: lm.LanguageModel) -> list[tuple[int, str, float]]:
    """(offset, letter, log10 gain of the words around it without it) for each lone letter."""
    out = []
    for m in LONE.finditer(text):
        before = lm.lm_tokens(text[max(0, m.start() - 80) : m.start()])[-2:]
        after = lm.lm_tokens(text[m.end() : m.end() + 80])[:2]
        with_it = model.score(" ".join([*before, m.group().lower(), *after]), False, False)
        without = model.score(" ".join([*before, *after]), False, False)
        out.append((m.start(), m.group(), without - with_it))
    return out


def row_of(letter: str) -> str:
    return "capital" if letter.isupper() else "lower-case v" if letter == "v" else "lower-case, not v"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", help="a folder under ../shared with ocr/ and gt/")
    args = parser.parse_args()
    norm = Normalization()
    model = lm.load_language_model()
    for name in args.set or ["train/bln600", "eval/overproof-smh", "eval/icdar2017-en"]:
        folder = SHARED / name
        table: Counter[tuple[str, str]] = Counter()
        for ocr in sorted((folder / "ocr").glob("*.txt")):
            text = ocr.read_text(encoding="utf-8")
            found = lone_letters(text, model)
            if not found:
                continue
            truth = norm.words((folder / "gt" / ocr.name).read_text(encoding="utf-8"))
            base = align(norm.words(text), truth).score.word_errors
            for at, letter, gain in found:
                delta = base - align(norm.words(text[:at] + text[at + 2 :]), truth).score.word_errors
                row = row_of(letter)
                table[(row, "saves" if delta > 0 else "harms" if delta < 0 else "neutral")] += 1
                table[(row, "favoured")] += gain >= 3
        print(f"## Lone letters inside lines: {name}\n")
        print(
            "| letters | lone letters | saves | neutral | harms | the model favours removing (>= 1,000 times) |"
        )
        print("|---|---|---|---|---|---|")
        for row in ("lower-case, not v", "lower-case v", "capital"):
            counts = [table[(row, k)] for k in ("saves", "neutral", "harms")]
            if sum(counts):
                print(
                    f"| {row} | {sum(counts):,} | {counts[0]:,} | {counts[1]:,} | {counts[2]:,} | "
                    f"{table[(row, 'favoured')]:,} |"
                )
        print()
        rates = lone_letter_rates(read_pairs(pairs_in(folder / "ocr", folder / "gt")), name)
        print("| the reader's margin band (log10) | letters | the truth lacks | share |")
        print("|---|---|---|---|")
        for k, (low, junk, n) in enumerate(rates.bands):
            band = f"{low} and over" if k == 0 else f"{low} to {rates.bands[k - 1][0]}"
            print(f"| {band} | {n:,} | {junk:,} | {junk / n if n else 0:.3f} |")
        print()
        shipped, words, removed, examples = reader.load_rates(), 0, 0, []
        for truth in sorted((folder / "gt").glob("*.txt")):
            text = truth.read_text(encoding="utf-8")
            words += len(text.split())
            for j in reader.judge_letters(text, shipped, model.score, model.known, lambda a, b: False):
                removed += j.probability >= 0.8
                examples += [repr(text[max(0, j.start - 30) : j.end + 20])] if j.probability >= 0.8 else []
        print(
            f"On the ground truth, with the shipped rates at the bar of 0.8: {removed:,} removals in {words:,} words"
        )
        print("".join(f"\n- {e}" for e in examples[:5]) + "\n")


if __name__ == "__main__":
    main()
