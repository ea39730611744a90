"""The training process: one for the session, exact, and safe when it dies, hangs or
cannot start at all."""

from __future__ import annotations

import multiprocessing.spawn
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

import app.training.controller as controller_module
from app.training.connection import TrainingConnection
from app.training.controller import TrainingController
from app.training.session import Session
from tests.training.helpers import WAIT_MS, Recorder, dinner_project, run_epochs

POSIX = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")


def _captured(controller: TrainingController) -> dict[str, np.ndarray]:
    project = dinner_project(batch_size=1)
    controller.capture_into(project)
    assert project.trainer_state is not None
    return project.trainer_state.params


def test_one_process_trains_every_run_of_the_session(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    assert controller.process_id is None  # nothing starts before it is needed
    run_epochs(qtbot, controller, 3)
    pid = controller.process_id
    assert pid is not None and pid != os.getpid() and controller.trains_in_process
    for _ in range(2):
        with qtbot.waitSignal(controller.state_changed, check_params_cb=lambda s: s == "paused"):
            controller.step_epoch()
    controller.reset()
    controller.set_project(dinner_project(batch_size=2))
    run_epochs(qtbot, controller, 2)
    assert controller.process_id == pid  # the same process all along
    assert recorder.epochs() == [1, 2]


def test_runs_steps_and_live_changes_continue_the_trainer_bit_for_bit(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    """Runs, steps mid-epoch, a live learning rate and a capture while running end exactly
    where one trainer doing the same ends; the snapshots reached the window."""
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
    snapshot = controller.snapshot(9)
    assert snapshot is not None and snapshot.epoch == 9
    assert np.array_equal(snapshot.weights, bare.params.buffer)


@POSIX
def test_a_killed_process_rolls_the_model_back_and_a_new_one_takes_over(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    run_epochs(qtbot, controller, 5)
    before = _captured(controller)
    controller.set_stop_condition("none", None)
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 10, timeout=WAIT_MS)
    pid = controller.process_id
    assert pid is not None
    with qtbot.waitSignal(controller.failed, timeout=WAIT_MS) as blocker:
        os.kill(pid, signal.SIGKILL)
    assert "training process ended" in blocker.args[0] and "epoch 5" in blocker.args[0]
    assert controller.state == "paused" and controller.epoch == 5
    assert [r.epoch for r in controller.history()] == [1, 2, 3, 4, 5]
    assert max(controller.snapshot_epochs()) == 5
    last = recorder.frames[-1]
    assert last.replaces_history and last.epoch == 5 and last.view is not None
    after = _captured(controller)
    for name, value in before.items():
        assert np.array_equal(after[name], value), name
    # ... a new process took over, and training goes on as if the lost run never happened.
    qtbot.waitUntil(lambda: controller.process_id not in (None, pid), timeout=WAIT_MS)
    run_epochs(qtbot, controller, 2)
    bare = dinner_project().make_trainer()
    list(bare.run(7))
    for name, value in bare.params.as_dict().items():
        assert np.array_equal(_captured(controller)[name], value), name
    assert recorder.epochs() == list(range(1, 8))


@pytest.fixture
def impatient(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> Iterator[TrainingController]:
    """A controller that gives a silent process 0.5 s instead of 15."""
    monkeypatch.setattr(controller_module, "ANSWER_SECONDS", 0.5)
    c = TrainingController(thread=False)
    yield c
    assert c.shutdown(5000)


def _stopped_mid_run(qtbot: QtBot, controller: TrainingController) -> int:
    """Train, then freeze the process (SIGSTOP): it hangs like a stuck update."""
    controller.set_project(dinner_project())
    run_epochs(qtbot, controller, 3)
    controller.set_stop_condition("none", None)
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 6, timeout=WAIT_MS)
    pid = controller.process_id
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    return pid


@POSIX
def test_pause_gives_up_a_process_that_hangs(qtbot: QtBot, impatient: TrainingController) -> None:
    pid = _stopped_mid_run(qtbot, impatient)
    with qtbot.waitSignal(impatient.failed, timeout=WAIT_MS) as blocker:
        impatient.pause()
    assert "did not stop within 0.5 s" in blocker.args[0]
    assert impatient.state == "paused" and impatient.epoch == 3  # where that run began
    qtbot.waitUntil(lambda: impatient.process_id not in (None, pid), timeout=WAIT_MS)
    run_epochs(qtbot, impatient, 2)
    assert impatient.epoch == 5


@POSIX
def test_save_while_a_process_hangs_says_so_and_keeps_the_last_good_model(
    qtbot: QtBot, impatient: TrainingController
) -> None:
    _stopped_mid_run(qtbot, impatient)
    with pytest.raises(RuntimeError, match="did not hand over"):
        impatient.capture_into(dinner_project())
    assert impatient.state == "paused" and impatient.epoch == 3
    project = dinner_project()
    impatient.capture_into(project)  # what is left is the last good state, and saves
    assert project.trainer_state is not None and project.trainer_state.epoch == 3


def test_when_no_process_can_start_the_window_is_told_and_a_thread_can_train(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: TrainingConnection) -> None:
        if not self.on_thread:
            raise OSError("no more processes")
        real_start(self)

    real_start = TrainingConnection.start
    monkeypatch.setattr(TrainingConnection, "start", refuse)
    controller = TrainingController(thread=False)
    controller.set_project(dinner_project())
    with qtbot.waitSignal(controller.unavailable, timeout=WAIT_MS) as blocker:
        controller.start()
    assert "no more processes" in blocker.args[0]
    assert controller.state == "idle" and controller.process_id is None
    controller.use_thread()
    assert not controller.trains_in_process
    run_epochs(qtbot, controller, 3)
    assert controller.epoch == 3
    assert controller.shutdown(5000)


@POSIX
def test_a_process_that_dies_as_it_starts_is_reported_as_unavailable(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Say, a frozen app whose bundle lacks a library the training process needs: here
    the "interpreter" spawn starts is a script that exits at once."""
    broken = tmp_path / "broken-python"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(multiprocessing.spawn, "_python_exe", str(broken))
    controller = TrainingController(thread=False)
    controller.set_project(dinner_project())
    with qtbot.waitSignal(controller.unavailable, timeout=WAIT_MS) as blocker:
        controller.start()
    assert blocker.args[0]  # why, in words (exit code 3, or the broken pipe to it)
    assert controller.state == "idle" and controller.epoch == 0
    assert controller.shutdown(5000)


def test_a_pause_answered_late_does_not_stop_the_next_run(
    qtbot: QtBot, impatient: TrainingController
) -> None:
    """Pause, then Train again at once: the pause's watchdog is not the new run's."""
    impatient.set_project(dinner_project())
    run_epochs(qtbot, impatient, 2)
    impatient.set_stop_condition("none", None)
    impatient.start()
    impatient.pause()
    impatient.start()  # before the pause was answered
    pid = impatient.process_id
    failures: list[str] = []
    impatient.failed.connect(failures.append)
    epoch = impatient.epoch
    qtbot.waitUntil(lambda: impatient.epoch > epoch + 50, timeout=WAIT_MS)
    qtbot.wait(700)  # longer than the (shortened) watchdog
    assert failures == [] and impatient.state == "running" and impatient.process_id == pid
    impatient.pause()


@POSIX
def test_a_crash_during_save_fails_that_save_at_once_and_spares_the_new_process(
    qtbot: QtBot, controller: TrainingController
) -> None:
    pid = _stopped_mid_run(qtbot, controller)  # it cannot answer the Save...
    threading.Timer(0.3, os.kill, (pid, signal.SIGKILL)).start()  # ...and dies meanwhile
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="did not hand over"):
        controller.capture_into(dinner_project())
    assert time.monotonic() - started < 5  # not the 15 s an unanswered Save may take
    assert controller.epoch == 3 and controller.state == "paused"
    new = controller.process_id
    assert new not in (None, pid)
    run_epochs(qtbot, controller, 2)  # the replacement was not killed: it trains
    assert controller.epoch == 5 and controller.process_id == new


def test_an_error_as_a_run_ends_rolls_back_instead_of_running_forever(
    qtbot: QtBot,
    thread_controller: TrainingController,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The state cannot be handed over (injected on the thread host): the window does not
    stay "running"; it goes back to the last state and trains on from there."""
    c = thread_controller
    c.set_project(dinner_project())
    run_epochs(qtbot, c, 2)
    real = Session.checkpoint

    def broken(self: Session) -> Any:
        raise MemoryError("no room for the state")

    monkeypatch.setattr(Session, "checkpoint", broken)
    with qtbot.waitSignal(c.failed, timeout=WAIT_MS) as blocker:
        c.set_stop_condition("epochs", 3)
        c.start()
    assert "could not hand over" in blocker.args[0]
    qtbot.waitUntil(lambda: c.state == "paused", timeout=WAIT_MS)
    assert c.epoch == 2 and [r.epoch for r in c.history()] == [1, 2]
    monkeypatch.setattr(Session, "checkpoint", real)
    run_epochs(qtbot, c, 2)
    assert c.epoch == 4


def test_a_process_that_keeps_dying_is_not_restarted_for_ever(
    qtbot: QtBot, thread_controller: TrainingController, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's model cannot be loaded where training runs: after a few tries the
    window offers the thread fallback instead of restarting again and again."""
    c = thread_controller
    c.set_project(dinner_project())
    window_thread = threading.current_thread()
    real = Session.from_project.__func__  # type: ignore[attr-defined]

    def only_here(cls: type[Session], project: Any) -> Session:
        if threading.current_thread() is not window_thread:
            raise MemoryError("no room for the model")
        return real(cls, project)  # type: ignore[no-any-return]

    monkeypatch.setattr(Session, "from_project", classmethod(only_here))
    with qtbot.waitSignal(c.unavailable, timeout=WAIT_MS):
        c.start()
    assert c.state == "idle" and c.epoch == 0


def test_a_sequence_chosen_as_a_run_ends_is_shown(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    controller.set_stop_condition("none", None)
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 3, timeout=WAIT_MS)
    controller.pause()
    controller.set_selected_sequence(5)  # the process may have built its last frame already
    qtbot.waitUntil(lambda: controller.state == "paused", timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: recorder.frames[-1].view is not None and recorder.frames[-1].view.index == 5,
        timeout=WAIT_MS,
    )
