"""Frames from the training process: complete, ordered, paced, with views of the right shape."""

from __future__ import annotations

import time

import numpy as np
from pytestqt.qtbot import QtBot

from app.training.controller import TrainingController
from tests.training.helpers import WAIT_MS, Recorder, dinner_project, run_epochs


def test_set_project_sends_the_untrained_model(
    controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    frame = recorder.frames[-1]  # sent at once, before set_project returns
    assert frame.replaces_history and frame.reports == () and frame.epoch == 0
    assert not frame.running
    assert controller.state == "idle" and controller.epoch == 0
    assert controller.snapshot_epochs() == [0]


def test_frames_hold_every_epoch_once_in_order(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    project = dinner_project()
    data = project.data()
    controller.set_project(project)
    run_epochs(qtbot, controller, 40)
    assert recorder.epochs() == list(range(1, 41))
    assert [r.epoch for r in controller.history()] == list(range(1, 41))
    assert controller.epoch == 40 and controller.state == "idle"
    assert recorder.states == ["running", "idle"]
    assert recorder.conditions == ["Reached 40 epochs."]
    last = recorder.frames[-1]
    assert not last.running and last.epoch == 40
    V, H = len(data.vocabulary), project.model.hidden_size
    for frame in recorder.frames:
        view = frame.view
        assert view is not None and view.index == 0 and view.kind == "lstm"
        assert view.epoch == frame.epoch
        T = len(data.tokens[0]) - 1
        assert view.tokens == data.tokens[0] and view.vocabulary == data.vocabulary.symbols
        assert view.probs.shape == (T, V) and view.hidden.shape == (T, H)
        assert view.cell is not None and view.cell.shape == (T, H)
        assert set(view.gates) == {"forget", "input", "output", "candidate"}
        assert all(g.shape == (T, H) for g in view.gates.values())
        assert np.allclose(view.probs.sum(axis=1), 1.0)


def test_a_second_run_carries_on_counting(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    run_epochs(qtbot, controller, 5)
    run_epochs(qtbot, controller, 7)
    assert recorder.epochs() == list(range(1, 13))
    assert recorder.conditions == ["Reached 5 epochs.", "Trained 7 more epochs (now at epoch 12)."]


def test_frames_never_come_faster_than_the_refresh_rate(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    controller.set_refresh_rate(5)
    started = time.monotonic()
    run_epochs(qtbot, controller, 400)
    seconds = time.monotonic() - started
    sent = recorder.frames[1:]  # after the one from set_project
    # At most one per 200 ms plus the final frame; far fewer than one per epoch.
    assert 1 <= len(sent) <= 5 * seconds + 2
    assert len(sent) < 400
    assert recorder.epochs() == list(range(1, 401))


def test_selecting_a_sequence_sends_its_view_when_idle(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    project = dinner_project()
    controller.set_project(project)
    with qtbot.waitSignal(controller.frame_ready, timeout=WAIT_MS) as blocker:
        controller.set_selected_sequence(3)
    frame = blocker.args[0]
    assert frame.view.index == 3 and frame.view.tokens == project.data().tokens[3]
    assert frame.reports == () and not frame.replaces_history
    with qtbot.waitSignal(controller.frame_ready, timeout=WAIT_MS) as blocker:
        controller.set_selected_sequence(99)  # clamped to the last sequence
    assert blocker.args[0].view.index == project.data().n_sequences - 1


def test_selecting_a_sequence_while_training(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 3, timeout=WAIT_MS)
    controller.set_selected_sequence(2)
    qtbot.waitUntil(
        lambda: any(f.view is not None and f.view.index == 2 for f in recorder.frames),
        timeout=WAIT_MS,
    )
    with qtbot.waitSignal(controller.state_changed, timeout=WAIT_MS):
        controller.pause()
    assert recorder.frames[-1].view is not None and recorder.frames[-1].view.index == 2
    assert recorder.epochs() == list(range(1, controller.epoch + 1))
