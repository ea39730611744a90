"""The trainer never counts past what a project file can hold: it stops before the epoch."""

from __future__ import annotations

import numpy as np

from app.engine.config import MAX_COUNT, MAX_EPOCH, ModelConfig, TrainConfig
from app.engine.trainer import Trainer


def _trainer() -> Trainer:
    seqs = [np.array([0, 1, 2, 0]), np.array([1, 2, 0, 1]), np.array([2, 0, 1, 2])]
    trainer = Trainer(ModelConfig(vocab_size=3, hidden_size=3), TrainConfig(batch_size=2), seqs)
    list(trainer.run(1))
    return trainer


def _unchanged_by_run(trainer: Trainer, match: str) -> None:
    before = trainer.export_state()
    (report,) = list(trainer.run(3))
    assert report.stop_reason is not None and match in report.stop_reason
    after = trainer.export_state()
    assert np.array_equal(trainer.params.buffer, np.concatenate(
        [before.params[n].ravel() for n in before.params]))  # fmt: skip
    for k, v in before.optimizer_state.items():
        assert np.array_equal(after.optimizer_state[k], v)
    assert (after.epoch, after.total_updates, after.optimizer_steps) == (
        before.epoch, before.total_updates, before.optimizer_steps)  # fmt: skip


def test_the_last_epoch_a_file_can_count_is_refused_before_it_starts() -> None:
    trainer = _trainer()
    trainer.epoch = MAX_EPOCH
    assert trainer.counters_full() == (
        "This project has trained 2,147,483,647 epochs, the most a project file can hold; "
        "training cannot go on (Reset starts again)."
    )
    _unchanged_by_run(trainer, "2,147,483,647 epochs")


def test_update_counters_need_room_for_a_whole_epoch() -> None:
    trainer = _trainer()
    trainer.total_updates = trainer.optimizer.steps = MAX_COUNT - 2  # 2 batches per epoch: fits
    assert trainer.counters_full() is None
    trainer.total_updates = trainer.optimizer.steps = MAX_COUNT - 1  # does not
    assert "9,007,199,254,740,990 updates" in (trainer.counters_full() or "")
    _unchanged_by_run(trainer, "the most a project file can hold")
