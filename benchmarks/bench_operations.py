"""The word errors left in restore's output by operation: substituted, extra and missing words.

    python benchmarks/bench_operations.py [--set overproof-smh] [--raw]

Cleans every file of ../shared/eval/SET/ocr (spaCy none, all stages; with --raw the OCR as it
is), aligns the output with the ground truth word by word (the eval's normalisation and
alignment, ``restore.evaluate``) and counts the operations of the alignment: a word for a
word (substituted), a word the truth lacks (extra) and a truth word the output lacks
(missing); then the extra words by length and the commonest of them, and the commonest
missing ones. Extra one-letter words are mostly stray marks and pieces of split words.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore import Config, clean  # noqa: E402
from restore.evaluate import Normalization  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="overproof-smh")
    parser.add_argument("--raw", action="store_true", help="count the raw OCR's errors instead")
    args = parser.parse_args()
    norm = Normalization()
    config = Config(spacy_model="none")
    substituted = extra = missing = truth_words = 0
    extra_words: Counter[str] = Counter()
    missing_words: Counter[str] = Counter()
    by_length: Counter[int] = Counter()
    for ocr in sorted((EVAL / args.set / "ocr").glob("*.txt")):
        text = ocr.read_text(encoding="utf-8")
        out = norm.words(text if args.raw else clean(text, config).output)
        truth = norm.words((EVAL / args.set / "gt" / ocr.name).read_text(encoding="utf-8"))
        truth_words += len(truth)
        for op in Levenshtein.editops(out, truth).as_opcodes():
            if op.tag == "equal":
                continue
            hyp, gt = out[op.src_start : op.src_end], truth[op.dest_start : op.dest_end]
            both = min(len(hyp), len(gt))
            substituted += both
            for w in hyp[both:]:
                extra += 1
                extra_words[w] += 1
                by_length[min(len(w), 6)] += 1
            for w in gt[both:]:
                missing += 1
                missing_words[w] += 1
    side = "raw OCR" if args.raw else "restore (spaCy none)"
    print(f"## Word errors by operation: {args.set}, {side}\n")
    print(
        f"truth words {truth_words:,}; substituted {substituted:,}, extra {extra:,}, missing {missing:,}; "
        f"WER {(substituted + extra + missing) / truth_words:.4f}"
    )
    print(
        "extra words by length (6: six or more): "
        + ", ".join(f"{k}: {v}" for k, v in sorted(by_length.items()))
    )
    print("commonest extra: " + ", ".join(f"{w} {n}" for w, n in extra_words.most_common(20)))
    print("commonest missing: " + ", ".join(f"{w} {n}" for w, n in missing_words.most_common(20)))


if __name__ == "__main__":
    main()
