"""Training through the training process, driven from the window's actions."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.engine.network import LossStats, Network
from app.training.connection import TrainingConnection
from app.ui.shell.self_test import plot_contents
from app.ui.shell.window import MainWindow
from tests.ui.helpers import train_epochs


def captured_weights(window: MainWindow) -> np.ndarray:
    project = window.document.project
    window.controller.capture_into(project)
    _, params = project.weights()
    return params.buffer.copy()


def test_training_fills_the_plots(window: MainWindow, qtbot: QtBot) -> None:
    train_epochs(qtbot, window, 4)
    plots = window.plots
    qtbot.waitUntil(lambda: plots.gates.view is not None and plots.gates.view.epoch == 4)
    x, y = plots.loss_plot.curves["train_loss"].getData()
    assert list(x) == [1, 2, 3, 4]
    assert np.all(np.isfinite(y))
    images = [i for i in plots.gates.graphics.scene().items() if isinstance(i, pg.ImageItem)]
    assert len([i for i in images if i.image is not None]) == 6  # 4 gates, memory, hidden
    assert plots.predictions.heatmap is not None
    _, pictures = plot_contents(plots.predictions)
    assert pictures == 1
    assert window.isWindowModified()  # training progress is unsaved work
    assert window.status.epoch_label.text() == "Epoch 4"
    assert window.status.progress.value() == 1000  # "after 4 epochs" is done
    assert window.status.state_label.text() == "Stopped"
    assert "loss" in window.status.metrics_label.text()


def test_pause_resume_and_step(window: MainWindow, qtbot: QtBot) -> None:
    c, a = window.controller, window.menu_actions
    window.edits.set_stop_condition("none", 0.0)
    with qtbot.waitSignal(c.state_changed, check_params_cb=lambda s: s == "running"):
        a.train.trigger()
    assert a.train.text() == "&Pause"
    qtbot.waitUntil(lambda: c.epoch >= 2, timeout=10_000)
    with qtbot.waitSignal(c.state_changed, check_params_cb=lambda s: s == "paused"):
        a.train.trigger()
    paused_at = c.epoch
    assert a.train.text() == "&Train"
    QApplication.processEvents()
    assert c.epoch == paused_at  # paused means paused

    with qtbot.waitSignal(c.state_changed, check_params_cb=lambda s: s == "paused"):
        a.step.trigger()
    assert c.epoch == paused_at + 1

    with qtbot.waitSignal(c.state_changed, check_params_cb=lambda s: s == "running"):
        a.train.trigger()  # resume
    qtbot.waitUntil(lambda: c.epoch >= paused_at + 3, timeout=10_000)
    with qtbot.waitSignal(c.state_changed, check_params_cb=lambda s: s == "paused"):
        a.train.trigger()


def test_reset_gives_identical_starting_weights(window: MainWindow, qtbot: QtBot) -> None:
    initial = captured_weights(window)
    train_epochs(qtbot, window, 3)
    trained = captured_weights(window)
    assert not np.array_equal(initial, trained)
    window.menu_actions.reset.trigger()
    window.plots.flush()
    assert window.controller.epoch == 0
    assert window.controller.state == "idle"
    np.testing.assert_array_equal(captured_weights(window), initial)
    x, _ = window.plots.loss_plot.curves["train_loss"].getData()
    assert x is None or len(x) == 0
    # ... and training again retraces the same path exactly.
    train_epochs(qtbot, window, 3)
    np.testing.assert_array_equal(captured_weights(window), trained)


def test_learning_rate_changes_live_and_keeps_the_model(
    window: MainWindow, qtbot: QtBot, dialogs
) -> None:  # type: ignore[no-untyped-def]
    train_epochs(qtbot, window, 3)
    before = captured_weights(window)
    window.settings_panel.lr_control.spin.setValue(0.005)
    assert dialogs.calls == []  # no "reset?" question for a live setting
    assert window.controller.epoch == 3
    np.testing.assert_array_equal(captured_weights(window), before)
    assert window.document.project.train.learning_rate == 0.005
    train_epochs(qtbot, window, 2)
    assert window.controller.history()[-1].learning_rate == 0.005
    assert window.controller.epoch == 5


def test_learning_rate_slider_and_spin_box_agree(window: MainWindow) -> None:
    lr = window.settings_panel.lr_control
    lr.slider.setValue(lr.slider.maximum())
    assert lr.spin.value() == 10.0
    assert window.document.project.train.learning_rate == 10.0
    lr.spin.setValue(1e-4)
    assert lr.slider.value() == 100  # one decade above the minimum, 100 ticks a decade
    assert window.document.project.train.learning_rate == 1e-4


def test_refresh_rate_applies_live_and_persists(window: MainWindow, make_window) -> None:  # type: ignore[no-untyped-def]
    combo = window.menu_actions.refresh_combo
    combo.setCurrentIndex(combo.findData(5))
    assert window.preferences.refresh_rate() == 5
    second = make_window()
    assert second.menu_actions.refresh_combo.currentData() == 5


def test_space_trains_but_not_while_typing(window: MainWindow, qtbot: QtBot) -> None:
    c = window.controller
    window.edits.set_stop_condition("none", 0.0)
    editor = window.editor.text_edit
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Space)
    assert c.state == "idle"
    assert editor.toPlainText().endswith(" ")
    window.plots.sequence_combo.setFocus()
    window.menu_actions.toolbar.setFocus()
    qtbot.keyClick(window.menu_actions.toolbar, Qt.Key.Key_Space)
    assert c.state == "running"
    with qtbot.waitSignal(c.state_changed, check_params_cb=lambda s: s == "paused"):
        qtbot.keyClick(window.menu_actions.toolbar, Qt.Key.Key_Space)


def test_a_nan_loss_shows_a_banner_and_the_app_goes_on(
    make_window: Callable[..., MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fault is injected here, so training runs on a thread of this process (the
    # same server code as the training process; see tests/training/conftest.py).
    monkeypatch.setenv("LSTM_PLAYGROUND_TRAINING", "thread")
    window = make_window()
    real = Network.loss_and_grads
    calls, broken = [0], [True]

    def diverging(self: Network, *args: Any, **kwargs: Any) -> LossStats:
        stats = real(self, *args, **kwargs)
        calls[0] += 1
        nan = broken[0] and calls[0] > 4
        return LossStats(float("nan"), 0, stats.n_tokens) if nan else stats

    monkeypatch.setattr(Network, "loss_and_grads", diverging)
    window.edits.set_stop_condition("epochs", 500)
    with qtbot.waitSignal(window.controller.failed, timeout=20_000) as failed:
        window.menu_actions.train.trigger()
    qtbot.waitUntil(lambda: window.controller.state == "paused")
    banner = window.plots.banner
    assert banner.isVisible()
    assert banner.kind == "error"
    assert failed.args[0] in banner.message.text()
    assert "NaN" in banner.message.text()

    broken[0] = False
    window.settings_panel.lr_control.spin.setValue(0.01)
    train_epochs(qtbot, window, 1)  # still usable
    banner.close_button.click()
    assert not banner.isVisible()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_a_killed_training_process_is_reported_and_training_goes_on(
    window: MainWindow, qtbot: QtBot
) -> None:
    train_epochs(qtbot, window, 3)
    c = window.controller
    window.edits.set_stop_condition("none", 0)
    window.menu_actions.train.trigger()
    qtbot.waitUntil(lambda: c.epoch >= 6, timeout=20_000)
    pid = c.process_id
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    banner = window.plots.banner
    qtbot.waitUntil(banner.isVisible, timeout=20_000)
    assert "training process ended" in banner.message.text()
    assert c.state == "paused" and c.epoch == 3  # the last good state: where that run began
    assert window.status.epoch_label.text() == "Epoch 3"
    assert window.menu_actions.train.text() == "&Train"
    train_epochs(qtbot, window, 2)  # a new process took over
    assert c.process_id not in (None, pid) and c.epoch == 5


def test_without_a_training_process_the_window_offers_a_thread(
    make_window: Callable[..., MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_start = TrainingConnection.start

    def refuse(self: TrainingConnection) -> None:
        if not self.on_thread:
            raise OSError("Resource temporarily unavailable")
        real_start(self)

    monkeypatch.setattr(TrainingConnection, "start", refuse)
    window = make_window()
    window.menu_actions.train.trigger()
    banner = window.plots.banner
    assert banner.isVisible() and "could not start" in banner.message.text()
    assert "Resource temporarily unavailable" in banner.message.text()
    assert window.controller.state == "idle"
    button = banner.action_button
    assert button.isVisible() and "slower" in button.text()
    button.click()
    assert not banner.isVisible() and not window.controller.trains_in_process
    train_epochs(qtbot, window, 2)
    assert "slower" in window.status.state_label.text()
