"""NaN losses, bugs, unusable projects and shutdown: the app always stays usable.

Faults injected into the engine with ``monkeypatch`` only reach a server on a thread of
this process (``thread_controller``); the code that handles them is the same
:func:`app.training.process.serve` the training process runs.
"""

from __future__ import annotations

import gc
import math
import os

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from app.data import DataError
from app.engine.network import LossStats
from app.project.project import Project
from app.training.controller import TrainingController
from tests.training.helpers import (
    WAIT_MS,
    Recorder,
    break_updates_after,
    dinner_project,
    preset_project,
    process_gone,
    run_epochs,
    wait_state,
)


def test_a_nan_loss_pauses_with_a_message_and_training_can_go_on(
    qtbot: QtBot,
    thread_controller: TrainingController,
    thread_recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    controller, recorder = thread_controller, thread_recorder
    controller.set_project(dinner_project())
    break_updates_after(monkeypatch, 21, lambda s: LossStats(float("nan"), 0, s.n_tokens))
    with qtbot.waitSignal(controller.failed, timeout=WAIT_MS) as blocker:
        controller.start()
    assert "NaN" in blocker.args[0] and "learning rate" in blocker.args[0]
    assert controller.state == "paused"
    # Two updates per epoch: ten whole epochs, then the eleventh failed and is not reported.
    assert controller.epoch == 10 and recorder.epochs() == list(range(1, 11))
    assert recorder.frames[-1].epoch == 10 and not recorder.frames[-1].running

    monkeypatch.undo()
    controller.set_learning_rate(0.01)
    run_epochs(qtbot, controller, 5)
    assert recorder.epochs() == list(range(1, 16))
    assert controller.history()[-1].learning_rate == 0.01


def test_an_unexpected_error_is_reported_not_raised(
    qtbot: QtBot,
    thread_controller: TrainingController,
    thread_recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    controller, recorder = thread_controller, thread_recorder
    controller.set_project(dinner_project())

    def boom(stats: LossStats) -> LossStats:
        raise RuntimeError("boom")

    break_updates_after(monkeypatch, 5, boom)
    with qtbot.waitSignal(controller.failed, timeout=WAIT_MS) as blocker:
        controller.start()
    assert blocker.args == ["Training stopped because of an unexpected error: boom"]
    assert controller.state == "paused"
    assert recorder.epochs() == [1, 2] and not recorder.frames[-1].running
    assert "Traceback" in caplog.text or any(r.exc_info for r in caplog.records)
    monkeypatch.undo()
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 5, timeout=WAIT_MS)
    controller.pause()
    wait_state(qtbot, controller, "paused")


def test_an_unusable_project_changes_nothing(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    good = dinner_project()
    controller.set_project(good)
    run_epochs(qtbot, controller, 3)
    frames = len(recorder.frames)
    with pytest.raises(DataError):
        controller.set_project(Project(text="", model=good.model, train=good.train))
    wrong_vocab = dinner_project()
    wrong_vocab.text = "a b c d\n"
    with pytest.raises(ValueError):
        controller.set_project(wrong_vocab)
    assert len(recorder.frames) == frames and controller.epoch == 3
    run_epochs(qtbot, controller, 2)
    assert recorder.epochs() == [1, 2, 3, 4, 5]


def test_without_a_project_commands_do_nothing(controller: TrainingController) -> None:
    controller.start()
    controller.step_epoch()
    controller.pause()
    controller.reset()
    controller.set_learning_rate(0.1)
    controller.set_selected_sequence(2)
    assert controller.state == "idle" and controller.history() == []
    with pytest.raises(RuntimeError):
        controller.capture_into(dinner_project())


def test_a_real_divergence_in_the_training_process(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    """chars-text without clipping at a learning rate of 10 blows up (the guide's lesson)."""
    controller.set_project(preset_project("chars-text"))
    controller.set_learning_rate(10.0)
    controller.set_stop_condition("epochs", 20)
    with qtbot.waitSignal(controller.failed, timeout=60_000) as blocker:
        controller.start()
    assert "learning rate (10)" in blocker.args[0]
    assert controller.state == "paused" and controller.epoch < 20
    assert recorder.epochs() == list(range(1, controller.epoch + 1))
    history = controller.history()
    assert all(math.isfinite(r.train_loss) for r in history)  # the failed epoch is not kept
    controller.reset()  # and the app goes on
    controller.set_learning_rate(0.01)
    run_epochs(qtbot, controller, 1)
    assert controller.epoch == 1


def test_shutdown_while_training_ends_the_process(qtbot: QtBot) -> None:
    controller = TrainingController()
    controller.set_project(dinner_project(batch_size=1))
    run_epochs(qtbot, controller, 3)
    controller.set_stop_condition("none", None)
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 6, timeout=WAIT_MS)
    pid = controller.process_id
    assert pid is not None and pid != os.getpid()
    assert controller.shutdown(5000)
    assert process_gone(pid)
    assert controller.shutdown() and controller.shutdown(0)  # safe to repeat
    # What the process trained after its last hand-over went with it: epoch 3, whole.
    assert controller.state == "paused" and controller.epoch == 3
    controller.start()  # ignored after shutdown
    controller.step_epoch()
    assert controller.state == "paused" and controller.epoch == 3
    project = dinner_project(batch_size=1)
    controller.capture_into(project)  # the model can still be saved, consistently
    state = project.trainer_state
    assert state is not None and state.epoch == 3
    assert [r["epoch"] for r in state.history] == [1, 2, 3]


def test_shutdown_when_idle(qtbot: QtBot) -> None:
    controller = TrainingController()
    controller.set_project(dinner_project())
    controller.warm_up()
    pid = controller.process_id
    assert pid is not None
    assert controller.shutdown(5000) and process_gone(pid)
    assert controller.state == "idle"
    never = TrainingController()  # never trained: no process was ever started
    assert never.process_id is None and never.shutdown(0)


def test_a_controller_dropped_without_shutdown_still_ends_its_process(qtbot: QtBot) -> None:
    parent = QObject()
    owned = TrainingController(parent)
    loose = TrainingController()
    for c in (owned, loose):
        c.set_project(dinner_project())
        c.start()
    both = (owned, loose)
    qtbot.waitUntil(lambda: all(c.epoch >= 2 for c in both), timeout=WAIT_MS)
    pids = [c.process_id for c in both]
    assert None not in pids
    both = ()
    del owned, loose, c
    gc.collect()  # the Python-owned one goes with its last reference
    parent.deleteLater()  # the other with its parent
    qtbot.waitUntil(lambda: all(process_gone(p) for p in pids if p is not None), timeout=WAIT_MS)
