"""Model & training ▸ Forget gate: held open, the 1997 LSTM (issue 13's ablation in the window)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.ui.shell.window import MainWindow
from tests.ui.conftest import Dialogs
from tests.ui.helpers import train_epochs

Yes = QMessageBox.StandardButton.Yes
Cancel = QMessageBox.StandardButton.Cancel


def test_holding_the_forget_gate_open_is_a_model_setting(
    window: MainWindow, qtbot: QtBot, dialogs: Dialogs
) -> None:
    panel = window.settings_panel
    check = panel.no_forget_check
    assert check.isEnabled() and not check.isChecked()
    train_epochs(qtbot, window, 1)

    dialogs.answer("question", Cancel)  # a trained model is never lost without asking
    check.setChecked(True)
    assert window.document.project.model.clamp == ()
    assert not check.isChecked() and window.controller.epoch == 1

    dialogs.answer("question", Yes)
    check.setChecked(True)
    assert window.document.project.model.clamp == (("forget", 1.0),)
    assert window.controller.epoch == 0
    train_epochs(qtbot, window, 1)
    window.edits.undo_reset()  # Undo brings the trained LSTM back
    assert window.document.project.model.clamp == ()
    assert not check.isChecked()


def test_other_held_gates_stay_and_a_gru_has_no_forget_gate(
    window: MainWindow, dialogs: Dialogs
) -> None:
    panel = window.settings_panel
    dialogs.answer("question", Yes)
    window.edits.change_settings(clamp=(("output", 1.0),))
    panel.no_forget_check.setChecked(True)
    assert window.document.project.model.clamp == (("forget", 1.0), ("output", 1.0))
    panel.model_combo.setCurrentIndex(panel.model_combo.findData("gru"))
    assert window.document.project.model.kind == "gru"
    assert window.document.project.model.clamp == ()
    assert not panel.no_forget_check.isEnabled() and not panel.no_forget_check.isChecked()
    assert panel.error_label.isHidden()
