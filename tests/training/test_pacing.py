"""Frames carry their epochs as arrays, and a view that draws slowly paces the worker."""

from __future__ import annotations

import numpy as np
from pytestqt.qtbot import QtBot

from app.analysis.columns import METRICS, report_columns
from app.training.controller import TrainingController
from tests.training.helpers import WAIT_MS, Recorder, dinner_project, run_epochs


def test_frames_carry_their_epochs_as_read_only_columns(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    run_epochs(qtbot, controller, 30)
    for frame in recorder.frames:
        assert set(frame.metrics) == set(METRICS)
        want = report_columns(frame.reports)
        for name in METRICS:
            np.testing.assert_array_equal(frame.metrics[name], want[name])
            assert not frame.metrics[name].flags.writeable
    epochs = np.concatenate([f.metrics["epoch"] for f in recorder.frames])
    np.testing.assert_array_equal(epochs, np.arange(1, 31))
    losses = np.concatenate([f.metrics["train_loss"] for f in recorder.frames])
    np.testing.assert_array_equal(losses, [r.train_loss for r in controller.history()])


def test_report_columns_mark_missing_and_non_finite_values_as_gaps() -> None:
    reports = dinner_project().make_trainer().run(2)
    first, second = list(reports)
    broken = type(first)(**{**first.as_dict(), "train_loss": float("inf"), "val_loss": None})
    columns = report_columns([broken, second])
    assert np.isnan(columns["train_loss"][0]) and np.isnan(columns["val_loss"][0])
    assert columns["train_loss"][1] == second.train_loss
    assert report_columns([])["epoch"].shape == (0,)


def test_the_next_frame_waits_until_the_last_one_is_drawn(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    controller.acknowledge_frames()
    controller.set_refresh_rate(60)
    controller.set_stop_condition("none", None)
    controller.start()
    qtbot.waitUntil(lambda: len(recorder.frames) >= 2, timeout=WAIT_MS)  # load + first
    sent = len(recorder.frames)
    drawn_at = recorder.frames[-1].epoch
    # Training goes on far longer than a refresh interval, but nothing new is sent ...
    qtbot.waitUntil(lambda: controller.epoch >= drawn_at + 40, timeout=WAIT_MS)
    assert len(recorder.frames) == sent
    # ... until the view says it has drawn the frame: then the next one comes.
    controller.frame_drawn()
    qtbot.waitUntil(lambda: len(recorder.frames) == sent + 1, timeout=WAIT_MS)
    controller.frame_drawn()
    qtbot.waitUntil(lambda: len(recorder.frames) >= sent + 2, timeout=WAIT_MS)
    with qtbot.waitSignal(controller.state_changed, timeout=WAIT_MS):
        controller.pause()
    # No epoch was lost on the way: every one arrived once, in order.
    assert recorder.epochs() == list(range(1, controller.epoch + 1))


def test_a_reset_forgets_frames_that_were_never_drawn(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    controller.acknowledge_frames()
    controller.set_stop_condition("none", None)
    controller.start()
    qtbot.waitUntil(lambda: len(recorder.frames) >= 2, timeout=WAIT_MS)
    controller.reset()  # the undrawn frame belongs to the old history
    controller.start()
    qtbot.waitUntil(lambda: len(recorder.frames) >= 4, timeout=WAIT_MS)
    assert recorder.frames[2].replaces_history and recorder.frames[3].epoch >= 1
    controller.pause()


def test_a_drawing_turn_holds_frames_back_and_training_goes_on(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    controller.set_project(dinner_project())
    controller.set_refresh_rate(60)
    controller.set_stop_condition("none", None)
    controller.start()
    qtbot.waitUntil(lambda: len(recorder.frames) >= 2, timeout=WAIT_MS)
    with controller.drawing_turn():
        sent, at = len(recorder.frames), controller.epoch
        # The worker waits only within its drawing allowance, then trains on ...
        qtbot.waitUntil(lambda: controller.epoch >= at + 200, timeout=WAIT_MS)
        # ... but sends nothing into a window that is busy drawing (at 60 per second,
        # 200 epochs would have brought several frames; one may have been on its way).
        assert len(recorder.frames) <= sent + 1
    qtbot.waitUntil(lambda: len(recorder.frames) >= sent + 3, timeout=WAIT_MS)
    with qtbot.waitSignal(controller.state_changed, timeout=WAIT_MS):
        controller.pause()
    assert recorder.epochs() == list(range(1, controller.epoch + 1))
