"""Seeds give bit-identical runs; reset() and export/load_state() resume them exactly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from app.engine.config import ModelConfig, TrainConfig
from app.engine.network import LossStats
from app.engine.trainer import EpochReport, Trainer, TrainerState
from tests.engine.conftest import KINDS, random_sequences

VOCAB = 5
TRAIN = random_sequences(20, VOCAB, lengths=(7, 3, 9, 5, 4, 6, 2, 8, 5, 3, 6))
VAL = random_sequences(21, VOCAB, lengths=(6, 4, 5))
# The numbers a report carries that must repeat exactly (timings never do).
EXACT_FIELDS = (
    "epoch",
    "train_loss",
    "train_accuracy",
    "val_loss",
    "val_accuracy",
    "grad_norm",
    "updates",
    "total_updates",
    "learning_rate",
    "stop_reason",
)


def make_trainer(
    kind: str = "lstm",
    dtype: str = "float64",
    seed: int = 0,
    optimizer: str = "adam",
    validation: bool = True,
    **train: object,
) -> Trainer:
    settings: dict[str, object] = {"optimizer": optimizer, "batch_size": 3, "shuffle": True}
    settings |= {"learning_rate": 0.02, "clip_norm": 1.0} | train
    return Trainer(
        ModelConfig(kind=kind, vocab_size=VOCAB, hidden_size=6, dtype=dtype),
        TrainConfig(**settings),  # type: ignore[arg-type]
        TRAIN,
        VAL if validation else (),
        seed=seed,
    )


def summary(report: EpochReport) -> tuple[object, ...]:
    return tuple(getattr(report, name) for name in EXACT_FIELDS)


@dataclass
class Outcome:
    reports: list[tuple[object, ...]]
    params: np.ndarray
    optimizer: dict[str, np.ndarray]
    steps: int
    rng: dict[str, Any]
    snapshots: list[int]


def outcome(trainer: Trainer, reports: list[EpochReport]) -> Outcome:
    return Outcome(
        reports=[summary(r) for r in reports],
        params=trainer.params.buffer.copy(),
        optimizer={k: v.copy() for k, v in trainer.optimizer.state.items()},
        steps=trainer.optimizer.steps,
        rng=dict(trainer.rng.bit_generator.state),
        snapshots=trainer.snapshots.epochs(),
    )


def assert_identical(a: Outcome, b: Outcome) -> None:
    assert a.reports == b.reports
    np.testing.assert_array_equal(a.params, b.params)
    assert a.optimizer.keys() == b.optimizer.keys()
    for k in a.optimizer:
        np.testing.assert_array_equal(a.optimizer[k], b.optimizer[k])
    assert a.steps == b.steps
    assert a.rng == b.rng
    assert a.snapshots == b.snapshots


def full_run(epochs: int, **kwargs: object) -> Outcome:
    trainer = make_trainer(**kwargs)  # type: ignore[arg-type]
    return outcome(trainer, list(trainer.run(epochs)))


# -- seeds -------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_bits(kind: str, dtype: str) -> None:
    a, b = make_trainer(kind, dtype, seed=5), make_trainer(kind, dtype, seed=5)
    np.testing.assert_array_equal(a.params.buffer, b.params.buffer)
    assert a.params.dtype == np.dtype(dtype)
    assert_identical(outcome(a, list(a.run(6))), outcome(b, list(b.run(6))))


@pytest.mark.parametrize("kind", KINDS)
def test_different_seeds_differ(kind: str) -> None:
    a, b = make_trainer(kind, seed=1), make_trainer(kind, seed=2)
    assert not np.array_equal(a.params.buffer, b.params.buffer)
    ra, rb = list(a.run(2)), list(b.run(2))
    assert [r.train_loss for r in ra] != [r.train_loss for r in rb]


def test_float32_and_float64_start_from_the_same_weights() -> None:
    """Weights are drawn in float64 and rounded, so the dtype does not change the draw."""
    a = make_trainer("gru", "float64", seed=3)
    b = make_trainer("gru", "float32", seed=3)
    np.testing.assert_array_equal(a.params.buffer.astype(np.float32), b.params.buffer)


def test_initial_weights_follow_the_documented_init() -> None:
    trainer = make_trainer("lstm", seed=4)
    p, H = trainer.params, 6
    bound = 1 / np.sqrt(H)
    for name in ("Wx", "Wh", "Wy"):
        assert np.abs(p[name]).max() <= bound and p[name].std() > bound / 4
    # The default bias_init, "torch+forget": PyTorch's draws (two per bias, one for the
    # read-out) and the forget gate's +1 on top: remember by default.
    b = p["b"]
    assert np.abs(b[:H] - 1.0).max() <= 2 * bound
    assert np.abs(b[H:]).max() <= 2 * bound and b[H:].std() > bound / 4
    assert np.abs(p["by"]).max() <= bound and p["by"].std() > 0
    assert b[:H].mean() > b[H:].mean() + 0.5  # the forget gates start open


# -- reset -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_reset_restores_the_initial_weights_and_repeats_the_run(kind: str) -> None:
    trainer = make_trainer(kind, seed=7)
    first = outcome(trainer, list(trainer.run(5)))
    assert trainer.epoch == 5 and trainer.optimizer.steps > 0
    trainer.reset()
    fresh = make_trainer(kind, seed=7)
    np.testing.assert_array_equal(trainer.params.buffer, fresh.params.buffer)
    assert trainer.epoch == 0 and trainer.total_updates == 0 and trainer.history == []
    assert trainer.optimizer.steps == 0
    assert not any(v.any() for v in trainer.optimizer.state.values())
    assert trainer.snapshots.epochs() == [0]
    again = outcome(trainer, list(trainer.run(5)))
    assert_identical(first, again)


# -- exact resume --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "optimizer", "dtype"),
    [("lstm", "adam", "float64"), ("gru", "sgd", "float32"), ("rnn", "rmsprop", "float64")],
)
def test_resume_between_epochs_is_bit_identical(kind: str, optimizer: str, dtype: str) -> None:
    args = {"kind": kind, "optimizer": optimizer, "dtype": dtype, "seed": 9}
    reference = full_run(6, **args)

    first = make_trainer(**args)  # type: ignore[arg-type]
    reports = []
    state: TrainerState | None = None
    for report in first.run(6):
        reports.append(report)
        if report.epoch == 2:
            state = first.export_state()  # while the generator is suspended
    assert state is not None

    resumed = make_trainer(**args)  # type: ignore[arg-type]
    resumed.load_state(state)
    assert resumed.epoch == 2
    more = list(resumed.run(4))
    assert_identical(reference, outcome(resumed, reports[:2] + more))
    assert [summary(r) for r in resumed.history] == reference.reports


def run_with_stop_after(trainer: Trainer, updates: int, epochs: int) -> list[EpochReport]:
    """Run, calling request_stop from inside the ``updates``-th loss_and_grads call."""
    real = trainer.network.loss_and_grads
    calls = 0

    def counting(*args: Any, **kwargs: Any) -> LossStats:
        nonlocal calls
        calls += 1
        if calls == updates:
            trainer.request_stop()
        return real(*args, **kwargs)

    trainer.network.loss_and_grads = counting  # type: ignore[method-assign]
    try:
        return list(trainer.run(epochs))
    finally:
        del trainer.network.loss_and_grads


# 11 sequences in batches of 3: 4 updates per epoch.  Stops mid-epoch and on a boundary.
@pytest.mark.parametrize("updates", [1, 6, 8, 13])
@pytest.mark.parametrize("kind", KINDS)
def test_resume_after_a_stop_mid_epoch_is_bit_identical(kind: str, updates: int) -> None:
    epochs = 5
    reference = full_run(epochs, kind=kind, seed=10)

    first = make_trainer(kind, seed=10)
    before = run_with_stop_after(first, updates, epochs)
    assert first.total_updates == updates
    assert len(before) == updates // 4
    state = first.export_state()
    # A stop on an epoch boundary has already drawn the next epoch's order: it is saved.
    assert state.cursor is not None and state.cursor["next_batch"] == updates % 4

    resumed = make_trainer(kind, seed=10)
    resumed.load_state(state)
    after = list(resumed.run(epochs - len(before)))
    assert_identical(reference, outcome(resumed, before + after))
    assert [summary(r) for r in resumed.history] == reference.reports


def test_a_pending_stop_is_forgotten_by_the_next_run() -> None:
    trainer = make_trainer("rnn", seed=11)
    trainer.request_stop()
    assert len(list(trainer.run(2))) == 2


def test_stopped_run_continues_in_the_same_trainer() -> None:
    reference = full_run(3, kind="lstm", seed=12)
    trainer = make_trainer("lstm", seed=12)
    before = run_with_stop_after(trainer, 6, 3)
    after = list(trainer.run(3 - len(before)))
    assert_identical(reference, outcome(trainer, before + after))


def test_exported_state_is_a_copy() -> None:
    trainer = make_trainer("gru", seed=13)
    list(trainer.run(2))
    state = trainer.export_state()
    saved = {k: v.copy() for k, v in state.params.items()}
    saved_opt = {k: v.copy() for k, v in state.optimizer_state.items()}
    saved_snaps = [w.copy() for w in state.snapshot_weights]
    list(trainer.run(2))
    for k in saved:
        np.testing.assert_array_equal(state.params[k], saved[k])
    for k in saved_opt:
        np.testing.assert_array_equal(state.optimizer_state[k], saved_opt[k])
    for a, b in zip(state.snapshot_weights, saved_snaps, strict=True):
        np.testing.assert_array_equal(a, b)
    assert state.epoch == 2 and len(state.history) == 2


def test_load_state_refuses_another_optimizers_state() -> None:
    adam = make_trainer("lstm", optimizer="adam")
    sgd = make_trainer("lstm", optimizer="sgd")
    with pytest.raises(ValueError, match="optimizer state"):
        sgd.load_state(adam.export_state())


def batches_seen(trainer: Trainer, epochs: int) -> list[list[list[tuple[int, ...]]]]:
    """Per epoch, per update, the training sequences (as id tuples) in that batch."""
    real = trainer.network.loss_and_grads
    seen: list[list[tuple[int, ...]]] = []

    def recording(*args: Any, **kwargs: Any) -> LossStats:
        batch = args[1]
        seen.append([tuple(batch.inputs[:n, b]) for b, n in enumerate(batch.lengths)])
        return real(*args, **kwargs)

    trainer.network.loss_and_grads = recording  # type: ignore[method-assign]
    per_epoch = []
    for report in trainer.run(epochs):
        per_epoch.append(seen[-report.updates :])
    return per_epoch


@pytest.mark.parametrize("shuffle", [True, False])
def test_every_epoch_meets_every_sequence_once(shuffle: bool) -> None:
    trainer = make_trainer("rnn", shuffle=shuffle)
    text_order = [tuple(s[:-1]) for s in TRAIN]
    orders = []
    for batches in batches_seen(trainer, 4):
        assert [len(b) for b in batches] == [3, 3, 3, 2]  # 11 sequences, batches of 3
        order = [seq for batch in batches for seq in batch]
        assert sorted(order) == sorted(text_order)
        orders.append(order)
    if shuffle:
        assert all(o != text_order for o in orders) and len({tuple(o) for o in orders}) == 4
    else:
        assert all(o == text_order for o in orders)
