"""Hidden tabs hold their frames and catch up, in order, when shown."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.training.frames import Frame
from app.ui.plots.demo import synthetic_view
from app.ui.shell.window import MainWindow
from app.ui.tabs.compare_epochs import CompareView
from app.ui.tabs.rnn_vs_lstm.view import VersusView
from app.ui.widgets.frame_inbox import FrameInbox
from tests.ui.helpers import train_epochs
from tests.ui.plots.conftest import reports


def frame(first: int, n: int, replaces: bool = False) -> Frame:
    return Frame(tuple(reports(first, n)), first + n - 1, None, True, replaces_history=replaces)


def _hidden_inbox(qtbot: QtBot) -> tuple[QWidget, FrameInbox, list[Frame]]:
    """A hidden view's inbox and the frames it hands over."""
    view = QWidget()
    qtbot.addWidget(view)
    seen: list[Frame] = []
    return view, FrameInbox(view, seen.append), seen


def test_what_was_held_comes_as_one_frame_with_every_epoch_in_order(qtbot: QtBot) -> None:
    view, inbox, seen = _hidden_inbox(qtbot)
    for first, n in ((1, 3), (4, 2), (6, 4)):
        inbox.receive(frame(first, n))
    view.show()
    qtbot.waitExposed(view)
    inbox.release()
    (merged,) = seen
    assert [r.epoch for r in merged.reports] == list(range(1, 10))
    np.testing.assert_array_equal(merged.metrics["epoch"], np.arange(1, 10))
    np.testing.assert_array_equal(
        merged.metrics["train_loss"], [r.train_loss for r in merged.reports]
    )
    assert merged.epoch == 9 and not merged.replaces_history
    assert not merged.metrics["epoch"].flags.writeable


def test_a_hidden_view_holds_frames_until_shown(qtbot: QtBot) -> None:
    view, inbox, seen = _hidden_inbox(qtbot)
    inbox.receive(frame(1, 2))
    inbox.receive(frame(3, 2))
    assert seen == [] and inbox.held == 2
    view.show()
    qtbot.waitExposed(view)
    inbox.release()
    assert len(seen) == 1 and [r.epoch for r in seen[0].reports] == [1, 2, 3, 4]
    inbox.receive(frame(5, 1))  # visible: handed over at once
    assert len(seen) == 2 and seen[1].epoch == 5 and inbox.held == 0


def test_a_replacing_frame_goes_through_at_once_and_drops_what_was_held(qtbot: QtBot) -> None:
    _, inbox, seen = _hidden_inbox(qtbot)
    inbox.receive(frame(1, 5))
    inbox.receive(frame(1, 2, replaces=True))  # a reset: epochs 1-5 are history no more
    assert len(seen) == 1 and seen[0].replaces_history and inbox.held == 0
    inbox.receive(frame(3, 1))
    inbox.release()
    assert [r.epoch for r in seen[-1].reports] == [3]


def _tab(window: MainWindow, kind: type) -> QWidget:
    for i in range(window.views.count()):
        widget = window.views.widget(i)
        if widget is not None and isinstance(widget, kind):
            return widget
    raise LookupError(kind.__name__)


def test_hidden_tabs_catch_up_with_training_when_shown(window: MainWindow, qtbot: QtBot) -> None:
    compare = _tab(window, CompareView)
    versus = _tab(window, VersusView)
    assert isinstance(compare, CompareView) and isinstance(versus, VersusView)
    assert not compare.isVisible() and not versus.isVisible()
    train_epochs(qtbot, window, 12)
    window.plots.flush()
    assert compare._inbox.held > 0  # the hidden tab did no work
    window.views.setCurrentWidget(compare)
    qtbot.waitUntil(compare.isVisible)
    assert compare._inbox.held == 0
    np.testing.assert_array_equal(
        compare.timeline.history.column("epoch"), np.arange(1, window.controller.epoch + 1)
    )
    window.views.setCurrentWidget(versus)
    qtbot.waitUntil(versus.isVisible)
    np.testing.assert_array_equal(
        versus.plot.series["left"].column("epoch"), np.arange(1, window.controller.epoch + 1)
    )


def test_held_frames_keep_only_the_newest_view(qtbot: QtBot) -> None:
    view, inbox, seen = _hidden_inbox(qtbot)
    views = [synthetic_view("lstm", 5, 4, 3, seed) for seed in range(3)]
    for k, v in enumerate(views):
        inbox.receive(Frame(tuple(reports(1 + 2 * k, 2)), 2 + 2 * k, v, True))
    assert inbox.held == 3 and inbox._batch.view is views[-1]  # the only view kept
    view.show()
    qtbot.waitExposed(view)
    inbox.release()
    assert seen[0].view is views[-1] and [r.epoch for r in seen[0].reports] == list(range(1, 7))
