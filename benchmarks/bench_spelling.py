"""Spelling stage on synthetic OCR damage: precision and recall against baselines.

Clean prose (the ground-truth side of ../shared/eval/overproof-smh) is damaged
with `restore.degrade.confuse_characters` (one OCR confusion in a word with
probability RATE), then corrected by the spelling stage, by naive symspellpy
`lookup_compound` (line by line) and by pyspellchecker (`correction` of each
unknown word). Words are compared after the eval normalisation (lower case,
outer punctuation stripped), aligned with the damaged text:

- precision: changed words that now equal the clean word;
- recall: damaged words restored to the clean word;
- names changed: undamaged capitalised words not at a sentence start that a system changed.

    /work/venv/bin/python benchmarks/bench_spelling.py [--quick]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from restore import clean
from restore.config import Config
from restore.degrade import confuse_characters

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "overproof-smh" / "gt"
RATE, SEED = 0.05, 7
_PUNCT = "\"'“”‘’()[]{}.,;:!?-—–…*"


def _norm(text: str) -> list[str]:
    return [w.strip(_PUNCT).lower() for w in text.split()]


def _names(text: str) -> set[int]:
    """Indices of capitalised words not at a sentence start."""
    out, words = set(), text.split()
    for i, w in enumerate(words):
        core = w.strip(_PUNCT)
        if (
            i
            and core[:1].isupper()
            and core[1:].islower()
            and not words[i - 1].endswith((".", "!", "?", ":"))
        ):
            out.add(i)
    return out


def score(clean_text: str, damaged: str, output: str) -> dict:
    c, d, o = _norm(clean_text), _norm(damaged), _norm(output)
    assert len(c) == len(d)
    injected = {i for i in range(len(c)) if c[i] != d[i]}
    names = _names(clean_text) - injected
    changed = right = fixed = names_changed = 0
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(d, o):
        if tag == "equal":
            continue
        changed += max(1, i2 - i1)
        if tag == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2)):
                ok = o[j] == c[i]
                right += ok
                fixed += ok and i in injected
                names_changed += i in names
        else:
            ok = " ".join(o[j1:j2]).replace(" ", "") == "".join(c[i1:i2])
            right += ok * max(1, i2 - i1)
            names_changed += len(names & set(range(i1, i2)))
    return dict(injected=len(injected), changed=changed, right=right, fixed=fixed, names=names_changed)


def _restore(text: str) -> str:
    return clean(text, Config(stages=("spelling",))).output


def _symspell(text: str) -> str:
    from restore.models.lexicon import symspell

    index = symspell()
    lines = []
    for line in text.split("\n"):
        words = line.split()
        out = []
        for w in words:  # keep the word count: compound lookup word by word
            core = w.strip(_PUNCT)
            out.append(index.lookup_compound(core, 2)[0].term if core else w)
        lines.append(" ".join(out))
    return "\n".join(lines)


def _pyspellchecker(text: str) -> str:
    from spellchecker import SpellChecker

    checker = _pyspellchecker.__dict__.setdefault("checker", SpellChecker(distance=1))
    out = []
    for w in text.split():
        core = w.strip(_PUNCT)
        fixed = checker.correction(core.lower()) if core and core.lower() not in checker else None
        out.append(fixed or w)
    return " ".join(out)


def run(quick: bool = False) -> str:
    files = sorted(EVAL.glob("*.txt"))[: 8 if quick else 40]
    texts = [" ".join(p.read_text(encoding="utf-8").split()) for p in files]
    damaged = [confuse_characters(t, RATE, SEED + i) for i, t in enumerate(texts)]
    rows = []
    for name, fn in (
        ("restore spelling", _restore),
        ("symspellpy lookup_compound", _symspell),
        ("pyspellchecker (distance 1)", _pyspellchecker),
    ):
        fn(damaged[0])  # load once
        started = time.perf_counter()
        totals = dict(injected=0, changed=0, right=0, fixed=0, names=0)
        for t, d in zip(texts, damaged):
            for k, v in score(t, d, fn(d)).items():
                totals[k] += v
        seconds = time.perf_counter() - started
        words = sum(len(t.split()) for t in texts)
        rows.append(
            f"| {name} | {totals['changed']} | {totals['right'] / max(1, totals['changed']):.3f} | "
            f"{totals['fixed'] / max(1, totals['injected']):.3f} | {totals['names']} | {words / seconds:,.0f} |"
        )
    command = "/work/venv/bin/python benchmarks/bench_spelling.py" + (" --quick" if quick else "")
    words = sum(len(t.split()) for t in texts)
    injected = sum(score(t, d, d)["injected"] for t, d in zip(texts, damaged))
    return "\n".join(
        [
            "## Spelling on synthetic OCR damage",
            "",
            f"`{command}`: {len(files)} ground-truth articles of overproof-smh, {words:,} words, "
            f"{injected} damaged by `degrade.confuse_characters` (rate {RATE}, seed {SEED}).",
            "",
            "| system | words changed | precision | recall | names changed | words/s |",
            "|---|---|---|---|---|---|",
            *rows,
        ]
    )


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
