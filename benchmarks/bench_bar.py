"""What the edit bar trades on real OCR: errors fixed and introduced at each confidence bar.

    python benchmarks/bench_bar.py [--set overproof-smh] [--workers 2]

Each OCR file of the set is cleaned once (spaCy none) with the bar at the flag floor, 0.5, so
that every spelling decision from 0.5 up is an edit with its confidence; then, for each bar,
the spelling edits under it are rejected (``record.apply_edits``, as a reviewer's decisions
would be) and the text is scored against the ground truth with the eval's normalisation and
alignment. *Fixed*: truth words the raw OCR had wrong and the text has right; *introduced*: the
other way round. The "marginal" columns are what the band just under the bar above adds.

An approximation, said plainly: the channel reads the text again around its edits, so a run
with the bar really at 0.6 can differ from this run's edits at 0.6 and up by a few words (the
0.8 row here gives 3,187 fixed on SMH where the eval at the default bar gives 3,197).
"""

from __future__ import annotations

import argparse
import sys
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore import Config  # noqa: E402
from restore.evaluate import Normalization, align, change_between  # noqa: E402
from restore.pipeline import clean  # noqa: E402
from restore.record import apply_edits  # noqa: E402
from restore.stages.in_context import FLAG_FLOOR  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
BARS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def counts_at_bars(job: tuple[Path, Path]) -> dict[float, tuple[int, int, int]]:
    """bar -> (fixed, introduced, spelling edits applied) for one OCR file and its truth."""
    ocr, gt = job
    norm = Normalization()
    raw = ocr.read_text(encoding="utf-8")
    truth = norm.words(gt.read_text(encoding="utf-8"))
    document = clean(raw, Config(min_confidence=FLAG_FLOOR, spacy_model="none"))
    was_right = align(norm.words(raw), truth).right
    out = {}
    for bar in BARS:
        kept = [e.id for e in document.edits if e.stage != "spelling" or e.confidence >= bar]
        text, _ = apply_edits(document.source, document.edits, kept)
        change = change_between(was_right, align(norm.words(text), truth).right)
        edits = sum(1 for e in document.edits if e.stage == "spelling" and e.confidence >= bar)
        out[bar] = (change.fixed, change.introduced, edits)
    return out


def table(name: str, results: list[dict[float, tuple[int, int, int]]]) -> list[str]:
    lines = [
        f"### {name}: {len(results)} files",
        "",
        "| bar | spelling edits | fixed | introduced | introduced / fixed | marginal fixed | marginal introduced |",
        "|---|---|---|---|---|---|---|",
    ]
    totals = {bar: [sum(r[bar][k] for r in results) for k in range(3)] for bar in BARS}
    for k, bar in enumerate(BARS):
        fixed, introduced, edits = totals[bar]
        above = totals[BARS[k + 1]] if k + 1 < len(BARS) else None
        marginal = f"{fixed - above[0]:+,} | {introduced - above[1]:+,}" if above is not None else " | "
        share = f"{introduced / fixed:.1%}" if fixed else "-"
        lines.append(f"| {bar} | {edits:,} | {fixed:,} | {introduced:,} | {share} | {marginal} |")
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="overproof-smh", help="a folder of ../shared/eval")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    root = EVAL / args.set
    jobs = [
        (p, root / "gt" / p.name)
        for p in sorted((root / "ocr").glob("*.txt"))
        if (root / "gt" / p.name).is_file()
    ]
    with Pool(args.workers) as pool:
        results = pool.map(counts_at_bars, jobs, chunksize=1)
    print("\n".join(table(args.set, results)))


if __name__ == "__main__":
    main()
