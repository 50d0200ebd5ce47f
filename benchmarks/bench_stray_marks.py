"""What each stray-mark edit does to the word errors: saved, neutral or harmful.

    python benchmarks/bench_stray_marks.py [--set overproof-smh] [--kind stray-letter]

Cleans every file of ../shared/eval/SET/ocr (spaCy none, all stages), then puts each
stray-mark edit's mark (with ``--kind stray-letter``, each lone letter the spelling stage
removed between words) back into the output alone and counts the word errors against the
ground truth with and without it (the eval's normalisation): an edit *saved* errors when the
output without the mark has fewer, is *harmful* when more. Also counts the stray marks held
under the bar as flags, and lists the edits that saved nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore import Config, clean  # noqa: E402
from restore.evaluate import Normalization, align  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="overproof-smh")
    parser.add_argument("--kind", default="stray-mark", choices=("stray-mark", "stray-letter"))
    args = parser.parse_args()
    norm = Normalization()
    config = Config(spacy_model="none")
    saved = neutral = harmful = held = errors = 0
    listed = []
    for ocr in sorted((EVAL / args.set / "ocr").glob("*.txt")):
        truth = norm.words((EVAL / args.set / "gt" / ocr.name).read_text(encoding="utf-8"))
        doc = clean(ocr.read_text(encoding="utf-8"), config)
        held += sum(1 for f in doc.flags if f.kind == "held-edit" and f.detail["edit"]["kind"] == args.kind)
        base = align(norm.words(doc.output), truth).score.word_errors
        for e in (e for e in doc.edits if e.kind == args.kind):
            a, b = e.output_span
            restored = doc.output[:a] + e.before + doc.output[b:]
            delta = align(norm.words(restored), truth).score.word_errors - base
            errors += delta
            saved += delta > 0
            neutral += delta == 0
            harmful += delta < 0
            if delta <= 0:
                s, t = e.source_span
                listed.append(
                    f"{ocr.stem}: {delta:+d} {doc.source[max(0, s - 30) : t + 20]!r} ({e.confidence})"
                )
    print(f"## {args.kind} edits on {args.set}\n")
    print(
        f"edits {saved + neutral + harmful}: {saved} saved errors, {neutral} neutral, {harmful} harmful; "
        f"word errors saved in all {errors}; held under the bar {held}"
    )
    print("\n".join(listed))


if __name__ == "__main__":
    main()
