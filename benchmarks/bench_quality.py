"""Quality on real OCR with ground truth, restore beside the baselines a user would otherwise pick.

Sets (../shared/eval, see SOURCES.md): overproof-smh (newspaper OCR, with
Overproof's stored output as a peer) and icdar2017-en (17th-19th century
books; historical spellings are correct). Systems, all scored with the same
default normalisation by ``restore.evaluate``:

- raw OCR;
- symspellpy ``lookup_compound`` on each line (its bundled English unigram and
  bigram dictionaries, max edit distance 2), the naive "spell-correct it" route;
  a line longer than 40 words (icdar's books are one line each) goes 40 words
  at a time, since lookup_compound on a whole book does not finish;
- pyspellchecker word by word: an unknown word becomes its top candidate,
  case and punctuation kept; edit distance 1, as its documentation advises
  for long words (its default distance 2 takes 0.3-1.5 s per unknown word
  of 7+ letters here, hours for one set);
- Overproof's stored output (overproof-smh only);
- restore with the default stages.

And on synthetic damage (``restore.degrade`` of the ground-truth sides, with
drop-outs), restore's gap recall and false gap flags.

    /work/venv/bin/python benchmarks/bench_quality.py [--quick]
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from restore.config import Config
from restore.degrade import degrade
from restore.evaluate import Evaluation, Normalization, evaluate, pair_files, score_texts

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
QUICK_FILES = {"overproof-smh": 30, "icdar2017-en": 6}
# A gap flag finds a drop-out when its source span comes within this many characters of it.
GAP_TOLERANCE = 40
# Filled by run(): one line per target, for the summary at the top of BENCHMARKS.md.
LAST_TARGETS: list[str] = []


def symspell_baseline() -> Callable[[str], str]:
    """symspellpy's lookup_compound on each line, as its README suggests for noisy text."""
    from importlib.resources import files

    from symspellpy import SymSpell

    sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    root = files("symspellpy")
    sym.load_dictionary(str(root / "frequency_dictionary_en_82_765.txt"), term_index=0, count_index=1)
    sym.load_bigram_dictionary(
        str(root / "frequency_bigramdictionary_en_243_342.txt"), term_index=0, count_index=2
    )

    @cache
    def line_fix(line: str) -> str:
        if not line.strip():
            return line
        suggestions = sym.lookup_compound(line, max_edit_distance=2)
        return suggestions[0].term if suggestions else line

    def fix(text: str) -> str:
        lines = []
        for line in text.split("\n"):
            words = line.split(" ")
            # lookup_compound is meant for a sentence; a book on one line (icdar) goes 40 words at a time
            lines.append(
                " ".join(line_fix(" ".join(words[i : i + 40])) for i in range(0, max(1, len(words)), 40))
            )
        return "\n".join(lines)

    return fix


_WORD = re.compile(r"[^\W\d_]+")


def pyspellchecker_baseline() -> Callable[[str], str]:
    """pyspellchecker word by word: unknown words become the top candidate, case kept."""
    from spellchecker import SpellChecker

    checker = SpellChecker(distance=1)

    @cache
    def fix(lower: str) -> str:
        if lower in checker:
            return lower
        return checker.correction(lower) or lower

    def one(m: re.Match) -> str:
        word = m.group()
        fixed = fix(word.lower())
        if word.isupper() and len(word) > 1:
            return fixed.upper()
        if word[0].isupper():
            return fixed[:1].upper() + fixed[1:]
        return fixed

    return lambda text: _WORD.sub(one, text)


def _subset(name: str, quick: bool) -> tuple[Path, Path, list[str] | None]:
    root = EVAL / name
    if not quick:
        return root / "ocr", root / "gt", None
    pairs, _ = pair_files(root / "ocr", root / "gt")
    # the smallest files, so a quick run stays quick
    pairs.sort(key=lambda p: p[1].stat().st_size)
    return root / "ocr", root / "gt", [p[0] for p in pairs[: QUICK_FILES[name]]]


def _evaluate_subset(
    ocr: Path, gt: Path, names: list[str] | None, restorer, peer=None, config=None
) -> Evaluation:
    if names is None:
        return evaluate(ocr, gt, config, restorer=restorer, peer=peer)
    # A subset: score the chosen files exactly as evaluate() would.
    files = []
    norm = Normalization()
    for name in names:
        raw = (ocr / name).read_text(encoding="utf-8", errors="replace")
        started = time.perf_counter()
        out = restorer(raw) if restorer else _clean(raw, config)
        seconds = time.perf_counter() - started
        systems = {"restore": out}
        if peer is not None:
            systems["peer"] = (peer / name).read_text(encoding="utf-8", errors="replace")
        files.append(
            score_texts(
                raw, (gt / name).read_text(encoding="utf-8", errors="replace"), systems, norm, name, seconds
            )
        )
    return Evaluation(files, norm, tuple((config or Config()).stages))


def _clean(text: str, config: Config | None) -> str:
    from restore.pipeline import clean

    return clean(text, config or Config()).output


def real_sets(quick: bool) -> list[dict]:
    """One row per set and system: WER, CER, change, fixed, introduced per 1,000 words, seconds."""
    rows = []
    baselines = {
        "symspellpy lookup_compound": symspell_baseline(),
        "pyspellchecker (distance 1)": pyspellchecker_baseline(),
    }
    for name in ("overproof-smh", "icdar2017-en"):
        ocr, gt, names = _subset(name, quick)
        peer = EVAL / name / "peer" if (EVAL / name / "peer").is_dir() else None
        runs: dict[str, Evaluation] = {}
        runs["restore"] = _evaluate_subset(ocr, gt, names, None, peer=peer, config=Config())
        for label, fn in baselines.items():
            runs[label] = _evaluate_subset(ocr, gt, names, fn)
        rules_only = _evaluate_subset(ocr, gt, names, None, config=Config(in_context=False))
        first = runs["restore"]
        ocr_total = first.total_ocr
        rows.append(
            _row(name, "raw OCR", ocr_total.wer, ocr_total.cer, ocr_total.wer, None, None, ocr_total.gt_words)
        )
        if peer is not None:
            s, c = first.total("peer"), first.total_change("peer")
            rows.append(
                _row(
                    name,
                    "Overproof (stored output)",
                    s.wer,
                    s.cer,
                    ocr_total.wer,
                    c,
                    None,
                    ocr_total.gt_words,
                )
            )
        for label in baselines:
            ev = runs[label]
            s, c = ev.total("restore"), ev.total_change("restore")
            rows.append(
                _row(
                    name,
                    label,
                    s.wer,
                    s.cer,
                    ocr_total.wer,
                    c,
                    sum(f.seconds for f in ev.files),
                    ocr_total.gt_words,
                )
            )
        s, c = rules_only.total("restore"), rules_only.total_change("restore")
        rows.append(
            _row(
                name,
                "restore --no-context (rules only)",
                s.wer,
                s.cer,
                ocr_total.wer,
                c,
                sum(f.seconds for f in rules_only.files),
                ocr_total.gt_words,
            )
        )
        s, c = first.total("restore"), first.total_change("restore")
        rows.append(
            _row(
                name,
                "restore",
                s.wer,
                s.cer,
                ocr_total.wer,
                c,
                sum(f.seconds for f in first.files),
                ocr_total.gt_words,
            )
        )
        rows[-1]["files"] = len(first.files)
    return rows


def _row(dataset, system, wer, cer, ocr_wer, change, seconds, gt_words) -> dict:
    return {
        "set": dataset,
        "system": system,
        "gt_words": gt_words,
        "wer": wer,
        "cer": cer,
        "wer_change": (wer - ocr_wer) / ocr_wer if ocr_wer else 0.0,
        "fixed": change.fixed if change else None,
        "introduced": change.introduced if change else None,
        "introduced_per_1000": 1000 * change.introduced / gt_words if change and gt_words else None,
        "seconds": seconds,
    }


def synthetic_gaps(quick: bool, seed: int = 2024) -> dict:
    """Degrade ground-truth texts with drop-outs and score restore's gap flags against the gold."""
    texts = []
    for name, count in (("overproof-smh", 40 if quick else 159), ("icdar2017-en", 2 if quick else 8)):
        pairs, _ = pair_files(EVAL / name / "ocr", EVAL / name / "gt")
        pairs.sort(key=lambda p: p[0])
        for _, _, gt in pairs[:count]:
            text = gt.read_text(encoding="utf-8", errors="replace")
            texts.append(text[:60_000])
    found = gold_total = flags_total = false_flags = words = 0
    raw_errors = restored_errors = gt_words = 0
    started = time.perf_counter()
    for n, text in enumerate(texts):
        d = degrade(
            text,
            seed + n,
            confusion_rate=0.05,
            width=60,
            lines_per_page=40,
            running_head="THE CHRONICLE",
            dropout_rate=0.1,
            dropout_words=(2, 8),
        )
        result = _clean_result(d.noisy)
        gaps = [f.source_span for f in result.flags if f.kind == "gap"]
        offsets = [g.offset for g in d.gaps]
        near = lambda span, o: span[0] - GAP_TOLERANCE <= o <= span[1] + GAP_TOLERANCE  # noqa: E731
        found += sum(any(near(s, o) for s in gaps) for o in offsets)
        false_flags += sum(not any(near(s, o) for o in offsets) for s in gaps)
        gold_total += len(offsets)
        flags_total += len(gaps)
        words += len(d.gold.split())
        score = score_texts(d.noisy, d.gold, {"restore": result.output})
        raw_errors += score.ocr.word_errors
        restored_errors += score.systems["restore"].word_errors
        gt_words += score.ocr.gt_words
    return {
        "documents": len(texts),
        "words": words,
        "gold_gaps": gold_total,
        "gap_flags": flags_total,
        "recall": found / gold_total if gold_total else 0.0,
        "false_flags": false_flags,
        "false_flags_per_1000": 1000 * false_flags / words if words else 0.0,
        "precision": (flags_total - false_flags) / flags_total if flags_total else 0.0,
        "raw_wer": raw_errors / gt_words if gt_words else 0.0,
        "restored_wer": restored_errors / gt_words if gt_words else 0.0,
        "seconds": time.perf_counter() - started,
    }


def _clean_result(text: str):
    from restore.pipeline import clean

    return clean(text, Config())


def _fmt(value, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)


def run(quick: bool = False) -> str:
    rows = real_sets(quick)
    gaps = synthetic_gaps(quick)
    scope = "quick subset: the smallest files of each set" if quick else "whole sets"
    lines = [
        "## Quality",
        "",
        f"Real OCR with human ground truth ({scope}); one normalisation for every system (line-end hyphens",
        "joined, other hyphens dropped, lower case, edge punctuation stripped). WER and CER are corpus-level",
        "(sum of errors / sum of ground-truth words or characters). *Introduced*: ground-truth words the raw",
        "OCR had right and the system made wrong. Seconds: the system's own time on one worker.",
        "",
        "| set | system | WER | CER | WER change | fixed | introduced | introduced / 1,000 words | seconds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['set']} | {r['system']} | {r['wer']:.4f} | {r['cer']:.4f} | {100 * r['wer_change']:+.1f}% "
            f"| {_fmt(r['fixed'], 'd')} | {_fmt(r['introduced'], 'd')} | {_fmt(r['introduced_per_1000'], '.2f')} "
            f"| {_fmt(r['seconds'], '.1f')} |"
        )
    lines += [
        "",
        "### Targets on the real sets",
        "",
    ]
    LAST_TARGETS.clear()
    for dataset in dict.fromkeys(r["set"] for r in rows):
        restore_row = next(r for r in rows if r["set"] == dataset and r["system"] == "restore")
        change, per_k = restore_row["wer_change"], restore_row["introduced_per_1000"]
        LAST_TARGETS.append(
            f"{dataset}{' (quick subset)' if quick else ''}: WER {restore_row['wer']:.4f}, change {100 * change:+.1f}% "
            f"(target <= -15%: {'met' if change <= -0.15 else 'NOT met'}; never higher than raw: "
            f"{'met' if change <= 0 else 'NOT met'}); {per_k:.2f} introduced errors per 1,000 words "
            f"(target < 1: {'met' if per_k < 1 else 'NOT met'})"
        )
        lines.append(
            f"- {dataset}: WER change {100 * change:+.1f}% (target at most -15%: "
            f"{'met' if change <= -0.15 else 'NOT met'}; never higher: {'met' if change <= 0 else 'NOT met'}); "
            f"{per_k:.2f} introduced per 1,000 words (target under 1: {'met' if per_k < 1 else 'NOT met'})."
        )
    lines += [
        "",
        "### Drop-outs on synthetic damage",
        "",
        f"{gaps['documents']} ground-truth texts (all overproof-smh articles and the first icdar2017-en books, "
        "each cut to 60,000 characters" + (", fewer in a quick run" if quick else "") + ") degraded by "
        "`restore.degrade` (seeds 2024+n): 5% of words with an OCR confusion, re-wrapped at 60 columns with "
        "end-of-line hyphens, pages of 40 lines with a running head and page number, and 10% of sentences "
        "losing 2-8 words. A gap flag finds a drop-out when its source span comes within "
        f"{GAP_TOLERANCE} characters of it.",
        "",
        "| words | drop-outs | gap flags | recall | precision | false flags | false flags / 1,000 words | WER raw | WER restored |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {gaps['words']:,} | {gaps['gold_gaps']} | {gaps['gap_flags']} | {gaps['recall']:.3f} | {gaps['precision']:.3f} "
        f"| {gaps['false_flags']} | {gaps['false_flags_per_1000']:.2f} | {gaps['raw_wer']:.4f} | {gaps['restored_wer']:.4f} |",
        "",
        "WER here counts the drop-outs' missing words in neither column: the gold is the clean text minus the drop-outs.",
        "",
        f"Reproduce: `/work/venv/bin/python benchmarks/bench_quality.py{' --quick' if quick else ''}`",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few small files, for a smoke run")
    print(run(quick=parser.parse_args().quick))
