"""A small learned scorer shared by the spelling calibration and the drop-out detector.

One tanh hidden layer under a logistic output, on standardised inputs: the hidden layer lets a
decision weigh one piece of evidence by another ("the context gain means more when the printed
form is rare"), which one linear layer cannot. Trained with numpy alone (Adam, mini-batches),
so learning needs no other library and takes seconds on a hundred thousand rows.

Weights are a JSON-ready dict: ``mean``, ``scale``, ``weights``, ``bias`` and, for the hidden
layer, ``hidden_weights`` and ``hidden_bias`` (without them the scorer is plain logistic).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence

import numpy as np


class TanhNet:
    """The probability a row of features is a positive, from trained weights."""

    def __init__(self, weights: dict):
        self.weights = weights
        self._w = np.asarray(weights["weights"], dtype=float)
        self._b = float(weights["bias"])
        self._mean = np.asarray(weights["mean"], dtype=float)
        self._scale = np.asarray(weights["scale"], dtype=float)
        hidden = weights.get("hidden_weights")
        self._w1 = np.asarray(hidden, dtype=float) if hidden is not None else None
        self._b1 = np.asarray(weights.get("hidden_bias", ()), dtype=float)

    def probabilities(self, rows) -> np.ndarray:
        """One probability per row (a 2-d array or a list of lists)."""
        z = (np.asarray(rows, dtype=float) - self._mean) / self._scale
        if self._w1 is not None:
            z = np.tanh(z @ self._w1 + self._b1)
        return 1 / (1 + np.exp(-np.clip(z @ self._w + self._b, -40.0, 40.0)))

    def probability(self, row: Sequence[float]) -> float:
        return float(self.probabilities([row])[0])


def train_tanh_net(
    xs: list[list[float]],
    ys: list[int],
    hidden: int = 32,
    epochs: int = 8,
    seed: int = 15,
    rate: float = 0.003,
    batch: int = 512,
    verbose: bool = False,
    monotone: Sequence[int] = (),
) -> dict:
    """Weights for a TanhNet fitted to rows `xs` with labels `ys` (0/1), by log loss.

    Along each input in `monotone` the probability never falls: more evidence for a reading
    never makes it less probable, however the training rows scatter. Kept by projection: a
    hidden unit's weight from such an input may not disagree in sign with its output weight.
    """
    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / scale
    rng = np.random.default_rng(seed)
    base = min(max(y.mean(), 1e-6), 1 - 1e-6)
    params = {
        "w1": rng.normal(0, 1 / math.sqrt(z.shape[1]), (z.shape[1], hidden)),
        "b1": np.zeros(hidden),
        "w2": rng.normal(0, 1 / math.sqrt(hidden), hidden),
        "b2": np.array(math.log(base / (1 - base))),
    }
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(v) for k, v in params.items()}
    step = 0
    keep = np.asarray(monotone, dtype=int)
    for epoch in range(epochs):
        order = rng.permutation(len(y))
        for at in range(0, len(y), batch):
            i = order[at : at + batch]
            h = np.tanh(z[i] @ params["w1"] + params["b1"])
            p = 1 / (1 + np.exp(-(h @ params["w2"] + params["b2"])))
            g = (p - y[i]) / len(i)
            dh = np.outer(g, params["w2"]) * (1 - h**2)
            grads = {
                "w2": h.T @ g + 1e-5 * params["w2"],
                "b2": g.sum(),
                "w1": z[i].T @ dh + 1e-5 * params["w1"],
                "b1": dh.sum(0),
            }
            step += 1
            for k, gk in grads.items():
                m[k] = 0.9 * m[k] + 0.1 * gk
                v[k] = 0.999 * v[k] + 0.001 * gk**2
                params[k] = params[k] - rate * (m[k] / (1 - 0.9**step)) / (
                    np.sqrt(v[k] / (1 - 0.999**step)) + 1e-8
                )
            if keep.size:
                w1 = params["w1"][keep]
                params["w1"][keep] = np.where(w1 * params["w2"] < 0, 0.0, w1)
        if verbose:
            h = np.tanh(z @ params["w1"] + params["b1"])
            p = np.clip(1 / (1 + np.exp(-(h @ params["w2"] + params["b2"]))), 1e-9, 1 - 1e-9)
            loss = -float(np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
            print(f"  epoch {epoch + 1}: log loss {loss:.4f}", file=sys.stderr)
    return {
        "hidden_weights": params["w1"].tolist(),
        "hidden_bias": params["b1"].tolist(),
        "weights": params["w2"].tolist(),
        "bias": float(params["b2"]),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "rows": len(ys),
        "positives": int(y.sum()),
    }
