"""Helpers shared by the window tests."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.data.presets import load_preset
from app.engine.config import ModelConfig
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


class Heartbeat:
    """A 10 ms timer on the GUI thread; ``longest`` is the longest wait between beats."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.beat)
        self.last = time.perf_counter()
        self.longest = 0.0

    def beat(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()


def long_lines(lines: int, words: int) -> Project:
    """``lines`` lines of ``words`` words each over a 50-word vocabulary (H = 16)."""
    vocabulary = [f"w{i}" for i in range(50)]
    text = "\n".join(
        " ".join(vocabulary[(k * words + j) % 50] for j in range(words)) for k in range(lines)
    )
    return Project.from_text(text, "words", model=ModelConfig(hidden_size=16))


def behind_a_tab(qtbot: QtBot, view: QWidget, title: str) -> QTabWidget:
    """``view`` as the second tab of a shown 1280×720 tab widget, the first one current:
    switching to it is the learner's click on the tab."""
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "other")
    tabs.addTab(view, title)
    qtbot.addWidget(tabs)
    tabs.resize(1280, 720)
    tabs.show()
    qtbot.waitExposed(tabs)
    return tabs
