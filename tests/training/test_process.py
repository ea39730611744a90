"""Training in a child process: where it runs, exactness, and a child that dies or hangs."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

import app.training.process as process
from app.training.controller import TrainingController
from tests.training.helpers import (
    WAIT_MS,
    Recorder,
    break_updates_after,
    dinner_project,
    run_epochs,
    wait_state,
)

pytestmark = pytest.mark.skipif(not process.process_mode(), reason="needs fork (Linux)")


@pytest.fixture
def controller(qtbot: QtBot) -> Any:
    c = TrainingController(in_process=True)
    yield c
    assert c.shutdown(5000), "the worker thread did not end"


def _children() -> list[multiprocessing.Process]:
    return [p for p in multiprocessing.active_children() if p.name == "lstm-playground-training"]


def _train_into_a_hang(
    qtbot: QtBot, controller: TrainingController, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Train a child that finishes three epochs, then hangs in an update (gives up: 0.5 s)."""
    monkeypatch.setattr(process, "GIVE_UP_SECONDS", 0.5)
    controller.set_project(dinner_project())
    break_updates_after(monkeypatch, 6, lambda stats: time.sleep(3600))
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 3, timeout=WAIT_MS)


def _captured(controller: TrainingController) -> dict[str, np.ndarray]:
    project = dinner_project(batch_size=1)
    controller.capture_into(project)
    assert project.trainer_state is not None
    return project.trainer_state.params


def test_a_run_trains_in_a_child_that_ends_with_the_run(
    qtbot: QtBot, controller: TrainingController
) -> None:
    controller.set_project(dinner_project())
    assert _children() == []  # nothing forks before Train
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 3, timeout=WAIT_MS)
    (child,) = _children()
    assert child.pid != os.getpid() and child.is_alive()
    controller.pause()
    wait_state(qtbot, controller, "paused")
    qtbot.waitUntil(lambda: not child.is_alive(), timeout=WAIT_MS)
    assert _children() == []


def test_runs_in_children_continue_the_trainer_bit_for_bit(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    """Runs, steps mid-epoch, a live learning rate and a capture while running, each
    in a fresh child, end exactly where one trainer doing the same ends."""
    controller.set_project(dinner_project(batch_size=1))
    run_epochs(qtbot, controller, 4)
    for _ in range(2):
        with qtbot.waitSignal(controller.state_changed, check_params_cb=lambda s: s == "paused"):
            controller.step_epoch()
    controller.set_learning_rate(0.02)
    run_epochs(qtbot, controller, 3)
    got = _captured(controller)

    bare = dinner_project(batch_size=1).make_trainer()
    list(bare.run(6))
    bare.set_learning_rate(0.02)
    list(bare.run(3))
    for name, value in bare.params.as_dict().items():
        assert np.array_equal(got[name], value), name
    assert [r.learning_rate for r in controller.history()][-3:] == [0.02] * 3
    assert [r.train_loss for r in controller.history()] == [r.train_loss for r in bare.history]
    assert recorder.epochs() == list(range(1, 10))
    snapshot = controller.snapshot(9)  # mirrored from the child while it trained
    assert snapshot is not None and snapshot.epoch == 9
    assert np.array_equal(snapshot.weights, bare.params.buffer)


def test_a_child_that_dies_ends_the_run_and_the_model_stays_where_it_began(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    run_epochs(qtbot, controller, 5)
    before = _captured(controller)
    controller.set_stop_condition("none", None)
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 10, timeout=WAIT_MS)
    (child,) = _children()
    assert child.pid is not None
    with qtbot.waitSignal(controller.failed, timeout=WAIT_MS) as blocker:
        os.kill(child.pid, signal.SIGKILL)
    assert "training process ended" in blocker.args[0] and "epoch 5" in blocker.args[0]
    assert controller.state == "paused" and controller.epoch == 5
    assert [r.epoch for r in controller.history()] == [1, 2, 3, 4, 5]
    assert max(controller.snapshot_epochs()) == 5
    last = recorder.frames[-1]
    assert last.replaces_history and last.epoch == 5 and last.view is not None
    after = _captured(controller)
    for name, value in before.items():
        assert np.array_equal(after[name], value), name
    # ... and training goes on from there, as if the lost run had never happened.
    run_epochs(qtbot, controller, 2)
    bare = dinner_project().make_trainer()
    list(bare.run(7))
    for name, value in bare.params.as_dict().items():
        assert np.array_equal(_captured(controller)[name], value), name
    assert recorder.epochs() == list(range(1, 8))


def test_a_child_that_hangs_is_given_up_and_the_window_gets_its_trainer_back(
    qtbot: QtBot, controller: TrainingController, monkeypatch: pytest.MonkeyPatch
) -> None:
    _train_into_a_hang(qtbot, controller, monkeypatch)
    (child,) = _children()
    started = time.monotonic()
    controller.reset()  # needs the trainer: waits for the child, then kills it
    assert time.monotonic() - started < 5
    assert controller.state == "idle" and controller.epoch == 0 and controller.history() == []
    qtbot.waitUntil(lambda: not child.is_alive(), timeout=WAIT_MS)
    monkeypatch.undo()
    run_epochs(qtbot, controller, 2)
    assert controller.epoch == 2


def _slow_in_the_child(monkeypatch: pytest.MonkeyPatch, cls: Any, name: str) -> None:
    """``cls.name`` takes 0.3 s longer in a training process (not in the window's)."""
    real, window = getattr(cls, name), os.getpid()

    def slow(self: Any, *args: Any, **kwargs: Any) -> Any:
        if os.getpid() != window:
            time.sleep(0.3)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, slow)


def test_a_window_change_after_a_step_ended_does_not_start_it_again(
    qtbot: QtBot,
    controller: TrainingController,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Flags sent while the child hands its state back still say "step": the run's end,
    not those late flags, decides that the step is over (found by a review)."""
    from app.engine.trainer import Trainer

    controller.set_project(dinner_project())
    _slow_in_the_child(monkeypatch, Trainer, "export_state")
    with qtbot.waitSignal(controller.state_changed, check_params_cb=lambda s: s == "paused"):
        controller.step_epoch()
        qtbot.waitUntil(lambda: controller.epoch == 1, timeout=WAIT_MS)  # now exporting
        with controller.drawing_turn():  # e.g. the state map redrawing: sends the flags
            pass
    qtbot.wait(500)
    assert controller.epoch == 1 and controller.state == "paused" and not _children()
    assert recorder.states == ["running", "paused"]


def test_a_sequence_chosen_while_the_last_frame_is_built_still_gets_its_frame(
    qtbot: QtBot,
    controller: TrainingController,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.training.shared import Session

    controller.set_project(dinner_project())
    _slow_in_the_child(monkeypatch, Session, "view")
    controller.start()
    qtbot.waitUntil(lambda: len(recorder.frames) >= 2, timeout=WAIT_MS)
    controller.pause()
    qtbot.wait(100)  # the child is building its final frame, for sequence 0
    controller.set_selected_sequence(3)
    qtbot.waitUntil(
        lambda: recorder.frames[-1].view is not None and recorder.frames[-1].view.index == 3,
        timeout=WAIT_MS,
    )
    assert controller.state == "paused"


def test_pause_gives_up_a_child_that_hangs(
    qtbot: QtBot, controller: TrainingController, monkeypatch: pytest.MonkeyPatch
) -> None:
    _train_into_a_hang(qtbot, controller, monkeypatch)
    with qtbot.waitSignal(controller.failed, timeout=WAIT_MS) as blocker:
        controller.pause()
    assert "did not stop" in blocker.args[0] and controller.state == "paused"
    assert controller.epoch == 0 and not _children()  # back where that run began
