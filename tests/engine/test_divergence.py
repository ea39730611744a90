"""A non-finite loss stops training cleanly: a clear reason, the last good weights, a way on."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.batch import Batch
from app.engine.config import ModelConfig, TrainConfig
from app.engine.network import LossStats, State
from app.engine.params import ParamSet
from app.engine.trainer import Trainer
from tests.engine.conftest import KINDS, random_sequences

SEQUENCES = random_sequences(40, 4, lengths=(6, 4, 7, 3, 5, 6, 4))  # batches of 2: 4 updates


def make_trainer(kind: str, lr: float = 0.05) -> Trainer:
    return Trainer(
        ModelConfig(kind=kind, vocab_size=4, hidden_size=5),
        TrainConfig(optimizer="adam", learning_rate=lr, batch_size=2, clip_norm=0.0),
        SEQUENCES,
        seed=1,
    )


def blow_up_after(trainer: Trainer, update: int, poison: str = "huge") -> list[np.ndarray]:
    """Make optimiser step number ``update`` absurd.

    ``"huge"``: the weights are scaled by 1e300 — finite, but the next loss is not.
    ``"nan"``: one weight becomes NaN, as if the step itself overflowed.
    Returns the list that receives the weights seen just before each step.
    """
    real = trainer.optimizer.step
    seen: list[np.ndarray] = []

    def step(params: np.ndarray, grads: np.ndarray, lr: float) -> None:
        seen.append(params.copy())
        real(params, grads, lr)
        if len(seen) == update:
            if poison == "huge":
                params *= 1e300
            else:
                params[3] = np.nan

    trainer.optimizer.step = step  # type: ignore[method-assign]
    return seen


def check_stop_reason(reason: str | None) -> None:
    assert reason is not None
    assert reason[0].isupper() and reason.endswith(".")
    assert "learning rate" in reason and "lower" in reason
    assert "NaN" in reason or "infinite" in reason


@pytest.mark.parametrize("poison", ["huge", "nan"])
@pytest.mark.parametrize("update", [3, 4, 6])  # mid-epoch, an epoch's last, the next epoch
@pytest.mark.parametrize("kind", KINDS)
def test_absurd_update_stops_with_the_weights_from_before_it(
    kind: str, update: int, poison: str
) -> None:
    trainer = make_trainer(kind)
    seen = blow_up_after(trainer, update, poison)
    reports = list(trainer.run(10))
    last = reports[-1]
    check_stop_reason(last.stop_reason)
    assert all(r.stop_reason is None for r in reports[:-1])
    assert len(seen) == update  # the bad weights were caught before another step
    assert np.isfinite(trainer.params.buffer).all()
    np.testing.assert_array_equal(trainer.params.buffer, seen[update - 1])
    # The optimiser is rewound too: its step count says the bad step never happened.
    assert trainer.optimizer.steps == update - 1
    assert all(np.isfinite(v).all() for v in trainer.optimizer.state.values())
    assert last.train_loss != last.train_loss  # NaN: no loss to report
    assert last not in trainer.history
    if poison == "nan":  # caught at once: the failed update is not counted anywhere
        assert trainer.total_updates == update - 1 and trainer.epoch == (update - 1) // 4
        assert trainer.cursor is not None and trainer.cursor.next_batch == (update - 1) % 4
        assert len(trainer.history) == trainer.epoch


@pytest.mark.parametrize("poison", ["huge", "nan"])
def test_training_continues_after_lowering_the_learning_rate(poison: str) -> None:
    trainer = make_trainer("lstm", lr=0.05)
    blow_up_after(trainer, 5, poison)
    reports = list(trainer.run(10))
    assert reports[-1].stop_reason is not None
    del trainer.optimizer.step  # the fault was one-off; the real step is back
    stopped_at = trainer.params.buffer.copy()
    loss_before = trainer.evaluate(SEQUENCES).loss
    trainer.set_learning_rate(0.01)
    assert trainer.train_config.learning_rate == 0.01
    np.testing.assert_array_equal(trainer.params.buffer, stopped_at)  # the model is untouched
    more = list(trainer.run(20))
    assert len(more) == 20 and all(r.stop_reason is None for r in more)
    assert all(r.learning_rate == 0.01 for r in more)
    assert np.isfinite(trainer.params.buffer).all()
    assert trainer.evaluate(SEQUENCES).loss < loss_before


def test_nan_gradient_is_caught_before_the_update() -> None:
    trainer = make_trainer("gru")
    real = trainer.network.loss_and_grads
    calls = 0

    def poisoned(
        params: ParamSet, batch: Batch, grads: ParamSet, window: int = 0, state: State | None = None
    ) -> LossStats:
        nonlocal calls
        calls += 1
        stats = real(params, batch, grads, window, state)
        if calls == 3:
            grads.buffer[7] = np.nan
        return stats

    trainer.network.loss_and_grads = poisoned  # type: ignore[method-assign]
    seen = blow_up_after(trainer, update=10**9)  # just records the weights before each step
    report = list(trainer.run(5))[-1]
    check_stop_reason(report.stop_reason)
    assert "gradient" in (report.stop_reason or "")
    assert len(seen) == 2 and np.isfinite(trainer.params.buffer).all()
    np.testing.assert_array_equal(trainer.params.buffer, seen[1])


def test_nan_loss_at_the_very_first_update_keeps_the_initial_weights() -> None:
    trainer = make_trainer("rnn")
    initial = trainer.params.buffer.copy()

    def nan_loss(
        params: ParamSet, batch: Batch, grads: ParamSet, window: int = 0, state: State | None = None
    ) -> LossStats:
        grads.buffer[...] = 0
        return LossStats(float("nan"), 0, batch.n_tokens)

    trainer.network.loss_and_grads = nan_loss  # type: ignore[method-assign]
    reports = list(trainer.run(3))
    assert len(reports) == 1 and reports[0].epoch == 1
    check_stop_reason(reports[0].stop_reason)
    assert "loss became NaN" in (reports[0].stop_reason or "")
    np.testing.assert_array_equal(trainer.params.buffer, initial)
    assert trainer.epoch == 0 and trainer.total_updates == 0


def test_huge_weights_give_an_infinite_loss_not_a_warning() -> None:
    """Overflow inside the forward pass is detected, not raised (warnings are errors here)."""
    trainer = make_trainer("lstm")
    trainer.params["Wy"][...] *= 1e306
    stats = trainer.evaluate(SEQUENCES)
    assert not np.isfinite(stats.loss)
    (report,) = trainer.run(1)
    check_stop_reason(report.stop_reason)


def test_no_snapshot_keeps_diverged_weights() -> None:
    trainer = make_trainer("lstm")
    blow_up_after(trainer, 4)  # the last update of epoch 1
    reports = list(trainer.run(10))
    assert reports[-1].stop_reason is not None
    for epoch in trainer.snapshots.epochs():
        trainer.params.buffer[...] = trainer.snapshots.get(epoch).weights
        assert np.isfinite(trainer.evaluate(SEQUENCES).loss), f"snapshot of epoch {epoch}"


def test_divergence_that_only_the_next_batch_sees_is_undone_too() -> None:
    """An update can look fine on its own batch and still break the next one.

    Here the update sends p(symbol 3) to exactly 0; the first batch never predicts 3,
    the second does.  Retrying the second batch with the same weights would fail the
    same way whatever the learning rate, so the weights must go back before that update.
    """
    sequences = [
        np.array([0, 1, 2, 0, 1]),
        np.array([1, 2, 0, 1]),
        np.array([2, 0, 3, 1]),
        np.array([0, 3, 2]),
    ]
    trainer = Trainer(
        ModelConfig(kind="rnn", vocab_size=4, hidden_size=5),
        TrainConfig(optimizer="sgd", learning_rate=0.1, batch_size=2, shuffle=False),
        sequences,
        seed=0,
    )
    real = trainer.optimizer.step
    seen: list[np.ndarray] = []

    def step(params: np.ndarray, grads: np.ndarray, lr: float) -> None:
        seen.append(params.copy())
        real(params, grads, lr)
        if len(seen) == 1:
            trainer.params["by"][3] = -1e4  # a view into ``params``

    trainer.optimizer.step = step  # type: ignore[method-assign]
    (report,) = trainer.run(3)
    check_stop_reason(report.stop_reason)
    np.testing.assert_array_equal(trainer.params.buffer, seen[0])
    assert np.isfinite(trainer.evaluate(sequences).loss)
    trainer.set_learning_rate(0.01)
    more = list(trainer.run(3))
    assert [r.stop_reason for r in more] == [None, None, None]
