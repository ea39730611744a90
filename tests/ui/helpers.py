"""Helpers shared by the window tests."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.data.presets import load_preset
from app.project import Project
from app.ui.document.document import project_from_preset
from app.ui.shell.window import MainWindow


def train_epochs(qtbot: QtBot, window: MainWindow, epochs: int) -> None:
    """Train ``epochs`` more epochs through the training process, via the Train action."""
    window.edits.set_stop_condition("epochs", epochs)
    start = window.controller.epoch
    with qtbot.waitSignal(window.controller.stop_condition_met, timeout=20_000):
        window.menu_actions.train.trigger()
    qtbot.waitUntil(lambda: window.controller.state != "running", timeout=5000)
    assert window.controller.epoch == start + epochs


def train_headless(project: Project, epochs: int) -> Project:
    """``project`` trained headless for ``epochs`` more epochs, the result captured."""
    trainer = project.make_trainer()
    for _ in trainer.run(epochs):
        pass
    project.capture(trainer)
    return project


def trained_project(preset: str, epochs: int) -> Project:
    """``preset`` trained headless for ``epochs`` epochs."""
    return train_headless(project_from_preset(load_preset(preset)), epochs)
