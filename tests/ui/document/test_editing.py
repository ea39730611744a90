"""Editing the sequences and the settings: live checks, and asking before a reset."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.ui.shell import help_text
from app.ui.shell.window import MainWindow
from tests.ui.conftest import Dialogs
from tests.ui.helpers import train_epochs

Yes = QMessageBox.StandardButton.Yes
Cancel = QMessageBox.StandardButton.Cancel


def type_text(window: MainWindow, text: str) -> None:
    """Replace the editor's text as typing would (undoable), then apply it at once."""
    editor = window.editor.text_edit
    editor.selectAll()
    editor.insertPlainText(text)
    window.editor.commit_pending()


def test_problems_are_flagged_inline_and_block_training(window: MainWindow) -> None:
    type_text(window, "pizza sushi waffles\npizza\n\nsushi waffles pizza")
    assert window.editor.text_edit.marks() == {2: ("error", window.editor.text_edit.marks()[2][1])}
    assert "only one symbol" in window.editor.text_edit.marks()[2][1]
    items = [window.editor.problems.item(i).text() for i in range(window.editor.problems.count())]
    assert items[0].startswith("Line 2:")  # the error first (its icon is a QIcon)
    assert not window.edits.trainable
    assert not window.menu_actions.train.isEnabled()
    assert window.editor.status.text().find(help_text.FIX_PROBLEMS) >= 0
    window.menu_actions.train.trigger()  # disabled: nothing happens, nothing crashes
    assert window.controller.state == "idle"

    type_text(window, "pizza sushi waffles\npizza sushi\n\nsushi waffles pizza")
    assert window.editor.text_edit.marks() == {}
    assert window.edits.trainable
    assert window.menu_actions.train.isEnabled()
    assert window.plots.sequence_combo.count() == 3


def test_garbage_never_crashes_the_editor(window: MainWindow) -> None:
    for text in ("", "\n\n\n", "a", "\u0000\u0001 \u200b", "x " * 5000, "é e\u0301 é", "a\rb c"):
        type_text(window, text)
    window.editor.tokenizer_combo.setCurrentIndex(window.editor.tokenizer_combo.findData("sep"))
    assert not window.edits.trainable  # no separator typed yet
    assert window.editor.problems.count() >= 1
    window.editor.separator_edit.setText(",")
    window.editor.separator_edit.textEdited.emit(",")
    type_text(window, "a, b, c\nb, c, a")
    assert window.edits.trainable
    assert window.document.project.tokenizer == "sep:,"


def test_preview_and_vocabulary_follow_the_tokeniser(window: MainWindow) -> None:
    type_text(window, "ab ba\nba ab")
    assert "Vocabulary: 2 symbols" in window.editor.vocabulary.text()
    combo = window.editor.tokenizer_combo
    combo.setCurrentIndex(combo.findData("chars"))
    assert window.document.project.tokenizer == "chars"
    assert "Vocabulary: 3 symbols" in window.editor.vocabulary.text()  # a, b and the space
    assert "\u2423" in window.editor.preview.text()


def test_undo_and_redo_from_the_edit_menu(window: MainWindow) -> None:
    original = window.editor.text_edit.toPlainText()
    type_text(window, "one two\ntwo one")
    assert window.menu_actions.undo.isEnabled()
    window.menu_actions.undo.trigger()
    assert window.editor.text_edit.toPlainText() == original
    window.menu_actions.redo.trigger()
    assert window.editor.text_edit.toPlainText() == "one two\ntwo one"


def test_editing_the_text_of_an_untrained_model_asks_nothing(
    window: MainWindow, dialogs: Dialogs
) -> None:
    type_text(window, "pizza sushi\nsushi pizza")
    assert dialogs.calls == []
    assert window.document.project.text == "pizza sushi\nsushi pizza"
    assert window.document.project.model.vocab_size == 2
    assert window.isWindowModified()


def test_changing_the_model_asks_and_cancel_reverts_the_widget(
    window: MainWindow, qtbot: QtBot, dialogs: Dialogs
) -> None:
    train_epochs(qtbot, window, 2)
    combo = window.settings_panel.model_combo
    dialogs.answer("question", Cancel)
    combo.setCurrentIndex(combo.findData("gru"))
    assert dialogs.kinds() == ["question"]
    assert combo.currentData() == "lstm"
    assert window.document.project.model.kind == "lstm"
    assert window.controller.epoch == 2

    dialogs.answer("question", Yes)
    combo.setCurrentIndex(combo.findData("gru"))
    assert combo.currentData() == "gru"
    assert window.document.project.model.kind == "gru"
    assert window.controller.epoch == 0
    assert "update gate" in window.settings_panel.model_about.text()
    train_epochs(qtbot, window, 1)
    assert set(window.plots.gates.view.gates) == {"reset", "update", "candidate"}  # type: ignore[union-attr]


def test_settings_that_need_a_reset(window: MainWindow, qtbot: QtBot, dialogs: Dialogs) -> None:
    panel = window.settings_panel
    changes = [
        (panel.hidden_spin, lambda: panel.hidden_spin.setValue(5), ("model", "hidden_size", 5)),
        (panel.batch_spin, lambda: panel.batch_spin.setValue(2), ("train", "batch_size", 2)),
        (panel.clip_spin, lambda: panel.clip_spin.setValue(1.5), ("train", "clip_norm", 1.5)),
        (panel.validation_spin, lambda: panel.validation_spin.setValue(25),
         ("train", "validation_split", 0.25)),
        (panel.dtype_combo, lambda: panel.dtype_combo.setCurrentIndex(1),
         ("model", "dtype", "float32")),
        (panel.optimizer_combo, lambda: panel.optimizer_combo.setCurrentIndex(1),
         ("train", "optimizer", "sgd")),
    ]  # fmt: skip
    for _, change, (part, name, value) in changes:
        train_epochs(qtbot, window, 1)
        dialogs.answer("question", Yes)
        asked = len(dialogs.calls)
        change()
        assert len(dialogs.calls) == asked + 1, name
        assert getattr(getattr(window.document.project, part), name) == value
        assert window.controller.epoch == 0
    panel.seed_edit.setText("42")
    panel.seed_edit.editingFinished.emit()
    assert window.document.project.seed == 42
    assert "(validation)" in "".join(
        window.plots.sequence_combo.itemText(i) for i in range(window.plots.sequence_combo.count())
    )


def test_an_engine_refusal_is_shown_inline(window: MainWindow) -> None:
    type_text(window, "a b\nb a")
    panel = window.settings_panel
    panel.validation_spin.setValue(50)  # fine: one of the two lines is held out
    assert window.document.project.train.validation_split == 0.5
    assert panel.error_label.isHidden()
    window.edits.change_settings(batch_size=0)
    assert not panel.error_label.isHidden()
    assert "batch size" in panel.error_label.text()
    assert window.document.project.train.batch_size != 0


def test_stop_condition_is_live_and_stored(window: MainWindow, dialogs: Dialogs) -> None:
    stop = window.settings_panel.stop_edit
    stop.kind_combo.setCurrentIndex(stop.kind_combo.findData("accuracy"))
    stop.value_spin.setValue(90.0)
    assert window.document.project.ui["stop_condition"] == {"kind": "accuracy", "value": 0.9}
    assert dialogs.calls == []
