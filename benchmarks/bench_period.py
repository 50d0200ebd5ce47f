"""Which texts restore takes for early modern English: the period detection on each eval set's OCR.

    python benchmarks/bench_period.py

For each set of OCR (overproof-smh and BLN600's training OCR, nineteenth-century newspapers;
icdar2017-en, books and periodicals from the 16th century on) the number of files that
``restore.models.period.detect_period`` takes for early modern, and their names with the
marker rate. A newspaper taken for early modern loses the channel's corrections of forms the
language model knows, and a 16th-century book taken for modern has its spellings modernised
("praier" to "prayer", "bodie" to "bodies"): both are wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore.models import lexicon  # noqa: E402
from restore.models.period import _EARLY_MODERN_MARKERS, SPELLING_THRESHOLD, detect_period  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
SETS = {
    "overproof-smh": SHARED / "eval" / "overproof-smh" / "ocr",
    "bln600-train": SHARED / "train" / "bln600" / "ocr",
    "icdar2017-en": SHARED / "eval" / "icdar2017-en" / "ocr",
}


def marker_rate(text: str) -> float:
    """Marker forms per 1,000 words (the listed forms only, as a readable figure)."""
    words = lexicon.WORD.findall(text[:200_000].lower())
    return 1000 * sum(w in _EARLY_MODERN_MARKERS for w in words) / max(1, len(words))


def main() -> None:
    print(f"Early modern from {SPELLING_THRESHOLD:g} marker forms per 1,000 words.\n")
    print("| set | files | taken for early modern | those files (listed-marker rate) |")
    print("|---|---|---|---|")
    for name, folder in SETS.items():
        files = sorted(folder.glob("*.txt"))
        early = []
        for f in files:
            text = f.read_text(encoding="utf-8")
            if detect_period(text) == "early-modern":
                early.append(f"{f.stem} ({marker_rate(text):.0f})")
        shown = ", ".join(early) if name != "icdar2017-en" or len(early) < 8 else f"{len(early)} monographs"
        print(f"| {name} | {len(files)} | {len(early)} | {shown} |")
    icdar = sorted(SETS["icdar2017-en"].glob("*.txt"))
    modern = [f.stem for f in icdar if detect_period(f.read_text(encoding="utf-8")) == "modern"]
    print(f"\nicdar2017-en taken for modern: {', '.join(modern)}")


if __name__ == "__main__":
    main()
