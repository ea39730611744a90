"""Launching: the default project, the title, the help texts, the menus."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QWidget,
)
from pytestqt.qtbot import QtBot

import app
from app.data import list_presets
from app.ui.shell import about
from app.ui.shell.help_window import HelpWindow
from app.ui.shell.window import MainWindow
from tests.ui.conftest import Dialogs


def test_opens_on_the_dinner_preset_ready_to_train(window: MainWindow) -> None:
    assert window.isVisible()
    assert window.document.project.preset == "dinner"
    assert window.document.path is None
    assert not window.isWindowModified()
    assert window.windowTitle() == "Untitled \u2014 dinner[*] \u2014 LSTM Playground"
    assert window.edits.trainable
    assert window.menu_actions.train.isEnabled()
    assert window.controller.state == "idle"
    assert window.controller.epoch == 0
    assert window.editor.text_edit.toPlainText() == window.document.project.text
    assert window.plots.sequence_combo.count() == window.document.project.data().n_sequences


def test_the_window_shows_within_two_seconds(make_window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    make_window()
    assert time.perf_counter() - started < 2.0


def test_every_control_and_plot_has_a_tooltip(window: MainWindow) -> None:
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QSlider)
    missing = []
    for panel in (window.editor, window.settings_panel):
        for widget in panel.findChildren(QWidget):
            if not isinstance(widget, kinds):
                continue
            owner, text = widget, widget.toolTip()
            while not text and owner.parentWidget() not in (None, panel):
                owner = owner.parentWidget()
                text = owner.toolTip()
            if not text and not isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox):
                missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert not missing
    for plot in (window.plots.loss_plot, window.plots.gates, window.plots.predictions):
        assert plot.toolTip()
    for action in (window.menu_actions.train, window.menu_actions.step, window.menu_actions.reset):
        assert action.toolTip()
    assert window.menu_actions.refresh_combo.toolTip()


def test_tooltips_speak_the_lecture(window: MainWindow) -> None:
    panel = window.settings_panel
    assert "forget" in panel.model_combo.itemData(0, 3).lower()  # ToolTipRole
    assert "memory" in panel.hidden_spin.toolTip()
    assert "live" in panel.lr_control.toolTip().lower()
    assert "starts the model again" in panel.batch_spin.toolTip()


def test_presets_menu_lists_every_preset_with_its_explanation(window: MainWindow) -> None:
    actions = window.menu_actions.presets_menu.actions()
    presets = list_presets()
    assert [a.text() for a in actions] == [p.title for p in presets]
    assert [a.toolTip() for a in actions] == [p.description for p in presets]


def test_about_box_names_the_version_and_the_lecture(window: MainWindow, dialogs: Dialogs) -> None:
    window.menu_actions.about.trigger()
    (kind, _, text) = dialogs.calls[-1]
    assert kind == "about"
    assert app.__version__ in text
    assert "lecture" in text


def test_documentation_opens_the_local_docs_inside_the_app(window: MainWindow) -> None:
    window.menu_actions.documentation.trigger()
    help_window = window.findChild(HelpWindow)
    assert help_window is not None and help_window.isVisible()
    assert Path(help_window.browser.source().toLocalFile()) == about.docs_path()
    assert "Using LSTM Playground" in help_window.browser.toPlainText()


def test_standard_shortcuts(window: MainWindow) -> None:
    a = window.menu_actions
    assert a.train.shortcut().toString() == "Space"
    for action in (a.new, a.open, a.save, a.save_as, a.quit):
        assert not action.shortcut().isEmpty()
