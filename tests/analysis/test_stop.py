"""The stop-condition rule on its own (no Qt)."""

from __future__ import annotations

import pytest

from app.analysis.stop import StopCondition
from app.engine.trainer import EpochReport


def _report(epoch: int, loss: float = 1.0, accuracy: float = 0.5) -> EpochReport:
    return EpochReport(epoch, loss, accuracy, None, None, 0.0, 0.0, 0.0, 1, epoch, 1.0, 0.01)


def test_epochs_count_from_the_start_of_the_run() -> None:
    stop = StopCondition("epochs", 3)
    target = stop.target_epoch(10)
    assert target == 13
    assert stop.met(_report(12), target) is None
    assert stop.met(_report(13), target) == "Trained 3 more epochs (now at epoch 13)."
    assert stop.met(_report(3), stop.target_epoch(0)) == "Reached 3 epochs."


def test_loss_and_accuracy_targets() -> None:
    assert StopCondition("loss", 0.1).met(_report(4, loss=0.2), None) is None
    assert StopCondition("loss", 0.1).met(_report(4, loss=0.1), None) == (
        "Loss 0.1 reached at epoch 4."
    )
    assert StopCondition("accuracy", 0.95).met(_report(7, accuracy=0.96), None) == (
        "Accuracy 95% reached at epoch 7."
    )
    assert StopCondition("none").met(_report(1, loss=0.0, accuracy=1.0), None) is None


@pytest.mark.parametrize(
    ("kind", "value"),
    [("epochs", 0), ("epochs", 2.5), ("loss", -1), ("accuracy", 1.5), ("loss", None),
     ("loss", float("nan")), ("sometimes", 1)],
)  # fmt: skip
def test_bad_conditions_are_refused(kind: str, value: float | None) -> None:
    with pytest.raises(ValueError):
        StopCondition(kind, value)
