"""A dock squeezed narrow (a layout saved by an older version, a zoomed font) never cuts
the settings panel's rows: its scroll area only scrolls vertically, so it keeps the
panel's minimum width."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.shell.window import MainWindow


def test_the_settings_panel_keeps_its_width_in_a_squeezed_dock(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    window.resize(1600, 1000)
    docks = [window.sequences_dock, window.settings_dock]
    window.resizeDocks(docks, [120, 120], Qt.Orientation.Horizontal)
    for _ in range(3):
        QApplication.processEvents()
    panel = window.settings_panel
    assert panel.width() >= panel.minimumSizeHint().width()
    assert window.settings_dock.width() > panel.minimumSizeHint().width()
