"""The stop-condition rule on its own (no Qt)."""

from __future__ import annotations

import math

import pytest

from app.analysis.stop import StopCondition, format_duration, stop_progress
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


def report(epoch: int, loss: float, accuracy: float) -> EpochReport:
    return EpochReport(epoch, loss, accuracy, None, None, 1.0, 0.01, 0.01 * epoch, 1, epoch,
                       100.0, 0.01)  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "target", "epoch", "end", "expected"),
    [
        ("none", 0, 5, None, None),
        ("epochs", 10, 5, None, 0.0),  # not started: the count begins at Train
        ("epochs", 10, 45, 50, 0.5),  # 10 more from epoch 40
        ("epochs", 10, 50, 50, 1.0),
        ("accuracy", 0.8, 5, None, 0.5),
        ("loss", 0.01, 5, None, 0.5),  # log scale: 1 → 0.1 is half way from 1 to 0.01
    ],
)
def test_stop_progress(
    kind: str, target: float, epoch: int, end: int | None, expected: float | None
) -> None:
    first, last = report(1, 1.0, 0.2), report(epoch, 0.1, 0.4)
    progress = stop_progress(kind, target, epoch, first, last, end)
    assert progress == expected or math.isclose(progress or 0, expected or 0)


def test_format_duration() -> None:
    assert format_duration(42.4) == "42 s"
    assert format_duration(185) == "3:05"
    assert format_duration(3723) == "1:02:03"
    assert format_duration(float("inf")) == "\u2014"
