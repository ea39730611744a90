"""The stop-condition editor: never, after N epochs, below a loss, or at an accuracy.

Accuracy is typed in percent and handed on as a fraction (0…1), like the epoch
reports' ``train_accuracy``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QWidget

from app.ui.shell import help_text

STOP_KINDS = ("none", "epochs", "loss", "accuracy")
DEFAULTS = {"none": 0.0, "epochs": 100.0, "loss": 0.05, "accuracy": 1.0}
MAX_EPOCHS = 1_000_000


class StopConditionEdit(QWidget):
    """Emits :attr:`changed` ``(kind, value)`` when the learner changes either part."""

    changed = Signal(str, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_combo = QComboBox()
        for kind in STOP_KINDS:
            self.kind_combo.addItem(help_text.STOP_KINDS[kind], kind)
        self.value_spin = QDoubleSpinBox()
        self.value_spin.setKeyboardTracking(False)
        self.value_spin.setMinimumWidth(90)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind_combo, 1)
        layout.addWidget(self.value_spin)
        self._configure("none")
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.value_spin.valueChanged.connect(self._on_value_changed)

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def value(self) -> float:
        """The value as the controller wants it (accuracy as a fraction)."""
        if self.kind() == "accuracy":
            return round(self.value_spin.value() / 100, 6)
        return float(self.value_spin.value())

    def set_condition(self, kind: str, value: float) -> None:
        """Show ``(kind, value)`` without emitting :attr:`changed`."""
        if kind not in STOP_KINDS:
            kind, value = "none", 0.0
        self.kind_combo.blockSignals(True)
        self.value_spin.blockSignals(True)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        self._configure(kind)
        self.value_spin.setValue(value * 100 if kind == "accuracy" else value)
        self.kind_combo.blockSignals(False)
        self.value_spin.blockSignals(False)

    def setToolTip(self, text: str) -> None:
        super().setToolTip(text)
        self.kind_combo.setToolTip(text)
        self.value_spin.setToolTip(text)

    def _configure(self, kind: str) -> None:
        spin = self.value_spin
        spin.setVisible(kind != "none")
        if kind == "epochs":
            spin.setDecimals(0)
            spin.setRange(1, MAX_EPOCHS)
            spin.setSingleStep(50)
            spin.setSuffix(" epochs")
        elif kind == "loss":
            spin.setDecimals(4)
            spin.setRange(0.0001, 10.0)
            spin.setSingleStep(0.01)
            spin.setSuffix("")
        elif kind == "accuracy":
            spin.setDecimals(1)
            spin.setRange(1.0, 100.0)
            spin.setSingleStep(5.0)
            spin.setSuffix(" %")

    def _on_kind_changed(self) -> None:
        kind = self.kind()
        self.value_spin.blockSignals(True)
        self._configure(kind)
        default = DEFAULTS[kind]
        self.value_spin.setValue(default * 100 if kind == "accuracy" else default)
        self.value_spin.blockSignals(False)
        self.changed.emit(kind, self.value())

    def _on_value_changed(self) -> None:
        self.changed.emit(self.kind(), self.value())
