"""Typing can never throw a trained model away (issue 12, item 4).

The learner trains, clicks at the end of the text and types: no question interrupts
the typing, the model keeps its epoch and weights, a bar offers "Apply and reset the
model" and "Undo edits", and Edit ▸ Undo brings an applied reset back exactly.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.project import load_project
from app.ui.shell import dialogs as app_dialogs
from app.ui.shell.window import MainWindow
from tests.ui.conftest import Dialogs
from tests.ui.helpers import train_epochs

Button = QMessageBox.StandardButton


def weights(window: MainWindow) -> dict[str, bytes]:
    """The controller's current weights, byte for byte."""
    project = replace(window.document.project)
    window.controller.capture_into(project)
    assert project.trainer_state is not None
    return {k: v.tobytes() for k, v in project.trainer_state.params.items()}


def click_at_end(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editor.text_edit
    end = QTextCursor(editor.document())
    end.movePosition(QTextCursor.MoveOperation.End)
    where = editor.cursorRect(end).center()
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert editor.textCursor().atEnd()


def type_after_training(qtbot: QtBot, window: MainWindow, keys: str) -> None:
    click_at_end(qtbot, window)
    qtbot.keyClicks(window.editor.text_edit, keys)
    qtbot.waitUntil(lambda: window.edits.pending is not None)  # after the typing pause


def test_typing_ay_after_training_asks_nothing_and_keeps_the_model(
    window: MainWindow, qtbot: QtBot, dialogs: Dialogs
) -> None:
    train_epochs(qtbot, window, 3)
    before, text = weights(window), window.document.project.text
    window.document.set_modified(False)  # as after a save
    type_after_training(qtbot, window, "ay")
    assert window.isWindowModified()  # closing now would offer to save the typing
    qtbot.keyClicks(window.editor.text_edit, " Yes day")
    window.editor.commit_pending()
    assert dialogs.calls == []
    assert window.controller.state != "running"  # the typed spaces did not press Train
    assert window.controller.epoch == 3
    assert weights(window) == before
    assert window.editor.text_edit.toPlainText() == text + "ay Yes day"
    assert window.document.project.text == text  # the model's own text, until applied
    assert window.edits.pending == (text + "ay Yes day", window.document.project.tokenizer, "lines")
    assert window.editor.pending_bar.isVisible()
    assert "&" not in window.editor.apply_button.text() + window.editor.discard_button.text()
    assert window.menu_actions.train.isEnabled()  # it trains on, on the previous text

    qtbot.mouseClick(window.editor.discard_button, Qt.MouseButton.LeftButton)  # Undo edits
    assert window.editor.text_edit.toPlainText() == text
    assert window.edits.pending is None
    assert not window.editor.pending_bar.isVisible()

    combo = window.editor.tokenizer_combo  # a new tokeniser waits the same way
    combo.setCurrentIndex(combo.findData("chars"))
    assert window.edits.pending is not None and window.edits.pending[1] == "chars"
    assert window.document.project.tokenizer == "words"
    qtbot.mouseClick(window.editor.discard_button, Qt.MouseButton.LeftButton)
    assert combo.currentData() == "words"
    assert dialogs.calls == []
    assert (window.controller.epoch, weights(window)) == (3, before)


def test_apply_resets_and_undo_brings_back_text_epoch_and_weights(
    window: MainWindow, qtbot: QtBot, dialogs: Dialogs
) -> None:
    train_epochs(qtbot, window, 3)
    before, text = weights(window), window.document.project.text
    type_after_training(qtbot, window, " pizza")
    qtbot.mouseClick(window.editor.apply_button, Qt.MouseButton.LeftButton)
    assert dialogs.calls == []  # the click is the explicit act
    assert window.controller.epoch == 0
    assert window.document.project.text == text + " pizza"
    assert window.edits.pending is None
    assert weights(window) != before
    undo = window.menu_actions.undo
    assert undo.isEnabled() and "reset" in undo.text().lower()

    undo.trigger()
    assert window.controller.epoch == 3
    assert weights(window) == before
    assert window.document.project.text == text
    assert window.editor.text_edit.toPlainText() == text
    assert [r.epoch for r in window.controller.history()] == [1, 2, 3]
    train_epochs(qtbot, window, 1)  # and it trains on from there

    window.menu_actions.redo.trigger()  # forward again: the edited text, untrained
    assert window.controller.epoch == 0
    assert window.document.project.text == text + " pizza"
    window.menu_actions.undo.trigger()
    assert window.controller.epoch == 4  # the epoch trained after the undo is kept too

    kept = weights(window)  # Training ▸ Reset is undone the same way
    window.menu_actions.reset.trigger()
    assert window.controller.epoch == 0
    window.menu_actions.undo.trigger()
    assert (window.controller.epoch, weights(window)) == (4, kept)


def test_a_save_keeps_the_model_and_the_waiting_edits(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    train_epochs(qtbot, window, 2)
    text = window.document.project.text
    type_after_training(qtbot, window, "ay")
    path = tmp_path / "kept.lstmproj"
    assert window.files.write(path)
    saved = load_project(path)
    assert saved.text == text
    assert saved.trainer_state is not None and saved.trainer_state.epoch == 2
    window.document.set_modified(False)
    assert window.files.open_path(path)
    assert window.edits.pending == (text + "ay", "words", "lines")
    assert window.editor.text_edit.toPlainText() == text + "ay"
    assert window.editor.pending_bar.isVisible()
    assert window.controller.epoch == 2
    assert "pending_edits" not in window.document.project.ui


def test_questions_have_no_letter_a_typist_could_press(qtbot: QtBot) -> None:
    boxes = {
        "reset": (app_dialogs.reset_box(None), Button.Yes),
        "save": (app_dialogs.save_changes_box(None, "x.lstmproj"), Button.Discard),
    }
    for name, (box, dangerous) in boxes.items():
        qtbot.addWidget(box)
        labels = [b.text() for b in box.buttons()]
        assert not any("&" in label for label in labels), (name, labels)
        assert box.defaultButton() is box.button(Button.Cancel), name
        box.show()
        with qtbot.assertNotEmitted(box.buttonClicked, wait=250):
            qtbot.keyClicks(box, "yesdaysnok")
        assert box.isVisible() and box.clickedButton() is None, name
        assert box.button(dangerous).text() != ""
        qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter picks the safe choice
        assert box.standardButton(box.clickedButton()) == Button.Cancel, name
