"""Train, Pause, Step, Reset and live settings, through the training process."""

from __future__ import annotations

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app.engine.trainer import Trainer
from app.project.project import Project
from app.training.controller import TrainingController
from tests.training.helpers import WAIT_MS, Recorder, dinner_project, run_epochs, wait_state


def _params(controller: TrainingController, project: Project) -> dict[str, np.ndarray]:
    controller.capture_into(project)
    assert project.trainer_state is not None
    return project.trainer_state.params


def test_pause_stops_and_start_resumes(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 5, timeout=WAIT_MS)
    with qtbot.waitSignal(controller.state_changed, timeout=WAIT_MS) as blocker:
        controller.pause()
    assert blocker.args == ["paused"]
    paused_at = controller.epoch
    assert recorder.frames[-1].epoch == paused_at and not recorder.frames[-1].running
    assert recorder.epochs() == list(range(1, paused_at + 1))
    # Paused means stopped: one Step from here is exactly one more epoch.
    with qtbot.waitSignal(controller.state_changed, check_params_cb=lambda s: s == "paused"):
        controller.step_epoch()
    assert controller.epoch == paused_at + 1
    paused_at += 1

    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= paused_at + 5, timeout=WAIT_MS)
    controller.toggle()  # Space pauses
    wait_state(qtbot, controller, "paused")
    assert recorder.epochs() == list(range(1, controller.epoch + 1))
    assert recorder.states == ["running", "paused", "running", "paused", "running", "paused"]


def test_pause_before_the_process_starts(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    controller.start()
    controller.pause()  # no event loop in between: the process is still starting
    controller.toggle()
    controller.toggle()
    wait_state(qtbot, controller, "paused")
    assert recorder.states[-1] == "paused" and controller.state == "paused"
    assert recorder.epochs() == list(range(1, controller.epoch + 1))


def test_step_trains_exactly_one_epoch(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    # One sequence per update: eight updates per epoch, so a pause lands mid-epoch.
    controller.set_project(dinner_project(batch_size=1))
    for expected in (1, 2, 3):
        with qtbot.waitSignal(controller.state_changed, check_params_cb=lambda s: s == "paused"):
            controller.step_epoch()
        assert controller.epoch == expected
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 6, timeout=WAIT_MS)
    controller.pause()
    wait_state(qtbot, controller, "paused")
    before = controller.epoch
    controller.step_epoch()
    wait_state(qtbot, controller, "running")
    wait_state(qtbot, controller, "paused")
    assert controller.epoch == before + 1
    assert recorder.epochs() == list(range(1, before + 2))


def test_reset_gives_the_seeds_initial_weights_and_the_same_training(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    project = dinner_project()
    controller.set_project(project)
    run_epochs(qtbot, controller, 20)
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 25, timeout=WAIT_MS)
    controller.reset()  # while running
    assert controller.state == "idle" and controller.epoch == 0
    assert controller.history() == []
    frame = recorder.frames[-1]
    assert frame.replaces_history and frame.reports == () and frame.epoch == 0
    _, initial = dinner_project().weights()  # an untrained copy
    got = _params(controller, dinner_project())
    assert all(np.array_equal(got[k], initial[k]) for k in initial.as_dict())

    # Training after Reset is bit for bit the bare trainer's.
    run_epochs(qtbot, controller, 10)
    bare: Trainer = dinner_project().make_trainer()
    list(bare.run(10))
    got = _params(controller, dinner_project())
    assert all(np.array_equal(got[k], v) for k, v in bare.params.as_dict().items())
    assert recorder.epochs() == list(range(1, 11))  # nothing from before the reset leaks in


def test_learning_rate_applies_live_without_a_reset(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 5, timeout=WAIT_MS)
    changed_at = controller.epoch
    controller.set_learning_rate(0.005)
    qtbot.waitUntil(
        lambda: any(r.learning_rate == 0.005 for r in controller.history()), timeout=WAIT_MS
    )
    controller.pause()
    wait_state(qtbot, controller, "paused")
    history = controller.history()
    assert [r.epoch for r in history] == list(range(1, len(history) + 1))
    first_new = next(r.epoch for r in history if r.learning_rate == 0.005)
    assert first_new > changed_at - 1 and history[0].learning_rate == 0.02
    project = dinner_project()
    controller.capture_into(project)
    assert project.train.learning_rate == 0.005
    with pytest.raises(ValueError):
        controller.set_learning_rate(-1.0)


def test_learning_rate_while_idle_is_kept(qtbot: QtBot, controller: TrainingController) -> None:
    controller.set_project(dinner_project())
    controller.set_learning_rate(0.001)
    run_epochs(qtbot, controller, 2)
    assert [r.learning_rate for r in controller.history()] == [0.001, 0.001]


def test_stop_on_accuracy_and_loss(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    controller.set_stop_condition("loss", 0.5)
    with qtbot.waitSignal(controller.stop_condition_met, timeout=WAIT_MS) as blocker:
        controller.start()
    last = controller.history()[-1]
    assert last.train_loss <= 0.5 and all(r.train_loss > 0.5 for r in controller.history()[:-1])
    assert blocker.args == [f"Loss 0.5 reached at epoch {last.epoch}."]
    controller.set_stop_condition("accuracy", 1.0)
    with qtbot.waitSignal(controller.stop_condition_met, timeout=WAIT_MS) as blocker:
        controller.start()
    last = controller.history()[-1]
    assert last.train_accuracy == 1.0 and controller.state == "idle"
    assert blocker.args == [f"Accuracy 100% reached at epoch {last.epoch}."]
    assert recorder.epochs() == list(range(1, last.epoch + 1))
    with pytest.raises(ValueError):
        controller.set_stop_condition("accuracy", 2.0)


def test_an_epoch_count_survives_pause_and_resume(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    controller.set_stop_condition("epochs", 300)
    controller.start()
    assert controller.target_epoch in (None, 300)
    qtbot.waitUntil(lambda: controller.epoch >= 3, timeout=WAIT_MS)
    controller.pause()
    wait_state(qtbot, controller, "paused")
    assert controller.epoch < 300 and controller.target_epoch == 300
    with qtbot.waitSignal(controller.stop_condition_met, timeout=WAIT_MS):
        controller.start()
    assert controller.epoch == 300 and recorder.epochs() == list(range(1, 301))


def test_interruptions_do_not_change_what_is_learned(
    qtbot: QtBot, controller: TrainingController
) -> None:
    """Pauses mid-epoch, view requests and captures resume exactly where they stopped."""
    controller.set_project(dinner_project(batch_size=1))  # eight updates per epoch
    session = controller._session  # the window's copy of the trainer
    assert session is not None
    mid_epoch = 0
    for i in range(30):
        controller.start()
        qtbot.waitUntil(lambda n=i: controller.epoch >= n + 1, timeout=WAIT_MS)
        controller.set_selected_sequence(i % 8)
        controller.capture_into(dinner_project(batch_size=1))
        controller.pause()
        wait_state(qtbot, controller, "paused")
        mid_epoch += session.trainer.cursor is not None
        if controller.epoch >= 40:
            break
    assert mid_epoch > 0, "no pause landed inside an epoch"
    run_epochs(qtbot, controller, 10)
    bare = dinner_project(batch_size=1).make_trainer()
    list(bare.run(controller.epoch))
    got = _params(controller, dinner_project(batch_size=1))
    assert all(np.array_equal(got[k], v) for k, v in bare.params.as_dict().items())
