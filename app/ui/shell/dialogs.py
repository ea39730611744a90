"""The few questions and error messages the window asks and shows.

Errors go through :class:`QMessageBox`'s static functions.  The two questions whose
answer can throw work away (reset a trained model, leave unsaved work) are built here
instead, because the static functions give the standard buttons mnemonics ("&Yes",
"&Discard") and a message box presses a mnemonic's button on the *plain* letter: typing
"y" or "d" meant to go into the editor would answer.  Their buttons have no mnemonic
(Enter picks the safe default, Escape cancels), and they are shown by :func:`run_box`,
which tests replace to answer them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum

from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.shell import help_text

Button = QMessageBox.StandardButton

_recorded: list[str] | None = None
"""While :func:`non_interactive` is active: the errors that would have been shown."""


class SaveChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def reset_box(parent: QWidget | None) -> QMessageBox:
    """The "reset the trained model?" question: Reset / Keep, Keep the default."""
    text = f"{help_text.RESET_QUESTION}\n\n{help_text.RESET_DETAIL}"
    box = QMessageBox(QMessageBox.Icon.Question, "Reset the model?", text, parent=parent)
    _add_buttons(box, {Button.Yes: help_text.RESET_BUTTON, Button.Cancel: help_text.KEEP_BUTTON})
    _set_safe_default(box, Button.Cancel)
    return box


def save_changes_box(parent: QWidget | None, name: str) -> QMessageBox:
    """Save / Don't save / Cancel for unsaved work in ``name``; Cancel the default."""
    text = f"{help_text.UNSAVED_QUESTION.format(name=name)}\n\n{help_text.UNSAVED_DETAIL}"
    box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes", text, parent=parent)
    labels = {
        Button.Save: help_text.SAVE_BUTTON,
        Button.Discard: help_text.DISCARD_BUTTON,
        Button.Cancel: help_text.CANCEL_BUTTON,
    }
    _add_buttons(box, labels)
    _set_safe_default(box, Button.Cancel)
    return box


def run_box(kind: str, box: QMessageBox) -> Button:
    """Show ``box`` modally and return the standard button chosen.

    ``kind`` names the :class:`QMessageBox` static function the box stands for
    ("question", "warning"): the test fixtures record and answer it under that name.
    """
    box.exec()
    answer = box.standardButton(box.clickedButton()) if box.clickedButton() else Button.Cancel
    box.deleteLater()
    return Button.Cancel if answer == Button.NoButton else answer


def ask_reset(parent: QWidget | None) -> bool:
    """ "This resets the trained model. Continue?" — True for Reset."""
    if _recorded is not None:
        return True
    return run_box("question", reset_box(parent)) == Button.Yes


def ask_save_changes(parent: QWidget | None, name: str) -> SaveChoice:
    """Save / Discard / Cancel for unsaved work in ``name``."""
    if _recorded is not None:
        return SaveChoice.DISCARD
    answer = run_box("warning", save_changes_box(parent, name))
    if answer == Button.Save:
        return SaveChoice.SAVE
    if answer == Button.Discard:
        return SaveChoice.DISCARD
    return SaveChoice.CANCEL


def ask_replace_export(parent: QWidget | None, folder: str) -> bool:
    """ "Replace the earlier PyTorch export in FOLDER?" — True for Replace; Cancel is
    the default (Enter and Escape overwrite nothing)."""
    if _recorded is not None:
        return True
    text = (
        f"{folder} holds an earlier PyTorch export.\n\n"
        "Its files are replaced by this project's; other files in the folder stay."
    )
    box = QMessageBox(QMessageBox.Icon.Question, "Replace the earlier export?", text, parent=parent)
    _add_buttons(box, {Button.Yes: "Replace", Button.Cancel: help_text.CANCEL_BUTTON})
    _set_safe_default(box, Button.Cancel)
    return run_box("question", box) == Button.Yes


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """An error the learner must read (a file that cannot be opened or saved)."""
    if _recorded is not None:
        _recorded.append(f"{title}: {message}")
        return
    QMessageBox.critical(parent, title, message, Button.Ok, Button.Ok)


def _add_buttons(box: QMessageBox, labels: dict[Button, str]) -> None:
    """Standard buttons (their roles and order) with plain labels: no "&", no mnemonic."""
    for button, label in labels.items():
        box.addButton(button).setText(label.replace("&", "&&"))


def _set_safe_default(box: QMessageBox, button: Button) -> None:
    box.setDefaultButton(button)
    box.setEscapeButton(button)


@contextmanager
def non_interactive() -> Iterator[list[str]]:
    """No modal dialogs (the self-test): questions answer Yes/Discard, errors are collected."""
    global _recorded
    previous, _recorded = _recorded, []
    try:
        yield _recorded
    finally:
        _recorded = previous
