"""Back-propagation through time checked against finite differences, exact and truncated."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.batch import Batch
from app.engine.gradcheck import numerical_gradient, relative_error
from app.engine.network import Network
from app.engine.params import ParamSet
from tests.engine.conftest import (
    KINDS,
    finite_difference,
    grads_of,
    make_network,
    random_batch,
    random_params,
)

SEEDS = (0, 1, 2)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kind", KINDS)
def test_exact_bptt_matches_finite_differences(kind: str, seed: int) -> None:
    network = make_network(kind, vocab=5, hidden=4)
    params = random_params(network, seed)
    batch = random_batch(seed, vocab=5, lengths=(8, 3, 6, 2))
    assert not batch.mask.all(), "the batch must contain padding"

    analytic = grads_of(network, params, batch)
    numeric = numerical_gradient(network, params, batch)

    assert set(analytic) == set(network.shapes)
    for name in params:
        assert np.linalg.norm(numeric[name]) > 1e-3, f"{name}: gradient too small to check"
        err = relative_error(analytic[name], numeric[name])
        assert err < 1e-6, f"{kind} {name}: relative error {err:.2e}"


def test_relative_error_detects_a_small_mistake() -> None:
    """The tolerance above is tight enough to notice one slightly wrong entry."""
    network = make_network("lstm")
    params = random_params(network, 0)
    batch = random_batch(0, vocab=5)
    analytic = grads_of(network, params, batch)
    numeric = numerical_gradient(network, params, batch)
    wrong = analytic["Wh"].copy()
    wrong[1, 2] *= 1.001
    assert relative_error(wrong, numeric["Wh"]) > 1e-6
    assert relative_error(analytic["Wh"], numeric["Wh"]) < 1e-6


def test_numerical_gradient_leaves_the_weights_untouched() -> None:
    network = make_network("gru")
    params = random_params(network, 3)
    before = params.buffer.copy()
    numerical_gradient(network, params, random_batch(3, vocab=5))
    np.testing.assert_array_equal(params.buffer, before)


# -- truncated BPTT ------------------------------------------------------------------------


def truncated_loss(network: Network, params: ParamSet, batch: Batch, window: int, base: ParamSet):
    """The loss whose exact gradient truncated BPTT computes, built from forward passes only.

    The sequence is cut into windows ``[0, k), [k, 2k), …``.  Each window starts from the
    state the *unperturbed* weights ``base`` reach at its start — a constant, so no
    gradient crosses a window boundary — and runs the weights being differentiated.
    """
    steps = batch.steps
    trace = network.forward(base, batch.inputs)
    starts = list(range(0, steps, window))
    states: list[tuple[np.ndarray, ...] | None] = []
    for s in starts:
        if s == 0:
            states.append(None)
        elif trace.cell is None:
            states.append((trace.hidden[s - 1].copy(),))
        else:
            states.append((trace.hidden[s - 1].copy(), trace.cell[s - 1].copy()))

    def loss() -> float:
        total = 0.0
        for s, state in zip(starts, states, strict=True):
            part = slice(s, s + window)
            probs = network.forward(params, batch.inputs[part], state).probs  # (k, B, V)
            t_idx, b_idx = np.nonzero(batch.mask[part])
            p = probs[t_idx, b_idx, batch.targets[part][t_idx, b_idx]]
            total -= float(np.log(p).sum())
        return total / batch.n_tokens

    return loss


@pytest.mark.parametrize("window", [1, 2, 3])
@pytest.mark.parametrize("kind", KINDS)
def test_truncated_bptt_matches_the_gradient_with_cut_boundaries(kind: str, window: int) -> None:
    network = make_network(kind, vocab=4, hidden=3)
    params = random_params(network, 7)
    batch = random_batch(7, vocab=4, lengths=(7, 4, 6))
    base = params.copy()
    numeric = finite_difference(truncated_loss(network, params, batch, window, base), params.buffer)
    analytic = grads_of(network, params, batch, window=window)
    np.testing.assert_array_equal(params.buffer, base.buffer)
    err = relative_error(analytic.buffer, numeric)
    assert err < 1e-6, f"{kind} window {window}: relative error {err:.2e}"


def test_truncated_loss_construction_is_exact_bptt_without_cuts() -> None:
    """Sanity check of the construction: one window covering everything is plain BPTT."""
    network = make_network("lstm", vocab=4, hidden=3)
    params = random_params(network, 8)
    batch = random_batch(8, vocab=4, lengths=(7, 4, 6))
    loss = truncated_loss(network, params, batch, batch.steps, params.copy())
    assert loss() == pytest.approx(network.evaluate(params, batch).loss, rel=1e-14)


def test_rnn_window_one_is_the_gradient_with_the_recurrence_detached() -> None:
    """An independent closed form: with h_{t-1} held constant, dL/dWh = Σ h_{t-1}ᵀ δ_t."""
    network = make_network("rnn", vocab=4, hidden=3)
    params = random_params(network, 9)
    batch = random_batch(9, vocab=4, lengths=(6, 5))
    trace = network.forward(params, batch.inputs)
    h = trace.hidden  # (T, B, H)
    h_prev = np.concatenate([np.zeros_like(h[:1]), h[:-1]])  # (T, B, H)
    onehot = np.eye(4)[batch.targets]  # (T, B, V)
    d_logits = (trace.probs - onehot) * batch.mask[:, :, None] / batch.n_tokens
    delta = (d_logits @ params["Wy"].T) * (1 - h * h)  # (T, B, H): no recurrent term
    grads = grads_of(network, params, batch, window=1)
    np.testing.assert_allclose(grads["Wh"], np.einsum("tbi,tbj->ij", h_prev, delta), rtol=1e-12)
    np.testing.assert_allclose(grads["b"], delta.sum(axis=(0, 1)), rtol=1e-12)
    np.testing.assert_allclose(
        grads["Wx"], np.einsum("tbv,tbj->vj", np.eye(4)[batch.inputs], delta), rtol=1e-12
    )


@pytest.mark.parametrize("kind", KINDS)
def test_window_at_least_the_sequence_length_is_exact_bptt(kind: str) -> None:
    network = make_network(kind)
    params = random_params(network, 4)
    batch = random_batch(4, vocab=5)
    exact = grads_of(network, params, batch, window=0)
    for window in (batch.steps, batch.steps + 1, 1000):
        np.testing.assert_array_equal(grads_of(network, params, batch, window).buffer, exact.buffer)
    for window in (1, 2, batch.steps - 1):
        truncated = grads_of(network, params, batch, window)
        assert relative_error(truncated["Wh"], exact["Wh"]) > 1e-3
        # The read-out never looks back in time: truncation cannot change it.
        np.testing.assert_array_equal(truncated["Wy"], exact["Wy"])
        np.testing.assert_array_equal(truncated["by"], exact["by"])


@pytest.mark.parametrize("kind", KINDS)
def test_input_gradient_for_a_large_vocabulary(kind: str) -> None:
    """Above 64 symbols the input-weight gradient is scattered another way: check it too."""
    vocab = 70
    network = make_network(kind, vocab=vocab, hidden=3)
    params = random_params(network, 5)
    batch = random_batch(5, vocab=vocab, lengths=(75, 30, 50))
    rows = slice(58, 70)  # ids beyond 64 included; FD on every row would be slow
    wx = params["Wx"][rows].reshape(-1)  # a view: perturbing it perturbs the weights
    assert np.shares_memory(wx, params.buffer)
    assert np.isin(np.arange(58, 70), batch.inputs[batch.mask]).all()
    numeric = finite_difference(lambda: network.evaluate(params, batch).loss, wx)
    analytic = grads_of(network, params, batch)["Wx"][rows].reshape(-1)
    err = relative_error(analytic, numeric)
    assert err < 1e-6, f"{kind}: relative error {err:.2e}"


@pytest.mark.parametrize("dtype", [np.float64, np.float32])  # σ by exp, σ by tanh
def test_lstm_scales_weights_or_products_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch, dtype: type
) -> None:
    """σ(z) = 1 / (1 + e^{−z}) or ½ + ½·tanh(z/2): the forward pass negates or halves
    either Wh once or each step's f, i, o product, depending on the shapes; both must
    give the same numbers, bit for bit."""
    from app.engine.cells import lstm

    rng = np.random.default_rng(5)
    cell = lstm.LSTMCell()
    V, H, T, B = 6, 7, 5, 3
    shapes = cell.shapes(V, H)
    params = ParamSet(shapes, np.dtype(dtype))
    cell.init(params, 1.0, rng)
    inputs = rng.integers(0, V, size=(T, B))
    runs = []
    for per_step in (False, True):
        monkeypatch.setattr(lstm, "scale_per_step", lambda *args, p=per_step: p)
        cache = cell.forward(params, inputs, None)
        kept = (cache.extra["squashed"], cache.extra["sigmoids"][:, :, : 3 * H])
        runs.append((cache.hidden.copy(), cache.cell.copy(), *(k.copy() for k in kept)))
    for a, b in zip(*runs, strict=True):
        np.testing.assert_array_equal(a, b)
