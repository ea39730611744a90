"""A preset's title and description belong to the preset's text: once the learner's
text differs the project is theirs (window title, Save As and the file say so), and
Undo back to the preset's text makes it the preset again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.data.presets import load_preset
from app.project.fileformat import load_project
from app.ui.document.document import STARTED_FROM_KEY
from app.ui.shell.window import MainWindow

POEM = "the rain falls on the roof\nthe roof keeps the rain out\n"


def type_over(window: MainWindow, text: str) -> None:
    """Replace the whole text as typing does (one undoable edit), then apply it."""
    cursor = QTextCursor(window.editor.text_edit.document())
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.insertText(text)
    window.editor.commit_pending()


def test_an_own_text_is_no_longer_the_preset(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    dinner = load_preset("dinner")
    assert window.document.project.preset == "dinner"
    assert "dinner" in window.windowTitle() and window.editor.title.text() == dinner.title

    type_over(window, POEM)
    project = window.document.project
    assert (project.preset, project.title) == (None, "")
    assert dinner.title in project.description and project.ui[STARTED_FROM_KEY] == "dinner"
    assert window.windowTitle().startswith("Untitled[*]") and "dinner" not in window.windowTitle()
    assert window.editor.title.isHidden()
    assert dinner.description not in window.editor.description.text()

    suggested: list[str] = []

    def save_dialog(parent: Any, caption: str, where: str, *args: Any) -> tuple[str, str]:
        suggested.append(where)
        return str(tmp_path / "poem.lstmproj"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    assert window.files.save_as()
    assert Path(suggested[0]).name == "untitled.lstmproj"
    saved = load_project(tmp_path / "poem.lstmproj")
    assert (saved.preset, saved.title, saved.text) == (None, "", POEM)
    assert dinner.description not in saved.description


def test_undo_back_to_the_preset_text_makes_it_the_preset_again(window: MainWindow) -> None:
    dinner = load_preset("dinner")
    type_over(window, POEM)
    assert window.document.project.preset is None
    window.editor.text_edit.undo()
    window.editor.commit_pending()
    project = window.document.project
    assert (project.preset, project.title, project.description) == (
        "dinner",
        dinner.title,
        dinner.description,
    )
    assert STARTED_FROM_KEY not in project.ui
    assert "dinner" in window.windowTitle() and window.editor.title.text() == dinner.title
