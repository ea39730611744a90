"""Bucketing: an epoch's batches hold lines of similar length, seeded and resumable."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.bucketing import bucketed_order, padding_fraction
from app.engine.config import ModelConfig, TrainConfig
from app.engine.trainer import Trainer
from tests.engine.conftest import random_sequences

LENGTHS = np.random.default_rng(3).integers(2, 81, size=1003)  # not a multiple of 16


def _order(seed: int, lengths: np.ndarray = LENGTHS, batch: int = 16) -> np.ndarray:
    return bucketed_order(lengths, batch, np.random.default_rng(seed), window_batches=10)


def _spread(lengths: np.ndarray, order: np.ndarray, batch: int = 16) -> float:
    """Mean (longest − shortest) line of the batches cut from ``order``."""
    cuts = [lengths[order[s : s + batch]] for s in range(0, len(order), batch)]
    return float(np.mean([c.max() - c.min() for c in cuts]))


def test_the_same_seed_gives_the_same_order_and_others_differ() -> None:
    np.testing.assert_array_equal(_order(1), _order(1))
    assert not np.array_equal(_order(1), _order(2))


def test_every_sequence_comes_exactly_once() -> None:
    order = _order(4)
    assert sorted(order.tolist()) == list(range(len(LENGTHS)))


def test_batches_span_fewer_lengths_than_random_ones() -> None:
    random = np.random.default_rng(5).permutation(len(LENGTHS))
    bucketed = _order(5)
    assert _spread(LENGTHS, bucketed) < 0.25 * _spread(LENGTHS, random)
    assert padding_fraction(LENGTHS, bucketed, 16) < 0.5 * padding_fraction(LENGTHS, random, 16)


def test_batches_change_from_epoch_to_epoch_and_the_short_batch_comes_last() -> None:
    rng = np.random.default_rng(6)
    first, second = (bucketed_order(LENGTHS, 16, rng, 10) for _ in range(2))
    as_sets = [
        {frozenset(o[s : s + 16].tolist()) for s in range(0, 992, 16)} for o in (first, second)
    ]
    assert len(as_sets[0] & as_sets[1]) < 0.5 * len(as_sets[0])
    # 1003 = 62 × 16 + 11: the 11 left over form the last slice, as without bucketing.
    short = first[992:]
    assert len(short) == 11
    # They are the longest of the last sorting window, whose other lines fill full batches.
    assert LENGTHS[short].min() >= np.median(LENGTHS[first[:992]])


def test_few_lines_still_come_once_each() -> None:
    for n, batch in [(1, 4), (3, 4), (4, 4), (9, 4)]:
        order = bucketed_order(np.arange(n) + 2, batch, np.random.default_rng(n))
        assert sorted(order.tolist()) == list(range(n))


def _trainer(bucketing: bool, seed: int = 3) -> Trainer:
    lengths = np.random.default_rng(8).integers(2, 30, size=40).tolist()
    return Trainer(
        ModelConfig(kind="lstm", vocab_size=5, hidden_size=4),
        TrainConfig(batch_size=3, learning_rate=0.02, bucketing=bucketing),
        random_sequences(9, 5, lengths),
        seed=seed,
    )


def test_the_trainer_buckets_only_when_asked() -> None:
    plain, bucketed = _trainer(False), _trainer(True)
    lengths = np.array([len(s) for s in plain.train_sequences])
    # Without bucketing the order is the generator's plain permutation, as before.
    reference = np.random.default_rng(np.random.SeedSequence(3).spawn(3)[2]).permutation(40)
    np.testing.assert_array_equal(plain._new_cursor().order, reference)
    order = bucketed._new_cursor().order
    assert sorted(order.tolist()) == list(range(40))
    assert _spread(lengths, order, 3) < _spread(lengths, reference, 3)


@pytest.mark.parametrize("updates", [5, 14])
def test_a_stop_mid_epoch_resumes_exactly_with_bucketing(updates: int) -> None:
    reference = _trainer(True)
    expected = [r.train_loss for r in reference.run(2)]

    first = _trainer(True)
    calls = 0
    real = first.network.loss_and_grads

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == updates:
            first.request_stop()
        return real(*args, **kwargs)  # type: ignore[arg-type]

    first.network.loss_and_grads = counting  # type: ignore[method-assign]
    before = list(first.run(2))
    state = first.export_state()
    resumed = _trainer(True)
    resumed.load_state(state)
    after = list(resumed.run(2 - len(before)))
    assert [r.train_loss for r in before + after] == expected
    np.testing.assert_array_equal(resumed.params.buffer, reference.params.buffer)
