"""How often the candidate searches reach the truth of a garbled form: near (learned rewrites, symspell) and far.

    restore eval --ocr ../shared/eval/SET/ocr --gt ../shared/eval/SET/gt --spacy-model none --errors ERRORS.tsv
    python benchmarks/bench_far_search.py ERRORS.tsv [--budget 1500] [--max-cost 11]

Reads the error lines that `restore eval --errors` left ("remaining") whose OCR and truth are one
alphabetic word each and whose OCR form the language model does not know, and counts the truths the
near search reaches, the truths near and far searches reach together (``ErrorModel.vocabulary_rewrites``,
whatever the stage's gate on length and letters), and the far search's time a form.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore.models import channel  # noqa: E402
from restore.stages import in_context  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("errors", type=Path)
    parser.add_argument("--budget", type=int, default=1500)
    parser.add_argument("--max-cost", type=float, default=channel.MAX_FAR_COST)
    args = parser.parse_args()
    channel.MAX_FAR_COST = args.max_cost
    reader = in_context.noisy_channel()
    with args.errors.open(encoding="utf-8") as f:
        rows = [
            (x["ocr"].lower(), x["gt"].lower())
            for x in csv.DictReader(f, delimiter="\t")
            if x["kind"] == "remaining" and x["ocr"].isalpha() and x["gt"].isalpha()
        ]
    rows = [(o, g) for o, g in rows if not reader.known(o)]
    near_hits = both_hits = 0
    seconds = 0.0
    gained = Counter()
    for ocr, truth in rows:
        near = reader._near(ocr)
        t = time.perf_counter()
        far = reader.errors.vocabulary_rewrites(ocr, reader.vocabulary, budget=args.budget)
        seconds += time.perf_counter() - t
        near_hits += truth in near
        both_hits += truth in near or truth in far
        if truth in far and truth not in near:
            gained[min(len(ocr), 10)] += 1
    n = max(1, len(rows))
    print(
        f"{len(rows)} one-word errors of an unknown form; truth reached: near {near_hits}, near or far {both_hits}"
    )
    print(f"far search: {seconds / n * 1000:.2f} ms a form (budget {args.budget}, max cost {args.max_cost})")
    print(
        "truths only the far search reaches, by letters in the form (10 = 10+):", dict(sorted(gained.items()))
    )


if __name__ == "__main__":
    main()
