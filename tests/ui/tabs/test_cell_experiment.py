"""The Experiment on *Inside the cell*: a gate held in the panel is the gate the diagram
shows, the prediction is the engine's intervened one beside the untouched, Clear puts the
trained run back, the weights never change, and the experiment is saved with the project."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
from pytestqt.qtbot import QtBot

from app.analysis.experiment import reading
from app.analysis.sequence_view import view_at
from app.engine.gates import Clamp
from app.engine.intervene import ALL, Intervention
from app.project import Project, load_project, save_project
from app.ui.document.experiment import KEY, Experiment
from app.ui.shell.window import MainWindow
from app.ui.tabs.cell import CellView
from tests.ui.tabs.test_cell import cell_view, trained

MakeWindow = Callable[..., MainWindow]


@cache
def doug() -> Project:
    return trained("lstm", epochs=30)


def opened(make_window: MakeWindow, qtbot: QtBot, project: Project | None = None) -> CellView:
    window = make_window()
    window.document.replace(project or doug())
    view = cell_view(window, qtbot)
    view.set_sequence(0)
    view.set_step(3)
    return view


def engine_views(view: CellView, iv: Intervention) -> tuple[object, object]:
    model, snapshot = view._controller.model(), view._snapshot
    assert model is not None and snapshot is not None
    network, data = model
    return view_at(network, snapshot, data, 0), view_at(network, snapshot, data, 0, iv)


def test_a_gate_held_in_the_panel_is_the_gate_shown_and_clear_restores(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    view = opened(make_window, qtbot)
    untouched = view.diagram.cell_values("output").copy()
    assert not np.all(untouched == 0) and not view.experiment.compare.isVisible()
    row = view.experiment.panel.rows["output"]  # "select", held at 0 (the default value)
    row.check.setChecked(True)
    view.refresh()
    iv = Intervention((Clamp("output", 0.0),))
    assert view.experiment.experiment.intervention == iv
    np.testing.assert_array_equal(view.diagram.cell_values("output"), 0.0)
    np.testing.assert_array_equal(view.diagram.cell_values("hidden"), 0.0)  # select=0 ⇒ h=0
    plain, changed = engine_views(view, iv)
    assert view.view is not None and view.plain is not None
    assert view.view.predicted == changed.predicted  # type: ignore[attr-defined]
    assert view.plain.predicted == plain.predicted  # type: ignore[attr-defined]
    assert len(set(changed.predicted)) == 1 != len(set(plain.predicted))  # type: ignore[attr-defined]
    assert view.experiment.pins.count() == 1  # the select gate, pinned on the diagram
    assert "pinned: held at 0" in view.diagram.label_texts()
    assert view.diagram.title.toPlainText().startswith("With the experiment")
    shown = view.experiment.compare.text()
    assert view.experiment.compare.isVisible()
    assert reading(plain, changed, iv).split("“")[0] in shown  # type: ignore[arg-type]
    assert "untouched predicts" in shown and "experiment predicts" in shown

    row.spin.setValue(0.5)  # the spin box moves the slider and the clamp
    view.refresh()
    assert row.slider.value() == 50
    np.testing.assert_array_equal(view.diagram.cell_values("output"), 0.5)

    view.experiment.panel.clear_button.click()
    view.refresh()
    np.testing.assert_array_equal(view.diagram.cell_values("output"), untouched)
    assert view.experiment.pins.count() == 0 and not view.experiment.compare.isVisible()
    assert "pinned: held at 0" not in view.diagram.label_texts()
    assert view._document.project.ui.get(KEY) is None
    assert not row.check.isChecked()

    # a unit the network does not have, or not a number: refused in one line
    panel = view.experiment.panel
    panel.set_expanded(True)
    panel.units.setText("2, 999")
    panel.units.editingFinished.emit()
    assert panel.error.isVisible() and "999" in panel.error.text()
    assert view.experiment.experiment.intervention.is_empty
    panel.units.setText("two")
    panel.units.editingFinished.emit()
    assert "two" in panel.error.text()
    panel.units.setText("1-2")
    panel.units.editingFinished.emit()
    assert view.experiment.experiment.intervention.knockout == (1, 2)
    assert not panel.error.isVisible()


def test_wipe_here_and_knockout_never_change_the_weights(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    view = opened(make_window, qtbot)
    controller = view._controller
    before = {e: controller.snapshot(e).weights.copy() for e in controller.snapshot_epochs()}  # type: ignore[union-attr]
    view.experiment.wipe_here.click()  # at step 4: the memory is wiped before it
    view.refresh()
    assert view.experiment.experiment.intervention.wipe_after == 3
    assert view.diagram.label_texts().count("wiped before this step") == 2  # c and h
    np.testing.assert_array_equal(view.diagram.cell_values("cell_prev"), 0.0)
    panel = view.experiment.panel
    panel.set_expanded(True)
    panel.all_units.setChecked(True)
    view.refresh()
    assert view.experiment.experiment.intervention.knockout == ALL
    np.testing.assert_array_equal(view.diagram.cell_values("hidden"), 0.0)
    view.experiment.panel.wipe_step.setValue(1)
    view.set_step(0)
    for epoch, weights in before.items():
        np.testing.assert_array_equal(controller.snapshot(epoch).weights, weights)  # type: ignore[union-attr]


def test_the_experiment_is_saved_and_reopened_and_garbage_is_ignored(
    make_window: MakeWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    view = opened(make_window, qtbot)
    iv = Intervention((Clamp("forget", 0.0),), (1,), 5)
    view.experiment.panel.apply(iv)
    path = tmp_path / "doug.lstm"
    save_project(view._document.project, path)
    view._document.replace(replace(doug(), ui={}))
    assert view.experiment.experiment.intervention.is_empty
    view._document.replace(load_project(path), path)
    view.refresh()
    assert view.experiment.experiment.intervention == iv
    assert view.experiment.panel.rows["forget"].check.isChecked()
    assert view.experiment.panel.units.text() == "1"
    np.testing.assert_array_equal(view.diagram.cell_values("forget"), 0.0)

    # garbage in the file: ignored, the project opens with everything else
    for bad in ("garbage", {"clamps": [{"gate": "forget", "value": 7}]}, {"knockout": [99]}):
        view._document.replace(replace(doug(), ui={KEY: bad}))
        view.refresh()
        assert view.experiment.experiment.intervention.is_empty
        assert view.view is not None and not view.experiment.compare.isVisible()
        assert view._document.project.text == doug().text
        assert not view.experiment.panel.rows["forget"].check.isChecked()


def test_an_experiment_that_stops_fitting_is_cleared_with_a_message(
    window: MainWindow, qtbot: QtBot
) -> None:
    experiment = Experiment.of(window.document)
    experiment.set(Intervention((Clamp("forget", 0.0),)))
    seen: list[str] = []
    experiment.dropped.connect(seen.append)
    assert window.edits.change_settings(kind="gru")
    assert experiment.intervention.is_empty
    assert window.document.project.ui.get(KEY) is None
    assert len(seen) == 1 and "forget" in seen[0] and "GRU" in seen[0]
    assert "forget" in window.statusBar().currentMessage()
    experiment.set(Intervention((Clamp("update", 1.0),), (2,)))
    assert window.edits.change_settings(hidden_size=8)  # unit 2 still fits: kept
    assert experiment.intervention.knockout == (2,)
    assert window.edits.change_settings(hidden_size=2)
    assert experiment.intervention.is_empty and "unit 2" in seen[-1]


def test_a_gate_the_model_holds_is_pinned_on_the_diagram(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    """A model trained with its forget gate held open (the 1997 LSTM, ``new --clamp
    forget=1``) shows that gate pinned at 1 and saying so, experiment or not."""
    from app.data.presets import load_preset
    from app.ui.document.document import project_from_preset

    project = project_from_preset(load_preset("doug-jane-spot"))
    project = replace(project, model=replace(project.model, clamp=(("forget", 1.0),)))
    trainer = project.make_trainer()
    list(trainer.run(3))
    project.capture(trainer)
    view = opened(make_window, qtbot, project)
    np.testing.assert_array_equal(view.diagram.cell_values("forget"), 1.0)
    assert view.experiment.pins.count() == 1
    assert "pinned: held at 1 by the model (trained so)" in view.diagram.label_texts()
    view.experiment.panel.rows["output"].check.setChecked(True)  # and an experiment on top
    view.refresh()
    assert view.experiment.pins.count() == 2
