"""The small learned scorer under the spelling calibration and the drop-out detector."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from restore.models.net import TanhNet, train_tanh_net


def test_hidden_layer_learns_what_one_line_cannot():
    # Positive when the two inputs agree in sign (XOR's complement): no logistic separates it.
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (4000, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(int)
    net = TanhNet(train_tanh_net(x.tolist(), y.tolist(), hidden=16, epochs=40))
    p = net.probabilities(x)
    assert ((p > 0.5) == y).mean() > 0.9
    assert net.probability([0.8, 0.8]) > 0.8 and net.probability([0.8, -0.8]) < 0.2


def test_weights_without_a_hidden_layer_are_a_logistic():
    net = TanhNet({"weights": [2.0], "bias": 0.0, "mean": [0.0], "scale": [1.0]})
    assert abs(net.probability([0.0]) - 0.5) < 1e-12
    assert abs(net.probability([1.0]) - 1 / (1 + np.exp(-2))) < 1e-12


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=3, max_size=3))
def test_probabilities_stay_probabilities(row):
    net = TanhNet({"weights": [50.0, -50.0, 3.0], "bias": 1.0, "mean": [0, 0, 0], "scale": [1, 1, 1]})
    p = net.probability(row)
    assert 0.0 <= p <= 1.0 and not np.isnan(p)


def test_monotone_inputs_never_lower_the_probability():
    # Noisy rows where the label falls at the top of input 0: a free net follows the dip, a monotone one may not.
    rng = np.random.default_rng(1)
    x = rng.uniform(-3, 3, (6000, 2))
    y = ((x[:, 0] > 0) & (x[:, 0] < 2)).astype(int)
    weights = train_tanh_net(x.tolist(), y.tolist(), hidden=16, epochs=30, monotone=(0,))
    net = TanhNet(weights)
    grid = [[v, w] for w in (-2.0, 0.0, 2.0) for v in np.linspace(-3, 3, 61)]
    p = net.probabilities(grid).reshape(3, 61)
    assert (np.diff(p, axis=1) >= -1e-9).all()
    assert p[1, 40] > 0.5 > p[1, 10]
