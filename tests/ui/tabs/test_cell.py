"""The "Inside the cell" tab in the window: its numbers are view_at of the chosen snapshot
at the chosen step, keys and selectors move through time and epochs, the model's kind
picks the drawing, selections survive save → load, and training runs alongside."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QFontMetrics, QMouseEvent
from PySide6.QtWidgets import QApplication, QGraphicsTextItem
from pytestqt.qtbot import QtBot

from app.analysis.sequence_view import SequenceView, view_at
from app.data.presets import load_preset
from app.project import Project
from app.ui.document.document import project_from_preset
from app.ui.shell.presentation import presentation_style
from app.ui.shell.window import MainWindow
from app.ui.tabs.cell import CellView
from app.ui.tabs.cell.state import CellState
from app.ui.tabs.cell.texts import KEY, READOUT_IDLE
from tests.ui.conftest import Dialogs, FileDialogs
from tests.ui.helpers import train_epochs

MakeWindow = Callable[..., MainWindow]
LIVE_WAIT_MS = 300  # longer than the view's live refresh interval


def trained(kind: str = "lstm", epochs: int = 12, ui: dict[str, Any] | None = None) -> Project:
    """doug-jane-spot with model ``kind``, trained ``epochs`` epochs (every epoch stored)."""
    project = project_from_preset(load_preset("doug-jane-spot"))
    project = replace(project, model=replace(project.model, kind=kind), ui=ui or {})
    trainer = project.make_trainer()
    list(trainer.run(epochs))
    project.capture(trainer)
    return project


def cell_view(window: MainWindow, qtbot: QtBot) -> CellView:
    view = next(
        w for i in range(window.views.count())
        if isinstance(w := window.views.widget(i), CellView)
    )  # fmt: skip
    window.views.setCurrentWidget(view)
    qtbot.waitUntil(view.isVisible)
    view.refresh()
    return view


def open_trained(make_window: MakeWindow, qtbot: QtBot, **kwargs: object) -> CellView:
    window = make_window()
    window.document.replace(trained(**kwargs))  # type: ignore[arg-type]
    return cell_view(window, qtbot)


def expected(view: CellView, epoch: int, index: int) -> SequenceView:
    model = view._controller.model()
    snapshot = view._controller.snapshot(epoch)
    assert model is not None and snapshot is not None and snapshot.epoch == epoch
    return view_at(model[0], snapshot, model[1], index)


def assert_lstm_step(view: CellView, want: SequenceView, t: int) -> None:
    d = view.diagram
    shown = {key: d.cell_values(key) for key in d.vectors}
    for gate in ("forget", "input", "output", "candidate"):
        np.testing.assert_array_equal(shown[gate], want.gates[gate][t])
    assert want.cell is not None
    previous = want.cell[t - 1] if t > 0 else np.zeros(want.hidden.shape[1])
    np.testing.assert_array_equal(shown["cell_prev"], previous)
    np.testing.assert_array_equal(shown["cell"], want.cell[t])
    np.testing.assert_array_equal(shown["cell_squashed"], np.tanh(want.cell[t]))
    np.testing.assert_array_equal(shown["hidden"], want.hidden[t])
    h_prev = want.hidden[t - 1] if t > 0 else np.zeros(want.hidden.shape[1])
    np.testing.assert_array_equal(shown["hidden_prev"], h_prev)
    # the memory line, read off the diagram: c_t = f_t ⊙ c_t−1 + i_t ⊙ g_t
    memory = shown["forget"] * shown["cell_prev"] + shown["input"] * shown["candidate"]
    np.testing.assert_allclose(shown["cell"], memory, rtol=1e-10, atol=1e-12)


def test_numbers_are_the_snapshot_at_the_chosen_epoch_and_step(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    view = open_trained(make_window, qtbot)
    assert view.diagram.kind == "lstm" and view.state.latest
    assert_lstm_step(view, expected(view, 12, 0), 0)  # the latest epoch, the first step
    view.set_sequence(2)
    view.set_epoch(5)
    view.set_step(3)
    want = expected(view, 5, 2)
    assert_lstm_step(view, want, 3)
    title = view.diagram.title.toPlainText()
    predicted = want.predicted[3]
    assert f"epoch 5 · step 4 of {want.steps}: reading ‘{want.tokens[3]}’" in title
    assert f"predicting ‘{predicted}’ (p = {want.probs[3].max():.2f})" in title
    assert view.steps.label.text() == f"step 4 of {want.steps}"
    probs = view.diagram.probs
    assert probs is not None and probs.words[0].toPlainText().split()[0] == predicted
    assert probs.bars[0].data(0) == pytest.approx(want.probs[3].max())
    assert view.controls.sequence_combo.currentIndex() == 2
    assert not view.controls.latest_check.isChecked()


def test_arrow_keys_buttons_and_slider_step_through_time(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    view = open_trained(make_window, qtbot)
    want = expected(view, 12, 0)
    view.canvas.setFocus()
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    assert view.state.step == 2 and view.steps.slider.value() == 2
    assert_lstm_step(view, want, 2)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Left)
    assert_lstm_step(view, want, 1)
    qtbot.keyClick(view.canvas, Qt.Key.Key_End)
    assert view.state.step == want.steps - 1
    assert not view.steps.forward.isEnabled()
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)  # stays at the last step
    assert_lstm_step(view, want, want.steps - 1)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Home)
    assert view.state.step == 0 and not view.steps.back.isEnabled()
    qtbot.mouseClick(view.steps.forward, Qt.MouseButton.LeftButton)
    assert view.state.step == 1
    view.steps.slider.setValue(4)
    assert_lstm_step(view, want, 4)


def test_epoch_selector_keys_and_nearest_stored(
    make_window: MakeWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.engine.trainer.capacity_for", lambda *args, **kwargs: 5)
    view = open_trained(make_window, qtbot, epochs=16)
    stored = view._controller.snapshot_epochs()
    assert stored[0] == 0 and stored[-1] == 16 and len(stored) <= 5
    view.set_step(2)
    latest = view.diagram.cell_values("forget").copy()
    view.set_epoch(stored[1])
    first = view.diagram.cell_values("forget")
    assert not np.array_equal(first, latest)
    assert_lstm_step(view, expected(view, stored[1], 0), 2)
    qtbot.keyClick(view.canvas, Qt.Key.Key_BracketRight)
    assert view._snapshot is not None and view._snapshot.epoch == stored[2]
    qtbot.keyClick(view.canvas, Qt.Key.Key_PageDown)
    assert view._snapshot.epoch == stored[1]
    view.controls.epoch_spin.stepBy(1)  # the spin box's arrows go to the next stored epoch
    assert view.controls.epoch_spin.value() == stored[2] == view._snapshot.epoch
    between = stored[1] + 1
    assert between not in stored
    view.controls.epoch_spin.setValue(between)  # typed: the nearest stored one is shown
    nearest = min(stored, key=lambda e: (abs(e - between), e))
    assert view._snapshot.epoch == nearest
    assert f"nearest stored: {nearest}" in view.controls.epoch_note.text()
    assert f"nearest stored to {between}" in view.diagram.title.toPlainText()
    assert_lstm_step(view, expected(view, nearest, 0), 2)
    view.controls.latest_check.setChecked(True)
    assert view._snapshot.epoch == 16 and view.state.latest


@pytest.mark.parametrize("kind", ["rnn", "gru"])
def test_the_model_kind_picks_the_drawing(make_window: MakeWindow, qtbot: QtBot, kind: str) -> None:
    view = open_trained(make_window, qtbot, kind=kind)
    assert view.diagram.kind == kind
    view.set_step(3)
    want = expected(view, 12, 0)
    d = view.diagram
    np.testing.assert_array_equal(d.cell_values("hidden"), want.hidden[3])
    np.testing.assert_array_equal(d.cell_values("hidden_prev"), want.hidden[2])
    if kind == "gru":
        for gate in ("reset", "update", "candidate"):
            np.testing.assert_array_equal(d.cell_values(gate), want.gates[gate][3])
        z, n, h = d.cell_values("update"), d.cell_values("candidate"), want.hidden[2]
        np.testing.assert_allclose(d.cell_values("hidden"), (1 - z) * n + z * h, atol=1e-12)
    else:
        assert "memory  ct" not in d.label_texts()


def hover(view: CellView, at: QPoint) -> None:
    """A plain mouse move over the diagram (QTest's mouseMove sends none offscreen)."""
    viewport = view.canvas.viewport()
    event = QMouseEvent(
        QEvent.Type.MouseMove, QPointF(at), QPointF(viewport.mapToGlobal(at)),
        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(viewport, event)


def test_hover_reads_out_a_cell(make_window: MakeWindow, qtbot: QtBot) -> None:
    view = open_trained(make_window, qtbot)
    view.set_step(1)
    cell = view.diagram.vectors["input"].cells[3]
    at = view.canvas.mapFromScene(cell.sceneBoundingRect().center())
    hover(view, at)
    value = expected(view, 12, 0).gates["input"][1][3]
    assert view.steps.readout.text() == f"ignore gate (input) i_t, unit 3: {value:.4f}"
    assert view.canvas.readout_at(at) == view.steps.readout.text()
    hover(view, view.canvas.mapFromScene(view.diagram.title.sceneBoundingRect().center()))
    assert view.steps.readout.text() == READOUT_IDLE


def test_selections_survive_save_and_load(
    make_window: MakeWindow,
    qtbot: QtBot,
    file_dialogs: FileDialogs,
    dialogs: Dialogs,
    tmp_path: Path,
) -> None:
    view = open_trained(make_window, qtbot)
    window = view.window()
    assert isinstance(window, MainWindow)
    view.set_sequence(3)
    view.set_epoch(7)
    view.set_step(5)
    assert window.document.project.ui[KEY] == CellState(3, 7, False, 5).to_json()
    path = tmp_path / "cell.lstmproj"
    file_dialogs.next_save(path)
    assert window.files.save_as()
    window.files.new_from_preset("dinner")
    assert view.state == CellState()
    assert window.files.open_path(path), dialogs.calls
    assert view.state == CellState(3, 7, False, 5)
    assert not window.document.modified  # restoring is not an edit
    qtbot.waitUntil(lambda: view._snapshot is not None and view._snapshot.epoch == 7)
    assert view.controls.sequence_combo.currentIndex() == 3
    assert view.steps.slider.value() == 5 and view.controls.epoch_spin.value() == 7
    assert_lstm_step(view, expected(view, 7, 3), 5)


def test_junk_in_the_file_falls_back(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    junk = {KEY: {"sequence": 999, "epoch": "x", "latest": None, "step": 10**6}}
    window.document.replace(trained(ui=junk))
    view = cell_view(window, qtbot)
    data = view._controller.model()
    assert data is not None
    last = data[1].n_sequences - 1
    assert view.controls.sequence_combo.currentIndex() == last
    assert view.view is not None and view.view.index == last
    assert view.steps.slider.value() == view.view.steps - 1  # clamped to the sequence
    window.document.replace(trained(ui={KEY: ["not", "a", "dict"]}))
    assert view.state == CellState()


def test_text_without_sequences_shows_nothing(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    view = cell_view(window, qtbot)
    window.files.new_empty()
    assert view.diagram.kind == "none" and "Type some sequences" in view.diagram.title.toPlainText()
    assert view.controls.sequence_combo.count() == 0
    assert not view.controls.export_button.isEnabled()
    window.edits.apply_text("a b c a b c\nb c a", "words")
    assert view.diagram.kind == "lstm" and view.controls.sequence_combo.count() == 2
    assert "reading ‘a’" in view.diagram.title.toPlainText()


def test_follows_training_live_only_while_visible(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    view = cell_view(window, qtbot)
    assert view.view is not None and view.view.epoch == 0
    train_epochs(qtbot, window, 6)
    qtbot.waitUntil(lambda: view.view is not None and view.view.epoch == 6, timeout=5000)
    window.views.setCurrentIndex(0)  # the Train tab: the cell view is hidden
    shown = view.view
    train_epochs(qtbot, window, 3)
    qtbot.wait(LIVE_WAIT_MS)
    assert view.view is shown  # nothing recomputed while hidden
    window.views.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.view is not None and view.view.epoch == 9, timeout=5000)
    assert "epoch 9 (latest)" in view.diagram.title.toPlainText()


def test_export_png_and_svg(
    make_window: MakeWindow, qtbot: QtBot, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    view = open_trained(make_window, qtbot)
    file_dialogs.next_save(tmp_path / "cell", "PNG image (*.png)")
    qtbot.mouseClick(view.controls.export_button, Qt.MouseButton.LeftButton)
    png = tmp_path / "cell.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    file_dialogs.next_save(tmp_path / "cell.svg")
    qtbot.mouseClick(view.controls.export_button, Qt.MouseButton.LeftButton)
    svg = (tmp_path / "cell.svg").read_text()
    assert "<svg" in svg and "forget gate" in svg


def test_presentation_draws_the_diagram_larger_and_keeps_the_readout_whole(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    """Presentation mode fits a larger drawing (the scene is scaled to the view, so
    larger fonts alone changed nothing); the read-out under it wraps instead of being cut."""
    view = open_trained(make_window, qtbot, epochs=2)
    view.resize(1280, 680)

    def on_screen(wanted: str) -> float:
        item = next(
            t for t in view.diagram.scene.items()
            if isinstance(t, QGraphicsTextItem) and t.toPlainText().startswith(wanted)
        )  # fmt: skip
        return view.canvas.mapFromScene(item.sceneBoundingRect()).boundingRect().height()

    QApplication.processEvents()
    assert view.diagram.kind == "lstm", view.diagram.label_texts()
    before = on_screen("to the next step")
    with presentation_style(view):
        QApplication.processEvents()
        view.refresh()
        assert view.diagram.zoom > 1
        assert on_screen("to the next step") >= 1.15 * before
        readout = view.steps.readout
        view.steps.resize(640, view.steps.height())
        QApplication.processEvents()
        metrics = QFontMetrics(readout.font())
        need = metrics.boundingRect(
            QRect(0, 0, readout.width(), 10_000), Qt.TextFlag.TextWordWrap, readout.text()
        )
        assert need.width() <= readout.width() and need.height() <= readout.height()
    view.refresh()
    assert view.diagram.zoom == 1.0
