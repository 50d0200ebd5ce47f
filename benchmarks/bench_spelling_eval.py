"""The spelling stage on real OCR with ground truth (../shared/eval): word error rate and harm.

For each set, the layout stages run first (as in the pipeline); the word error
rate is computed on the raw OCR, after the layout stages, and after the spelling
stage too, with the normalisation of the sets' SOURCES.md (line-end hyphens
joined, other hyphens dropped, lower case, outer punctuation stripped). "Made
wrong" counts words that matched the ground truth before the spelling stage and
do not after it (aligned word by word): the harm the stage does.

    /work/venv/bin/python benchmarks/bench_spelling_eval.py [--quick]
"""

from __future__ import annotations

import re
import string
import sys
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from restore import clean
from restore.config import Config
from restore.stages import STAGES

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
LAYOUT = tuple(s for s in ("normalize", "pages", "hyphenation", "paragraphs") if s in STAGES)
SETS = ("overproof-smh", "icdar2017-en")
_PUNCT = string.punctuation + "“”‘’«»—–…"


def words(text: str) -> list[str]:
    """SOURCES.md's normalisation, as a list of words."""
    text = re.sub(r"-[ \t]*\n[ \t]*", "", text).replace("-", "")
    out = []
    for w in text.lower().split():
        w = w.strip(_PUNCT)
        if w:
            out.append(w)
    return out


def correct_positions(hyp: list[str], gt: list[str]) -> set[int]:
    """Indices of hyp words aligned to an equal ground-truth word."""
    changed = {op.src_pos for op in Levenshtein.editops(hyp, gt) if op.tag in ("replace", "delete")}
    return set(range(len(hyp))) - changed


def _joined_parts(ops, before: list[str], after: list[str]) -> set[int]:
    """Positions of word pairs joined into one word ("re quirements" -> "requirements").

    "Made wrong" counts both parts of a join whenever the ground truth has them apart.
    Most such joins are line-end splits that the ground truth keeps ("re- quirements" in
    icdar's one-line files is two words under SOURCES.md's normalisation), some are real
    harm ("a dult" -> "adult"), so the benchmark reports them as their own column.
    """
    out = set()
    for op in ops:
        i, j = op.src_pos, op.dest_pos
        if (
            op.tag == "replace"
            and i + 1 < len(before)
            and j < len(after)
            and after[j] == before[i] + before[i + 1]
        ):
            out.update((i, i + 1))
    return out


def evaluate_set(name: str, limit: int | None = None, config: Config | None = None) -> dict:
    folder = EVAL / name
    files = sorted((folder / "ocr").glob("*.txt"))[:limit]
    base = Config(stages=LAYOUT)
    full = (config or Config()).with_(stages=LAYOUT + ("spelling",))
    totals = dict(
        gt=0,
        raw=0,
        layout=0,
        spelled=0,
        made_wrong=0,
        gt_split_joins=0,
        fixed=0,
        edits=0,
        words=0,
        seconds=0.0,
    )
    for path in files:
        ocr = path.read_text(encoding="utf-8")
        gt = words((folder / "gt" / path.name).read_text(encoding="utf-8"))
        laid = clean(ocr, base).output
        started = time.perf_counter()
        result = clean(laid, full.with_(stages=("spelling",)))
        totals["seconds"] += time.perf_counter() - started
        spelled = result.output
        w_raw, w_laid, w_sp = words(ocr), words(laid), words(spelled)
        totals["gt"] += len(gt)
        totals["words"] += len(w_laid)
        totals["raw"] += Levenshtein.distance(w_raw, gt)
        totals["layout"] += Levenshtein.distance(w_laid, gt)
        totals["spelled"] += Levenshtein.distance(w_sp, gt)
        totals["edits"] += len(result.edits)
        right_before = correct_positions(w_laid, gt)
        ops = Levenshtein.editops(w_laid, w_sp)
        touched = {op.src_pos for op in ops if op.tag in ("replace", "delete")}
        totals["made_wrong"] += len(touched & right_before)
        totals["gt_split_joins"] += len(_joined_parts(ops, w_laid, w_sp) & right_before)
        totals["fixed"] += len(touched - right_before)
    totals["files"] = len(files)
    return totals


def run(quick: bool = False) -> str:
    limit = 15 if quick else None
    rows = []
    for name in SETS:
        t = evaluate_set(name, limit)
        gt = t["gt"] or 1
        rows.append(
            f"| {name} | {t['files']} | {t['gt']:,} | {t['raw'] / gt:.4f} | {t['layout'] / gt:.4f} | "
            f"{t['spelled'] / gt:.4f} | {t['edits']} | {t['fixed']} | {t['made_wrong']} | "
            f"{1000 * t['made_wrong'] / gt:.2f} | {t['gt_split_joins']} | "
            f"{t['words'] / max(t['seconds'], 1e-9):,.0f} |"
        )
    command = "/work/venv/bin/python benchmarks/bench_spelling_eval.py" + (" --quick" if quick else "")
    return "\n".join(
        [
            "## Spelling stage on real OCR (WER against ground truth)",
            "",
            f"`{command}` (layout stages: {', '.join(LAYOUT)}; then spelling)",
            "",
            "| set | files | gt words | WER raw | WER layout | WER +spelling | edits | words fixed | "
            "correct words made wrong | made wrong per 1,000 | of which joined pairs the ground truth has apart | "
            "spelling words/s |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
            *rows,
        ]
    )


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
