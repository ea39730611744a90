"""FramePacer: frames coalesce into one redraw, and are acknowledged once painted."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from app.training.frames import Frame
from app.ui.plots import _theme as theme
from app.ui.plots.pacing import FrameBatch, FramePacer


class FakeController(QObject):
    frame_ready = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.acknowledging = False
        self.drawn = 0

    def acknowledge_frames(self) -> None:
        self.acknowledging = True

    def frame_drawn(self) -> None:
        self.drawn += 1


def _pacer(qtbot: QtBot, show: bool) -> tuple[FakeController, FramePacer, list[FrameBatch]]:
    controller, batches = FakeController(), []
    canvas = theme.graphics_widget()
    qtbot.addWidget(canvas)
    curve = canvas.addPlot().plot()

    def draw(batch: FrameBatch) -> None:
        batches.append(batch)
        metrics = batch.metrics()
        curve.setData(metrics["epoch"], metrics["train_loss"])

    pacer = FramePacer(controller, draw, [canvas])  # type: ignore[arg-type]
    if show:
        canvas.show()
        qtbot.waitExposed(canvas)
    return controller, pacer, batches


def test_frames_coalesce_and_are_acknowledged_after_painting(qtbot, make_reports) -> None:
    controller, pacer, batches = _pacer(qtbot, show=True)
    assert controller.acknowledging
    reports = make_reports(1, 10)
    controller.frame_ready.emit(Frame(tuple(reports[:4]), 4, None, True))
    controller.frame_ready.emit(Frame(tuple(reports[4:]), 10, None, True))
    assert pacer.pending and not batches  # drawn later, from the event loop
    qtbot.waitUntil(lambda: controller.drawn == 1)
    assert len(batches) == 1 and batches[0].frames == 2
    np.testing.assert_array_equal(batches[0].metrics()["epoch"], np.arange(1, 11))


def test_a_replacing_frame_drops_the_epochs_before_it(qtbot, make_reports) -> None:
    controller, pacer, batches = _pacer(qtbot, show=True)
    controller.frame_ready.emit(Frame(tuple(make_reports(1, 5)), 5, None, True))
    controller.frame_ready.emit(Frame(tuple(make_reports(1, 2)), 2, None, False, True))
    controller.frame_ready.emit(Frame(tuple(make_reports(3, 1)), 3, None, True))
    pacer.flush()
    assert batches[0].replaces_history
    np.testing.assert_array_equal(batches[0].metrics()["epoch"], [1, 2, 3])


def test_hidden_plots_acknowledge_at_once(qtbot, make_reports) -> None:
    controller, pacer, batches = _pacer(qtbot, show=False)
    controller.frame_ready.emit(Frame(tuple(make_reports(1, 3)), 3, None, True))
    qtbot.waitUntil(lambda: controller.drawn == 1)
    assert len(batches) == 1
    pacer.discard()  # nothing pending: still says so, so the worker never waits
    qtbot.waitUntil(lambda: controller.drawn == 2)
