"""How many synthetic drop-outs can a careful reader see at all? A ceiling for the gaps stage.

The gaps benchmark deletes random runs of 1-8 words from clean prose. Many such
deletions leave a sentence that still reads ("He died [in 1850]."), and nothing
that reads only the damaged text can point at them. This script measures that
ceiling with a blind reading:

    python benchmarks/reader_audit.py make      # writes benchmarks/reader/<set>.blind.txt and .key.json
    (a reader marks, in benchmarks/reader/<set>.answers.json, each numbered sentence
     they think lost words: {"<n>": "<the word the gap comes after, or ^ for the start>"})
    python benchmarks/reader_audit.py score     # recall of the reader, and of restore on the same sentences

The answers in benchmarks/reader/ were written by a language-model assistant
(a helper agent of the session that built this), reading only the blind file,
with the key moved out of the tree while it read. A strong language model
reading whole texts is the best an automatic method could hope for, so its
recall is an upper bound for what the gaps stage could reach offline, not a
human figure.

The damage is the gaps benchmark's own (bench_gaps.damage: rate 0.2, seed 7 +
file number), on every 8th smh and every 2nd icdar ground-truth file,
first 40 sentences each.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gaps import EVAL, damage, layout, run_stage  # noqa: E402

from restore.degrade import sentence_spans  # noqa: E402
from restore.models import nlp  # noqa: E402

OUT = Path(__file__).resolve().parent / "reader"
SETS = {"overproof-smh": 8, "icdar2017-en": 2}  # set -> take every n-th file
PER_FILE = 40


def _ground_truth(name: str) -> list[Path]:
    return sorted((EVAL / name / "gt").glob("*.txt"))


def _damaged(path: Path, k: int) -> tuple[str, list[int]]:
    """Ground-truth file number k of its set, laid out and damaged as the gaps benchmark damages it."""
    return damage(layout(path.read_text(encoding="utf-8")), k)


def blind_set(name: str) -> tuple[list[str], dict]:
    """Numbered damaged sentences, and the key: which sentences lost words and where."""
    lines, key = [], {"holes": {}, "sentences": 0, "texts": []}
    for k, path in list(enumerate(_ground_truth(name)))[:: SETS[name]]:
        damaged, offsets = _damaged(path, k)
        spans = sentence_spans(damaged)[:PER_FILE]
        lines.append(f"=== text {path.stem}")
        for s, e in spans:
            n = len(key["texts"]) + 1
            sentence = " ".join(damaged[s:e].split())
            key["texts"].append([path.stem, s, e])
            lines.append(f"[{n}] {sentence}")
            holes = [o - s for o in offsets if s <= o < e]
            if holes:
                words_before = damaged[s : s + holes[0]].split()
                key["holes"][str(n)] = words_before[-1] if words_before else "^"
        lines.append("")
    key["sentences"] = len(key["texts"])
    return lines, key


def make() -> None:
    OUT.mkdir(exist_ok=True)
    for name in SETS:
        lines, key = blind_set(name)
        (OUT / f"{name}.blind.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (OUT / f"{name}.key.json").write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
        print(name, key["sentences"], "sentences,", len(key["holes"]), "with a deletion")


def _restore_marks(name: str, key: dict) -> set[str]:
    """Sentences where restore's gap flag covers the hole (or, in intact sentences, any flag)."""
    by_stem = {p.stem: (k, p) for k, p in enumerate(_ground_truth(name))}
    flagged = set()
    cache: dict[str, tuple[str, list[int], list]] = {}
    for n, (stem, s, e) in enumerate(key["texts"], start=1):
        if stem not in cache:
            k, path = by_stem[stem]
            damaged, offsets = _damaged(path, k)
            cache[stem] = (damaged, offsets, run_stage(damaged, "auto").flags)
        damaged, offsets, flags = cache[stem]
        holes = [o for o in offsets if s <= o < e]
        if holes and any(f.start <= holes[0] <= f.end for f in flags):
            flagged.add(str(n))
        elif not holes and any(s <= f.start < e for f in flags):
            flagged.add(str(n))
    return flagged


def table() -> list[str]:
    """The reader's and restore's recall on the blind set, as Markdown table rows."""
    lines = [
        "| set | sentences | with a deletion | reader: found at the place | reader: sentence only "
        f"| reader: false per 1,000 intact | restore ({nlp.mode('auto')}): found | restore: false per 1,000 intact |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in SETS:
        answers_path = OUT / f"{name}.answers.json"
        if not answers_path.exists():
            lines.append(f"| {name} | no answers yet | | | | | | |")
            continue
        key = json.loads((OUT / f"{name}.key.json").read_text(encoding="utf-8"))
        answers = {str(k): v for k, v in json.loads(answers_path.read_text(encoding="utf-8")).items()}
        holes, intact = key["holes"], key["sentences"] - len(key["holes"])
        at_place = sum(1 for n, w in holes.items() if n in answers and _same_word(answers[n], w))
        sentence_only = sum(1 for n in holes if n in answers)
        false = sum(1 for n in answers if n not in holes)
        ours = _restore_marks(name, key)
        ours_found = sum(1 for n in holes if n in ours)
        ours_false = sum(1 for n in ours if n not in holes)
        lines.append(
            f"| {name} | {key['sentences']} | {len(holes)} | {at_place / len(holes):.2f} | "
            f"{sentence_only / len(holes):.2f} | {1000 * false / intact:.0f} | "
            f"{ours_found / len(holes):.2f} | {1000 * ours_false / intact:.0f} |"
        )
    return lines


def score() -> None:
    print("\n".join(table()))


def _same_word(answer: str, truth: str) -> bool:
    strip = ".,;:!?\"'()[]“”‘’"
    return answer.strip(strip).lower() == truth.strip(strip).lower()


if __name__ == "__main__":
    {"make": make, "score": score}[sys.argv[1] if len(sys.argv) > 1 else "score"]()
