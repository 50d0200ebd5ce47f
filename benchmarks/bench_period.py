"""Which texts restore takes for early modern English, and what it changes in clean period text.

    python benchmarks/bench_period.py [--edits] [--examples]

For each set of OCR (overproof-smh and BLN600's training OCR, nineteenth-century newspapers;
icdar2017-en, books and periodicals from the 16th century on) the number of files that
``restore.models.period.detect_period`` takes for early modern, and their names with the
marker rate. A newspaper taken for early modern loses the channel's corrections of forms the
language model knows, and a 16th-century book taken for modern has its spellings modernised
("praier" to "prayer", "bodie" to "bodies"): both are wrong.

``--edits``: the spelling stage (with the channel, as `restore clean` runs it) on clean period
text, where every edit is a change a period's reader did not ask for: 48 ECCO-TCP books printed
1701-1800 (every 40th document of ../shared/corpora, 1,200 words from its middle; the language
model was trained on this corpus, so it knows these texts' words) and the ground truth of the 34
early modern icdar2017-en monographs (all but ``NINETEENTH_CENTURY_MONOGRAPHS``; held out from
every model). TCP transcriptions
keep a few printing errors ("confequence", "thosc"), so not every edit there is harm;
``--examples`` lists them.
"""

from __future__ import annotations

import argparse
import json
import lzma
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore import Config, clean  # noqa: E402
from restore.models import lexicon  # noqa: E402
from restore.models.period import _EARLY_MODERN_MARKERS, SPELLING_THRESHOLD, detect_period  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
SETS = {
    "overproof-smh": SHARED / "eval" / "overproof-smh" / "ocr",
    "bln600-train": SHARED / "train" / "bln600" / "ocr",
    "icdar2017-en": SHARED / "eval" / "icdar2017-en" / "ocr",
}


# icdar2017-en's monographs written in the 19th century (editors' introductions, booksellers'
# catalogues, a book of 1880s talk), by reading them; the other 34 are 16th-17th-century stories
# and verse. A fixed list, so that every checkout counts its edits on the same texts.
NINETEENTH_CENTURY_MONOGRAPHS = frozenset(f"eng_monograph-{n}" for n in (29, 31, 33, 75, 77, 79, 81))


def marker_rate(text: str) -> float:
    """Marker forms per 1,000 words (the listed forms only, as a readable figure)."""
    words = lexicon.WORD.findall(text[:200_000].lower())
    return 1000 * sum(w in _EARLY_MODERN_MARKERS for w in words) / max(1, len(words))


def ecco_sample(every: int = 40, books: int = 48, words: int = 1200) -> dict[str, str]:
    """Every `every`-th ECCO-TCP document, `words` words from its middle, `books` of them."""
    out: dict[str, str] = {}
    with lzma.open(SHARED / "corpora" / "ecco-tcp.jsonl.xz", "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % every:
                continue
            doc = json.loads(line)
            split = doc["text"].split(" ")
            middle = len(split) // 2
            out[doc["id"]] = " ".join(split[middle : middle + words]) + "\n"
            if len(out) == books:
                break
    return out


def edits_on(texts: dict[str, str]) -> tuple[int, Counter, list[str]]:
    """Words, spelling-stage edits by kind, and each edit as 'before->after'."""
    kinds: Counter = Counter()
    shown: list[str] = []
    config = Config(stages=("spelling",))
    for text in texts.values():
        for e in clean(text, config).edits:
            kinds[e.kind] += 1
            shown.append(f"{e.before}->{e.after}")
    return sum(len(t.split()) for t in texts.values()), kinds, shown


def edits_table(examples: bool) -> None:
    icdar_gt = SHARED / "eval" / "icdar2017-en" / "gt"
    sets = {
        "ECCO-TCP, 48 books 1701-1800 (in the language model's training)": ecco_sample(),
        "icdar2017-en's early modern monographs, ground truth (held out)": {
            f.stem: f.read_text(encoding="utf-8")
            for f in sorted(icdar_gt.glob("eng_monograph-*.txt"))
            if f.stem not in NINETEENTH_CENTURY_MONOGRAPHS
        },
    }
    print("\n| clean period text | words | spelling edits | per 1,000 words | by kind |")
    print("|---|---|---|---|---|")
    listed = []
    for name, texts in sets.items():
        words, kinds, shown = edits_on(texts)
        n = sum(kinds.values())
        by_kind = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        print(f"| {name} | {words:,} | {n} | {1000 * n / words:.2f} | {by_kind} |")
        listed.append((name, shown))
    if examples:
        for name, shown in listed:
            print(f"\n{name}: {' '.join(shown)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", action="store_true", help="also count edits on clean period text")
    parser.add_argument("--examples", action="store_true", help="with --edits, list every edit")
    args = parser.parse_args()
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
    if args.edits:
        edits_table(args.examples)


if __name__ == "__main__":
    main()
