"""Helpers shared by the window tests."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow


def train_epochs(qtbot: QtBot, window: MainWindow, epochs: int) -> None:
    """Train ``epochs`` more epochs through the real worker, via the Train action."""
    window.edits.set_stop_condition("epochs", epochs)
    start = window.controller.epoch
    with qtbot.waitSignal(window.controller.stop_condition_met, timeout=20_000):
        window.menu_actions.train.trigger()
    qtbot.waitUntil(lambda: window.controller.state != "running", timeout=5000)
    assert window.controller.epoch == start + epochs
