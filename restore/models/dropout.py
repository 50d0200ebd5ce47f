"""The drop-out detector: how probable it is that words are missing between two tokens.

Each boundary between adjacent tokens of a sentence (and the one before its first token) is
described by what the language models say there (`restore.models.lm`): the forward model's
log10 P of the token after the boundary, and of the one after that, the backward model's
log10 P of the token before it given the words to its right, each also relative to the
sentence's mean and minimum and to the word's own frequency; how much more probable the
next two tokens become if one common word is inserted there (INSERTIONS); the neighbours'
unigram frequencies, capitals, and whether they are punctuation or function words; the
sentence's length; and the gaps stage's own cues pointing at the boundary (CUES: a lower-case
sentence start, a word pair English almost never has...) with the document's profile (early
modern, sparsely punctuated). A small network (one tanh hidden layer, then a logistic; weights in
``restore/data/dropout/model.json``, rebuilt by ``scripts/train_dropout.py`` from text with
synthetic deletions and OCR noise) turns these into the probability that words dropped out
there, calibrated on text in which one sentence in five lost a run of 1-8 words.

>>> det = load_detector()
>>> tokens = lm_tokens("He said that the men were to be sent home at once.")
>>> p = det.probabilities(tokens)
>>> len(p) == len(tokens) and all(0 <= x <= 1 for x in p)
True
"""

from __future__ import annotations

import heapq
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from restore.models.lexicon import english_counts
from restore.models.lm import KNOWN_LOG10, LanguageModel, lm_tokens, load_language_model
from restore.models.net import TanhNet

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "dropout" / "model.json"
PUNCTUATION = frozenset(",.;:!?")
FUNCTION_WORDS = frozenset(
    "the a an of to in on at by for with from into upon and or nor but that which who whom whose this these those "
    "his her its their our my your he she it they we i you him them us me is was are were be been has have had "
    "not as so than then there when while if".split()
)
FEATURES = (
    "fwd",
    "fwd_len",
    "fwd_next",
    "bwd",
    "bwd_len",
    "bwd_prev",
    "fwd_rel",
    "bwd_rel",
    "fwd_gain",
    "bwd_gain",
    "both",
    "fwd_is_min",
    "bwd_is_min",
    "fwd_min",
    "bwd_min",
    "uni_left",
    "uni_right",
    "left_unknown",
    "right_unknown",
    "left_punct",
    "right_punct",
    "left_function",
    "right_function",
    "sentence_start",
    "log_length",
    "insertion_gain",
    "insertion_rel",
    "left_capital",
    "right_capital",
    "right_all_caps",
    "capital_share",
)
# The gaps stage's own cues (restore.stages.gaps.sentence_evidence), each read at the boundary
# it points at with the score the stage gives it, and two facts about the document: the model
# weighs them with what the language models say, so a cue that the models contradict ("the
# of" in a list of titles) need not flag, and one that they confirm flags at a lower bar.
CUES = ("lowercase-start", "missing-sentence-end", "lone-letter", "to-infinitive", "dangling-word", "bigram")
CUE_FEATURES = tuple(f"cue:{c}" for c in CUES) + ("early_modern", "sparse_punctuation")
# The words whose insertion at a boundary is tried: if one of them makes the next two tokens
# far more probable ("he went the town": "went to the town"), a word or more is probably missing there.
INSERTIONS = ("the", "a", "of", "and", "to", "in", "that", "was", "it", "he", "is", ",")


@dataclass(frozen=True)
class Boundary:
    """What the models said at one boundary: before token ``index`` of the sentence."""

    index: int
    probability: float
    fwd: float  # log10 P(token | words before)
    bwd: float  # log10 P(previous token | words after)
    fwd_mean: float
    bwd_mean: float


class DropoutDetector:
    """The language models and the learned scorer (``models.net``), loaded once per process (see load_detector)."""

    def __init__(self, forward: LanguageModel, backward: LanguageModel, weights: dict):
        self.forward, self.backward = forward, backward
        self.weights = weights
        self.net = TanhNet(weights)
        self._unigram: dict[str, float] = {}

    def threshold(self, period: bool) -> float:
        """The probability at which the gaps stage flags a boundary, chosen when the model was
        trained (scripts/train_dropout.py) on held-out modern or period prose."""
        chosen = self.weights.get("thresholds", {})
        return float(chosen.get("period" if period else "modern", 0.6 if period else 0.45))

    def unigram(self, form: str) -> float:
        u = self._unigram.get(form)
        if u is None:
            u = self._unigram[form] = self.forward.unigram(form)
        return u

    def features(
        self, tokens: list[str], written: list[str] | None = None, cues: list[list[float]] | None = None
    ) -> list[list[float]]:
        """One row of the model's features per boundary: row i is the boundary just before tokens[i].

        ``written`` is the tokens as the text has them (capitals: headlines and names), default the
        forms; ``cues`` one row of CUE_FEATURES per boundary (default none seen, a modern document).
        """
        n = len(tokens)
        if n == 0:
            return []
        written = written or tokens
        capital = [float(w[:1].isupper()) for w in written]
        all_caps = [float(len(w) > 1 and w.isupper()) for w in written]
        capital_share = sum(capital) / n
        joined = " ".join(tokens)
        fwd = [(p, k) for p, k, _ in self.forward.model.full_scores(joined, bos=True, eos=True)]
        bwd = [
            (p, k)
            for p, k, _ in self.backward.model.full_scores(" ".join(reversed(tokens)), bos=True, eos=True)
        ]
        fwd_mean = sum(p for p, _ in fwd) / len(fwd)
        bwd_mean = sum(p for p, _ in bwd) / len(bwd)
        fwd_min = min(p for p, _ in fwd[:n])
        uni = [self.unigram(t) for t in tokens]
        log_length = math.log(n + 1)
        rows = []
        for i in range(n):
            f, f_len = fwd[i]
            f_next = fwd[i + 1][0]
            b, b_len = bwd[n - i]  # the token before the boundary (or </s> of the reversed sentence)
            b_prev = bwd[n - i + 1][0] if n - i + 1 <= n else 0.0
            right, left = tokens[i], tokens[i - 1] if i else "<s>"
            u_right = uni[i]
            u_left = uni[i - 1] if i else 0.0
            rows.append(
                [
                    f,
                    f_len,
                    f_next,
                    b,
                    b_len,
                    b_prev,
                    f - fwd_mean,
                    b - bwd_mean,
                    f - u_right,
                    (b - u_left) if i else 0.0,
                    f + b,
                    float(f <= fwd_min),
                    0.0,
                    fwd_min,
                    0.0,
                    u_left,
                    u_right,
                    float(i > 0 and u_left < KNOWN_LOG10),
                    float(u_right < KNOWN_LOG10),
                    float(left in PUNCTUATION),
                    float(right in PUNCTUATION),
                    float(left in FUNCTION_WORDS),
                    float(right in FUNCTION_WORDS),
                    float(i == 0),
                    log_length,
                ]
            )
        bwd_min = min(r[3] for r in rows)
        gains = self._insertion_gains(tokens, fwd)
        mean_gain = sum(gains) / n
        for r, gain in zip(rows, gains):
            r[12] = float(r[3] <= bwd_min)
            r[14] = bwd_min
            r += [gain, gain - mean_gain]
        for i, r in enumerate(rows):
            r += [capital[i - 1] if i else 0.0, capital[i], all_caps[i], capital_share]
        if len(self.net.weights["mean"]) > len(FEATURES):
            empty = [0.0] * len(CUE_FEATURES)
            for i, r in enumerate(rows):
                r += cues[i] if cues else empty
        return rows

    def _insertion_gains(self, tokens: list[str], fwd: list[tuple[float, int]]) -> list[float]:
        """Per boundary, how much more probable the next two tokens become with one of INSERTIONS before them."""
        import kenlm

        model = self.forward.model
        states = [kenlm.State()]
        model.BeginSentenceWrite(states[0])
        for t in tokens:
            nxt = kenlm.State()
            model.BaseScore(states[-1], t, nxt)
            states.append(nxt)
        a, b, c = kenlm.State(), kenlm.State(), kenlm.State()
        base_score = model.BaseScore
        n = len(tokens)
        gains = []
        for i in range(n):
            right = tokens[i]
            after = tokens[i + 1] if i + 1 < n else "</s>"
            state = states[i]
            best = -99.0
            for w in INSERTIONS:
                if w != right:
                    score = base_score(state, w, a) + base_score(a, right, b) + base_score(b, after, c)
                    if score > best:
                        best = score
            gains.append(best - fwd[i][0] - fwd[i + 1][0])
        return gains

    def rows_probabilities(self, rows: list[list[float]]):
        """The model's probabilities for rows of FEATURES (a numpy array)."""
        return self.net.probabilities(rows)

    def probabilities(
        self, tokens: list[str], written: list[str] | None = None, cues: list[list[float]] | None = None
    ) -> list[float]:
        """The probability that words are missing just before each token."""
        rows = self.features(tokens, written, cues)
        return self.rows_probabilities(rows).tolist() if rows else []

    def boundaries(
        self,
        tokens: list[str],
        threshold: float,
        written: list[str] | None = None,
        cues: list[list[float]] | None = None,
    ) -> list[Boundary]:
        """The boundaries of a sentence whose probability reaches threshold, with the evidence for a reason."""
        import numpy as np

        rows = self.features(tokens, written, cues)
        if not rows:
            return []
        p = self.rows_probabilities(rows)
        out = []
        for i in np.flatnonzero(p >= threshold):
            r = rows[i]
            out.append(Boundary(int(i), float(p[i]), r[0], r[3], r[0] - r[6], r[3] - r[7]))
        return out

    def expected(self, before: list[str], k: int = 2) -> list[str]:
        """The common words the forward model finds most likely after a sentence's first tokens ``before``."""
        import kenlm

        model = self.forward.model
        state, out = kenlm.State(), kenlm.State()
        model.BeginSentenceWrite(state)
        for w in before:
            nxt = kenlm.State()
            model.BaseScore(state, w, nxt)
            state = nxt
        scored = sorted(((model.BaseScore(state, w, out), w) for w in _common_words()), reverse=True)
        return [w for _, w in scored[:k]]


@lru_cache(maxsize=1)
def _common_words() -> tuple[str, ...]:
    """About 300 frequent words and the punctuation marks: the candidates a reason names."""
    words, _ = english_counts()
    # The 300 commonest in sorted()'s order, ties included, without sorting all 80,000.
    top = heapq.nlargest(300, (w for w in words if w.isalpha()), key=words.__getitem__)
    return tuple(top) + tuple(PUNCTUATION)


@lru_cache(maxsize=2)
def load_detector(path: str | None = None) -> DropoutDetector:
    """The shipped detector (or one at path), with both language models; once per process."""
    weights = json.loads(Path(path or MODEL_PATH).read_text(encoding="utf-8"))
    return DropoutDetector(load_language_model("forward"), load_language_model("backward"), weights)


__all__ = ["Boundary", "CUES", "CUE_FEATURES", "DropoutDetector", "FEATURES", "load_detector", "lm_tokens"]
