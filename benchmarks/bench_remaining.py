"""Why restore leaves the word errors it leaves: each remaining error sorted by where the reading stops.

    python benchmarks/bench_remaining.py [--set overproof-smh] [--examples 6]

Runs the whole pipeline (spaCy none) over an eval set (``restore.evaluate``), takes every
remaining error that is one printed word for one true word and that restore left untouched,
and asks the noisy channel (``stages.in_context``, every word wanted, the document's own
confusions learned as the stage learns them) how far it got with that word:

- *not read*: no token of that form was decoded (a number, a word in capitals, or a word
  that fits its context, so the suspicion filter passed it by);
- *truth not a candidate*: no learned confusion or edit leads from the print to the truth;
- *candidate, not kept*: the truth is a candidate but not among the best readings kept;
- *read, not first*: the truth is among the readings, another ranks above it;
- *first, probability < 0.5* / *first, flagged* / *first, at the bar*: the truth is the best
  reading and the calibration gives it that probability (at the bar: a protection of the stage
  kept the word, a name, a repeated form or a period spelling);
- *no such token*: the print is no single token of the raw OCR (a word joined across a line
  end by the eval's normalisation, or split by punctuation inside it).

A word is judged by the first decoded token of the same printed form in its file, so a form
printed several times counts by its first use: the shares are estimates, not a ledger.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore import Config  # noqa: E402
from restore.evaluate import evaluate  # noqa: E402
from restore.learn import bare_word  # noqa: E402
from restore.stages import in_context  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def category(word: str, truth: str, decoded: dict, judged: dict, reader, forms: Counter, bar: float) -> str:
    d = decoded.get(word)
    if d is None:
        if not forms.get(word):
            return "no such token"
        if any(c.isdigit() for c in word):
            return "not read: a number"
        return "not read"
    readings = [r.form for r in d.readings]
    if readings[0] == truth:
        p = judged[d.token.start].probability if d.token.start in judged else 0.0
        if p >= bar:
            return "first, at the bar (kept by a protection)"
        return "first, flagged" if p >= in_context.FLAG_FLOOR else "first, probability < 0.5"
    if truth in readings:
        return "read, not first"
    if truth in (c for c, _ in reader.candidates(word)):
        return "candidate, not kept"
    return "truth not a candidate"


def table(name: str, examples: int) -> list[str]:
    ocr_dir, gt_dir = EVAL / name / "ocr", EVAL / name / "gt"
    config = Config(spacy_model="none")
    result = evaluate(ocr_dir, gt_dir, config)
    left: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for f in result.files:
        for e in f.errors:
            if e.kind == "remaining" and e.ocr == e.output and e.ocr and " " not in e.ocr + e.gt:
                left[f.name].append((e.ocr, e.gt))
    base = in_context.noisy_channel(None)
    counts: Counter = Counter()
    shown: dict[str, list[str]] = defaultdict(list)
    for file_name, errors in left.items():
        text = (ocr_dir / file_name).read_text(encoding="utf-8", errors="replace")
        decoded_list = base.decode(text, lambda t: True)
        reader = in_context.document_reader(base, text, decoded_list)
        if reader is not base:
            decoded_list = in_context.reread(reader, text, decoded_list)
        judged = {j.decoded.token.start: j for j in in_context.judge(reader, decoded_list)}
        decoded: dict = {}
        for d in decoded_list:
            decoded.setdefault(bare_word(d.token.text), d)
        forms = Counter(bare_word(w) for w in text.split())
        for word, truth in errors:
            c = category(word, truth, decoded, judged, reader, forms, config.min_confidence)
            counts[c] += 1
            if len(shown[c]) < examples:
                shown[c].append(f"{word} ({truth})")
    total = sum(counts.values())
    lines = [
        f"### {name}: {total:,} one-word errors left untouched",
        "",
        "| where the reading stops | errors | share | examples (truth) |",
        "|---|---|---|---|",
    ]
    for c, n in counts.most_common():
        lines.append(f"| {c} | {n:,} | {n / total:.2f} | {', '.join(shown[c])} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="overproof-smh", choices=("overproof-smh", "icdar2017-en"))
    parser.add_argument("--examples", type=int, default=6)
    args = parser.parse_args()
    print("\n".join(table(args.set, args.examples)))


if __name__ == "__main__":
    main()
