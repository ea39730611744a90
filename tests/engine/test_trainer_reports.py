"""Each epoch report measures what its docstring says it does."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from app.engine.batch import make_batch
from app.engine.config import ModelConfig, TrainConfig
from app.engine.network import LossStats
from app.engine.trainer import Trainer
from tests.engine.conftest import random_sequences

TRAIN = random_sequences(50, 5, lengths=(7, 3, 9, 5, 4, 6, 2, 8))
VAL = random_sequences(51, 5, lengths=(6, 4, 5))


def test_reports_are_the_epochs_measurements() -> None:
    trainer = Trainer(
        ModelConfig(kind="gru", vocab_size=5, hidden_size=6),
        TrainConfig(optimizer="adam", learning_rate=0.05, batch_size=3, clip_norm=0.05),
        TRAIN,
        VAL,
        seed=2,
    )
    real = trainer.network.loss_and_grads
    updates: list[tuple[LossStats, float]] = []

    def recording(*args: Any, **kwargs: Any) -> LossStats:
        stats = real(*args, **kwargs)
        updates.append((stats, float(np.linalg.norm(args[2].buffer))))
        return stats

    real_step = trainer.optimizer.step
    applied: list[float] = []

    def step(params: np.ndarray, grads: np.ndarray, lr: float) -> None:
        applied.append(float(np.linalg.norm(grads)))
        real_step(params, grads, lr)

    trainer.network.loss_and_grads = recording  # type: ignore[method-assign]
    trainer.optimizer.step = step  # type: ignore[method-assign]
    for epoch, report in enumerate(trainer.run(4), start=1):
        mine = updates[-3:]  # 8 sequences in batches of 3
        assert report.epoch == epoch == trainer.epoch and report.updates == 3
        assert report.total_updates == 3 * epoch == trainer.total_updates
        loss_sum = sum(s.loss_sum for s, _ in mine)
        n_tokens = sum(s.n_tokens for s, _ in mine)
        assert n_tokens == sum(len(s) - 1 for s in TRAIN)
        assert report.train_loss == pytest.approx(loss_sum / n_tokens, rel=1e-14)
        assert report.train_accuracy == pytest.approx(sum(s.correct for s, _ in mine) / n_tokens)
        # grad_norm is the mean norm *before* clipping (these exceed the clip norm)
        assert report.grad_norm == pytest.approx(np.mean([g for _, g in mine]), rel=1e-12)
        assert min(g for _, g in mine) > 0.05  # so every one of them was clipped
        val = trainer.evaluate(VAL)
        assert report.val_loss == val.loss and report.val_accuracy == val.accuracy
        assert report.learning_rate == 0.05 and report.stop_reason is None
        assert report.elapsed > 0 and report.total_elapsed >= report.elapsed
        assert report.updates_per_second > 0
        assert trainer.history[-1] is report
    assert [r.epoch for r in trainer.history] == [1, 2, 3, 4]
    np.testing.assert_allclose(applied, 0.05, rtol=1e-12)  # the optimiser got clipped steps


def test_no_validation_means_no_validation_numbers() -> None:
    trainer = Trainer(ModelConfig(kind="lstm", vocab_size=5), TrainConfig(), TRAIN, seed=0)
    (report,) = trainer.run(1)
    assert report.val_loss is None and report.val_accuracy is None
    assert set(report.as_dict()) >= {"train_loss", "val_loss", "grad_norm", "stop_reason"}


def test_evaluate_in_chunks_equals_one_batch() -> None:
    trainer = Trainer(ModelConfig(kind="rnn", vocab_size=5), TrainConfig(), TRAIN, seed=1)
    whole = trainer.evaluate(TRAIN)
    chunked = trainer.evaluate(TRAIN, chunk=3)
    assert whole.n_tokens == chunked.n_tokens and whole.correct == chunked.correct
    assert whole.loss == pytest.approx(chunked.loss, rel=1e-13)


def test_training_needs_a_sequence() -> None:
    with pytest.raises(ValueError, match="at least one sequence"):
        Trainer(ModelConfig(), TrainConfig(), [])


@pytest.mark.parametrize("window", [0, 2])
def test_one_update_is_plain_sgd_on_the_truncated_gradient(window: int) -> None:
    """End to end: batch → (truncated) BPTT → no clipping → θ − lr·g."""
    trainer = Trainer(
        ModelConfig(kind="lstm", vocab_size=5, hidden_size=4),
        TrainConfig(
            optimizer="sgd",
            momentum=0.0,
            learning_rate=0.1,
            batch_size=len(TRAIN),
            clip_norm=0.0,
            tbptt_window=window,
            shuffle=False,
        ),
        TRAIN,
        seed=3,
    )
    start = trainer.params.copy()
    grads = start.zeros_like()
    trainer.network.loss_and_grads(start, make_batch(TRAIN), grads, window)
    (report,) = trainer.run(1)
    assert report.updates == 1
    np.testing.assert_allclose(
        trainer.params.buffer, start.buffer - 0.1 * grads.buffer, rtol=1e-15, atol=1e-17
    )
    other = start.zeros_like()
    trainer.network.loss_and_grads(start, make_batch(TRAIN), other, 2 - window)
    assert not np.allclose(trainer.params.buffer, start.buffer - 0.1 * other.buffer)
