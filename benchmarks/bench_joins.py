"""Words printed as two pieces read as one (``NoisyChannel.read_splits``): what the joins do and cost.

    python benchmarks/bench_joins.py [--set overproof-smh] [--examples 12] [--without-joins]

Cleans every OCR file of an eval set (spaCy none, one process, the models warmed up on a
sentence first) and prints the cleaning time, the join edits and the join flags (an edit or
flag whose reason says the OCR printed one word as two pieces), with examples. With
--without-joins the reading of split words is switched off in this process, so that the time
of the same run without it can be read (run the two in turn, each in a fresh process).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore import Config, clean  # noqa: E402
from restore.models.noisy_channel import NoisyChannel  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
JOIN = "printed one word as two pieces"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="overproof-smh", choices=("overproof-smh", "icdar2017-en"))
    parser.add_argument("--examples", type=int, default=12)
    parser.add_argument("--without-joins", action="store_true")
    args = parser.parse_args()
    texts = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((EVAL / args.set / "ocr").glob("*.txt"))
    ]
    config = Config(spacy_model="none")
    clean("A short warm-up text of tlie kind.", config)
    if args.without_joins:
        NoisyChannel.read_splits = lambda self, *a, **k: []
    started = time.perf_counter()
    documents = [clean(t, config) for t in texts]
    seconds = time.perf_counter() - started
    words = sum(len(t.split()) for t in texts)
    print(
        f"{args.set}: {len(texts)} files, {words:,} words, {seconds:.1f} s ({words / seconds:,.0f} words/s)"
    )
    edits = [e for d in documents for e in d.edits if JOIN in e.reason]
    flags = [f for d in documents for f in d.flags if JOIN in f.reason]
    print(f"join edits: {len(edits)}; join flags: {len(flags)}")
    for e in edits[: args.examples]:
        print(f"  edit {e.before!r} -> {e.after!r} ({e.confidence})")
    for f in flags[: args.examples]:
        print(f"  flag {f.reason.split(':')[0]}")


if __name__ == "__main__":
    main()
