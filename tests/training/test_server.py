"""The training process's loop, spoken to directly over a pipe (no Qt, no window)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import pytest

from app.analysis.stop import StopCondition
from app.training import messages as msg
from app.training.process import FAILED, FINISHED, PAUSED, serve
from tests.training.helpers import dinner_project

WAIT_S = 10.0


class Window:
    """The window's end of the pipe, with the events it received."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.events: list[Any] = []

    def send(self, command: msg.Command) -> None:
        self.conn.send(command)

    def until(self, kind: type, test: Any = None) -> Any:
        """Read events until one of ``kind`` (passing ``test``) arrives; return it."""
        while True:
            assert self.conn.poll(WAIT_S), f"no {kind.__name__} within {WAIT_S} s"
            event = self.conn.recv()
            self.events.append(event)
            if isinstance(event, kind) and (test is None or test(event)):
                return event

    def quiet_for(self, seconds: float) -> list[Any]:
        """Whatever arrives within ``seconds``."""
        got = []
        while self.conn.poll(seconds):
            got.append(self.conn.recv())
        self.events.extend(got)
        return got

    def frames(self) -> list[msg.FrameBuilt]:
        return [e for e in self.events if isinstance(e, msg.FrameBuilt)]


@pytest.fixture
def window() -> Iterator[Window]:
    ours, theirs = Pipe()
    server = threading.Thread(target=serve, args=(theirs, False), daemon=True)
    server.start()
    w = Window(ours)
    w.until(msg.Started)
    yield w
    w.send(msg.Quit())
    server.join(WAIT_S)
    assert not server.is_alive()


def test_a_frame_waits_for_the_last_one_to_be_drawn(window: Window) -> None:
    window.send(msg.Load(1, dinner_project(), 0))
    window.send(msg.SetRefreshRate(0.0))  # as often as credit allows
    window.send(msg.Train(1, False, fresh=True))
    first = window.until(msg.FrameBuilt)
    assert first.generation == 1 and first.frame.running
    assert window.quiet_for(0.3) == []  # training goes on, but no frame without credit
    window.send(msg.Drawn(1))
    second = window.until(msg.FrameBuilt)
    # The epochs trained meanwhile travel together, none lost or repeated.
    epochs = [r.epoch for f in (first, second) for r in f.frame.reports]
    assert epochs == list(range(1, len(epochs) + 1)) and len(second.frame.reports) > 1
    window.send(msg.Pause(1))
    ended = window.until(msg.RunEnded)
    assert (ended.run_id, ended.how) == (1, PAUSED)
    # Its last frame and its exact state came first, in that order.
    assert isinstance(window.events[-3], msg.FrameBuilt) and not window.events[-3].frame.running
    assert isinstance(window.events[-2], msg.Checkpointed)


def test_a_drawn_frame_of_an_old_model_gives_no_credit(window: Window) -> None:
    window.send(msg.Load(1, dinner_project(), 0))
    window.send(msg.SetRefreshRate(0.0))
    window.send(msg.Train(1, False, fresh=True))
    window.until(msg.FrameBuilt)
    window.send(msg.Load(2, dinner_project(), 0))  # e.g. File ▸ Open: the run is dropped
    window.send(msg.Train(2, False, fresh=True))
    window.until(msg.FrameBuilt, lambda e: e.generation == 2)
    window.send(msg.Drawn(1))  # late, about the old model
    assert not any(isinstance(e, msg.FrameBuilt) for e in window.quiet_for(0.3))
    window.send(msg.Pause(2))
    window.until(msg.RunEnded)


def test_a_stop_condition_ends_the_run_exactly_with_the_state_of_a_bare_trainer(
    window: Window,
) -> None:
    project = dinner_project()
    window.send(msg.Load(1, project, 0))
    window.send(msg.SetStopCondition(StopCondition("epochs", 12)))
    window.send(msg.Train(7, False, fresh=True))
    ended = window.until(msg.RunEnded)
    assert (ended.run_id, ended.how, ended.message) == (7, FINISHED, "Reached 12 epochs.")
    state = next(e for e in window.events if isinstance(e, msg.Checkpointed)).state
    assert state.history == [] and state.snapshot_weights == []  # the frames carried those
    reports = [r.epoch for f in window.frames() for r in f.frame.reports]
    assert reports == list(range(1, 13))
    bare = dinner_project().make_trainer()
    list(bare.run(12))
    for name, value in bare.params.as_dict().items():
        assert np.array_equal(state.params[name], value), name
    sent = {s.epoch for f in window.frames() for s in f.snapshots.new}
    assert sent == set(range(1, 13))  # snapshot 0 the window built itself


def test_a_pause_for_a_run_that_already_ended_is_still_answered(window: Window) -> None:
    window.send(msg.Load(1, dinner_project(), 0))
    window.send(msg.Train(1, True, fresh=True))  # a Step
    assert window.until(msg.RunEnded).how == PAUSED
    window.send(msg.Pause(1))  # crossed the step's own end
    again = window.until(msg.RunEnded)
    assert (again.run_id, again.how) == (1, PAUSED)
    window.send(msg.Pause(5))  # a run that never began here
    assert window.until(msg.RunEnded).run_id == 5


def test_a_bad_command_is_reported_and_the_process_goes_on(window: Window) -> None:
    window.send(msg.Load(1, dinner_project(), 0))
    window.send(msg.Select(-5))  # nonsense: the view clamps it
    window.send(msg.SetLearningRate(float("nan")))  # refused by the trainer's settings
    failed = window.until(msg.Failed)
    assert failed.generation == 1 and "Traceback" in failed.details
    window.send(msg.Train(1, True, fresh=True))
    ended = window.until(msg.RunEnded)
    assert (ended.generation, ended.how) == (1, PAUSED)


def test_a_model_that_cannot_be_loaded_leaves_the_process_without_one(window: Window) -> None:
    """It says so (the window then ends it and starts another, or offers a thread)."""
    window.send(msg.Load(1, dinner_project(), 0))
    broken = dinner_project()
    broken.text = "a b c d\n"  # the model does not fit this vocabulary
    window.send(msg.Load(3, broken, 0))
    failed = window.until(msg.Failed)
    assert failed.generation == 3 and "symbols" in failed.message
    window.send(msg.Train(1, False, fresh=True))  # nothing of the old model trains on
    ended = window.until(msg.RunEnded)
    assert (ended.generation, ended.how) == (3, FAILED)
    assert not window.frames()


def test_an_epoch_count_set_while_training_counts_from_the_process_epoch(
    window: Window,
) -> None:
    window.send(msg.Load(1, dinner_project(), 0))
    window.send(msg.Train(1, False, fresh=True))
    first = window.until(msg.FrameBuilt)
    assert first.until_epoch is None  # no stop condition yet
    window.send(msg.SetStopCondition(StopCondition("epochs", 5)))
    ended = window.until(msg.RunEnded)
    last = [e for e in window.events if isinstance(e, msg.FrameBuilt)][-1]
    assert ended.how == FINISHED and last.frame.epoch >= first.frame.epoch + 5
    assert ended.message.startswith("Trained 5 more epochs")


def test_the_process_ends_when_the_window_goes_away() -> None:
    ours, theirs = Pipe()
    server = threading.Thread(target=serve, args=(theirs, False), daemon=True)
    server.start()
    ours.send(msg.Load(1, dinner_project(), 0))
    ours.send(msg.Train(1, False, fresh=True))
    ours.close()  # the window crashed
    server.join(WAIT_S)
    assert not server.is_alive()
