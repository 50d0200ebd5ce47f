"""Benchmark of the name-dictionary builder: precision on the sample's names, and what it
makes of the eval sets' OCR.

1. The sample (corpus/): every form `restore names build corpus/` writes is judged by hand
   in tests/data/names/sample_names.json (a proper name spelt as printed, a title word such
   as "Plenum", or not a name); precision of the names section and of the proposed section.
2. The eval sets' OCR (../shared/eval/*/ocr): how many forms land in each section, and
   whether the merges the old builder made of different real names are still made.

    /work/venv/bin/python benchmarks/bench_names.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from restore.names import build, read_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus"
ANNOTATION = ROOT / "tests" / "data" / "names" / "sample_names.json"
EVAL = Path("/work/shared/eval")
DIFFERENT_NAMES = [
    ("Walter", "Walker"),
    ("Walter", "Waller"),
    ("Christian", "Christmas"),
    ("Thornton", "Thurston"),
    ("Johnson", "Johnston"),
    ("Scotland", "Shetland"),
    ("Irish", "Irtish"),
]


def built(corpus: list[Path]):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "names.txt"
        report = build(corpus, out)
        return report, read_file(out.read_text(encoding="utf-8"))


def precision(forms: list[str], judged: dict) -> dict:
    names, titles = set(judged["names"]), set(judged["title_words"])
    unjudged = [f for f in forms if f not in names | titles | set(judged["not_names"])]
    n = len(forms)
    right = sum(f in names for f in forms)
    with_titles = right + sum(f in titles for f in forms)
    return {
        "forms": n,
        "names": right,
        "precision": right / n if n else 0.0,
        "with_titles": with_titles / n if n else 0.0,
        "unjudged": unjudged,
        "wrong": [f for f in forms if f not in names | titles],
    }


def sample_scores() -> dict:
    judged = json.loads(ANNOTATION.read_text(encoding="utf-8"))
    _report, parsed = built([SAMPLE])
    return {
        "names": precision([e.canonical for e in parsed.entries], judged),
        "proposed": precision([c.canonical for c in parsed.proposed], judged),
        "variants": sum(len(e.variants) for e in parsed.entries),
    }


def run(quick: bool = False) -> str:
    s = sample_scores()
    lines = [
        "## Name dictionary builder",
        "",
        "`/work/venv/bin/python benchmarks/bench_names.py`. The sample's forms judged by hand in",
        "`tests/data/names/sample_names.json` (each read in its context: a proper name spelt as printed,",
        "a title word such as 'Plenum' or 'First Secretary', or not a name).",
        "",
        "| section | forms | proper names | precision | counting title words |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, label in (("names", "names (the dictionary)"), ("proposed", "proposed (seen once, not used)")):
        p = s[key]
        lines.append(
            f"| {label} | {p['forms']} | {p['names']} | {p['precision']:.2f} | {p['with_titles']:.2f} |"
        )
    lines += [
        "",
        f"Neither names nor title words in the dictionary section: {', '.join(s['names']['wrong']) or 'none'}.",
    ]
    unjudged = s["names"]["unjudged"] + s["proposed"]["unjudged"]
    if unjudged:
        lines.append(f"Not judged yet (add them to the annotation): {', '.join(unjudged)}.")
    ocr = sorted(EVAL.glob("*/ocr"))
    if ocr and not quick:
        report, parsed = built(ocr)
        variant_of = {v: e.canonical for e in parsed.entries for v in e.variants}
        merged = [f"{a}/{b}" for a, b in DIFFERENT_NAMES if variant_of.get(b) == a]
        lines += [
            "",
            f"On the eval sets' OCR ({report.documents} documents, {report.candidates:,} candidate forms): "
            f"{report.clusters:,} names, {report.proposed:,} proposed (seen once), "
            f"{report.misreadings:,} misreadings of common words set aside. Different real names merged "
            f"as variants: {', '.join(merged) or 'none'} (of {', '.join(f'{a}/{b}' for a, b in DIFFERENT_NAMES)}).",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run())
