"""The bar above the comparison: which line, which part of the cell, and Export image."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from app.analysis.rollout import join_symbols
from app.data.dataset import SequenceData
from app.engine.network import Network
from app.project import Project
from app.ui.plots.gate_heatmaps import PANELS
from app.ui.tabs.compare_epochs import text
from app.ui.tabs.compare_epochs.panels import CompareHeatmaps
from app.ui.tabs.compare_epochs.state import SHOW_ALL
from app.ui.widgets.line_combo import excerpt_labels, line_combo, line_label, shown_word


def sequence_labels(data: SequenceData, project: Project) -> list[str]:
    """ "line 3: Doug saw Jane." for every sequence (held-out ones marked), its symbols
    written back as the tokenizer reads them (no space before a full stop)."""
    try:
        held_out = set(project.split(data)[1])
    except ValueError:
        held_out = set()
    if data.mode == "stream":
        return excerpt_labels(data, project.tokenizer, held_out)
    labels = []
    for i, line in enumerate(data.line_numbers):
        mark = "  (validation)" if i in held_out else ""
        labels.append(line_label(line, join_symbols(data.tokens[i], project.tokenizer), mark))
    return labels


class TopBar(QWidget):
    """Line selector, "Show" (one gate or all) and the Export image… button."""

    sequence_chosen = Signal(int)
    show_chosen = Signal(str)
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sequence_combo = line_combo(text.SEQUENCE)
        self.show_combo = QComboBox()
        self.show_combo.setToolTip(text.SHOW)
        self.show_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.export_button = QPushButton("Export image…")
        self.export_button.setToolTip(text.EXPORT)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.sequence_label = QLabel("Line:")
        for caption, widget, tip in ((self.sequence_label, self.sequence_combo, text.SEQUENCE),
                                     (QLabel("Show:"), self.show_combo, text.SHOW)):  # fmt: skip
            caption.setToolTip(tip)
            layout.addWidget(caption)
            layout.addWidget(widget, 1 if widget is self.sequence_combo else 0)
        layout.addWidget(self.export_button)
        self._kind: str | None = None
        self.sequence_combo.currentIndexChanged.connect(self._on_sequence)
        self.show_combo.currentIndexChanged.connect(self._on_show)
        self.export_button.clicked.connect(self.export_requested)

    def fill_sequences(
        self, model: tuple[Network, SequenceData] | None, project: Project, wanted: int
    ) -> None:
        combo = self.sequence_combo
        combo.blockSignals(True)
        combo.clear()
        self.sequence_label.setText(shown_word(project.sequences, "Line:"))
        if model is not None:
            combo.addItems(sequence_labels(model[1], project))
            combo.setCurrentIndex(min(max(wanted, 0), combo.count() - 1))
        combo.setEnabled(combo.count() > 0)
        combo.blockSignals(False)

    def select_sequence(self, index: int) -> None:
        combo = self.sequence_combo
        if 0 <= index < combo.count() and combo.currentIndex() != index:
            combo.blockSignals(True)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)

    def fill_show(self, kind: str | None, gates: CompareHeatmaps) -> None:
        """Offer the quantities a model of ``kind`` has (only when the kind changes)."""
        if kind is None or kind == self._kind:
            return
        self._kind = kind
        combo = self.show_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("every gate and state", SHOW_ALL)
        for panel in PANELS.get(kind, ()):
            combo.addItem(panel.short, panel.key)
        combo.setCurrentIndex(max(combo.findData(gates.chosen), 0))
        combo.blockSignals(False)

    def _on_sequence(self, index: int) -> None:
        if index >= 0:
            self.sequence_chosen.emit(index)

    def _on_show(self, index: int) -> None:
        if index >= 0:
            self.show_chosen.emit(str(self.show_combo.itemData(index)))
