"""Model & training ▸ Bias init: a model setting, asked for on a trained model, undoable."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.engine.config import BIAS_INITS
from app.ui.shell.window import MainWindow
from tests.ui.conftest import Dialogs
from tests.ui.helpers import train_epochs

Yes = QMessageBox.StandardButton.Yes
Cancel = QMessageBox.StandardButton.Cancel


def test_the_bias_scheme_is_a_model_setting(
    window: MainWindow, qtbot: QtBot, dialogs: Dialogs
) -> None:
    combo = window.settings_panel.bias_init_combo
    project = window.document.project
    assert [combo.itemData(i) for i in range(combo.count())] == list(BIAS_INITS)
    assert combo.currentData() == project.model.bias_init
    assert "remember by default" in combo.toolTip().lower()
    before = project.model.bias_init
    other = next(s for s in BIAS_INITS if s != before)
    train_epochs(qtbot, window, 1)

    dialogs.answer("question", Cancel)  # a trained model is never lost without asking
    combo.setCurrentIndex(combo.findData(other))
    assert window.document.project.model.bias_init == before
    assert combo.currentData() == before and window.controller.epoch == 1

    dialogs.answer("question", Yes)
    combo.setCurrentIndex(combo.findData(other))
    model = window.document.project.model
    assert model.bias_init == other and window.controller.epoch == 0
    window.edits.undo_reset()  # Undo brings the trained model and its scheme back
    assert window.document.project.model.bias_init == before
    assert combo.currentData() == before and window.controller.epoch == 1
