"""File ▸ New: start from an empty project or from one of the bundled examples."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.data import Preset

EMPTY = ""
EMPTY_TITLE = "Empty project"
EMPTY_DESCRIPTION = (
    "Start with a blank page and type your own sequences, one per line: a menu, a "
    "story, a tune written as note names, anything that repeats."
)


class NewProjectDialog(QDialog):
    """A list (empty project, then each preset) and the selected entry's explanation."""

    def __init__(self, presets: Sequence[Preset], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project")
        self.resize(560, 420)
        self.choices = QListWidget()
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setMinimumHeight(90)
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Start from:"))
        layout.addWidget(self.choices, 1)
        layout.addWidget(self.description)
        layout.addWidget(buttons)

        self._descriptions = {EMPTY: EMPTY_DESCRIPTION}
        self._add(EMPTY, EMPTY_TITLE)
        for preset in presets:
            self._descriptions[preset.name] = preset.description
            self._add(preset.name, preset.title)
        self.choices.currentRowChanged.connect(self._update_description)
        self.choices.itemDoubleClicked.connect(self.accept)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.choices.setCurrentRow(0)

    def _add(self, name: str, title: str) -> None:
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, name)
        self.choices.addItem(item)

    def choice(self) -> str:
        """The preset name, or :data:`EMPTY` for an empty project."""
        item = self.choices.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else EMPTY

    def _update_description(self, _row: int) -> None:
        self.description.setText(self._descriptions.get(self.choice(), ""))
