"""A state carried from one window into the next: streams trained by truncated BPTT."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.batch import make_batch
from app.engine.gradcheck import relative_error
from tests.engine.conftest import KINDS, make_network, random_params


def _streams(seed: int, vocab: int, batch: int, steps: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, vocab, size=(batch, steps + 1))


@pytest.mark.parametrize("kind", KINDS)
def test_two_windows_with_the_state_carried_equal_one_long_window(kind: str) -> None:
    network = make_network(kind, vocab=5, hidden=4)
    params = random_params(network, 0)
    streams = _streams(0, 5, 3, 12)
    whole = network.evaluate(params, make_batch(list(streams)))
    whole_state = network.last_state
    first = network.evaluate(params, make_batch(list(streams[:, :7])))
    second = network.evaluate(params, make_batch(list(streams[:, 6:])), state=network.last_state)
    assert first.n_tokens + second.n_tokens == whole.n_tokens
    assert first.loss_sum + second.loss_sum == pytest.approx(whole.loss_sum, rel=1e-12)
    assert whole_state is not None and network.last_state is not None
    for a, b in zip(whole_state, network.last_state, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    # Starting the second window from zeros instead is a different computation.
    fresh = network.evaluate(params, make_batch(list(streams[:, 6:])))
    assert abs(fresh.loss_sum - second.loss_sum) > 1e-6


@pytest.mark.parametrize("kind", KINDS)
def test_gradients_from_a_carried_state_match_finite_differences(kind: str) -> None:
    network = make_network(kind, vocab=5, hidden=4)
    params = random_params(network, 1)
    rng = np.random.default_rng(1)
    state = tuple(rng.normal(size=(3, 4)) for _ in range(2 if kind == "lstm" else 1))
    batch = make_batch(list(_streams(1, 5, 3, 6)))
    grads = params.zeros_like()
    network.loss_and_grads(params, batch, grads, state=state)
    numeric = params.zeros_like()
    flat, eps = params.buffer, 1e-6
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + eps
        plus = network.evaluate(params, batch, state=state).loss
        flat[k] = old - eps
        minus = network.evaluate(params, batch, state=state).loss
        flat[k] = old
        numeric.buffer[k] = (plus - minus) / (2 * eps)
    assert relative_error(grads.buffer, numeric.buffer) < 1e-6
    # The state matters: from zeros the gradient differs.
    zeros = params.zeros_like()
    network.loss_and_grads(params, batch, zeros)
    assert relative_error(zeros.buffer, numeric.buffer) > 1e-4


def test_the_carried_state_is_a_copy_that_the_next_update_does_not_overwrite() -> None:
    network = make_network("lstm", vocab=5, hidden=4)
    params = random_params(network, 2)
    grads = params.zeros_like()
    network.loss_and_grads(params, make_batch(list(_streams(2, 5, 3, 6))), grads)
    carried = network.last_state
    assert carried is not None
    kept = tuple(s.copy() for s in carried)
    network.loss_and_grads(params, make_batch(list(_streams(3, 5, 3, 6))), grads, state=carried)
    for a, b in zip(carried, kept, strict=True):
        np.testing.assert_array_equal(a, b)
