"""The drop-out detector alone: the share of synthetic holes it finds at a given false-flag rate.

What the language-model evidence of the gaps stage can do whatever bar it flags at: on the
ground-truth sides of ../shared/eval, damaged as benchmarks/bench_gaps.py damages them (one
sentence in five loses a run of 1-8 words), each sentence's likeliest boundary by the shipped
detector (restore.models.dropout, the stage's own cues as inputs) is taken, and the bar is set
so that at most N intact sentences in 1,000 reach it. A hole counts as found when the flag the
stage would make there covers it (the likeliest boundary is the hole or the one after it).
Also the bar the shipped model chose on its training text, and what it finds there. The
stage's other cues and its marked-boundary rule are left out: this is the detector's curve, to
compare models by, not the stage's figures (those are bench_gaps.py's).

    /work/venv/bin/python benchmarks/bench_dropout_curve.py [--model restore/data/dropout/model.json]
"""

from __future__ import annotations

import bisect
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_gaps import damage, gt_texts  # noqa: E402

from restore.models.dropout import load_detector  # noqa: E402
from restore.stages import gaps  # noqa: E402

RATES = (10, 20, 30, 50)  # false flags per 1,000 intact sentences


def detector_sentences(text: str, doc, holes: list[int] = ()):
    """Each sentence of `text` the detector reads (three tokens or more), as the stage reads it
    (profile `doc`): (start, end, token matches, model forms, cue rows, the boundary of a hole in
    it or None)."""
    for s, e, sent, cues in gaps.read_document(text, doc)[1]:
        matches, forms, rows = gaps.detector_inputs(text, sent, cues, doc)
        if len(forms) < 3:
            continue
        starts = [m.start() for m in matches]
        hole = next((bisect.bisect_left(starts, o) for o in holes if s <= o <= e), None)
        yield s, e, matches, forms, rows, hole


def sentence_scores(texts: list[str], detector) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Per sentence: the likeliest boundary's probability, whether it would find the sentence's
    hole, whether the sentence has one; and whether most of the set reads as period text."""
    best, found, damaged, period = [], [], [], 0
    for k, clean_text in enumerate(texts):
        text, holes = damage(clean_text, k)
        doc = gaps.profile(text)
        period += doc.is_early_modern or doc.sparse_punctuation
        for _, _, matches, forms, rows, hole in detector_sentences(text, doc, holes):
            p = np.asarray(detector.probabilities(forms, [m.group() for m in matches], rows))
            a = int(p.argmax())
            best.append(float(p[a]))
            found.append(hole is not None and a in (hole, hole + 1))
            damaged.append(hole is not None)
    return np.asarray(best), np.asarray(found), np.asarray(damaged), period > len(texts) / 2


def curve(best: np.ndarray, found: np.ndarray, damaged: np.ndarray, bar: float) -> list[str]:
    intact = np.sort(best[~damaged])[::-1]
    cells = []
    for rate in RATES:
        k = int(rate / 1000 * len(intact))
        t = intact[k] if k < len(intact) else 0.0
        cells.append(f"{(found & (best > t)).sum() / max(1, damaged.sum()):.3f} (bar {t:.2f})")
    false = 1000 * (best[~damaged] >= bar).sum() / max(1, len(intact))
    cells.append(f"{(found & (best >= bar)).sum() / max(1, damaged.sum()):.3f} at {false:.0f} false")
    return cells


def run(model: str | None = None) -> str:
    detector = load_detector(model)
    lines = [
        "| set | sentences | with a hole | "
        + " | ".join(f"found at {r} false per 1,000" for r in RATES)
        + " | at the shipped bar |",
        "|---|---|---|" + "---|" * (len(RATES) + 1),
    ]
    for name, texts in gt_texts(False).items():
        best, found, damaged, period = sentence_scores(texts, detector)
        bar = detector.threshold(period)
        cells = curve(best, found, damaged, bar)
        lines.append(f"| {name} | {len(best):,} | {int(damaged.sum()):,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model", help="a detector's weights (scripts/train_dropout.py -o), default the shipped one"
    )
    print(run(parser.parse_args().model))
