"""The open document: what the exploring views keep in it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.ui.document.document import Document, empty_project


def test_view_state_is_saved_with_the_project_but_is_no_unsaved_change(qtbot: QtBot) -> None:
    document = Document(empty_project())
    edits: list[int] = []
    document.edited.connect(lambda: edits.append(1))
    document.store_ui("cell", {"epoch": 3})
    assert document.project.ui["cell"] == {"epoch": 3}
    assert not document.modified and edits == [1]
    document.store_ui("cell", {"epoch": 3})  # unchanged: nothing happens
    assert edits == [1]
