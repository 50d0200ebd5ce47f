"""Benchmark of the gaps stage, in both modes (rules only, and with the trained spaCy pipeline).

1. The annotated sample: recall and precision of gap flags against
   tests/data/gaps/sample_gaps.json (excerpts around each real drop).
2. Synthetic drop-outs: the ground-truth sides of ../shared/eval (clean prose),
   random runs of 1-8 words deleted from a share of sentences
   (restore.degrade.delete_spans); recall of the deletions (a flag whose span
   reaches within a word of the hole) and false flags per 1,000 intact sentences.
3. Speed: words per second of the stage alone.

    /work/venv/bin/python benchmarks/bench_gaps.py [--quick]
"""

from __future__ import annotations

import bisect
import json
import re
import sys
import time
from pathlib import Path

from restore.config import Config
from restore.degrade import delete_spans, sentence_spans
from restore.stages import STAGES, StageContext, gaps

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path("/work/shared/eval")
SAMPLE = ROOT / "corpus" / "000_ce8a58615c65187e.txt"
ANNOTATION = ROOT / "tests" / "data" / "gaps" / "sample_gaps.json"
MODES = {"rules": "none", "spacy": "auto"}
LAYOUT = ("normalize", "pages", "hyphenation", "paragraphs")


def layout(text: str) -> str:
    """The text as the gaps stage sees it in the pipeline: the layout stages that exist, else a plain unwrap."""
    from restore import clean

    have = tuple(s for s in LAYOUT if _exists(s))
    if set(LAYOUT) <= set(have):
        return clean(text, Config(stages=have)).output
    text = clean(text, Config(stages=have)).output if have else text
    text = re.sub(r"(\w)-\n(?=[a-z])", r"\1", text)
    paras = [re.sub(r"\s*\n\s*", " ", p).strip() for p in re.split(r"\n[ \t]*\n\s*", text)]
    return "\n\n".join(p for p in paras if p) + "\n"


def _exists(stage: str) -> bool:
    return (ROOT / "restore" / "stages" / f"{STAGES[stage].name}.py").exists()


def run_stage(text: str, spacy_model: str):
    return gaps.propose(text, StageContext(config=Config(spacy_model=spacy_model)))


def excerpt_span(text: str, excerpt: str) -> tuple[int, int] | None:
    """Where an annotated excerpt sits in the text, whatever the whitespace between its words."""
    pattern = r"\s*".join(re.escape(w) for w in excerpt.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def sample_scores(spacy_model: str) -> dict:
    text = layout(SAMPLE.read_text(encoding="utf-8"))
    drops = json.loads(ANNOTATION.read_text(encoding="utf-8"))["drops"]
    spans = [excerpt_span(text, d) for d in drops]
    missing = [d for d, s in zip(drops, spans) if s is None]
    flags = run_stage(text, spacy_model).flags
    found = [any(f.start < e and s < f.end for f in flags) for s, e in (sp for sp in spans if sp)]
    true_flags = [any(f.start < e and s < f.end for s, e in spans if s is not None) for f in flags]
    return {
        "drops": len(drops),
        "unmatched_excerpts": missing,
        "flags": len(flags),
        "recall": sum(found) / max(1, len(found)),
        "precision": sum(true_flags) / max(1, len(flags)),
        "false": [text[f.start : f.end] + "  <- " + f.reason for f, t in zip(flags, true_flags) if not t],
        "missed": [
            d
            for d, sp in zip(drops, spans)
            if sp and not any(f.start < sp[1] and sp[0] < f.end for f in flags)
        ],
    }


def gt_texts(quick: bool) -> dict[str, list[str]]:
    sets = {}
    for name in ("overproof-smh", "icdar2017-en"):
        files = sorted((EVAL / name / "gt").glob("*.txt"))
        if quick:
            files = files[::4]
        sets[name] = [layout(f.read_text(encoding="utf-8")) for f in files]
    return sets


DELETION_RATE = 0.2  # share of sentences that lose a run of words
DELETION_SEED = 7  # text number k of a set is damaged with seed DELETION_SEED + k


def damage(
    clean_text: str, k: int, rate: float = DELETION_RATE, seed: int = DELETION_SEED
) -> tuple[str, list[int]]:
    """Text number k of a set with runs of words deleted, and where (the benchmark's damage, reproducibly)."""
    return delete_spans(clean_text, rate, seed + k)


def synthetic(
    texts: list[str], spacy_model: str, rate: float = DELETION_RATE, seed: int = DELETION_SEED
) -> dict:
    """Recall of deletions and false flags per 1,000 intact sentences."""
    holes = hits = intact = false = words = 0
    seconds = 0.0
    by: dict[str, list[int]] = {}  # evidence kind -> [flags covering a hole, false flags]
    for k, clean_text in enumerate(texts):
        damaged, offsets = damage(clean_text, k, rate, seed)
        started = time.perf_counter()
        flags = run_stage(damaged, spacy_model).flags
        seconds += time.perf_counter() - started
        words += len(damaged.split())
        sentences = sentence_spans(damaged)
        starts = [s for s, _ in sentences]
        damaged_sents = {bisect.bisect_right(starts, o) - 1 for o in offsets}
        for o in offsets:
            holes += 1
            # The hole sits between the word ending before o and the word at o.
            if any(f.start <= o <= f.end for f in flags):
                hits += 1
        flagged_sents = {}
        for f in flags:
            i = bisect.bisect_right(starts, f.start) - 1
            flagged_sents.setdefault(i, 0)
            true = any(f.start <= o <= f.end for o in offsets)
            if not true:
                flagged_sents[i] += 1
            for ev in f.detail["evidence"]:
                counts = by.setdefault(ev, [0, 0])
                if true:
                    counts[0] += 1
                elif i not in damaged_sents:
                    counts[1] += 1
        intact += len(sentences) - len(damaged_sents)
        false += sum(n for i, n in flagged_sents.items() if i not in damaged_sents)
    return {
        "holes": holes,
        "recall": hits / max(1, holes),
        "intact_sentences": intact,
        "false_per_1000": 1000 * false / max(1, intact),
        "words_per_s": words / max(seconds, 1e-9),
        "by_evidence": by,
    }


def clean_false_flags(texts: list[str], spacy_model: str) -> dict:
    """Flags on undamaged ground truth, per 1,000 sentences, by evidence."""
    sentences = flags = 0
    by: dict[str, int] = {}
    for text in texts:
        sentences += len(sentence_spans(text))
        for f in run_stage(text, spacy_model).flags:
            flags += 1
            for ev in f.detail["evidence"]:
                by[ev] = by.get(ev, 0) + 1
    return {"sentences": sentences, "per_1000": 1000 * flags / max(1, sentences), "by_evidence": by}


def run(quick: bool = False) -> str:
    from restore.models import nlp

    lines = [
        "## gaps stage",
        "",
        f"Command: `/work/venv/bin/python benchmarks/bench_gaps.py{' --quick' if quick else ''}`"
        + (" (every 4th eval file)" if quick else ""),
        "",
    ]
    sets = gt_texts(quick)
    lines += [
        "| mode | sample recall | sample precision | flags | synthetic recall (smh / icdar) "
        "| false flags per 1,000 intact sentences (smh / icdar) | flags per 1,000 sentences on clean gt "
        "(smh / icdar) | stage words/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    details = []
    clean_by: dict[str, dict] = {}
    for spec in MODES.values():
        if spec != "none" and nlp.resolve(spec) is None:
            continue
        mode = nlp.mode(spec)
        s = sample_scores(spec)
        syn = {name: synthetic(texts, spec) for name, texts in sets.items()}
        fp = {name: clean_false_flags(texts, spec) for name, texts in sets.items()}
        wps = sum(v["words_per_s"] for v in syn.values()) / len(syn)
        lines.append(
            f"| {mode} | {s['recall']:.2f} | {s['precision']:.2f} | {s['flags']} | "
            f"{syn['overproof-smh']['recall']:.2f} / {syn['icdar2017-en']['recall']:.2f} | "
            f"{syn['overproof-smh']['false_per_1000']:.0f} / {syn['icdar2017-en']['false_per_1000']:.0f} | "
            f"{fp['overproof-smh']['per_1000']:.0f} / {fp['icdar2017-en']['per_1000']:.0f} | {wps:,.0f} |"
        )
        details.append((mode, syn))
        clean_by[mode] = fp
    lines += [
        "",
        "Synthetic: each sentence loses a run of 1-8 words with probability 0.2 "
        "(restore.degrade.delete_spans, seeded); a deletion counts as found when a flag's span covers "
        "the hole. Sample: against tests/data/gaps/sample_gaps.json.",
        "",
        "Per evidence kind, synthetic run: flags covering a hole (true) / flags in intact sentences (false); "
        "and flags on the clean gt (all false). A flag with several kinds counts for each.",
        "",
        "| mode | evidence | smh true / false | icdar true / false | clean gt smh / icdar |",
        "|---|---|---|---|---|",
    ]
    for mode, syn in details:
        kinds = sorted(
            set().union(
                *(v["by_evidence"] for v in syn.values()),
                *(v["by_evidence"] for v in clean_by[mode].values()),
            )
        )
        for kind in kinds:
            smh = syn["overproof-smh"]["by_evidence"].get(kind, [0, 0])
            icdar = syn["icdar2017-en"]["by_evidence"].get(kind, [0, 0])
            lines.append(
                f"| {mode} | {kind} | {smh[0]} / {smh[1]} | {icdar[0]} / {icdar[1]} | "
                f"{clean_by[mode]['overproof-smh']['by_evidence'].get(kind, 0)} / "
                f"{clean_by[mode]['icdar2017-en']['by_evidence'].get(kind, 0)} |"
            )
    from reader_audit import table

    lines += [
        "",
        "### How many deletions can be seen at all",
        "",
        "A blind reading of the same kind of damage (`python benchmarks/reader_audit.py score`): a "
        "language-model assistant marked, reading only the damaged text, each sentence it judged to have lost "
        "words, and the word before the hole (benchmarks/reader/; the docstring says how it was made). Its "
        "recall is a ceiling for any method that reads the text, not a human figure.",
        "",
    ]
    lines += table()
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if "--sample" in sys.argv:
        for spec in ("none", "auto"):
            r = sample_scores(spec)
            print(spec, {k: v for k, v in r.items() if k not in ("false", "missed")})
            print("FALSE:\n  " + "\n  ".join(r["false"]))
            print("MISSED:\n  " + "\n  ".join(r["missed"]))
    else:
        print(run(quick="--quick" in sys.argv))
