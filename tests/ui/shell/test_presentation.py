"""Presentation mode: the editing folds away and comes back; keys move views and steps only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.ui.document.preferences import Preferences
from app.ui.plots import _theme as theme
from app.ui.shell import zoom
from app.ui.shell.presentation import presentation_style
from app.ui.shell.window import MainWindow
from app.ui.tabs.cell import CellView
from app.ui.tabs.compare_epochs import CompareView
from app.ui.tabs.generate import GenerateView
from app.ui.tabs.rnn_vs_lstm import VersusView
from app.ui.tabs.state_map import StateMapView
from tests.ui.helpers import train_epochs

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
DOUG = 2  # doug-jane-spot in the Presets menu


@pytest.fixture(autouse=True)
def _plain_look() -> Iterator[None]:
    """Zoom is application-wide: every test leaves the fonts and lines as it found them."""
    yield
    zoom.apply_font_factor(1.0)
    zoom.apply_line_scale(1.0)


def press(window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.NoModifier) -> None:
    """A key as a person presses it: to the widget with the focus (else the window)."""
    target = window.focusWidget() or window
    QtBot.keyClick(target, key, modifiers)


def test_presentation_folds_away_moves_by_keys_and_comes_back(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.resize(1280, 720)
    window.menu_actions.presets_menu.actions()[DOUG].trigger()
    train_epochs(qtbot, window, 4)
    docks = (window.sequences_dock, window.settings_dock)
    before = [(d.isVisible(), d.geometry().topLeft(), d.width()) for d in docks]
    toolbar = window.menu_actions.toolbar
    assert all(visible for visible, _, _ in before) and toolbar.isVisible()
    window.editor.text_edit.setFocus()
    text, history = window.document.project.text, len(window.controller.history())

    press(window, Key.Key_F11)
    assert window.presenter.active and window.isFullScreen()
    assert not any(d.isVisible() for d in docks)
    assert not toolbar.isVisible() and not window.menuBar().isVisible()
    assert not window.views.tabBar().isVisible()
    assert window.presenter.caption.isVisible()
    assert window.presenter.caption.text().startswith("Train \u00b7 1/6")

    _move_through_every_view(window, qtbot)
    _no_key_edits_or_resets(window, qtbot, text, history)

    press(window, Key.Key_Escape)
    assert not window.presenter.active and not window.isFullScreen()
    qtbot.wait(150)  # the second restore of the docks, after the window manager
    # (Their heights follow the status bar, whose text says "Paused" now.)
    assert [(d.isVisible(), d.geometry().topLeft(), d.width()) for d in docks] == before
    assert toolbar.isVisible() and window.menuBar().isVisible()
    assert window.views.tabBar().isVisible() and not window.presenter.caption.isVisible()
    assert zoom.font_factor() == 1.0 and zoom.line_scale() == 1.0


def _move_through_every_view(window: MainWindow, qtbot: QtBot) -> None:
    views = window.views
    combo = window.plots.sequence_combo
    assert combo.currentIndex() == 0
    press(window, Key.Key_Right)
    assert combo.currentIndex() == 1
    press(window, Key.Key_Left)
    press(window, Key.Key_Left)  # at the first sequence: nothing to go back to
    assert combo.currentIndex() == 0

    press(window, Key.Key_PageDown)
    compare = views.currentWidget()
    assert isinstance(compare, CompareView)
    assert "Compare epochs \u00b7 2/6" in window.presenter.caption.text()
    assert compare.state.follow  # B is the latest epoch…
    press(window, Key.Key_Left)  # … one stored snapshot back
    assert not compare.state.follow and compare.state.epoch_b < window.controller.epoch

    press(window, Key.Key_Tab, CTRL)
    cell = views.currentWidget()
    assert isinstance(cell, CellView)
    qtbot.waitUntil(lambda: cell.view is not None)
    step = cell.state.step
    press(window, Key.Key_Right)
    assert cell.state.step == step + 1

    press(window, Key.Key_PageDown)
    versus = views.currentWidget()
    assert isinstance(versus, VersusView)
    sequence = versus.side_by_side.sequence_combo.currentIndex()
    press(window, Key.Key_Right)
    assert versus.side_by_side.sequence_combo.currentIndex() == sequence + 1

    for kind in (GenerateView, StateMapView):
        press(window, Key.Key_PageDown)
        view = views.currentWidget()
        assert isinstance(view, kind)
        picker = view.controls.epoch if isinstance(view, GenerateView) else view.epoch
        assert picker.choice() is None  # the latest
        press(window, Key.Key_Left)
        chosen = picker.choice()
        assert chosen is not None and chosen < window.controller.epoch

    press(window, Key.Key_PageDown)  # round to the first view
    assert views.currentIndex() == 0
    press(window, Key.Key_Backtab, CTRL)
    assert views.currentIndex() == views.count() - 1
    press(window, Key.Key_3)
    assert views.currentIndex() == 2


def _no_key_edits_or_resets(window: MainWindow, qtbot: QtBot, text: str, history: int) -> None:
    generate = window.views.widget(4)
    assert isinstance(generate, GenerateView)
    window.views.setCurrentIndex(4)
    generate.prompt.setFocus()
    prompt = generate.prompt.text()
    epoch = window.controller.epoch
    for key, mods in [
        (Key.Key_R, CTRL),  # Reset
        (Key.Key_N, CTRL),  # New
        (Key.Key_Z, CTRL),  # Undo
        (Key.Key_E, CTRL),  # Step one epoch
        (Key.Key_A, Qt.NoModifier),
        (Key.Key_Y, Qt.NoModifier),
        (Key.Key_Delete, Qt.NoModifier),
        (Key.Key_Return, Qt.NoModifier),
    ]:
        press(window, key, mods)
    assert window.controller.epoch == epoch and len(window.controller.history()) == history
    assert window.document.project.text == text and generate.prompt.text() == prompt
    assert window.presenter.active

    press(window, Key.Key_Space)  # Space still trains…
    qtbot.waitUntil(lambda: window.controller.state == "running")
    press(window, Key.Key_Space)  # … and pauses
    qtbot.waitUntil(lambda: window.controller.state != "running")


def _tick_size(window: MainWindow) -> float:
    return float(window.plots.loss_plot.loss_plot.getAxis("left").style["tickFont"].pointSizeF())


def test_zoom_keys_scale_text_and_plots_within_limits_and_persist(
    window: MainWindow, qtbot: QtBot
) -> None:
    label: QWidget = window.status.state_label
    sentence = window.views.widget(4).sentence  # a label with a larger font of its own
    assert isinstance(window.views.widget(4), GenerateView)
    label_pt, sentence_pt, tick_pt = (
        label.font().pointSizeF(),
        sentence.font().pointSizeF(),
        _tick_size(window),
    )
    press(window, Key.Key_Equal, CTRL)
    assert window.zoom.percent == 110
    assert label.font().pointSizeF() == pytest.approx(label_pt * 1.1)
    assert sentence.font().pointSizeF() == pytest.approx(sentence_pt * 1.1)
    assert _tick_size(window) == pytest.approx(tick_pt * 1.1)
    assert "110 %" in window.view_actions.zoom_reset.text()

    for _ in range(20):
        press(window, Key.Key_Minus, CTRL)
    assert window.zoom.percent == zoom.MIN_ZOOM
    assert not window.view_actions.zoom_out.isEnabled()
    assert _tick_size(window) == pytest.approx(tick_pt * zoom.MIN_ZOOM / 100)
    assert window.preferences.ui_zoom() == zoom.MIN_ZOOM
    window.zoom.set_percent(250)
    for _ in range(3):
        window.view_actions.zoom_in.trigger()
    assert window.zoom.percent == zoom.MAX_ZOOM and not window.view_actions.zoom_in.isEnabled()
    assert sentence.font().pointSizeF() == pytest.approx(sentence_pt * 3)
    press(window, Key.Key_0, CTRL)
    assert window.zoom.percent == 100
    assert label.font().pointSizeF() == pytest.approx(label_pt)
    assert sentence.font().pointSizeF() == pytest.approx(sentence_pt)
    assert _tick_size(window) == pytest.approx(tick_pt)
    assert window.preferences.ui_zoom() == 100


def test_a_stored_zoom_is_read_back_and_garbage_falls_back(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    preferences = Preferences(settings)
    assert preferences.ui_zoom() == 100  # nothing stored yet
    preferences.set_ui_zoom(150)
    assert (
        Preferences(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)).ui_zoom() == 150
    )
    preferences.set_ui_zoom(10_000)  # clamped on the way in
    assert preferences.ui_zoom() == zoom.MAX_ZOOM
    for garbage in ("banana", "", "1e9", -40, 7, 301, [1, 2], "12.5.3"):
        settings.setValue("view/zoom", garbage)
        assert preferences.ui_zoom() == 100, garbage
    settings.setValue("view/zoom", "125")  # INI files give strings back
    assert preferences.ui_zoom() == 125


def test_the_remembered_zoom_is_applied_at_start(tmp_path: Path, qtbot: QtBot) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    Preferences(settings).set_ui_zoom(150)
    window = QWidget()
    qtbot.addWidget(window)
    label = QLabel("text", window)
    size = label.font().pointSizeF()
    ui_zoom = zoom.UiZoom(Preferences(settings), window)
    ui_zoom.apply()  # what MainWindow does last in __init__
    assert ui_zoom.percent == 150 and zoom.font_factor() == 1.5
    assert label.font().pointSizeF() == pytest.approx(size * 1.5)


def test_presentation_style_enlarges_a_lone_plot_and_gives_it_back(qtbot: QtBot) -> None:
    widget = theme.graphics_widget()
    qtbot.addWidget(widget)
    plot = widget.addPlot()
    theme.style_plot(plot, "title")
    theme.style_axis(plot.getAxis("left"), "loss")
    curve = plot.plot([0, 1, 2], [1, 0, 1], pen=pg.mkPen("#0072B2", width=2))
    label = QLabel("a label")
    qtbot.addWidget(label)
    tick = plot.getAxis("left").style["tickFont"].pointSizeF()
    with presentation_style(widget):
        factor = zoom.PRESENTATION_ZOOM
        assert plot.getAxis("left").style["tickFont"].pointSizeF() == pytest.approx(tick * factor)
        assert curve.opts["pen"].widthF() == pytest.approx(2 * zoom.PRESENTATION_LINES)
        assert plot.titleLabel.opts["size"] == f"{11 * factor:.4g}pt"
        assert theme.LABEL_STYLE["font-size"] == f"{10 * factor:.4g}pt"
    assert plot.getAxis("left").style["tickFont"].pointSizeF() == pytest.approx(tick)
    assert curve.opts["pen"].widthF() == pytest.approx(2)
    assert plot.titleLabel.opts["size"] == "11pt" and theme.LABEL_STYLE["font-size"] == "10pt"


def test_a_bold_button_grows_like_the_text_around_it_not_twice(qtbot: QtBot) -> None:
    """A widget whose own font only makes it bold ("Train both") follows the application
    font: presentation mode drew it 1.25 × 1.25 as large."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    box = QWidget()
    qtbot.addWidget(box)
    button, label = QPushButton("Train both"), QLabel("text")
    font = button.font()
    font.setBold(True)
    button.setFont(font)
    layout = QVBoxLayout(box)
    layout.addWidget(button)
    layout.addWidget(label)
    size = button.font().pointSizeF()
    with presentation_style(box):
        assert button.font().bold()
        assert button.font().pointSizeF() == pytest.approx(label.font().pointSizeF())
        assert button.font().pointSizeF() == pytest.approx(size * zoom.PRESENTATION_ZOOM)
    assert button.font().pointSizeF() == pytest.approx(size)


def test_the_state_map_legend_is_drawn_at_the_presentation_size(qtbot: QtBot) -> None:
    from app.ui.tabs.state_map.plot import LEGEND_POINTS, StateMapPlot

    plot = StateMapPlot()
    qtbot.addWidget(plot)
    with presentation_style(plot):
        plot._set_entries([("red", "#D55E00", "o"), ("blue", "#0072B2", "s")])
        sizes = {label.opts["size"] for _, label in plot.legend.items}
        assert sizes == {f"{LEGEND_POINTS * zoom.PRESENTATION_ZOOM:.4g}pt"}


def test_the_prediction_vector_makes_room_for_larger_labels(qtbot: QtBot) -> None:
    """A few symbols keep a label each at any zoom: the heatmap's minimum height is
    measured again from the larger font (presentation mode thinned doug-jane-spot's five
    symbols to every 2nd)."""
    from dataclasses import replace

    from app.ui.plots import PredictionView
    from app.ui.plots.demo import synthetic_view

    vocab = ("Doug", "saw", "Jane", "Spot", ".")
    base = synthetic_view("lstm", steps=6, hidden=3, vocab=5)
    view = PredictionView()
    qtbot.addWidget(view)
    view.set_view(replace(base, vocabulary=vocab))
    box = view.heatmap.plot.getViewBox()
    before = box.minimumHeight()
    with presentation_style(view):
        assert box.minimumHeight() >= before * zoom.PRESENTATION_ZOOM * 0.95
    assert box.minimumHeight() == pytest.approx(before, abs=1)
