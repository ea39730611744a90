"""The "Compare epochs" tab on long lines: the window stays responsive, paints stay cheap."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtWidgets import QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.analysis.epoch_cache import SHOWN_STEPS
from app.analysis.sequence_view import view_at
from app.engine.config import ModelConfig
from app.project import Project
from app.training.controller import TrainingController
from app.ui.document.document import Document
from app.ui.tabs.compare_epochs import CompareView
from tests.ui.tabs.test_state_map_busy import Heartbeat

STEPS = 3000


def _long_lines(lines: int = 2, words: int = STEPS + 1) -> Project:
    vocabulary = [f"w{i}" for i in range(50)]
    text = "\n".join(
        " ".join(vocabulary[(k * words + j) % 50] for j in range(words)) for k in range(lines)
    )
    return Project.from_text(text, "words", model=ModelConfig(hidden_size=16))


def test_a_long_line_leaves_the_window_responsive(qtbot: QtBot) -> None:
    project = _long_lines()
    controller = TrainingController()
    controller.set_project(project)
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "other")
    view = CompareView(controller, Document(project))
    tabs.addTab(view, "Compare epochs")
    qtbot.addWidget(tabs)
    tabs.resize(1280, 720)
    tabs.show()
    qtbot.waitExposed(tabs)
    try:
        heart = Heartbeat()
        heart.start()
        tabs.setCurrentWidget(view)
        qtbot.waitUntil(lambda: view.shown is not None and not view.gates.building, timeout=10_000)
        qtbot.wait(200)  # everything painted
        assert heart.longest < 1.5, f"the GUI thread stalled for {heart.longest:.3f} s"
        a = view.shown[0]
        assert a.steps == SHOWN_STEPS
        summary = view.words.summary.text()
        assert f"first {SHOWN_STEPS:,} of the line's {STEPS:,} steps shown" in summary
        model = controller.model()
        snap = controller.snapshot(0)
        assert model is not None and snap is not None
        full = view_at(model[0], snap, model[1], a.index)  # the steps shown are the line's first
        np.testing.assert_allclose(a.hidden, full.hidden[:SHOWN_STEPS], atol=1e-6)
        np.testing.assert_array_equal(view.gates.images("hidden")["a"], a.hidden)
        # A paint of the word rows costs what is in view: zoomed in on 20 steps, far less.
        vb = view.words.plot.vb
        painted = view.words.graphics.viewport()
        started = time.perf_counter()
        painted.repaint()
        whole = time.perf_counter() - started
        assert whole < 0.5, f"painting {SHOWN_STEPS} steps of words took {whole:.3f} s"
        vb.setXRange(100, 120, padding=0)
        image = view.words.graphics.grab()
        assert not image.isNull()
        assert len(view.words.cells.last_painted) <= 30
    finally:
        assert controller.shutdown(5000)
