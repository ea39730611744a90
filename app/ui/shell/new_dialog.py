"""File ▸ New: start from an empty project or from one of the bundled examples."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.data import Preset, SequenceMode, check_mode
from app.ui.shell import help_text

EMPTY = ""
EMPTY_TITLE = "Empty project"
EMPTY_DESCRIPTION = (
    "Start with a blank page and type your own sequences, one per line: a menu, a "
    "story, a tune written as note names, anything that repeats. Or paste a real text "
    "(a poem, a chapter, a program) and read it as one stream: line breaks become a "
    "symbol and nothing is too short."
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
        self.mode_combo = QComboBox()
        for mode, label in help_text.SEQUENCES_MODE_CHOICES:
            self.mode_combo.addItem(label, mode)
        self.mode_combo.setToolTip(help_text.SEQUENCES_MODE)
        mode_label = QLabel("Read the text as")
        mode_label.setToolTip(help_text.SEQUENCES_MODE)
        mode_row = QHBoxLayout()
        mode_row.addWidget(mode_label)
        mode_row.addWidget(self.mode_combo)
        mode_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Start from:"))
        layout.addWidget(self.choices, 1)
        layout.addWidget(self.description)
        layout.addLayout(mode_row)
        layout.addWidget(buttons)

        self._descriptions = {EMPTY: EMPTY_DESCRIPTION}
        self._modes: dict[str, SequenceMode] = {}
        self._add(EMPTY, EMPTY_TITLE)
        for preset in presets:
            self._descriptions[preset.name] = preset.description
            self._modes[preset.name] = preset.settings.sequences
            self._add(preset.name, preset.title)
        self._empty_mode: SequenceMode = "lines"
        self.mode_combo.currentIndexChanged.connect(self._on_mode_chosen)
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

    def sequences(self) -> SequenceMode:
        """How the new project reads its text: the empty project's choice, a preset's own."""
        return check_mode(self.mode_combo.currentData())

    def _on_mode_chosen(self) -> None:
        if self.choice() == EMPTY:
            self._empty_mode = self.sequences()

    def _update_description(self, _row: int) -> None:
        """The entry's explanation and mode (only an empty project's can be chosen here:
        a preset is read as its text was written for; the sequences panel can change it)."""
        name = self.choice()
        self.description.setText(self._descriptions.get(name, ""))
        mode = self._modes.get(name, self._empty_mode)
        self.mode_combo.blockSignals(True)
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(mode))
        self.mode_combo.blockSignals(False)
        self.mode_combo.setEnabled(name == EMPTY)
