"""Lone '1' read as 'I' (stages.in_context.lone_digits) on text where the truth is known.

    python benchmarks/bench_lone_ones.py [--share 0.7] [--seed 5]

Each BLN600 ground-truth text (../shared/train: the training split, so a calibration for this
reading could be chosen here) has every lone 'I' printed as '1' with probability --share; the
texts that then print a lone '1' five times or more are cleaned by the spelling stage (spaCy
none). Each edit and flag on a lone '1' is counted by its confidence (rounded to 0.1) and by
whether an 'I' stood there; the lone 'I's printed '1' that got neither are counted too.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore import Config, clean  # noqa: E402

TRAIN = Path(__file__).resolve().parents[2] / "shared" / "train" / "bln600" / "gt"
LONE_I = re.compile(r"(?<![\w.])I(?![\w.])")
LONE_ONE = re.compile(r"(?<![\w.])1(?![\w.])")


def damaged(text: str, share: float, rng: random.Random) -> tuple[str, set[int]]:
    """The text with lone I's printed '1' at `share`, and the offsets of those '1's."""
    out, ones, pos = [], set(), 0
    for m in LONE_I.finditer(text):
        out.append(text[pos : m.start()])
        at = sum(len(x) for x in out)
        if rng.random() < share:
            out.append("1")
            ones.add(at)
        else:
            out.append("I")
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), ones


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.7)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    counts: Counter = Counter()
    docs = missed = 0
    for path in sorted(TRAIN.glob("*.txt")):
        text, ones = damaged(path.read_text(encoding="utf-8", errors="replace"), args.share, rng)
        if len(LONE_ONE.findall(text)) < 5:
            continue
        docs += 1
        document = clean(text, Config(stages=("spelling",), spacy_model="none"))
        seen = set()
        for e in document.edits:
            if e.before == "1":
                seen.add(e.source_span[0])
                counts[("edit", round(e.confidence, 1), e.source_span[0] in ones)] += 1
        for f in document.flags:
            if f.excerpt == "1":
                seen.add(f.source_span[0])
                counts[("flag", round(f.score, 1), f.source_span[0] in ones)] += 1
        missed += len(ones - seen)
    print(f"{docs} texts with five or more lone '1's (share {args.share}, seed {args.seed})\n")
    print("| decision | confidence | an 'I' stood there | a number stood there |")
    print("|---|---|---|---|")
    for kind, conf in sorted({(k, c) for k, c, _ in counts}):
        print(f"| {kind} | {conf:.1f} | {counts[(kind, conf, True)]} | {counts[(kind, conf, False)]} |")
    print(f"\nLone I's printed '1' and neither edited nor flagged: {missed}")


if __name__ == "__main__":
    main()
