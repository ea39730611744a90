"""Padding and masking: a padded batch is exactly the token-weighted sum of its sequences."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.batch import Batch, make_batch
from app.engine.network import Network
from app.engine.params import ParamSet
from tests.engine.conftest import (
    KINDS,
    make_network,
    random_params,
    random_sequences,
)


def per_sequence(network: Network, params: ParamSet, seqs: list[np.ndarray], window: int = 0):
    """Loss sum and the token-weighted mean of the gradients, one sequence at a time."""
    loss_sum, n_tokens = 0.0, 0
    total = np.zeros(params.buffer.size)
    for seq in seqs:
        batch = make_batch([seq])
        grads = params.zeros_like()
        stats = network.loss_and_grads(params, batch, grads, window)
        loss_sum += stats.loss_sum
        n_tokens += stats.n_tokens
        total += stats.n_tokens * grads.buffer
    return loss_sum, total / n_tokens


@pytest.mark.parametrize("window", [0, 2])
@pytest.mark.parametrize("kind", KINDS)
def test_batch_equals_sequence_by_sequence(kind: str, window: int) -> None:
    network = make_network(kind, vocab=6, hidden=5)
    params = random_params(network, 11)
    seqs = random_sequences(11, vocab=6, lengths=(9, 2, 5, 7, 3))
    batch = make_batch(seqs)
    grads = params.zeros_like()
    stats = network.loss_and_grads(params, batch, grads, window)
    loss_sum, mean_grads = per_sequence(network, params, seqs, window)
    assert stats.n_tokens == sum(len(s) - 1 for s in seqs)
    assert stats.loss_sum == pytest.approx(loss_sum, rel=1e-12)
    np.testing.assert_allclose(grads.buffer, mean_grads, rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(
        network.evaluate(params, batch).loss_sum, loss_sum, rtol=1e-12, atol=0
    )


@settings(max_examples=25, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    lengths=st.lists(st.integers(2, 9), min_size=1, max_size=5),
    seed=st.integers(0, 2**16),
)
def test_batch_equals_sequence_by_sequence_for_any_lengths(
    kind: str, lengths: list[int], seed: int
) -> None:
    network = make_network(kind, vocab=4, hidden=3)
    params = random_params(network, seed)
    seqs = random_sequences(seed, vocab=4, lengths=lengths)
    batch = make_batch(seqs)
    grads = params.zeros_like()
    stats = network.loss_and_grads(params, batch, grads)
    loss_sum, mean_grads = per_sequence(network, params, seqs)
    assert stats.loss_sum == pytest.approx(loss_sum, rel=1e-12)
    np.testing.assert_allclose(grads.buffer, mean_grads, rtol=1e-11, atol=1e-14)


def _scramble_padding(batch: Batch, seed: int, vocab: int) -> Batch:
    rng = np.random.default_rng(seed)
    pad = ~batch.mask
    inputs, targets = batch.inputs.copy(), batch.targets.copy()
    inputs[pad] = rng.integers(0, vocab, size=int(pad.sum()))
    targets[pad] = rng.integers(0, vocab, size=int(pad.sum()))
    return replace(batch, inputs=inputs, targets=targets)


def _extend_padding(batch: Batch, extra: int, fill: int) -> Batch:
    pad = np.full((extra, batch.size), fill, dtype=np.int64)
    return Batch(
        inputs=np.concatenate([batch.inputs, pad]),
        targets=np.concatenate([batch.targets, pad]),
        mask=np.concatenate([batch.mask, np.zeros((extra, batch.size), dtype=bool)]),
        lengths=batch.lengths,
    )


@pytest.mark.parametrize("kind", KINDS)
def test_ids_at_padded_positions_change_nothing(kind: str) -> None:
    network = make_network(kind, vocab=6, hidden=5)
    params = random_params(network, 12)
    batch = make_batch(random_sequences(12, vocab=6, lengths=(8, 2, 5)))
    scrambled = _scramble_padding(batch, 12, vocab=6)
    assert not np.array_equal(scrambled.inputs, batch.inputs)
    a, b = params.zeros_like(), params.zeros_like()
    stats_a = network.loss_and_grads(params, batch, a)
    stats_b = network.loss_and_grads(params, scrambled, b)
    assert stats_a == stats_b
    np.testing.assert_array_equal(a.buffer, b.buffer)


@pytest.mark.parametrize("kind", KINDS)
def test_extra_padding_changes_nothing(kind: str) -> None:
    network = make_network(kind, vocab=6, hidden=5)
    params = random_params(network, 13)
    batch = make_batch(random_sequences(13, vocab=6, lengths=(8, 2, 5)))
    longer = _extend_padding(batch, extra=4, fill=3)
    a, b = params.zeros_like(), params.zeros_like()
    stats_a = network.loss_and_grads(params, batch, a)
    stats_b = network.loss_and_grads(params, longer, b)
    assert stats_a.n_tokens == stats_b.n_tokens and stats_a.correct == stats_b.correct
    assert stats_a.loss_sum == pytest.approx(stats_b.loss_sum, rel=1e-15)
    np.testing.assert_allclose(a.buffer, b.buffer, rtol=1e-14, atol=1e-17)


def test_mask_and_targets_of_a_padded_batch() -> None:
    batch = make_batch([np.array([1, 2, 3, 4]), np.array([4, 0])])
    assert (batch.steps, batch.size, batch.n_tokens) == (3, 2, 4)
    np.testing.assert_array_equal(batch.lengths, [3, 1])
    np.testing.assert_array_equal(batch.inputs, [[1, 4], [2, 0], [3, 0]])
    np.testing.assert_array_equal(batch.targets, [[2, 0], [3, 0], [4, 0]])
    np.testing.assert_array_equal(batch.mask, [[True, True], [True, False], [True, False]])


@pytest.mark.parametrize("bad", [[], [np.array([1])], [np.array([1, 2]), np.array([], int)]])
def test_make_batch_refuses_sequences_without_a_prediction(bad: list[np.ndarray]) -> None:
    with pytest.raises(ValueError):
        make_batch(bad)


@pytest.mark.parametrize("kind", KINDS)
def test_final_state_is_each_sequences_own_last_state(kind: str) -> None:
    network = make_network(kind, vocab=6, hidden=5)
    params = random_params(network, 14)
    seqs = random_sequences(14, vocab=6, lengths=(8, 3, 6))
    batch = make_batch(seqs)
    trace = network.forward(params, batch.inputs, lengths=batch.lengths)
    for b, seq in enumerate(seqs):
        alone = network.forward(params, seq[:-1, None])
        np.testing.assert_allclose(
            trace.hidden[: len(seq) - 1, b], alone.hidden[:, 0], rtol=1e-13, atol=1e-15
        )
        np.testing.assert_allclose(
            trace.probs[: len(seq) - 1, b], alone.probs[:, 0], rtol=1e-13, atol=1e-15
        )
        for got, want in zip(trace.final_state, alone.final_state, strict=True):
            np.testing.assert_allclose(got[b], want[0], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("kind", KINDS)
def test_forward_continues_from_a_state(kind: str) -> None:
    """Running a sequence in two parts, passing the state on, equals one run."""
    network = make_network(kind, vocab=6, hidden=5)
    params = random_params(network, 15)
    ids = random_sequences(15, vocab=6, lengths=(10,))[0][:, None]  # (T, 1)
    whole = network.forward(params, ids)
    first = network.forward(params, ids[:4])
    second = network.forward(params, ids[4:], first.final_state)
    np.testing.assert_allclose(whole.probs[4:], second.probs, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(whole.hidden[4:], second.hidden, rtol=1e-13, atol=1e-16)
    for a, b in zip(whole.final_state, second.final_state, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-16)


@pytest.mark.parametrize("kind", KINDS)
def test_trace_shapes_and_gate_ranges(kind: str) -> None:
    network = make_network(kind, vocab=6, hidden=5)
    params = random_params(network, 16, scale=2.0)
    batch = make_batch(random_sequences(16, vocab=6, lengths=(7, 4)))
    trace = network.forward(params, batch.inputs)
    T, B = batch.inputs.shape
    assert trace.hidden.shape == (T, B, 5) and trace.probs.shape == (T, B, 6)
    np.testing.assert_allclose(trace.probs.sum(axis=-1), 1.0, rtol=1e-14)
    assert tuple(trace.gates) == network.gate_names
    for name, values in trace.gates.items():
        assert values.shape == (T, B, 5)
        low = -1.0 if name == "candidate" else 0.0
        assert values.min() >= low and values.max() <= 1.0, name
    assert (trace.cell is not None) == (kind == "lstm")
    if trace.cell is not None:  # h = select ⊙ tanh(c): the trace must agree with itself
        np.testing.assert_allclose(
            trace.hidden, trace.gates["output"] * np.tanh(trace.cell), rtol=1e-13, atol=1e-16
        )


def test_forward_refuses_out_of_range_ids() -> None:
    network = make_network("lstm", vocab=3)
    params = random_params(network, 0)
    with pytest.raises(ValueError, match="out of range"):
        network.forward(params, np.array([[0], [3]]))
    with pytest.raises(ValueError, match="out of range"):
        network.forward(params, np.array([[-1]]))
