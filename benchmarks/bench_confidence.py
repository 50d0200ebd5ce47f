"""Is an edit's confidence what it says, as restore applies it? The eval sets cleaned as a user cleans them.

    python benchmarks/bench_confidence.py [--sets overproof-smh icdar2017-en]

Each set is cleaned as one batch (`restore.clean_files`: every default stage, spaCy none, the
collection's confusions first), and every spelling edit of one printed word and every spelling
flag is labelled by the ground-truth word the alignment pairs with that word (a word it pairs
with none, or with several, is left out). Per band of confidence: how many, their mean
confidence and the share right (an edit: its word is the truth; a flag: its first candidate is).
The channel's edits (whose confidence is a calibrated probability, "probability 0.93" in the
reason) and the rules' (whose confidence is each rule's fixed figure) are counted apart.
`bench_channel.py` asks the same of the channel's decisions before the stage's protections;
this asks it of what a reviewer is shown.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
import tempfile
from pathlib import Path

from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore import Config, clean_files  # noqa: E402
from restore.learn import bare_word  # noqa: E402
from restore.models.channel import join_line_hyphens  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
WORD = re.compile(r"\S+")
BANDS = ((0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01))


def truths(source: str, gt: str) -> dict[int, tuple[int, str]]:
    """For each printed word the alignment pairs one for one with a truth word: its start -> (end, truth).
    In the source's own offsets, which the record's spans use (``learn.aligned_words`` aligns the
    text with its line-end hyphens joined, whose offsets differ)."""
    spans = [(m.start(), m.end()) for m in WORD.finditer(source)]
    printed = [bare_word(source[a:b]) for a, b in spans]
    truth = [bare_word(w) for w in join_line_hyphens(gt).split()]
    out = {}
    for op in Levenshtein.opcodes(printed, truth):
        if op.tag in ("equal", "replace") and op.src_end - op.src_start == op.dest_end - op.dest_start:
            for k in range(op.src_end - op.src_start):
                a, b = spans[op.src_start + k]
                out[a] = (b, truth[op.dest_start + k])
    return out


def labelled(record: dict, source: str, gt: str) -> list[tuple[str, float, bool]]:
    """(who, confidence, right) for each spelling edit and flag on one printed word."""
    paired = truths(source, gt)
    starts = sorted(paired)
    rows = []

    def truth_of(span) -> str | None:
        """The truth of the printed word the span is, outer marks aside (a piece of a compound,
        "fieId" of "gold-fieId", has none: its truth is the whole compound's)."""
        start, end = span
        k = bisect.bisect_right(starts, start) - 1  # the printed word that starts at or before the span
        if k < 0:
            return None
        a = starts[k]
        b, word = paired[a]
        if end > b or bare_word(source[a:b]) != bare_word(source[start:end]):
            return None
        return word

    for edit in record["edits"]:
        if edit["stage"] != "spelling" or not edit["after"] or " " in edit["after"].strip():
            continue
        if " " in edit["before"].strip() or "\n" in edit["before"]:
            continue
        word = truth_of(edit["source_span"])
        if word is None:
            continue
        who = "channel edit" if re.search(r"probability \d", edit["reason"]) else "rule edit"
        rows.append((who, edit["confidence"], bare_word(edit["after"]) == word))
    for flag in record["flags"]:
        candidates = (flag.get("detail") or {}).get("candidates") or []
        if flag["stage"] != "spelling" or not candidates or flag.get("score") is None:
            continue
        word = truth_of(flag["source_span"])
        if word is None or " " in flag["excerpt"].strip():
            continue
        who = "channel flag" if re.search(r"probability \d", flag["reason"]) else "rule flag"
        rows.append((who, flag["score"], bare_word(candidates[0]["form"]) == word))
    return rows


def measure(name: str, limit: int | None = None) -> list[tuple[str, float, bool]]:
    ocr, gt = EVAL / name / "ocr", EVAL / name / "gt"
    paths = sorted(p for p in ocr.glob("*.txt") if (gt / p.name).is_file())[:limit]
    rows = []
    with tempfile.TemporaryDirectory(prefix="restore-confidence-") as out:
        report = clean_files(paths, out, Config(spacy_model="none"))
        if not report.ok:
            raise RuntimeError(f"{name}: {report.failures[:3]}")
        for path in paths:
            record = json.loads((Path(out) / f"{path.stem}.json").read_text(encoding="utf-8"))
            rows += labelled(
                record, path.read_text(encoding="utf-8"), (gt / path.name).read_text(encoding="utf-8")
            )
    return rows


def table(sets, limit: int | None = None) -> list[str]:
    lines = [
        "| set | what | confidence | how many | mean confidence | right |",
        "|---|---|---|---|---|---|",
    ]
    for name in sets:
        rows = measure(name, limit)
        for who in ("channel edit", "rule edit", "channel flag", "rule flag"):
            for lo, hi in BANDS:
                band = [(c, r) for w, c, r in rows if w == who and lo <= c < hi]
                if band:
                    lines.append(
                        f"| {name} | {who} | {lo:.2f}-{min(hi, 1.0):.2f} | {len(band)} | "
                        f"{sum(c for c, _ in band) / len(band):.3f} | {sum(r for _, r in band) / len(band):.3f} |"
                    )
    return lines


def run(quick: bool = False) -> str:
    return "\n".join(
        [
            "## An edit's confidence as restore applies it",
            "",
            "Each set cleaned as one batch (every default stage, spaCy none, the collection's confusions first);",
            "every spelling edit and flag on one printed word labelled by the truth word aligned with it. *right*:",
            "an edit's word is the truth, a flag's first candidate is. Channel edits carry a calibrated",
            "probability; the rules' edits a fixed figure per rule.",
            "",
            *table(["overproof-smh", "icdar2017-en"], 12 if quick else None),
            "",
            "Reproduce: `python benchmarks/bench_confidence.py`",
        ]
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="*", default=["overproof-smh", "icdar2017-en"])
    print("\n".join(table(ap.parse_args().sets)))


if __name__ == "__main__":
    main()
