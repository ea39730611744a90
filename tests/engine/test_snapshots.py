"""The snapshot policy of app/engine/snapshots.py: bounded memory, first/last/best kept."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.config import ModelConfig, TrainConfig
from app.engine.snapshots import MAX_CAPACITY, MIN_CAPACITY, SnapshotStore, capacity_for
from app.engine.trainer import Trainer
from tests.engine.conftest import random_sequences


def weights(epoch: int) -> np.ndarray:
    return np.full(3, float(epoch))


def fill(store: SnapshotStore, epochs: int, score=lambda e: 1.0 / (e + 1)) -> list[int]:
    """Add epochs 0…epochs; returns the store size after every add."""
    sizes = []
    for e in range(epochs + 1):
        store.add(e, weights(e), {"train_loss": score(e)}, score(e))
        sizes.append(len(store))
    return sizes


@pytest.mark.parametrize("capacity", [3, 4, 16, 37])
def test_never_more_than_capacity(capacity: int) -> None:
    store = SnapshotStore(capacity)
    rng = np.random.default_rng(0)
    scores = rng.random(5001)
    sizes = fill(store, 5000, score=lambda e: float(scores[e]))
    assert max(sizes) <= capacity
    assert store.nbytes <= capacity * weights(0).nbytes


def test_every_epoch_kept_until_full() -> None:
    store = SnapshotStore(16)
    fill(store, 15)
    assert store.epochs() == list(range(16)) and store.stride == 1


@pytest.mark.parametrize("capacity", [5, 16, 50])
def test_spacing_grows_and_stays_even(capacity: int) -> None:
    """With the best always the latest, the store is 0, s, 2s, … plus the last epoch."""
    store = SnapshotStore(capacity)
    strides = []
    for e in range(3000):
        store.add(e, weights(e), {}, 1.0 / (e + 1))
        strides.append(store.stride)
        kept = store.epochs()
        s = store.stride
        assert kept == sorted({*range(0, e + 1, s), e}), f"epoch {e}"
    assert strides == sorted(strides) and strides[-1] > 1
    assert len({*strides}) > 3  # it doubled several times
    assert all(np.log2(s).is_integer() for s in strides)


def test_first_last_and_best_are_always_kept() -> None:
    store = SnapshotStore(4)
    rng = np.random.default_rng(1)
    best_score, best_epoch = np.inf, None
    for e in range(2000):
        score = float(rng.random()) + (0.0 if e != 777 else -10.0)
        if score < best_score:
            best_score, best_epoch = score, e
        store.add(e, weights(e), {"val_loss": score}, score)
        assert 0 in store and e in store and best_epoch in store
        assert store.best_epoch == best_epoch
    assert store.best_epoch == 777
    assert store.get(777).metrics["score"] == pytest.approx(best_score)


def test_non_finite_scores_are_never_best() -> None:
    store = SnapshotStore(5)
    store.add(0, weights(0), {}, 2.0)
    store.add(1, weights(1), {}, float("nan"))
    store.add(2, weights(2), {}, float("-inf"))
    assert store.best_epoch == 0


def test_snapshots_are_copies() -> None:
    store = SnapshotStore(5)
    w = weights(1)
    store.add(1, w, {"train_loss": 0.5}, 0.5)
    w[...] = 99
    np.testing.assert_array_equal(store.get(1).weights, weights(1))
    assert store.get(1).metrics == {"train_loss": 0.5, "score": 0.5}


def test_nearest() -> None:
    store = SnapshotStore(16)
    for e in (0, 4, 8, 20):
        store.add(e, weights(e), {}, 1.0)
    assert [store.nearest(e).epoch for e in (0, 1, 2, 3, 6, 13, 14, 15, 100, -5)] == [
        0, 0, 0, 4, 4, 8, 8, 20, 20, 0,
    ]  # fmt: skip
    assert store.nearest(6).epoch == 4  # a tie goes to the earlier epoch
    with pytest.raises(KeyError):
        SnapshotStore(3).nearest(1)


def test_capacity_bounds() -> None:
    assert capacity_for(10, 8) == MAX_CAPACITY
    assert capacity_for(10**9, 8) == MIN_CAPACITY
    assert capacity_for(100_000, 8, budget_bytes=100 * 800_000) == 100
    with pytest.raises(ValueError):
        SnapshotStore(2)


def test_restore_round_trip() -> None:
    a = SnapshotStore(6)
    fill(a, 40, score=lambda e: abs(e - 13) + 1.0)
    b = SnapshotStore(6)
    b.restore([a.get(e) for e in a.epochs()], a.stride, a.best_epoch)
    for e in range(41, 300):  # both continue identically, best (13) still known
        score = abs(e - 13) + 1.0
        a.add(e, weights(e), {}, score)
        b.add(e, weights(e), {}, score)
        assert a.epochs() == b.epochs() and a.best_epoch == b.best_epoch == 13


def test_trainer_keeps_the_initial_weights_as_snapshot_zero() -> None:
    sequences = random_sequences(30, 4, lengths=(5, 3, 4))
    trainer = Trainer(
        ModelConfig(kind="rnn", vocab_size=4, hidden_size=3),
        TrainConfig(optimizer="adam", learning_rate=0.05, batch_size=2),
        sequences,
        seed=3,
    )
    initial = trainer.params.buffer.copy()
    assert trainer.snapshots.epochs() == [0]
    first = trainer.snapshots.get(0)
    np.testing.assert_array_equal(first.weights, initial)
    assert first.metrics["train_loss"] == pytest.approx(trainer.evaluate(sequences).loss)
    capacity = trainer.snapshots.capacity
    for report in trainer.run(capacity * 3):
        assert len(trainer.snapshots) <= capacity
        last = trainer.snapshots.get(report.epoch)
        np.testing.assert_array_equal(last.weights, trainer.params.buffer)
        assert last.metrics["train_loss"] == report.train_loss
    np.testing.assert_array_equal(trainer.snapshots.get(0).weights, initial)
    assert trainer.snapshots.stride > 1
    best = trainer.snapshots.best_epoch
    assert best is not None and best in trainer.snapshots
    assert trainer.snapshots.get(best).metrics["score"] == min(
        r.train_loss for r in trainer.history
    )
