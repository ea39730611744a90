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
from app.engine.intervene import Clamp, Intervention
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


def test_the_gates_show_the_run_with_the_experiment(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    window.document.replace(doug())
    plots = window.plots
    qtbot.waitUntil(lambda: plots.gates.view is not None)
    plots.flush()
    gates = plots.gates

    def shown(key: str) -> np.ndarray:
        image = gates.heatmaps[key].image.image
        assert image is not None
        return np.asarray(image)

    untouched = {key: shown(key).copy() for key in ("output", "hidden")}
    assert np.abs(untouched["hidden"]).max() > 0.01  # (a trained network: not all 0)
    panel = plots.experiment.panel
    panel.apply(Intervention(clamps=(Clamp("select", 0.0),)))
    snapshot = window.controller.snapshot(window.controller.epoch)
    assert snapshot is not None
    np.testing.assert_array_equal(shown("output"), 0.0)  # select held at 0 …
    np.testing.assert_array_equal(shown("hidden"), 0.0)  # … so nothing gets out
    header = html.unescape(gates.header.text())
    assert "with the experiment" in header.lower() and f"epoch {snapshot.epoch:,}" in header
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert plots.experiment.experiment.intervention.is_empty
    for key, values in untouched.items():  # the live gates are back
        np.testing.assert_array_equal(shown(key), values)
    assert "experiment" not in gates.header.text().lower()
