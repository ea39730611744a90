"""The "Compare epochs" tab: panels equal view_at of the chosen snapshots, selections snap,
step, replay, survive save → load, and keep working while the network trains."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.analysis.sequence_view import SequenceView, view_at
from app.data.presets import load_preset
from app.project import Project
from app.training.controller import TrainingController
from app.ui.document.document import Document, project_from_preset
from app.ui.shell.window import MainWindow
from app.ui.tabs.compare_epochs import CompareView
from app.ui.tabs.compare_epochs.state import KEY
from tests.ui.conftest import FileDialogs
from tests.ui.helpers import train_epochs


def compare_view(window: MainWindow, qtbot: QtBot) -> CompareView:
    """The window's comparison tab, brought to the front (it only draws while visible)."""
    view = next(
        w for i in range(window.views.count())
        if isinstance(w := window.views.widget(i), CompareView)
    )  # fmt: skip
    window.views.setCurrentWidget(view)
    qtbot.waitUntil(view.isVisible)
    view.refresh_now()
    return view


@pytest.fixture(scope="module")
def thinned_project() -> Project:
    """The dinner preset trained 40 epochs with room for only 6 snapshots (built once)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("app.engine.trainer.capacity_for", lambda *args, **kwargs: 6)
        project = project_from_preset(load_preset("dinner"))
        trainer = project.make_trainer()
        list(trainer.run(40))
        project.capture(trainer)
    return project


@dataclass
class Rig:
    """The view on its own: a controller and a document, no main window (quick to build)."""

    controller: TrainingController
    document: Document


@pytest.fixture
def thinned(qtbot: QtBot, thinned_project: Project) -> Iterator[tuple[Rig, CompareView]]:
    project = replace(thinned_project)
    rig = Rig(TrainingController(), Document(project))
    rig.controller.set_project(project)
    view = CompareView(rig.controller, rig.document)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    view.refresh_now()
    yield rig, view
    assert rig.controller.shutdown(5000)


def expected(view: CompareView, epoch: int, index: int | None = None) -> SequenceView:
    model = view._controller.model()
    assert model is not None
    snap = view._controller.snapshot(epoch)
    assert snap is not None and snap.epoch == epoch
    line = view.top.sequence_combo.currentIndex() if index is None else index
    return view_at(model[0], snap, model[1], line)


def shown_epochs(view: CompareView) -> tuple[int, int]:
    assert view.shown is not None
    return view.shown[0].epoch, view.shown[1].epoch


def test_panels_show_view_at_of_the_chosen_snapshots(
    thinned: tuple[Rig, CompareView],
) -> None:
    rig, view = thinned
    epochs = rig.controller.snapshot_epochs()
    assert len(epochs) <= 6 and epochs[0] == 0 and epochs[-1] == 40
    assert shown_epochs(view) == (0, 40)  # defaults: the first and the latest
    view.set_sequence(2)
    view.set_epoch("a", epochs[1])
    view.refresh_now()
    a, b = expected(view, epochs[1], 2), expected(view, 40, 2)
    for key in ("forget", "input", "output", "candidate"):
        images = view.gates.images(key)
        np.testing.assert_array_equal(images["a"], a.gates[key])
        np.testing.assert_array_equal(images["b"], b.gates[key])
        np.testing.assert_array_equal(images["diff"], b.gates[key] - a.gates[key])
    np.testing.assert_array_equal(view.gates.images("cell")["b"], b.cell)
    np.testing.assert_array_equal(view.gates.images("hidden")["a"], a.hidden)
    for key, row in view.gates.rows.items():
        levels = {col: tuple(h.image.levels) for col, h in row.heatmaps.items()}
        assert levels["a"] == levels["b"], key  # one shared scale for A and B
        lo, hi = levels["diff"]
        assert lo == -hi and hi > 0, key  # symmetric around "no change"
    np.testing.assert_array_equal(view.words.probabilities[0], a.probs.max(axis=1))
    np.testing.assert_array_equal(view.words.right[1], b.correct)
    assert view.words.cells.words[1] == a.predicted
    assert view.words.cells.words[0] == a.targets
    x, _ = view.timeline.marker_points()
    assert list(x) == epochs  # a dot for every stored snapshot
    assert view.timeline.lines["a"].value() == epochs[1]
    assert view.timeline.lines["b"].value() == 40


def test_typed_epochs_snap_to_the_nearest_stored_one(
    thinned: tuple[Rig, CompareView],
) -> None:
    rig, view = thinned
    epochs = rig.controller.snapshot_epochs()
    wanted = epochs[2] + 1  # not stored: thinned away
    assert wanted not in epochs
    view.selectors.spins["a"].setValue(wanted)  # as if typed and confirmed
    view.refresh_now()
    assert shown_epochs(view)[0] == epochs[2]
    assert view.selectors.spins["a"].value() == epochs[2]
    assert f"nearest stored to {wanted}" in view.selectors.infos["a"].text()
    view.timeline.picked.emit("b", epochs[3] - 1)  # a click next to a dot
    view.refresh_now()
    assert shown_epochs(view) == (epochs[2], epochs[3])
    assert not view.selectors.follow.isChecked()  # B was chosen by hand


def test_keys_and_arrows_step_through_stored_epochs(
    thinned: tuple[Rig, CompareView], qtbot: QtBot
) -> None:
    rig, view = thinned
    epochs = rig.controller.snapshot_epochs()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    shortcuts = {s.key().toString(): s for s in view.findChildren(QShortcut)}
    assert set(shortcuts) == {"[", "]", ",", "."}
    qtbot.keyClick(view.gates, Qt.Key.Key_BracketRight)
    view.refresh_now()
    assert shown_epochs(view)[0] == epochs[1]
    shortcuts[","].activated.emit()
    shortcuts[","].activated.emit()
    view.refresh_now()
    assert shown_epochs(view) == (epochs[1], epochs[-3])
    spin = view.selectors.spins["b"]
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    view.refresh_now()
    assert shown_epochs(view)[1] == epochs[-2]
    qtbot.keyClick(spin, Qt.Key.Key_PageUp)  # far past the end: clamped to the latest
    view.refresh_now()
    assert shown_epochs(view)[1] == epochs[-1]
    assert QKeySequence("[").toString() in view.selectors.spins["a"].toolTip()


def test_linked_axes_zoom_every_panel(thinned: tuple[Rig, CompareView]) -> None:
    _, view = thinned
    row = view.gates.rows["forget"]
    row.heatmaps["a"].plot.setXRange(2.0, 5.0, padding=0)
    for key in ("input", "cell"):
        for heatmap in view.gates.rows[key].heatmaps.values():
            assert heatmap.plot.vb.viewRange()[0] == pytest.approx([2.0, 5.0])
    for heatmap in row.heatmaps.values():
        assert heatmap.plot.vb.viewRange()[0] == pytest.approx([2.0, 5.0])
    assert view.words.plot.vb.viewRange()[0] == pytest.approx([2.0, 5.0])
    view.words.plot.setXRange(1.0, 3.0, padding=0)
    assert row.heatmaps["b"].plot.vb.viewRange()[0] == pytest.approx([1.0, 3.0])


def test_show_one_gate(thinned: tuple[Rig, CompareView]) -> None:
    rig, view = thinned
    combo = view.top.show_combo
    combo.setCurrentIndex(combo.findData("output"))
    assert view.gates.shown_keys() == ("output",)
    assert [k for k, row in view.gates.rows.items() if row.graphics.isVisible()] == ["output"]
    assert rig.document.project.ui[KEY]["show"] == "output"
    b = expected(view, 40)
    np.testing.assert_array_equal(view.gates.images("output")["b"], b.gates["output"])


def test_replay_runs_through_every_snapshot_and_stops(
    thinned: tuple[Rig, CompareView], qtbot: QtBot
) -> None:
    rig, view = thinned
    epochs = rig.controller.snapshot_epochs()
    seen: list[int] = []
    original = view.show_views

    def record(a: object, b: object) -> None:
        original(a, b)  # type: ignore[arg-type]
        if b is not None:
            seen.append(b.epoch)

    view.show_views = record  # type: ignore[method-assign]
    view.replay.set_speed(60)
    view.replay.button.click()
    assert view.replay.playing
    qtbot.waitUntil(lambda: not view.replay.playing, timeout=5000)
    assert seen == epochs  # from the first snapshot to the last, each once
    assert view.replay.progress.value() == view.replay.progress.maximum()
    assert not view.replay.button.isChecked()
    assert rig.document.project.ui[KEY]["epoch_b"] == 40


def test_clicks_on_the_timeline_pick_a_and_b(
    thinned: tuple[Rig, CompareView], qtbot: QtBot
) -> None:
    rig, view = thinned
    epochs = rig.controller.snapshot_epochs()
    vb = view.timeline.plot.vb
    graphics = view.timeline.graphics

    def click(epoch: int, button: Qt.MouseButton) -> None:
        scene = vb.mapViewToScene(QPointF(epoch, float(np.mean(vb.viewRange()[1]))))
        point = graphics.mapFromScene(scene)
        qtbot.mouseClick(graphics.viewport(), button, pos=point)

    click(epochs[2], Qt.MouseButton.LeftButton)
    click(epochs[1], Qt.MouseButton.RightButton)
    view.refresh_now()
    assert shown_epochs(view) == (epochs[2], epochs[1])


def test_selections_survive_save_and_load(
    make_window: Callable[..., MainWindow],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    train_epochs(qtbot, window, 8)
    view = compare_view(window, qtbot)
    view.set_sequence(3)
    view.set_epoch("a", 2)
    view.set_epoch("b", 5)
    view.top.show_combo.setCurrentIndex(view.top.show_combo.findData("cell"))
    path = tmp_path / "compare.lstmproj"
    assert window.files.write(path)

    other = make_window(path)
    reopened = compare_view(other, qtbot)
    assert shown_epochs(reopened) == (2, 5)
    assert reopened.top.sequence_combo.currentIndex() == 3
    assert not reopened.selectors.follow.isChecked()
    assert reopened.gates.shown_keys() == ("cell",)
    assert not other.document.modified  # restoring is not an edit
    b = expected(reopened, 5, 3)
    np.testing.assert_array_equal(reopened.gates.images("cell")["b"], b.cell)


def test_junk_in_the_file_falls_back_to_defaults(window: MainWindow, qtbot: QtBot) -> None:
    bad = {"epoch_a": -3, "epoch_b": "7", "follow": 1, "speed": 1e9, "show": ["forget"],
           "sequence": 999}  # fmt: skip
    view = compare_view(window, qtbot)
    for junk in (None, "x", [1, 2], bad):
        window.document.replace(replace(window.document.project, ui={KEY: junk}))
        view.refresh_now()
        assert shown_epochs(view) == (0, 0)
        assert view.replay.speed.value() <= 60
        combo = view.top.sequence_combo
        assert 0 <= combo.currentIndex() < combo.count()
        assert not window.document.modified


def test_works_while_training(window: MainWindow, qtbot: QtBot) -> None:
    view = compare_view(window, qtbot)
    window.edits.set_stop_condition("epochs", 60)
    with qtbot.waitSignal(window.controller.stop_condition_met, timeout=30_000):
        window.menu_actions.train.trigger()
        qtbot.waitUntil(lambda: window.controller.epoch >= 3, timeout=10_000)
        view.set_sequence(1)
        view.step_epoch("a", 1)
        qtbot.waitUntil(lambda: view.shown is not None and view.shown[1].epoch >= 5)
        view.selectors.follow.setChecked(True)
    view.refresh_now()
    assert shown_epochs(view) == (1, 60)  # B followed training to its end
    assert view.shown is not None and view.shown[0].index == 1
    assert view.cache.computed < 200  # coalesced: not a forward pass per frame
    spin = view.selectors.spins["b"].value()
    assert view.words.drawn_row_names()[1:] == ["A · epoch 1", f"B · epoch {spin:,}"]


def test_export_image(
    thinned: tuple[Rig, CompareView], file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    _, view = thinned
    for name in ("compare.png", "compare.svg"):
        file_dialogs.next_save(tmp_path / name)
        view.top.export_button.click()
        assert (tmp_path / name).stat().st_size > 1000


def test_follows_the_train_tabs_line_until_one_is_chosen_here(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = compare_view(window, qtbot)
    window.plots.sequence_combo.setCurrentIndex(2)
    view.refresh_now()
    assert view.top.sequence_combo.currentIndex() == 2
    assert view.shown is not None and view.shown[0].index == 2
    view.top.sequence_combo.setCurrentIndex(4)  # chosen here: the Train tab no longer leads
    window.plots.sequence_combo.setCurrentIndex(1)
    view.refresh_now()
    assert view.shown is not None and view.shown[0].index == 4


@pytest.mark.parametrize(
    ("kind", "rows"), [("rnn", ["hidden"]), ("gru", ["reset", "update", "candidate", "hidden"])]
)
def test_other_models_show_their_own_gates(
    window: MainWindow, qtbot: QtBot, kind: str, rows: list[str]
) -> None:
    view = compare_view(window, qtbot)
    assert window.edits.change_settings(kind=kind)
    train_epochs(qtbot, window, 2)
    view.refresh_now()
    assert list(view.gates.rows) == rows
    combo = view.top.show_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["all", *rows]
    b = expected(view, 2)
    np.testing.assert_array_equal(view.gates.images("hidden")["b"], b.hidden)


def test_hover_reads_a_b_and_the_change(thinned: tuple[Rig, CompareView]) -> None:
    _, view = thinned
    heatmap = view.gates.rows["forget"].heatmaps["diff"]
    heatmap.plot.scene().sigMouseMoved.emit(heatmap.scene_pos_of(2, 3))
    a, b = view.shown or (None, None)
    assert a is not None and b is not None
    va, vb = a.gates["forget"][2, 3], b.gates["forget"][2, 3]
    assert f"B − A {vb - va:+.3f}" in view.readout.text()
    assert f"unit 3 · step 3 of {a.steps}" in view.readout.text()
    assert view.words.step_outline.isVisible()  # the same step outlined on the predictions
    assert view.words.step_outline.rect().center().x() == 2


def test_the_row_names_always_draw_the_epochs_shown(thinned: tuple[Rig, CompareView]) -> None:
    """pyqtgraph drops a tick label wider than its axis: a long epoch number must widen
    the axis instead of vanishing (or leaving an older name on screen)."""
    _, view = thinned
    a, b = view.shown or (None, None)
    assert a is not None and b is not None
    spin = view.selectors.spins["b"]
    assert view.words.drawn_row_names() == [
        "true next",
        "A · epoch 0",
        f"B · epoch {spin.value():,}",
    ]
    for epoch in (2_091, 1_234_567, 2_000_000_000):
        view.words.set_views(a, replace(b, epoch=epoch))
        QApplication.processEvents()  # the layout gives the axis its new width
        assert view.words.drawn_row_names()[2] == f"B · epoch {epoch:,}"
