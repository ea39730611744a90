"""Every preset loads from the Presets menu with its explanation and settings."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.data import list_presets
from app.ui.shell.window import MainWindow

PRESETS = list_presets()


@pytest.mark.parametrize("index", range(len(PRESETS)), ids=[p.name for p in PRESETS])
def test_each_preset_loads_ready_to_train(window: MainWindow, qtbot: QtBot, index: int) -> None:
    preset = PRESETS[index]
    window.menu_actions.presets_menu.actions()[index].trigger()
    project = window.document.project
    assert project.preset == preset.name
    assert window.windowTitle() == f"Untitled \u2014 {preset.name}[*] \u2014 LSTM Playground"
    assert window.editor.text_edit.toPlainText() == preset.text
    assert window.editor.title.text() == preset.title
    assert window.editor.description.text() == preset.description
    assert window.editor.tokenizer_combo.currentData() == preset.tokenizer.kind
    assert window.editor.text_edit.marks() == {} or all(
        severity == "warning" for severity, _ in window.editor.text_edit.marks().values()
    )
    panel = window.settings_panel
    assert panel.model_combo.currentData() == preset.settings.model
    assert panel.hidden_spin.value() == preset.settings.hidden_size
    assert panel.lr_control.value() == preset.settings.learning_rate
    assert panel.batch_spin.value() == preset.settings.batch_size
    assert panel.stop_edit.kind() == "epochs"
    assert panel.stop_edit.value() == preset.settings.epochs
    assert window.edits.trainable
    assert window.plots.sequence_combo.count() == preset.data().n_sequences
    window.plots.flush()
    view = window.plots.gates.view
    assert view is not None and view.epoch == 0 and view.tokens == preset.data().tokens[0]
    symbols = str(len(preset.data().vocabulary))
    assert f"Vocabulary: {symbols} symbol" in window.editor.vocabulary.text()


def test_choosing_a_sequence_shows_it(window: MainWindow, qtbot: QtBot) -> None:
    window.menu_actions.presets_menu.actions()[2].trigger()  # doug-jane-spot
    combo = window.plots.sequence_combo
    combo.setCurrentIndex(4)
    expected = window.document.project.data().tokens[4]
    qtbot.waitUntil(lambda: window.plots.gates.view is not None
                    and window.plots.gates.view.tokens == expected)  # fmt: skip
    assert window.plots.predictions.view is not None
    assert window.plots.predictions.view.index == 4
    assert window.document.project.ui["selected_sequence"] == 4
    assert combo.itemText(4).startswith("line 5: Jane saw Spot")
