"""Where restore's gap to Overproof lies: overproof-smh's articles grouped by how noisy their OCR is.

    python benchmarks/bench_noise_bands.py

Cleans overproof-smh as `restore eval` does (the whole pipeline, spaCy none, the collection's
confusions first), then groups the articles by their raw OCR's word error rate and sums, per
group, the word errors of the raw OCR, of restore and of Overproof's stored output, all under
the eval's one normalisation. Whether the remaining gap sits in a few garbled pages or runs
through every kind of page tells where to look next.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore import Config  # noqa: E402
from restore.evaluate import Normalization, evaluate, score_words  # noqa: E402

SET = Path(__file__).resolve().parents[2] / "shared" / "eval" / "overproof-smh"
BANDS = ((0.4, 1.01, "0.4 or more"), (0.2, 0.4, "0.2-0.4"), (0.1, 0.2, "0.1-0.2"), (0.0, 0.1, "under 0.1"))


def band_rows(ocr: Path, gt: Path, restored: Path, peer: Path) -> list[tuple[str, int, int, int, int, int]]:
    """(band, files, truth words, raw errors, restore's errors, Overproof's errors) per band of raw WER."""
    norm = Normalization()
    files = []
    for path in sorted(gt.glob("*.txt")):
        truth = norm.words(path.read_text(encoding="utf-8"))
        errors = [
            score_words(norm.words((folder / path.name).read_text(encoding="utf-8")), truth)
            for folder in (ocr, restored, peer)
        ]
        files.append((errors[0].wer, len(truth), *(e.word_errors for e in errors)))
    rows = []
    for lo, hi, label in BANDS:
        inside = [f for f in files if lo <= f[0] < hi]
        rows.append((label, len(inside), *(sum(f[k] for f in inside) for k in (1, 2, 3, 4))))
    return rows


def _subset(folder: Path, names: list[str]) -> Path:
    """The named files of the set (a smoke run's few) copied side by side, as the eval pairs them."""
    for side in ("ocr", "gt", "peer"):
        (folder / side).mkdir(parents=True)
        for name in names:
            shutil.copy(SET / side / name, folder / side / name)
    return folder


def run(quick: bool = False) -> str:
    with tempfile.TemporaryDirectory(prefix="restore-bands-") as work:
        names = sorted(p.name for p in (SET / "gt").glob("*.txt"))
        where = _subset(Path(work) / "set", names[:12]) if quick else SET
        kept = Path(work) / "restored"
        evaluate(where / "ocr", where / "gt", Config(spacy_model="none"), keep=kept)
        rows = band_rows(where / "ocr", where / "gt", kept, where / "peer")
    lines = [
        "| raw OCR WER of the article | articles | truth words | raw errors | restore | change | Overproof | change |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, files, words, raw, ours, theirs in rows:
        lines.append(
            f"| {label} | {files} | {words:,} | {raw:,} | {ours:,} | {(ours - raw) / max(raw, 1):+.1%} | "
            f"{theirs:,} | {(theirs - raw) / max(raw, 1):+.1%} |"
        )
    return "\n".join(
        [
            "## overproof-smh by how noisy the OCR is: restore and Overproof",
            "",
            "Articles grouped by their raw OCR's word error rate; word errors summed per group (the eval's",
            "normalisation; restore as `restore eval` runs it, the collection's confusions first).",
            "",
            *lines,
            "",
            "Reproduce: `python benchmarks/bench_noise_bands.py`",
        ]
    )


if __name__ == "__main__":
    print(run())
