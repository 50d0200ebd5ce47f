"""Sums in pounds printed as figures ("a fine of 101." for '10l.'): how the reading and its context
floor sort the numbers of text where the truth is known, and of clean text.

    python benchmarks/bench_pounds.py --ocr DIR --gt DIR [--model DIR]
    python benchmarks/bench_pounds.py --corpus ../shared/corpora/gutenberg.jsonl.xz [--docs 3000]

Every number printed with '1' last before a full stop (``in_context.pound_print``) is read as
the stage reads it (``in_context.read_pounds``: the model's rate of pounds among such prints,
then the language model's context), each sentence as printed. With --ocr and --gt each such
number is sorted by what the truth has at its place (the word alignment of
``channel.pound_prints``): pounds, the number, or something else (an alignment slip or a
garbled word). With --corpus every such number in the first --docs texts of a clean corpus (one
JSON object with a "text" per line, xz-compressed) is read within its line, and is a number. The table gives,
for each context floor (log10 of how much less likely the context is with pounds than with
the number), the readings at or above the bar of 0.8 by kind: what the stage would edit.
"""

from __future__ import annotations

import argparse
import bisect
import json
import lzma
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore.stages import in_context  # noqa: E402

BAR = 0.8
FLOORS = (-99.0, -0.7, -0.5, -0.3, -0.18, 0.0)


def truths(ocr_text: str, gt_text: str) -> dict[int, str]:
    """OCR offset of each whitespace word -> the truth's word the alignment pairs it with ("" where
    it pairs none)."""
    spans, at = [], 0
    for word in ocr_text.split():
        at = ocr_text.index(word, at)
        spans.append(at)
        at += len(word)
    gt = gt_text.split()
    out = dict.fromkeys(spans, "")
    for i, j in in_context.channel.paired_words(ocr_text.split(), gt):
        out[spans[i]] = gt[j]
    return out


def truth_at(truth: dict[int, str], start: int) -> str:
    """The truth's word for the whitespace word holding the OCR offset `start` ("(101." holds "101")."""
    starts = sorted(truth)
    return truth[starts[bisect.bisect_right(starts, start) - 1]]


def kind(printed: str, truth: str | None) -> str:
    if truth is None:
        return "number (clean text)"
    truth = truth.strip("(.,;:")
    if truth == printed[:-1] + "l":
        return "pounds"
    return "number" if truth == printed else "other"


def readings(text: str, reader, truth: dict[int, str] | None):
    """(kind, probability, log10 context ratio, words around) of each such number in `text`."""
    for d in in_context.read_pounds(reader, text, reader.errors.pounds_rate, lambda t: True, {}):
        pounds = next(r for r in d.readings if r.form == in_context.POUNDS)
        ratio = pounds.log_context - d.readings_printed.log_context
        where = " ".join(d.sentence[max(0, d.index - 4) : d.index + 3])
        said = None if truth is None else truth_at(truth, d.token.start)
        yield kind(d.token.text, said), pounds.posterior, ratio, where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ocr", type=Path)
    parser.add_argument("--gt", type=Path)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--model", default=None, help="a `restore learn` folder (default: the shipped model)")
    parser.add_argument("--examples", action="store_true", help="list each number at or above the bar")
    args = parser.parse_args()
    reader = in_context.noisy_channel(args.model)
    rate = reader.errors.pounds_rate
    if rate is None:
        sys.exit("the model's pairs printed no such number: nothing to read")
    print(f"model: {args.model or 'shipped'}; {reader.errors.explain_pounds()}; rate {rate:.3f}")
    rows = []
    if args.ocr:
        for path in sorted(args.ocr.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            gt = (args.gt / path.name).read_text(encoding="utf-8")
            rows += readings(text, reader, truths(text, gt))
    if args.corpus:
        with lzma.open(args.corpus, "rt", encoding="utf-8") as corpus:
            for _, record in zip(range(args.docs), corpus):
                for line in json.loads(record)["text"].splitlines():
                    if in_context.channel.POUND_PRINT.search(line):
                        rows += readings(line, reader, None)
    kinds = sorted({k for k, *_ in rows})
    print(f"{len(rows)} numbers: " + ", ".join(f"{k} {sum(r[0] == k for r in rows)}" for k in kinds))
    print()
    print("| context floor (log10) | " + " | ".join(f"{k} at the bar" for k in kinds) + " |")
    print("|---|" + "---|" * len(kinds))
    for floor in FLOORS:
        at_bar = Counter(k for k, p, ratio, _ in rows if p >= BAR and ratio >= floor)
        name = "none" if floor < -10 else f"{floor}"
        print(f"| {name} | " + " | ".join(str(at_bar[k]) for k in kinds) + " |")
    if args.examples:
        for k, p, ratio, where in sorted(rows, key=lambda r: r[2]):
            if p >= BAR:
                print(f"{k}\t{p:.3f}\t{ratio:+.2f}\t{where}")


if __name__ == "__main__":
    main()
