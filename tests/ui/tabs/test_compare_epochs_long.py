"""The "Compare epochs" tab on long lines: the window stays responsive, paints stay cheap."""

from __future__ import annotations

import time

import numpy as np
from pytestqt.qtbot import QtBot

from app.analysis.epoch_cache import SHOWN_STEPS
from app.analysis.sequence_view import view_at
from app.training.controller import TrainingController
from app.ui.document.document import Document
from app.ui.tabs.compare_epochs import CompareView
from tests.ui.helpers import Heartbeat, behind_a_tab, long_lines

STEPS = 3000


def test_a_long_line_leaves_the_window_responsive(qtbot: QtBot) -> None:
    project = long_lines(2, STEPS + 1)
    controller = TrainingController()
    controller.set_project(project)
    view = CompareView(controller, Document(project))
    tabs = behind_a_tab(qtbot, view, "Compare epochs")
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
