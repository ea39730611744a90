"""Progress inside long epochs: the training process reports it, the window keeps it.

Reports come only from epochs that train for :data:`~app.training.process.LIVE_AFTER_S`
(a second); the tests that need them lower it (and the spacing between reports) on a
training thread, where monkeypatch reaches.  Snapshot 0's metrics are measured once,
by the window, and reach the process, which starts training without them.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app.engine import trainer as trainer_module
from app.engine.trainer import Progress, Trainer
from app.training import process
from app.training.controller import TrainingController
from app.training.session import Session
from tests.training.helpers import WAIT_MS, dinner_project, run_epochs


def test_a_long_epoch_reports_its_running_loss_and_its_end_takes_over(
    thread_controller: TrainingController, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(process, "LIVE_AFTER_S", 0.0)  # every epoch counts as long
    monkeypatch.setattr(process, "PROGRESS_EVERY_S", 0.0)  # a report after every update
    project = dinner_project(batch_size=1)  # 8 updates an epoch
    reference: list[Progress] = []
    trainer = project.make_trainer()
    reports = list(trainer.run(2, on_progress=reference.append, progress_every_s=0.0))
    announced: list[int] = []
    thread_controller.progressed.connect(lambda: announced.append(len(thread_controller.trace)))
    thread_controller.set_project(project)
    run_epochs(qtbot, thread_controller, 2)

    trace = thread_controller.trace
    assert announced and len(trace) >= 4
    expected = {
        (p.epoch - 1 + p.updates / p.updates_in_epoch, p.train_loss, p.train_accuracy)
        for p in reference
    }
    assert set(zip(trace.x, trace.loss, trace.accuracy, strict=True)) <= expected
    assert np.all(np.diff(trace.x) > 0) and trace.x[0] > 0 and trace.x[-1] <= 2
    # An epoch's last report is its running loss at the end: the epoch's own point.
    for report in reports:
        assert (float(report.epoch), report.train_loss, report.train_accuracy) in expected
    assert thread_controller.progress is None  # both epochs ended: their points took over


def test_short_epochs_send_no_progress(controller: TrainingController, qtbot: QtBot) -> None:
    announced: list[int] = []
    controller.progressed.connect(lambda: announced.append(1))
    controller.set_project(dinner_project())
    run_epochs(qtbot, controller, 30)
    assert announced == [] and len(controller.trace) == 0 and controller.progress is None


def test_snapshot_0_is_measured_once_by_the_window_and_reaches_the_process(
    thread_controller: TrainingController, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = dinner_project()
    reference = project.make_trainer()
    list(reference.run(2))
    measured: list[str] = []
    metrics_of = Trainer.metrics_of

    def counting(self: Trainer, params: object) -> dict[str, float]:
        measured.append(threading.current_thread().name)
        return metrics_of(self, params)  # type: ignore[arg-type]

    monkeypatch.setattr(trainer_module.Trainer, "metrics_of", counting)
    thread_controller.set_project(project)
    run_epochs(qtbot, thread_controller, 2)
    qtbot.waitUntil(
        lambda: "train_loss" in thread_controller.snapshot(0).metrics,  # type: ignore[union-attr]
        timeout=WAIT_MS,
    )
    assert len(measured) == 1 and measured[0].startswith("measure")  # not "training"
    thread_controller.capture_into(project)
    state = project.trainer_state
    assert state is not None
    assert state.snapshot_metrics == [dict(s.metrics) for s in reference.snapshots.snapshots()]
    assert state.best_epoch == reference.snapshots.best_epoch


@pytest.mark.parametrize(("loss", "best"), [(0.0, 0), (99.0, 2)])
def test_late_start_metrics_make_epoch_0_the_best_only_if_it_scored_lowest(
    loss: float, best: int
) -> None:
    session = Session.from_project(dinner_project(), measure_start=False)
    list(session.trainer.run(2))
    assert session.trainer.snapshots.best_epoch == 2
    session.take_start_metrics(session.start_id, {"train_loss": loss, "train_accuracy": 0.5})
    assert session.trainer.snapshots.best_epoch == best
