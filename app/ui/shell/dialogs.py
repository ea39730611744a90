"""The few questions and error messages the window asks and shows.

All go through :class:`QMessageBox`'s static functions, so tests can answer them by
monkeypatching ``QMessageBox.question`` / ``warning`` / ``critical``.
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


def ask_reset(parent: QWidget | None) -> bool:
    """ "This resets the trained model. Continue?" — True for Yes."""
    if _recorded is not None:
        return True
    answer = QMessageBox.question(
        parent,
        "Reset the model?",
        f"{help_text.RESET_QUESTION}\n\n{help_text.RESET_DETAIL}",
        Button.Yes | Button.Cancel,
        Button.Cancel,
    )
    return answer == Button.Yes


def ask_save_changes(parent: QWidget | None, name: str) -> SaveChoice:
    """Save / Discard / Cancel for unsaved work in ``name``."""
    if _recorded is not None:
        return SaveChoice.DISCARD
    answer = QMessageBox.warning(
        parent,
        "Unsaved changes",
        f"{help_text.UNSAVED_QUESTION.format(name=name)}\n\n{help_text.UNSAVED_DETAIL}",
        Button.Save | Button.Discard | Button.Cancel,
        Button.Save,
    )
    if answer == Button.Save:
        return SaveChoice.SAVE
    if answer == Button.Discard:
        return SaveChoice.DISCARD
    return SaveChoice.CANCEL


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """An error the learner must read (a file that cannot be opened or saved)."""
    if _recorded is not None:
        _recorded.append(f"{title}: {message}")
        return
    QMessageBox.critical(parent, title, message, Button.Ok, Button.Ok)


@contextmanager
def non_interactive() -> Iterator[list[str]]:
    """No modal dialogs (the self-test): questions answer Yes/Discard, errors are collected."""
    global _recorded
    previous, _recorded = _recorded, []
    try:
        yield _recorded
    finally:
        _recorded = previous
