"""Setting a project builds the window's trainer once, and measures nothing on the GUI thread.

Snapshot 0's metrics (a pass over all the data: seconds for a big model) are measured
on a worker; they arrive, equal to a trainer that measured them itself, and a save
before they arrived still writes them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.engine import trainer as trainer_module
from app.engine.trainer import Trainer
from app.project import load_project, save_project
from app.training.controller import TrainingController
from tests.training.helpers import WAIT_MS, dinner_project, run_epochs


def _count(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Trainers built, and metrics measured, on this thread."""
    counts = {"built": 0, "measured": 0}
    init, metrics_of = Trainer.__init__, Trainer.metrics_of

    def counting_init(self: Trainer, *args: object, **kwargs: object) -> None:
        counts["built"] += 1
        init(self, *args, **kwargs)  # type: ignore[arg-type]

    def counting_metrics(self: Trainer, params: object) -> dict[str, float]:
        import threading

        if threading.current_thread() is threading.main_thread():
            counts["measured"] += 1
        return metrics_of(self, params)  # type: ignore[arg-type]

    monkeypatch.setattr(trainer_module.Trainer, "__init__", counting_init)
    monkeypatch.setattr(trainer_module.Trainer, "metrics_of", counting_metrics)
    return counts


def test_set_project_builds_one_trainer_and_measures_off_the_gui_thread(
    thread_controller: TrainingController, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = dinner_project()
    expected = project.make_trainer().snapshots.get(0).metrics
    counts = _count(monkeypatch)
    thread_controller.set_project(project)
    assert counts == {"built": 1, "measured": 0}
    qtbot.waitUntil(lambda: "train_loss" in thread_controller.snapshot(0).metrics, timeout=WAIT_MS)
    assert thread_controller.snapshot(0).metrics == expected
    assert counts["measured"] == 0
    thread_controller.reset()  # Reset measures off the GUI thread too
    qtbot.waitUntil(lambda: "train_loss" in thread_controller.snapshot(0).metrics, timeout=WAIT_MS)
    assert thread_controller.snapshot(0).metrics == expected
    assert counts == {"built": 1, "measured": 0}


def test_a_save_before_the_metrics_arrive_still_writes_them(
    controller: TrainingController, qtbot: QtBot, tmp_path: Path
) -> None:
    project = dinner_project()
    expected = project.make_trainer().snapshots.get(0).metrics
    controller.set_project(project)
    controller.capture_into(project)  # at once: the worker may not be done
    path = tmp_path / "p.lstmproj"
    save_project(project, path)
    state = load_project(path).trainer_state
    assert state is not None and state.snapshot_metrics[0] == expected


def test_training_after_a_lazy_start_resumes_bit_exactly(
    controller: TrainingController, qtbot: QtBot
) -> None:
    project = dinner_project()
    reference = project.make_trainer()
    list(reference.run(2))
    controller.set_project(project)
    run_epochs(qtbot, controller, 2)
    controller.capture_into(project)
    assert project.trainer_state is not None
    assert (project.trainer_state.params["Wy"] == reference.params["Wy"]).all()
    assert project.trainer_state.snapshot_metrics == [
        dict(s.metrics) for s in reference.snapshots.snapshots()
    ]
    assert controller.snapshot(0) is not None
    assert controller.snapshot(0).metrics == reference.snapshots.get(0).metrics
