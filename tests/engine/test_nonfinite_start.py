"""Training refuses weights that already hold NaN or infinities, says so, and changes nothing."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.trainer import Trainer, TrainerState
from tests.engine.conftest import KINDS
from tests.engine.test_divergence import make_trainer


def _state(trainer: Trainer) -> TrainerState:
    return trainer.export_state()


def _same(a: TrainerState, b: TrainerState) -> None:
    assert (a.epoch, a.total_updates, a.optimizer_steps) == (b.epoch, b.total_updates,
                                                             b.optimizer_steps)  # fmt: skip
    assert a.rng_state == b.rng_state and a.cursor == b.cursor
    assert len(a.history) == len(b.history) and a.snapshot_epochs == b.snapshot_epochs
    for x, y in [(a.params, b.params), (a.optimizer_state, b.optimizer_state)]:
        assert x.keys() == y.keys()
        for k in x:
            np.testing.assert_array_equal(x[k], y[k])  # NaN equals NaN here


@pytest.mark.parametrize(("value", "word"), [(np.nan, "NaN"), (np.inf, "infinite values")])
@pytest.mark.parametrize("kind", KINDS)
def test_nonfinite_weights_stop_training_before_it_starts(
    kind: str, value: float, word: str
) -> None:
    trainer = make_trainer(kind)
    list(trainer.run(1))
    trainer.params["Wh"][0, 1] = value  # as a project file may hold them
    before = _state(trainer)

    reports = list(trainer.run(5))

    assert len(reports) == 1
    reason = reports[0].stop_reason
    assert reason is not None and reason.startswith(f"The weights hold {word} (1 of ")
    assert "in Wh" in reason and "Reset" in reason
    assert "learning rate" not in reason  # not the learning rate's fault
    assert reports[0].epoch == 2 and np.isnan(reports[0].train_loss)
    _same(before, _state(trainer))
    trainer.reset()  # what the message advises: training works again
    assert np.isfinite([r.train_loss for r in trainer.run(2)]).all()
