"""The experiment on the Train tab: a click on a unit's row in a gate heatmap knocks that
unit out (again: back), and the newest epoch's predictions with the experiment are lined
up under the untouched ones, as the engine computes them."""

from __future__ import annotations

import html
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.analysis.experiment import reading
from app.analysis.sequence_view import view_at
from app.engine.intervene import Intervention
from app.ui.shell.window import MainWindow
from app.ui.widgets.experiment_strip import comparison_html
from tests.ui.tabs.test_cell_experiment import doug

MakeWindow = Callable[..., MainWindow]


def test_clicking_a_units_row_knocks_it_out(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    window.document.replace(doug())
    plots = window.plots
    qtbot.waitUntil(lambda: plots.gates.view is not None)
    plots.flush()
    assert not plots.experiment.compare.isVisible()
    gates = plots.gates
    heatmap = gates.heatmaps["forget"]
    at = gates.graphics.mapFromScene(heatmap.scene_pos_of(2, 5))
    qtbot.mouseClick(gates.graphics.viewport(), Qt.MouseButton.LeftButton, pos=at)
    experiment = plots.experiment.experiment
    qtbot.waitUntil(lambda: experiment.intervention.knockout == (5,))
    assert plots.experiment.compare.isVisible()
    model, snapshot = window.controller.model(), window.controller.snapshot(window.controller.epoch)
    assert model is not None and snapshot is not None
    network, data = model
    index = gates.view.index  # type: ignore[union-attr]
    iv = Intervention(knockout=(5,))
    plain, changed = (
        view_at(network, snapshot, data, index),
        view_at(network, snapshot, data, index, iv),
    )
    shown = plots.experiment.compare.text()
    assert shown == comparison_html(plain, changed, iv)  # the engine's runs, lined up
    assert reading(plain, changed, iv) in html.unescape(shown)
    assert not np.array_equal(plain.probs, changed.probs)  # (one unit: the same guesses)
    assert "unit 5" in window.statusBar().currentMessage().lower()
    qtbot.mouseClick(gates.graphics.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(lambda: experiment.intervention.is_empty)
    assert not plots.experiment.compare.isVisible()
